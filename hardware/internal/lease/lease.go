// Package lease makes a light safe to leave alone: green is held for at
// most a hold time and then falls back to off by itself, so a caller that
// hangs or dies after showing green cannot keep admitting.
//
// The real GPIO light and the simulated one share this logic, so the demo
// and the kiosk's tests see exactly what the entrance sees.
package lease

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/scuola/kiosk/hardware"
)

// Output drives the physical or simulated lights to a signal. It is called
// with the lease's lock held, so calls never overlap or reorder.
type Output func(hardware.Signal) error

// Light holds green as a lease over an Output.
type Light struct {
	out  Output
	hold time.Duration

	mu     sync.Mutex
	timer  *time.Timer // pending fallback to off, while green
	holds  uint64      // counts the holds, so a stale timer knows it is stale
	closed bool
}

// New returns a light that drives out, with green held for at most hold
// (hardware.DefaultHold when hold <= 0). It does not drive out: the caller
// opens its output in the off state.
func New(out Output, hold time.Duration) *Light {
	if hold <= 0 {
		hold = hardware.DefaultHold
	}
	return &Light{out: out, hold: hold}
}

// Show drives the output to s. SignalAdmit is shown for at most the hold
// time (each SignalAdmit starts a new hold); any other signal cancels the
// pending fallback.
func (l *Light) Show(s hardware.Signal) error {
	if s > hardware.SignalAttention {
		return fmt.Errorf("light: unknown signal %v", s)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return fmt.Errorf("light: show %v: %w", s, hardware.ErrClosed)
	}
	if err := l.out(s); err != nil {
		return err // a pending fallback stays: a green shown before still ends
	}
	l.stopTimer()
	if s == hardware.SignalAdmit {
		l.holds++
		hold := l.holds
		l.timer = time.AfterFunc(l.hold, func() { l.expire(hold) })
	}
	return nil
}

// expire turns the light off when the given hold ends, unless another
// signal was shown since. It has no caller to return an error to, so a
// failure is logged: the light may still be green.
func (l *Light) expire(hold uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.timer == nil || l.holds != hold {
		return // superseded by a later Show, or closed
	}
	l.timer = nil
	if err := l.out(hardware.SignalOff); err != nil {
		slog.Error("light: green hold ended but the light could not be turned off", "hold", l.hold, "err", err)
	}
}

// stopTimer cancels a pending fallback. A timer that already fired but is
// waiting for the lock finds no timer, or a newer hold, and does nothing.
func (l *Light) stopTimer() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
}

// Close cancels any hold and turns the light off; later Shows fail with
// hardware.ErrClosed. Closing again does nothing and returns nil.
func (l *Light) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	l.stopTimer()
	return l.out(hardware.SignalOff)
}
