// Package kiosk is the entrance session: from a QR text in view to the
// light, the tone and the screen, with a class's running count as the only
// trace a scan leaves.
//
// The session is a state machine (locked, choosing a class, scanning,
// showing a result) driven by events: QR texts from the scanner, touches on
// the screen, ticks of the clock and changes in the devices and the trust
// data. It owns no goroutine of its own and reads no clock: the caller (the
// daemon, the demo, a test) feeds it events with their instants, so every
// behaviour is testable without waiting.
package kiosk

import (
	"time"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/privacy"
)

// State is what the entrance screen is showing.
type State string

// The states of the session.
const (
	// StateLocked: no delegate has unlocked the kiosk; nothing is scanned.
	StateLocked State = "locked"
	// StateChooseClass: a delegate is operating; the class is not chosen.
	StateChooseClass State = "choose-class"
	// StateReady: scanning for the chosen class.
	StateReady State = "ready"
	// StateResult: a verdict is on screen for a few seconds.
	StateResult State = "result"
)

// Screen is everything the entrance display shows at one moment. The
// session publishes a new Screen on every change; the display pushes it to
// the page. It carries the person's data only while a result is shown, and
// only inside a privacy.Person, which the display reveals explicitly.
type Screen struct {
	Seq    uint64 // increases with every publication
	Lang   lang.Lang
	State  State
	School string // the school's name
	// Informativa is the address of the school's privacy notice (Allegato
	// B), which the locked screen offers families as a QR; empty for none.
	Informativa string

	// Operator is the delegate operating the kiosk; nil while locked.
	Operator *Operator
	// Class is the class being checked; nil until chosen.
	Class *ClassCount
	// Classes are the classes under daily verification today, for the
	// delegate to choose from.
	Classes []ClassChoice
	// Result is the verdict on screen (StateResult only).
	Result *Result

	// Notice is a one-line message for the delegate (a refused badge, "the
	// camera is unplugged", …), already in the screen's language; empty
	// when there is none.
	Notice string
	// Health of the parts the delegate depends on.
	TrustData Health
	Camera    Health
	Audio     Health
	Light     Health
	// Office is the link to the school office, for a kiosk that takes its
	// school data from there; nil for one configured by file.
	Office *Health
}

// Operator is the delegate who unlocked the kiosk (staff data from the
// delegation, Allegato A).
type Operator struct {
	Name       string
	Role       string
	ValidUntil string // YYYY-MM-DD
}

// ClassCount is a class with today's running count.
type ClassCount struct {
	Name     string
	Level    string
	Enrolled int
	Admitted int
	Refused  int
	// VerificationUntil is the last day of daily verification (YYYY-MM-DD),
	// shown on the screen as the domain asks.
	VerificationUntil string
}

// ClassChoice is a class the delegate may pick.
type ClassChoice struct {
	Name              string
	Enrolled          int
	VerificationUntil string
}

// Result is a verdict as the delegate sees it: admit or deny, one short
// phrase, and the identity to compare with the pupil — never health detail.
type Result struct {
	Admit  bool
	Status string // the verifier's status, e.g. VALID, EXPIRED
	Reason string // the short phrase, in the screen's language
	// Person is the name and date of birth; the session wipes it when the
	// display time ends. Nil when the certificate could not be read that far.
	Person *privacy.Person
	// Until is when the result leaves the screen.
	Until time.Time
}

// Health is the state of one part, for the status bar.
type Health struct {
	OK      bool
	Message string // in the screen's language; empty when OK and nothing to say
}
