package link

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/scuola/kiosk/kiosk/bundle"
)

// Client is a paired kiosk's side of the link.
type Client struct {
	p       *Pairing
	http    *http.Client
	version string
	// Witness, when set, receives the office's Date header on every
	// answer with the local clock's reading (kiosk/clock).
	Witness func(ours, theirs time.Time)
}

// NewClient prepares the link of a paired kiosk running software version.
func NewClient(p *Pairing, version string) (*Client, error) {
	cfg, err := p.tlsConfig()
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{TLSClientConfig: cfg, ResponseHeaderTimeout: DefaultPoll + 30*time.Second,
		TLSHandshakeTimeout: 10 * time.Second, IdleConnTimeout: 2 * time.Minute}
	return &Client{p: p, version: version, http: &http.Client{Transport: tr, Timeout: DefaultPoll + time.Minute}}, nil
}

// Pair answers an office's invitation: it makes the kiosk's key, registers
// it under name at entrance, and returns the pairing to keep (Save).
func Pair(ctx context.Context, inv Invitation, name, entrance, version string) (*Pairing, error) {
	p, err := newPairing(inv, name)
	if err != nil {
		return nil, err
	}
	c, err := NewClient(p, version)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(PairRequest{Secret: inv.Secret, Name: name, Entrance: entrance})
	ans, err := c.do(ctx, http.MethodPost, PathPair, 0, body)
	if err != nil {
		return nil, err
	}
	var a PairAnswer
	if err := json.Unmarshal(ans, &a); err != nil || a.Kiosk == "" {
		return nil, fmt.Errorf("pairing: the office's answer is not a kiosk's name")
	}
	return p, nil
}

// Bundle asks for a bundle newer than after, waiting for one at the
// office; nil when none came before the office's poll ended.
func (c *Client) Bundle(ctx context.Context, after uint64) ([]byte, error) {
	return c.do(ctx, http.MethodGet, PathBundle+"?after="+strconv.FormatUint(after, 10), after, nil)
}

// SendCounts sends the kiosk's counts; holds is the bundle it holds.
func (c *Client) SendCounts(ctx context.Context, holds uint64, counts Counts) error {
	body, err := json.Marshal(counts)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, http.MethodPut, PathCounts, holds, body)
	return err
}

// StatusError is an answer of the office other than success.
type StatusError struct {
	Status  int
	Message string
}

func (e *StatusError) Error() string { return fmt.Sprintf("office: %d %s", e.Status, e.Message) }

// Unwrap lets errors.Is tell the office's refusals apart.
func (e *StatusError) Unwrap() error {
	switch e.Status {
	case http.StatusUnauthorized:
		return ErrUnknownKiosk
	case http.StatusForbidden:
		return ErrBadSecret
	case http.StatusConflict:
		return ErrNameTaken
	}
	return nil
}

func (c *Client) do(ctx context.Context, method, path string, holds uint64, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.p.URL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set(HeaderVersion, c.version)
	req.Header.Set(HeaderHolds, strconv.FormatUint(holds, 10))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if date, err := http.ParseTime(resp.Header.Get("Date")); err == nil && c.Witness != nil {
		c.Witness(time.Now(), date)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	switch {
	case err != nil:
		return nil, err
	case len(data) > MaxBody:
		return nil, fmt.Errorf("office: answer over %d bytes", MaxBody)
	case resp.StatusCode == http.StatusNoContent:
		return nil, nil
	case resp.StatusCode != http.StatusOK:
		return nil, &StatusError{Status: resp.StatusCode, Message: strings.TrimSpace(string(data))}
	}
	return data, nil
}

// Follower keeps a kiosk in step: it waits for newer bundles and applies
// them, and sends the counts every CountsEvery, retrying with a growing
// pause while the office is down. The kiosk goes on working on its last
// bundle meanwhile.
type Follower struct {
	Client      *Client
	Store       *bundle.Store
	OnBundle    func(*bundle.Bundle)                  // called with each newer bundle
	Counts      func(context.Context) (Counts, error) // the kiosk's counts to send
	CountsEvery time.Duration                         // default one minute
	// OnError, when set, learns of every failure (ErrUnknownKiosk: the
	// office unpaired this kiosk).
	OnError func(error)
	Log     *slog.Logger
}

func (f *Follower) failed(ctx context.Context, what string, err error) {
	if ctx.Err() != nil {
		return
	}
	f.Log.Warn(what, "err", err)
	if f.OnError != nil {
		f.OnError(err)
	}
}

// Run follows the office until ctx ends.
func (f *Follower) Run(ctx context.Context) {
	done := make(chan struct{})
	go func() { defer close(done); f.sendCounts(ctx) }()
	f.followBundles(ctx)
	<-done
}

func (f *Follower) held() uint64 {
	if b := f.Store.Current(); b != nil {
		return b.Seq
	}
	return 0
}

func (f *Follower) followBundles(ctx context.Context) {
	pause := retry{}
	for ctx.Err() == nil {
		raw, err := f.Client.Bundle(ctx, f.held())
		if err == nil && raw != nil {
			var changed bool
			if changed, err = f.Store.Accept(raw); changed {
				f.OnBundle(f.Store.Current())
			}
		}
		if err != nil {
			f.failed(ctx, "school bundle not fetched; working on the last one", err)
			pause.wait(ctx)
			continue
		}
		pause.reset()
	}
}

func (f *Follower) sendCounts(ctx context.Context) {
	every := f.CountsEvery
	if every <= 0 {
		every = time.Minute
	}
	pause := retry{}
	for ctx.Err() == nil {
		c, err := f.Counts(ctx)
		if err == nil {
			err = f.Client.SendCounts(ctx, f.held(), c)
		}
		if err != nil {
			f.failed(ctx, "counts not sent to the office; will retry", err)
			pause.wait(ctx)
			continue
		}
		pause.reset()
		select {
		case <-ctx.Done():
		case <-time.After(every):
		}
	}
}

// retry is a pause that doubles from one second to a minute.
type retry struct{ d time.Duration }

func (r *retry) wait(ctx context.Context) {
	r.d = min(max(2*r.d, time.Second), time.Minute)
	select {
	case <-ctx.Done():
	case <-time.After(r.d):
	}
}

func (r *retry) reset() { r.d = 0 }
