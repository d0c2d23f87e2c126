package gpio

import (
	"errors"
	"fmt"

	"github.com/warthog618/go-gpiocdev"
	"golang.org/x/sys/unix"

	"github.com/scuola/kiosk/hardware"
)

// lineSetter is what the light needs of a granted line request.
// *gpiocdev.Lines is the real one; the tests give a fake, because no GPIO
// chip (nor the kernel's gpio-sim) is available where they run.
type lineSetter interface {
	SetValues(values []int) error
	Close() error
}

var _ lineSetter = (*gpiocdev.Lines)(nil)

// opener requests the configured lines with the given options. openLines
// is the real one, the only code that touches a chip.
type opener func(c Config, opts []gpiocdev.LineReqOption) (lineSetter, error)

// openLines opens the chip and requests the lines. Its errors wrap
// hardware.ErrNoGPIO and name the chip and, where it is known, the line.
func openLines(c Config, opts []gpiocdev.LineReqOption) (lineSetter, error) {
	chip, err := gpiocdev.NewChip(c.chip(), gpiocdev.WithConsumer(consumer))
	if err != nil {
		return nil, fmt.Errorf("gpio: open chip %s: %w: %w", c.chip(), hardware.ErrNoGPIO, err)
	}
	defer chip.Close() // the granted lines stay requested
	offsets := make([]int, 0, 3)
	for _, l := range c.lines() {
		if l.offset >= chip.Lines() {
			return nil, fmt.Errorf("gpio: chip %s has lines 0–%d, not the %s line %d: %w",
				c.chip(), chip.Lines()-1, l.name, l.offset, hardware.ErrNoGPIO)
		}
		offsets = append(offsets, l.offset)
	}
	lines, err := chip.RequestLines(offsets, opts...)
	if err != nil {
		if errors.Is(err, unix.EBUSY) {
			err = whoHolds(chip, c.lines(), err)
		}
		return nil, fmt.Errorf("gpio: request %s: %w: %w", c.describe(), hardware.ErrNoGPIO, err)
	}
	return lines, nil
}

// whoHolds turns "device or resource busy" into which line is held by
// whom, e.g. another kiosk still running, or a kernel LED driver.
func whoHolds(chip *gpiocdev.Chip, ls []line, busy error) error {
	for _, l := range ls {
		if info, err := chip.LineInfo(l.offset); err == nil && info.Used {
			return fmt.Errorf("%s line %d is held by %q: %w", l.name, l.offset, info.Consumer, busy)
		}
	}
	return busy
}
