package kiosk

import (
	"context"
	"time"

	"github.com/scuola/kiosk/hardware"
	"github.com/scuola/kiosk/kiosk/tally"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/calendar"
)

// Light is the admit/deny light at the entrance (hardware/gpio, or the
// simulated one): green only for a verdict that admits, amber while locked
// or while the verification data is out of date.
type Light interface {
	Show(hardware.Signal) error
}

// Tone plays the admit and deny tones (hardware/tone, or the simulated one).
type Tone interface {
	Play(hardware.Sound) error
}

// Display shows Screens to the delegate.
type Display interface {
	Publish(Screen)
}

// Counter keeps the class counts.
type Counter interface {
	Add(ctx context.Context, day calendar.Day, class string, admitted bool) error
	Get(ctx context.Context, day calendar.Day, class string) (tally.Count, error)
}

// Trust gives the verifier over the current trust data, and says whether
// that data is fresh enough to admit anyone.
type Trust interface {
	Verifier() *verify.Verifier
	// Health reports the trust data's state at the instant, in the
	// language given (it: Italian, en: English).
	Health(at time.Time, lang string) Health
}
