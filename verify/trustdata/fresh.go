package trustdata

import (
	"fmt"
	"strings"
	"time"
)

// DefaultMaxAge is the oldest the trust data may be for the kiosk to admit
// anyone: the official verifier's 24 hours.
const DefaultMaxAge = 24 * time.Hour

// StaleError says which sets are too old to verify with, and how old.
type StaleError struct {
	Problems []string
}

func (e *StaleError) Error() string { return strings.Join(e.Problems, "; ") }

// Stale reports, at an instant, whether the data may still be used: each
// set must have been confirmed by the gateway at most maxAge before it,
// and no revocation-list download may be unfinished. An instant before the
// confirmation (a check asked about the past) finds the data fresh.
func (d *Data) Stale(instant time.Time, maxAge time.Duration) error {
	var problems []string
	for _, s := range []struct {
		name string
		at   time.Time
	}{{"signer keys", d.SignersInfo.Confirmed}, {"settings", d.SettingsInfo.Confirmed}, {"revocation list", d.RevokedInfo.Confirmed}} {
		if age := instant.Sub(s.at); age > maxAge {
			problems = append(problems, fmt.Sprintf("%s last confirmed %s ago (maximum %s)", s.name, formatAge(age), formatAge(maxAge)))
		}
	}
	if p := d.Pending; p != nil {
		problems = append(problems, fmt.Sprintf("revocation list download to version %d incomplete: %d of %d chunks received", p.Version, p.Received, p.Chunks))
	}
	if len(problems) > 0 {
		return &StaleError{Problems: problems}
	}
	return nil
}

// formatAge writes a duration the way people read ages: "30h", "24h0m1s".
func formatAge(d time.Duration) string {
	d = d.Round(time.Second)
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return d.String()
}
