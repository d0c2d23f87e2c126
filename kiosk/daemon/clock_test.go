package daemon

import (
	"context"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/hardware/sim"
	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/clock"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/testdata/syncbuf"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/issue"
)

// syncState is a simulated system clock state.
type syncState bool

func (s syncState) Synchronized() (bool, error) { return bool(s), nil }

// scanOneCertificate runs the assembled kiosk on a camera showing a badge
// and then one valid certificate, and returns what the screen said.
func scanOneCertificate(t *testing.T, dataDir string, sync clock.Sync) string {
	set := fixtures.Load(t)
	now := time.Now()
	today := calendar.Of(now)
	badgeText, err := badge.Issue(set.Signers["school"], badge.Badge{DelegationID: "D-1", Name: "Maria Bianchi", ValidUntil: today + 30})
	if err != nil {
		t.Fatal(err)
	}
	h := issue.Holder{FamilyName: "Rossi", GivenName: "Anna", FamilyNameStd: "ROSSI", GivenNameStd: "ANNA", DOB: "2012-01-01"}
	claims := issue.Claims{Issuer: "IT", IssuedAt: now.AddDate(0, 0, -1), Expiry: now.AddDate(1, 0, 0)}
	cert, err := issue.HC1(set.Signers["es256"], issue.Vaccination(h, "EU/1/20/1528", 3, 3, today-30, "IT", "URN:UVCI:01:IT:CLOCK0001#1"), claims, issue.Encoding{})
	if err != nil {
		t.Fatal(err)
	}
	checker, err := badge.NewChecker(set.Signers["school"].CertDER)
	if err != nil {
		t.Fatal(err)
	}
	cfg := rigConfig(today, dataDir)

	b, c, empty := frame640(t, badgeText), frame640(t, cert), frame640(t, "")
	frames := []*image.Gray{b, b, empty, empty, c, c, empty}
	cam := &pacedCamera{frames: frames, interval: time.Second / 30, pool: scanner.NewFramePool(3)}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(frames)+10)*cam.interval)
	defer cancel()
	var out syncbuf.Buffer
	err = Run(ctx, cfg, Options{Source: cam, Light: sim.NewLight(io.Discard, 0), Tone: sim.NewTone(io.Discard),
		Trust: staticTrust{set.Verifier()}, Badges: checker, Echo: &out, ClockSync: sync})
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// `kiosk run` admits nobody until its clock is confirmed: a Raspberry Pi
// booted offline resumes at its last shutdown, and an expired certificate
// would pass.
func TestRunRefusesOnAnUntrustedClock(t *testing.T) {
	const refused, admitted = "NON AMMESSO — orologio non affidabile", "schermo: AMMESSO"
	t.Run("never synchronised", func(t *testing.T) {
		out := scanOneCertificate(t, t.TempDir(), syncState(false))
		if !strings.Contains(out, refused) || strings.Contains(out, admitted) {
			t.Fatalf("an unsynchronised clock did not refuse:\n%s", out)
		}
	})
	t.Run("synchronised", func(t *testing.T) {
		dir := t.TempDir()
		out := scanOneCertificate(t, dir, syncState(true))
		if !strings.Contains(out, admitted) {
			t.Fatalf("a synchronised clock did not admit:\n%s", out)
		}
	})
	t.Run("behind what was already seen", func(t *testing.T) {
		// The data folder remembers an instant a day ahead of the clock,
		// as after a reboot that set the clock back.
		dir := t.TempDir()
		ahead := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
		if err := os.WriteFile(filepath.Join(dir, "clock"), []byte(ahead+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		out := scanOneCertificate(t, dir, syncState(true))
		if !strings.Contains(out, refused) || strings.Contains(out, admitted) {
			t.Fatalf("a clock behind its witness did not refuse:\n%s", out)
		}
	})
}
