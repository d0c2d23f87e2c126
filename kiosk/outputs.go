package kiosk

import (
	"context"
	"time"

	"github.com/scuola/kiosk/hardware"
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
	Get(ctx context.Context, day calendar.Day, class string) (admitted, refused int, err error)
}

// Clock says why the kiosk's own clock cannot be believed at an instant,
// or nil (kiosk/clock): with a wrong clock an expired certificate passes,
// so nobody is admitted until it can.
type Clock interface {
	Check(at time.Time) error
}

// Office is the kiosk's link to the school office (kiosk/link): when the
// school data it holds was signed, and whether the office still knows the
// kiosk.
type Office interface {
	Held() (signed time.Time, paired bool)
}

// Delegations is the head teacher's list of delegations (Allegato A), by
// the id a badge carries.
type Delegations interface {
	Delegation(id string) (Delegation, bool)
}

// DelegationList is a fixed set of delegations by id: the configuration's
// list, or a test's.
type DelegationList map[string]Delegation

// Delegation implements Delegations.
func (l DelegationList) Delegation(id string) (Delegation, bool) {
	d, ok := l[id]
	return d, ok
}

// Delegation is what the session needs of one delegation: who operates,
// in which role, until which day, and whether the head teacher revoked it.
type Delegation struct {
	Name, Role string
	ValidUntil calendar.Day
	Revoked    bool
}

// Trust gives the verifier over the current trust data, and says whether
// that data is fresh enough to admit anyone.
type Trust interface {
	Verifier() *verify.Verifier
	// Status says whether a complete set of trust data is loaded, and,
	// when it is, why it cannot admit anyone at the instant (nil: fresh).
	Status(at time.Time) (loaded bool, stale error)
}
