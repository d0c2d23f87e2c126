package gpio

import (
	"errors"
	"fmt"
	"sync"

	"github.com/scuola/kiosk/hardware"
	"github.com/scuola/kiosk/hardware/internal/lease"
)

// Light is the entrance light on GPIO lines. It is safe for concurrent use.
type Light struct {
	lease *lease.Light
	close func() error
}

// New validates c, requests its lines as outputs that are off, and returns
// the light. When there is no usable light the error wraps
// hardware.ErrNoGPIO and names the chip and line.
func New(c Config) (*Light, error) {
	return newLight(c, openLines)
}

func newLight(c Config, open opener) (*Light, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	lines, err := open(c, c.requestOptions())
	if err != nil {
		return nil, err
	}
	set := func(s hardware.Signal) error {
		if err := lines.SetValues(c.values(s)); err != nil {
			return fmt.Errorf("gpio: show %v on %s: %w", s, c.describe(), err)
		}
		return nil
	}
	l := &Light{lease: lease.New(set, c.Hold)}
	l.close = sync.OnceValue(func() error {
		off := l.lease.Close()
		if err := lines.Close(); err != nil {
			return errors.Join(off, fmt.Errorf("gpio: release %s: %w", c.describe(), err))
		}
		return off
	})
	return l, nil
}

// Show lights s: SignalAdmit green for at most the hold time, SignalDeny
// red, SignalAttention amber (nothing without an amber line), SignalOff
// nothing. It never blocks longer than one ioctl.
func (l *Light) Show(s hardware.Signal) error { return l.lease.Show(s) }

// Close turns every light off and releases the lines. It is idempotent:
// later calls return the first call's result. Show after Close fails with
// hardware.ErrClosed.
func (l *Light) Close() error { return l.close() }
