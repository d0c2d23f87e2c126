// Package clock decides whether the kiosk may believe its own clock.
//
// A Raspberry Pi has no real-time clock: booted offline it resumes at its
// last shutdown time (fake-hwclock), and an expired certificate would then
// pass. So the kiosk admits nobody until its time is confirmed, and stops
// again when it can no longer be:
//
//   - the system says its clock is synchronised (the kernel's adjtimex
//     state, which systemd-timesyncd and chrony set), or an independent
//     witness of the current time (the office's or the gateway's Date
//     header) agrees with it within Tolerance; a confirmation lasts
//     MaxUnsynced, measured on the monotonic clock, which no wall-clock
//     jump moves;
//   - the clock is never earlier than an instant already witnessed: the
//     end of the last trust-data sync, a school bundle's signing time, a
//     witness ahead of the clock. The latest such instant is kept on disk,
//     so it survives the reboot that would set the clock back.
//
// Confirmations are deliberately not kept on disk: after a reboot the
// clock must be confirmed again before anyone is admitted.
package clock

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/scuola/kiosk/kiosk/internal/atomicfile"
)

// Tolerance is how far a witness of the current time may disagree with the
// clock and still confirm it: network delays and the one-second resolution
// of HTTP dates are far below it, a day-old fake-hwclock far above.
const Tolerance = 2 * time.Minute

// DefaultMaxUnsynced is how long a confirmation lasts by default: a
// Raspberry Pi's oscillator drifts by seconds a day, so a day without NTP
// is harmless, and the trust data needs a sync every day anyway.
const DefaultMaxUnsynced = 24 * time.Hour

// Sync reports whether the system clock is synchronised now.
type Sync interface {
	Synchronized() (bool, error)
}

// Assumed is a Sync that reports the clock synchronised, for a kiosk whose
// certificates are made for whatever time its machine has: the demo, and
// tests of other parts.
type Assumed struct{}

// Synchronized implements Sync.
func (Assumed) Synchronized() (bool, error) { return true, nil }

// The reasons a clock is not trusted; Check's errors wrap one of them.
var (
	ErrNeverConfirmed = errors.New("clock: not confirmed since start (no time synchronisation, no agreeing witness)")
	ErrUnconfirmed    = errors.New("clock: not confirmed for too long")
	ErrBehindWitness  = errors.New("clock: earlier than a time already witnessed")
	ErrDisputed       = errors.New("clock: a witness of the current time disagrees")
)

// Guard holds what is known about the clock. It is safe for concurrent use:
// the refresher reports witnesses while the session checks.
type Guard struct {
	path        string // where the latest witnessed instant is kept; "" for none
	sync        Sync
	maxUnsynced time.Duration

	mu        sync.Mutex
	seen      time.Time // the latest instant witnessed
	confirmed time.Time // our clock when it was last confirmed (monotonic)
	disputed  bool      // the last live witness disagreed, and nothing confirmed since
}

// Open loads the latest witnessed instant from path (a missing file is a
// first start) and returns a guard that asks sync for the system's state.
// A nil sync means the system's state is unknown: only witnesses confirm.
func Open(path string, sync Sync, maxUnsynced time.Duration) (*Guard, error) {
	if maxUnsynced <= 0 {
		maxUnsynced = DefaultMaxUnsynced
	}
	g := &Guard{path: path, sync: sync, maxUnsynced: maxUnsynced}
	if path == "" {
		return g, nil
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return g, nil
	case err != nil:
		return nil, fmt.Errorf("clock: %w", err)
	case len(data) > 64:
		return nil, fmt.Errorf("clock: %s is not a witnessed time (%d bytes)", path, len(data))
	}
	if g.seen, err = time.Parse(time.RFC3339, strings.TrimSpace(string(data))); err != nil {
		return nil, fmt.Errorf("clock: %s: %w", path, err)
	}
	return g, nil
}

// Happened records that something happened at t by a clock other than
// ours, or by ours when it was confirmed (a trust-data sync, a bundle's
// signing time): the clock may never again be earlier than t.
func (g *Guard) Happened(t time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.raise(t)
}

// Witness records another clock's reading of the current time (an HTTP
// Date header) against ours at the same moment: agreement confirms our
// clock, disagreement disputes it until the next confirmation, and a
// witness ahead of us also becomes an instant we may not fall behind.
func (g *Guard) Witness(ours, theirs time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	diff := ours.Sub(theirs)
	if diff < 0 {
		diff = -diff
	}
	if diff <= Tolerance {
		g.confirmed, g.disputed = ours, false
		return nil
	}
	g.disputed = true
	if theirs.After(ours) {
		return g.raise(theirs)
	}
	return nil
}

// Check says why the clock cannot be trusted at now (our clock's reading),
// or nil when it can.
func (g *Guard) Check(now time.Time) error {
	synced := false
	if g.sync != nil {
		ok, err := g.sync.Synchronized()
		synced = ok && err == nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.Add(Tolerance).Before(g.seen) {
		return fmt.Errorf("%w: it says %s, %s was already seen", ErrBehindWitness, now.UTC().Format(time.RFC3339), g.seen.UTC().Format(time.RFC3339))
	}
	if synced {
		g.confirmed, g.disputed = now, false
	}
	switch {
	case g.disputed:
		return ErrDisputed
	case g.confirmed.IsZero():
		return ErrNeverConfirmed
	case now.Sub(g.confirmed) > g.maxUnsynced || now.Before(g.confirmed):
		return fmt.Errorf("%w: last confirmed %s ago (at most %s)", ErrUnconfirmed, now.Sub(g.confirmed).Round(time.Second), g.maxUnsynced)
	}
	return nil
}

// raise moves the latest witnessed instant forward and keeps it on disk,
// replacing the file atomically so that a power cut leaves the old or the
// new instant, never a torn one.
func (g *Guard) raise(t time.Time) error {
	if !t.After(g.seen) {
		return nil
	}
	g.seen = t.Round(0) // the wall clock only: a witness has no monotonic reading of ours
	if g.path == "" {
		return nil
	}
	if err := atomicfile.Write(g.path, []byte(g.seen.UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return fmt.Errorf("clock: keeping the witnessed time: %w", err)
	}
	return nil
}
