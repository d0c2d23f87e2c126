package daemon

import (
	"fmt"
	"io"
	"strings"

	"github.com/scuola/kiosk/kiosk"
)

// echo prints what the screen shows, one line per change, for a person
// watching the demo in a terminal: the state, the verdict and its reason,
// the class's count and notices — never the name or the date of birth.
type echo struct {
	next kiosk.Display
	w    io.Writer
	last string
}

func withEcho(d kiosk.Display, w io.Writer) kiosk.Display {
	if w == nil {
		return d
	}
	return &echo{next: d, w: w}
}

var stateWords = map[kiosk.State]string{
	kiosk.StateLocked:      "bloccato",
	kiosk.StateChooseClass: "scelta della classe",
	kiosk.StateReady:       "pronto",
}

func (e *echo) Publish(sc kiosk.Screen) {
	e.next.Publish(sc)
	var b strings.Builder
	if r := sc.Result; sc.State == kiosk.StateResult && r != nil {
		verdict := "NON AMMESSO"
		if r.Admit {
			verdict = "AMMESSO"
		}
		fmt.Fprintf(&b, "schermo: %s — %s", verdict, r.Reason)
	} else {
		fmt.Fprintf(&b, "schermo: %s", stateWords[sc.State])
	}
	if c := sc.Class; c != nil {
		fmt.Fprintf(&b, " [classe %s: %d ammessi, %d non ammessi su %d]", c.Name, c.Admitted, c.Refused, c.Enrolled)
	}
	if sc.Operator != nil && sc.State != kiosk.StateResult {
		fmt.Fprintf(&b, " [operatore: %s]", sc.Operator.Name)
	}
	if sc.Notice != "" {
		fmt.Fprintf(&b, " — %s", sc.Notice)
	}
	if line := b.String(); line != e.last {
		e.last = line
		fmt.Fprintln(e.w, line)
	}
}
