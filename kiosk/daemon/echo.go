package daemon

import (
	"fmt"
	"io"
	"strings"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/lang"
)

// echo prints what the screen shows, one line per change, for a person
// watching the demo in a terminal: the state, the verdict and its reason,
// the class's count and notices — never the name or the date of birth.
type echo struct {
	next kiosk.Display
	w    io.Writer
	l    lang.Lang
	last string
}

func withEcho(d kiosk.Display, w io.Writer, l lang.Lang) kiosk.Display {
	if w == nil {
		return d
	}
	return &echo{next: d, w: w, l: l}
}

var stateWords = map[kiosk.State]lang.Key{
	kiosk.StateLocked:      lang.EchoLocked,
	kiosk.StateChooseClass: lang.EchoChoose,
	kiosk.StateReady:       lang.EchoReady,
}

func (e *echo) Publish(sc kiosk.Screen) {
	e.next.Publish(sc)
	var b strings.Builder
	b.WriteString(e.l.Text(lang.EchoScreen) + ": ")
	if r := sc.Result; sc.State == kiosk.StateResult && r != nil {
		verdict := e.l.Text("screen.deny")
		if r.Admit {
			verdict = e.l.Text("screen.admit")
		}
		fmt.Fprintf(&b, "%s — %s", verdict, r.Reason)
	} else {
		b.WriteString(e.l.Text(stateWords[sc.State]))
	}
	if c := sc.Class; c != nil {
		fmt.Fprintf(&b, " [%s]", e.l.Format(lang.EchoClass, c.Name, c.Admitted, c.Refused, c.Enrolled))
	}
	if sc.Operator != nil && sc.State != kiosk.StateResult {
		fmt.Fprintf(&b, " [%s]", e.l.Format(lang.EchoOperator, sc.Operator.Name))
	}
	if sc.Notice != "" {
		fmt.Fprintf(&b, " — %s", sc.Notice)
	}
	if line := b.String(); line != e.last {
		e.last = line
		fmt.Fprintln(e.w, line)
	}
}
