package trustdata

import (
	"errors"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
)

// At exactly the maximum age the data still serves; one second later every
// certificate is refused at the trustdata stage, and the detail says which
// set and how old.
func TestFreshnessBoundary(t *testing.T) {
	w := newWorld(t)
	w.now = fixtures.Ref
	w.mustSync()
	d := w.load()
	text := w.set.Case("booster-3of3").Text
	v := verify.New(d.Options(DefaultMaxAge))

	if got := v.Check(text, verify.ModeSchool, fixtures.Ref.Add(24*time.Hour)); got.Status != verify.StatusValid {
		t.Fatalf("at 24h: %s at %s (%s)", got.Status, got.Stage, got.Detail)
	}
	got := v.Check(text, verify.ModeSchool, fixtures.Ref.Add(24*time.Hour+time.Second))
	if got.Admit || got.Status != verify.StatusNotValid || got.Stage != verify.StageTrustData || got.Reason != verify.ReasonStaleData {
		t.Fatalf("at 24h+1s: %+v", got)
	}
	const want = "signer keys last confirmed 24h0m1s ago (maximum 24h); settings last confirmed 24h0m1s ago (maximum 24h); revocation list last confirmed 24h0m1s ago (maximum 24h)"
	if got.Detail != want {
		t.Errorf("detail %q, want %q", got.Detail, want)
	}
	var stale *StaleError
	if err := d.Stale(fixtures.Ref.Add(30*time.Hour), DefaultMaxAge); !errors.As(err, &stale) || len(stale.Problems) != 3 {
		t.Errorf("Stale = %v", err)
	}
	// Only the set that is old is named; the maximum is configurable.
	d.SignersInfo.Confirmed = fixtures.Ref.Add(-30 * time.Hour)
	if err := d.Stale(fixtures.Ref, DefaultMaxAge); err == nil || err.Error() != "signer keys last confirmed 30h ago (maximum 24h)" {
		t.Errorf("Stale = %v", err)
	}
	if err := d.Stale(fixtures.Ref, 48*time.Hour); err != nil {
		t.Errorf("with 48h allowed: %v", err)
	}
}
