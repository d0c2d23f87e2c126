package sim

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/scuola/kiosk/hardware"
	"github.com/scuola/kiosk/hardware/internal/lease"
)

// lightWords is what the demo prints for each signal: Italian, then
// English.
var lightWords = [...]string{
	hardware.SignalOff:       "luce: spenta (off)",
	hardware.SignalAdmit:     "luce: VERDE (green)",
	hardware.SignalDeny:      "luce: ROSSA (red)",
	hardware.SignalAttention: "luce: GIALLA (amber)",
}

// Light is the simulated entrance light. It is safe for concurrent use.
type Light struct {
	lease *lease.Light

	mu      sync.Mutex
	w       io.Writer
	shown   hardware.Signal
	history []hardware.Signal
}

// NewLight returns a light that is off, prints each change to w (nil: no
// printing) and holds green for at most hold (hardware.DefaultHold when
// hold <= 0).
func NewLight(w io.Writer, hold time.Duration) *Light {
	l := &Light{w: w}
	l.lease = lease.New(l.drive, hold)
	return l
}

// drive is the lease's output: it records s and prints it if it changed.
func (l *Light) drive(s hardware.Signal) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.history = append(l.history, s)
	if s == l.shown || l.w == nil {
		l.shown = s
		return nil
	}
	l.shown = s
	_, err := fmt.Fprintln(l.w, lightWords[s])
	return err
}

// Show shows s: SignalAdmit for at most the hold time, then off.
func (l *Light) Show(s hardware.Signal) error { return l.lease.Show(s) }

// Close turns the light off; it is idempotent.
func (l *Light) Close() error { return l.lease.Close() }

// Shown returns what the light shows now.
func (l *Light) Shown() hardware.Signal {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.shown
}

// History returns every signal the light was driven to, in order: each
// Show, each fall back to off at the end of a green hold, and the off of
// Close.
func (l *Light) History() []hardware.Signal {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.history)
}
