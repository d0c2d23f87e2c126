package office

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/scuola/kiosk/kiosk/bundle"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/issue"
)

// DefaultRefresh is how often the office signs the school's data again
// when nothing changed: a kiosk shows its data's age, and an age under
// that tells the delegate the kiosk is in step with the office.
const DefaultRefresh = 10 * time.Minute

// PairingLife is how long a pairing QR may be used (once).
const PairingLife = 10 * time.Minute

// Kiosks is the office's side of the link with the school's kiosks
// (link.Office) on the office's database, and the publisher of the signed
// school bundle they follow: it signs a new one whenever the school's data
// changes (a page's Update), the day turns, or Refresh passes.
type Kiosks struct {
	st      *store.Store
	now     func() time.Time
	log     *slog.Logger
	refresh time.Duration
	// informativa is the notice's address when the school gave none: the
	// office's own public page.
	informativa string

	mu      sync.Mutex
	cur     store.Bundle  // the newest signed bundle, Raw included
	held    uint64        // the highest sequence number a kiosk said it holds
	changed chan struct{} // closed when cur changes
}

// newKiosks loads the newest bundle kept, signing a first one if there is
// none or the school's data changed while the office was stopped.
func newKiosks(ctx context.Context, st *store.Store, now func() time.Time, log *slog.Logger, refresh time.Duration, informativa string) (*Kiosks, error) {
	if refresh <= 0 {
		refresh = DefaultRefresh
	}
	k := &Kiosks{st: st, now: now, log: log, refresh: refresh, informativa: informativa, changed: make(chan struct{})}
	cur, err := st.LatestBundle(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	k.cur = cur
	return k, k.publish(ctx)
}

// run re-signs the bundle at every change of the school's data, at each
// new day (the measures move with it) and every refresh, until ctx ends.
func (k *Kiosks) run(ctx context.Context) {
	for {
		changed := k.st.Changed()
		now := k.now()
		next := min(k.refresh, (calendar.Of(now) + 1).Start().Sub(now))
		t := time.NewTimer(max(next, time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-changed:
		case <-t.C:
		}
		t.Stop()
		if err := k.publish(ctx); err != nil && ctx.Err() == nil {
			k.log.Error("signing the school's data for the kiosks", "err", err)
		}
	}
}

// content is the school's data as the kiosks receive it, on the office's
// today: each class under daily verification with its last day, as the
// engine computes it; every delegation, the revoked ones included.
func (k *Kiosks) content(ctx context.Context) (*bundle.Bundle, *issue.Signer, error) {
	sc, err := k.st.School(ctx)
	if err != nil {
		return nil, nil, err
	}
	signer, err := issue.ParseSignerPEM([]byte(sc.KeyPEM))
	if err != nil {
		return nil, nil, fmt.Errorf("the school's key: %w", err)
	}
	classes, err := k.st.Classes(ctx)
	if err != nil {
		return nil, nil, err
	}
	rules, err := k.st.Rules(ctx)
	if err != nil {
		return nil, nil, err
	}
	delegations, err := k.st.Delegations(ctx)
	if err != nil {
		return nil, nil, err
	}
	today := calendar.Of(k.now())
	b := &bundle.Bundle{School: bundle.School{Code: sc.Code, Name: sc.Name}, Informativa: sc.InformativaURL,
		Classes: []school.Class{}, Delegations: []school.Delegation{}}
	if b.Informativa == "" {
		b.Informativa = k.informativa
	}
	for _, c := range classes {
		bc := school.Class{Name: c.Name, Level: c.Level, Enrolled: c.Enrolled}
		if st := rules.StatusOn(&c.Class, today); st.Measure == school.DailyVerification {
			until := st.Until
			bc.VerifyUntil = &until
		}
		b.Classes = append(b.Classes, bc)
	}
	for _, d := range delegations {
		b.Delegations = append(b.Delegations, school.Delegation{ID: d.BadgeID(), Name: d.Name, Role: d.Role, ValidUntil: d.ValidUntil, Revoked: d.Revoked})
	}
	return b, signer, nil
}

// publish signs a new bundle when the content changed or the newest is
// older than the refresh, numbered above every bundle a kiosk holds (an
// office restored from an old backup must not be refused as a replay).
func (k *Kiosks) publish(ctx context.Context) error {
	b, signer, err := k.content(ctx)
	if err != nil {
		return err
	}
	plain, err := json.Marshal(b)
	if err != nil {
		return err
	}
	digest := sha256.Sum256(plain)
	now := k.now()
	k.mu.Lock()
	cur, held := k.cur, k.held
	k.mu.Unlock()
	if cur.Raw != nil && bytes.Equal(cur.Digest, digest[:]) && now.Sub(cur.Signed) < k.refresh && calendar.Of(cur.Signed) == calendar.Of(now) {
		return nil
	}
	b.Seq, b.Signed = max(cur.Seq, held)+1, now.UTC()
	raw, err := bundle.Sign(signer, b)
	if err != nil {
		return err
	}
	next := store.Bundle{Seq: b.Seq, Signed: b.Signed, Digest: digest[:], Raw: raw}
	if err := k.st.AddBundle(ctx, next); err != nil {
		return err
	}
	k.mu.Lock()
	k.cur = next
	close(k.changed)
	k.changed = make(chan struct{})
	k.mu.Unlock()
	return nil
}

// Pair implements link.Office.
func (k *Kiosks) Pair(ctx context.Context, secret, keyID string, req link.PairRequest) (string, error) {
	var id int64
	err := k.st.Update(ctx, "kiosk "+req.Name, func(tx *store.Tx) (err error) {
		id, err = tx.PairKiosk(ctx, secretHash(secret), keyID, req.Name, req.Entrance, k.now())
		return err
	})
	switch {
	case errors.Is(err, store.ErrBadCode):
		return "", link.ErrBadSecret
	case errors.Is(err, store.ErrNameTaken):
		return "", link.ErrNameTaken
	case err != nil:
		return "", err
	}
	return strconv.FormatInt(id, 10), nil
}

// Kiosk implements link.Office.
func (k *Kiosks) Kiosk(ctx context.Context, keyID, version string, holds uint64) (string, error) {
	kk, err := k.st.PairedKiosk(ctx, keyID)
	if errors.Is(err, store.ErrUnpaired) {
		return "", link.ErrUnknownKiosk
	}
	if err != nil {
		return "", err
	}
	if len(version) > 64 {
		version = version[:64]
	}
	if err := k.st.SeeKiosk(ctx, kk.ID, k.now(), version, holds); err != nil {
		return "", err
	}
	k.mu.Lock()
	ahead := holds > k.cur.Seq && holds > k.held
	if ahead {
		k.held = holds
	}
	k.mu.Unlock()
	if ahead {
		// A kiosk holds a bundle newer than the office's newest: the office
		// was restored from a backup. Number the next one above it.
		k.log.Warn("a kiosk holds a newer bundle than the office: signing one above it", "kiosk", kk.Name, "holds", holds)
		if err := k.publishNow(ctx); err != nil {
			return "", err
		}
	}
	return strconv.FormatInt(kk.ID, 10), nil
}

// publishNow signs a new bundle even if nothing changed.
func (k *Kiosks) publishNow(ctx context.Context) error {
	k.mu.Lock()
	k.cur.Digest = nil
	k.mu.Unlock()
	return k.publish(ctx)
}

// Bundle implements link.Office.
func (k *Kiosks) Bundle(ctx context.Context, after uint64) ([]byte, error) {
	for {
		k.mu.Lock()
		cur, changed := k.cur, k.changed
		k.mu.Unlock()
		if cur.Seq > after && cur.Raw != nil {
			return cur.Raw, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil
		case <-changed:
		}
	}
}

// Counts implements link.Office.
func (k *Kiosks) Counts(ctx context.Context, kioskID string, c link.Counts) error {
	id, err := strconv.ParseInt(kioskID, 10, 64)
	if err != nil {
		return err
	}
	days := make([]store.DayCounts, len(c.Days))
	for i, d := range c.Days {
		days[i].Day = d.Day
		for _, cl := range d.Classes {
			days[i].Classes = append(days[i].Classes, store.KioskCount{Class: cl.Class, Admitted: cl.Admitted, Refused: cl.Refused})
		}
	}
	return k.st.PutKioskCounts(ctx, id, days)
}

// Current is the newest signed bundle's number and signing time.
func (k *Kiosks) Current() (uint64, time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.cur.Seq, k.cur.Signed
}

// secretHash is how a pairing secret is kept: a copy of the database opens
// no pairing.
func secretHash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}
