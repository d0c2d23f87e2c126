package daemon

import (
	"context"
	"image"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/hardware/sim"
	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/bundle"
	"github.com/scuola/kiosk/kiosk/clock"
	"github.com/scuola/kiosk/kiosk/config"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/link/linktest"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/testdata/syncbuf"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/issue"
)

// heldCamera shows whatever the test holds up to it, at 30 frames a second.
type heldCamera struct {
	mu   sync.Mutex
	view *image.Gray
	pool *scanner.FramePool
	seq  uint64
}

func (c *heldCamera) show(g *image.Gray) { c.mu.Lock(); c.view = g; c.mu.Unlock() }

func (c *heldCamera) Next(ctx context.Context) (*scanner.Frame, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(time.Second / 30):
	}
	c.mu.Lock()
	src := c.view
	c.mu.Unlock()
	f := c.pool.Get(src.Rect.Dx(), src.Rect.Dy())
	copy(f.Pix, src.Pix)
	c.seq++
	f.Seq, f.Time = c.seq, time.Now()
	return f, nil
}

func (c *heldCamera) Close() error { return nil }

// A kiosk with no school data in its file pairs itself with the office by
// the QR shown to its camera, takes the office's signed bundle, unlocks on
// a delegation it lists, admits a pupil of a class under verification,
// sends the count back, and locks the delegate out as soon as the office
// revokes the delegation.
func TestPairedKioskFollowsTheOffice(t *testing.T) {
	set := fixtures.Load(t)
	key := set.Signers["school"]
	now := time.Now()
	today := calendar.Of(now)
	office := linktest.NewOffice()
	office.Secrets["one-time-secret-0123456789"] = true
	_, invite := linktest.Start(t, office)
	publish := func(seq uint64, revoked bool) {
		until := today + 3
		raw, err := bundle.Sign(key, &bundle.Bundle{Seq: seq, Signed: time.Now(), School: bundle.School{Code: "MIIC8AB00X", Name: "IC Manzoni"},
			Classes:     []school.Class{{Name: "3A", Level: school.Primaria, Enrolled: 22, VerifyUntil: &until}},
			Delegations: []school.Delegation{{ID: "D-1", Name: "Maria Bianchi", ValidUntil: today + 30, Revoked: revoked}}})
		if err != nil {
			t.Fatal(err)
		}
		office.Publish(raw, seq)
	}
	publish(1, false)

	badgeText, err := badge.Issue(key, badge.Badge{DelegationID: "D-1", Name: "Maria Bianchi", ValidUntil: today + 30})
	if err != nil {
		t.Fatal(err)
	}
	h := issue.Holder{FamilyName: "Rossi", GivenName: "Anna", FamilyNameStd: "ROSSI", GivenNameStd: "ANNA", DOB: "2012-01-01"}
	claims := issue.Claims{Issuer: "IT", IssuedAt: now.AddDate(0, 0, -1), Expiry: now.AddDate(1, 0, 0)}
	cert, err := issue.HC1(set.Signers["es256"], issue.Vaccination(h, "EU/1/20/1528", 3, 3, today-30, "IT", "URN:UVCI:01:IT:LINK0001#1"), claims, issue.Encoding{})
	if err != nil {
		t.Fatal(err)
	}
	checker, _ := badge.NewChecker(key.CertDER)

	cfg := config.Default()
	cfg.Data.Dir = t.TempDir()
	cfg.Display.Address = "127.0.0.1:0"
	cfg.Audio.Enabled = false
	cfg.Office.Name, cfg.Office.Entrance = "Ingresso A", "via Roma"
	cam := &heldCamera{view: frame640(t, ""), pool: scanner.NewFramePool(3)}
	var out syncbuf.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cfg, Options{Source: cam, Light: sim.NewLight(io.Discard, 0), Tone: sim.NewTone(io.Discard),
			Trust: staticTrust{set.Verifier()}, Badges: checker, Echo: &out, ClockSync: clock.Assumed{}, CountsEvery: 200 * time.Millisecond})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s never happened; the screen said:\n%s", what, out.String())
			}
		}
	}
	screenSays := func(s string) func() bool { return func() bool { return strings.Contains(out.String(), s) } }

	cam.show(frame640(t, invite("one-time-secret-0123456789").Text()))
	waitFor("the pairing", screenSays("Postazione abbinata alla segreteria"))
	cam.show(frame640(t, ""))
	time.Sleep(200 * time.Millisecond)
	cam.show(frame640(t, badgeText))
	waitFor("the unlock", screenSays("[operatore: Maria Bianchi]"))
	cam.show(frame640(t, cert))
	waitFor("the admission", screenSays("schermo: AMMESSO"))
	waitFor("the count at the office", func() bool {
		office.Mu.Lock()
		defer office.Mu.Unlock()
		c := office.Kept["Ingresso A"][today.String()+" 3A"]
		return c == link.ClassCounts{Class: "3A", Admitted: 1}
	})
	start := time.Now()
	publish(2, true)
	waitFor("the lock-out", screenSays("delega revocata"))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the revocation took %v to lock the kiosk", d)
	}
}
