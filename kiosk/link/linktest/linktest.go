// Package linktest is a school office held in memory, for the tests of
// the kiosks' side of the link (kiosk/link, the daemon).
package linktest

import (
	"context"
	"crypto/tls"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/link"
)

// Office is a school office held in memory: the kiosks' counterpart in
// tests, as the school office's database is in production.
type Office struct {
	// Mu guards the fields; a test locks it to read them.
	Mu      sync.Mutex
	Secrets map[string]bool                        // live one-time secrets
	Seen    map[string]uint64                      // kiosk → bundle it holds
	Kept    map[string]map[string]link.ClassCounts // kiosk → "day class" → counts
	kiosks  map[string]string                      // keyID → name
	bundle  []byte                                 // the current signed bundle
	seq     uint64                                 // its number
	changed chan struct{}                          // closed when a new bundle is published
}

// NewOffice is an office with no kiosk and no bundle.
func NewOffice() *Office {
	return &Office{Secrets: map[string]bool{}, kiosks: map[string]string{}, Seen: map[string]uint64{},
		changed: make(chan struct{}), Kept: map[string]map[string]link.ClassCounts{}}
}

// Pair implements link.Office.
func (o *Office) Pair(_ context.Context, secret, keyID string, req link.PairRequest) (string, error) {
	o.Mu.Lock()
	defer o.Mu.Unlock()
	if !o.Secrets[secret] {
		return "", link.ErrBadSecret
	}
	for _, n := range o.kiosks {
		if n == req.Name {
			return "", link.ErrNameTaken
		}
	}
	delete(o.Secrets, secret)
	o.kiosks[keyID] = req.Name
	return req.Name, nil
}

// Kiosk implements link.Office.
func (o *Office) Kiosk(_ context.Context, keyID, _ string, holds uint64) (string, error) {
	o.Mu.Lock()
	defer o.Mu.Unlock()
	n, ok := o.kiosks[keyID]
	if !ok {
		return "", link.ErrUnknownKiosk
	}
	o.Seen[n] = holds
	return n, nil
}

// Bundle implements link.Office.
func (o *Office) Bundle(ctx context.Context, after uint64) ([]byte, error) {
	for {
		o.Mu.Lock()
		raw, seq, changed := o.bundle, o.seq, o.changed
		o.Mu.Unlock()
		if seq > after {
			return raw, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil
		case <-changed:
		}
	}
}

// Counts implements link.Office.
func (o *Office) Counts(_ context.Context, kiosk string, c link.Counts) error {
	o.Mu.Lock()
	defer o.Mu.Unlock()
	if o.Kept[kiosk] == nil {
		o.Kept[kiosk] = map[string]link.ClassCounts{}
	}
	for _, d := range c.Days {
		for _, cl := range d.Classes {
			o.Kept[kiosk][d.Day.String()+" "+cl.Class] = cl
		}
	}
	return nil
}

// Publish makes raw, numbered seq, the current bundle.
func (o *Office) Publish(raw []byte, seq uint64) {
	o.Mu.Lock()
	defer o.Mu.Unlock()
	o.bundle, o.seq = raw, seq
	close(o.changed)
	o.changed = make(chan struct{})
}

// Unpair forgets the kiosk of that name.
func (o *Office) Unpair(name string) {
	o.Mu.Lock()
	defer o.Mu.Unlock()
	for k, n := range o.kiosks {
		if n == name {
			delete(o.kiosks, k)
		}
	}
}

// Start serves an office's handler over TLS that asks for client
// certificates, as the school office does, and returns the server and a
// maker of its invitations.
func Start(t testing.TB, o link.Office) (*httptest.Server, func(secret string) link.Invitation) {
	srv := httptest.NewUnstartedServer(&link.Handler{Office: o, Poll: 2 * time.Second})
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS13}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	fp := link.Fingerprint(srv.Certificate().Raw)
	return srv, func(secret string) link.Invitation {
		return link.Invitation{URL: srv.URL, Fingerprint: fp, Secret: secret}
	}
}
