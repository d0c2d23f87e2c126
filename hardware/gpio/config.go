package gpio

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/warthog618/go-gpiocdev"

	"github.com/scuola/kiosk/hardware"
)

// DefaultChip is the Raspberry Pi's GPIO header controller, whose line
// offsets are the BCM GPIO numbers.
const DefaultChip = "gpiochip0"

// NoLine in Config.Amber means there is no amber light.
const NoLine = -1

// maxHold bounds Config.Hold: a hold long enough to wave several pupils
// through on one green would defeat the lease.
const maxHold = time.Minute

// consumer labels our lines in the kernel, so `gpioinfo` shows who holds
// them.
const consumer = "kiosk-light"

// Config says which lines of which chip make the entrance light. Start
// from DefaultConfig: line 0 is a valid offset, so a zero Amber means line
// 0, not "no amber".
type Config struct {
	// Chip is the GPIO chip, by name ("gpiochip0") or path under /dev
	// ("/dev/gpiochip0"); empty means DefaultChip.
	Chip string
	// Green, Red and Amber are line offsets on Chip. Amber is optional:
	// NoLine when absent, and then hardware.SignalAttention shows nothing
	// (the screen says why).
	Green, Red, Amber int
	// Checked is an optional light facing the pupils (NoLine for none): it
	// lights for every result alike, so that the queue sees that a check
	// happened and not its outcome, while green and red face the delegate.
	Checked int
	// ActiveLow is for lights that are on when the line is low.
	ActiveLow bool
	// Hold is the longest time green stays on after one SignalAdmit; 0
	// means hardware.DefaultHold, and at most one minute is accepted.
	Hold time.Duration
}

// DefaultConfig is the wiring the kiosk documents for a Raspberry Pi:
// green on BCM 17 (header pin 11), red on BCM 27 (pin 13), no amber (BCM
// 22, pin 15, when fitted), active-high.
func DefaultConfig() Config {
	return Config{Chip: DefaultChip, Green: 17, Red: 27, Amber: NoLine, Checked: NoLine}
}

// line is one light of the entrance light: its colour and offset.
type line struct {
	name   string
	offset int
}

func (l line) String() string { return l.name + "=" + strconv.Itoa(l.offset) }

// chip returns the chip to open.
func (c Config) chip() string {
	if c.Chip == "" {
		return DefaultChip
	}
	return c.Chip
}

// lines returns the configured lights, in the order of their values in a
// line request: green, red, then amber and checked if present.
func (c Config) lines() []line {
	ls := []line{{"green", c.Green}, {"red", c.Red}}
	if c.Amber != NoLine {
		ls = append(ls, line{"amber", c.Amber})
	}
	if c.Checked != NoLine {
		ls = append(ls, line{"checked", c.Checked})
	}
	return ls
}

// validate reports the first mistake in c, naming the line.
func (c Config) validate() error {
	ls := c.lines()
	for i, l := range ls {
		if l.offset < 0 {
			return fmt.Errorf("gpio: config: %s line %d is negative (use %d for none)", l.name, l.offset, NoLine)
		}
		for _, earlier := range ls[:i] {
			if earlier.offset == l.offset {
				return fmt.Errorf("gpio: config: %s line %d is also the %s line", l.name, l.offset, earlier.name)
			}
		}
	}
	if c.Hold < 0 || c.Hold > maxHold {
		return fmt.Errorf("gpio: config: hold %v is outside 0–%v: green must fall back to off soon", c.Hold, maxHold)
	}
	return nil
}

// requestOptions are the options of the line request: outputs, all
// inactive (off) from the moment they are granted, with the configured
// active level, labelled as ours. The library maps active/inactive to the
// line level, so the rest of the package speaks of on and off only.
func (c Config) requestOptions() []gpiocdev.LineReqOption {
	level := gpiocdev.AsActiveHigh
	if c.ActiveLow {
		level = gpiocdev.AsActiveLow
	}
	return []gpiocdev.LineReqOption{
		gpiocdev.WithConsumer(consumer),
		gpiocdev.AsOutput(make([]int, len(c.lines()))...),
		level,
	}
}

// values returns the line values (1 on, 0 off) that show s, in the order
// of c.lines().
func (c Config) values(s hardware.Signal) []int {
	ls := c.lines()
	v := make([]int, len(ls))
	for i, l := range ls {
		on := false
		switch l.name {
		case "green":
			on = s == hardware.SignalAdmit
		case "red":
			on = s == hardware.SignalDeny
		case "amber":
			on = s == hardware.SignalAttention
		case "checked":
			on = s == hardware.SignalAdmit || s == hardware.SignalDeny
		}
		if on {
			v[i] = 1
		}
	}
	return v
}

// describe names the chip and lines, for errors: "gpiochip0 lines green=17 red=27".
func (c Config) describe() string {
	var b strings.Builder
	b.WriteString(c.chip() + " lines")
	for _, l := range c.lines() {
		b.WriteString(" " + l.String())
	}
	return b.String()
}
