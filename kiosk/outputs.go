package kiosk

import (
	"context"
	"time"

	"github.com/scuola/kiosk/calendar"
	"github.com/scuola/kiosk/tally"
	"github.com/scuola/kiosk/verify"
)

// Signal is what the light shows.
type Signal int

// The light's signals. Attention (amber) means "locked" or "verification
// data out of date"; with no amber lamp the light is off instead.
const (
	SignalOff Signal = iota
	SignalAdmit
	SignalDeny
	SignalAttention
)

// Sound is a tone.
type Sound int

// The tones.
const (
	SoundAdmit Sound = iota
	SoundDeny
)

// Light is the admit/deny light at the entrance.
type Light interface {
	Show(Signal) error
}

// Tone plays the admit and deny tones.
type Tone interface {
	Play(Sound) error
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
