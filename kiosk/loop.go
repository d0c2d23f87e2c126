package kiosk

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/scuola/kiosk/hardware"
	"github.com/scuola/kiosk/kiosk/lang"
)

// DeviceEvent reports that a device started or stopped working.
type DeviceEvent struct {
	Part Part
	OK   bool
}

// Scan is a QR text read by a scanner, with the moment the frame that
// showed it was captured (or the handheld scanner finished typing it), from
// which the kiosk's latency is measured. Its text is personal data: it is
// redacted when printed.
type Scan struct {
	Text string
	Seen time.Time
}

// String implements fmt.Stringer without the text.
func (Scan) String() string { return "[scansione]" }

// GoString implements fmt.GoStringer without the text.
func (Scan) GoString() string { return "[scansione]" }

// Loop feeds a Session from the kiosk's event sources, one event at a time,
// until its context ends. It is the only goroutine that touches the
// Session.
type Loop struct {
	Session  *Session
	Scans    <-chan Scan        // QR texts from the scanner and handheld scanners
	Commands <-chan Command     // touches on the screen
	Devices  <-chan DeviceEvent // devices coming and going
	School   <-chan SchoolData  // the office's newer school data (nil: none)
	Notices  <-chan lang.Key    // what the delegate must learn of the link to the office
	Now      func() time.Time   // the clock; time.Now in the daemon
	Tick     time.Duration      // how often time advances without events
	Light    Light              // to switch off if the session itself fails
	Log      *slog.Logger
	// Latency, when set, records for each scan the time from its capture to
	// the light and the screen being updated.
	Latency *Latency
}

// Run handles events until ctx is done. If handling an event panics, the
// light is switched off, the panic is logged without the event's content
// and the session carries on with the next event: one bad event must not
// take the entrance down, and must never leave the light green.
func (l *Loop) Run(ctx context.Context) error {
	tick := l.Tick
	if tick <= 0 {
		tick = 250 * time.Millisecond
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	defer l.Session.Close()
	l.Session.Start(l.Now())
	for {
		select {
		case <-ctx.Done():
			return nil
		case sc, ok := <-l.Scans:
			if !ok {
				return fmt.Errorf("the scanners stopped")
			}
			l.guard("scan", func() { l.Session.QR(sc.Text, l.Now()) })
			if l.Latency != nil && !sc.Seen.IsZero() {
				l.Latency.Observe(l.Now().Sub(sc.Seen))
			}
		case c := <-l.Commands:
			l.guard("command", func() { l.Session.Command(c, l.Now()) })
		case d := <-l.Devices:
			l.guard("device", func() { l.Session.Device(d.Part, d.OK) })
		case n := <-l.Notices:
			l.guard("notice", func() { l.Session.Tell(n, l.Now()) })
		case sd := <-l.School:
			l.guard("school data", func() { l.Session.Update(sd, l.Now()) })
		case <-t.C:
			l.guard("tick", func() { l.Session.Tick(l.Now()) })
		}
	}
}

// guard runs one event's handling and contains a panic in it.
func (l *Loop) guard(what string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			if l.Light != nil {
				_ = l.Light.Show(hardware.SignalOff)
			}
			// The stack names functions and files, never values: it carries
			// no personal data.
			l.Log.Error("event handling failed; carrying on", "event", what, "panic", fmt.Sprintf("%T", r), "stack", string(debug.Stack()))
		}
	}()
	f()
}
