package kiosk

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/scuola/kiosk/hardware"
	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/calendar"
)

// Options configure a Session.
type Options struct {
	SchoolName     string
	Informativa    string    // the privacy notice's address, for the locked screen
	Lang           lang.Lang // lang.Default when empty
	Classes        []school.Class
	Rules          school.Rules
	Delegations    Delegations
	Mode           verify.Mode
	Show           time.Duration // how long a result stays on screen
	InactivityLock time.Duration

	Badges *badge.Checker
	Trust  Trust
	Office Office // nil for a kiosk configured by file
	Clock  Clock  // nil: the clock is taken as right (the session's own tests)
	// Discreet keeps a pupil's result from the classmates behind: one soft
	// tone for every result, and a revoked certificate read as not valid.
	// The light's lines face the delegate (hardware/gpio's Checked line is
	// the pupils').
	Discreet bool
	Light    Light
	Tone     Tone
	Display  Display
	Counts   Counter
	Log      *slog.Logger
	// Pair, when set, is given the text of a pairing QR (kiosk/link) shown
	// to the camera, and returns at once the notice to show while the
	// pairing goes on in the background; Tell reports how it ended.
	Pair func(text string) lang.Key
}

// Session is the entrance session. It is not safe for concurrent use: one
// goroutine (the daemon's loop) feeds it every event, with its instant.
type Session struct {
	o Options

	screen       Screen
	operatorID   string // the delegation of the delegate operating
	day          calendar.Day
	classes      []school.Status // under daily verification on day
	class        *school.Status  // chosen class
	lastActivity time.Time
	// resultUntil is when the result on screen (and its person) goes.
	resultUntil time.Time
	// clockErr is why the clock cannot be believed, nil when it can.
	clockErr error
	// down holds the devices known not to work; the screen says so in its
	// language, and a failing device is logged once.
	down map[Part]bool
}

// New prepares a session; call Start before feeding it events.
func New(o Options) *Session {
	if o.Lang == "" {
		o.Lang = lang.Default
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Session{o: o, screen: Screen{Lang: o.Lang, School: o.SchoolName, Informativa: o.Informativa, State: StateLocked}, down: map[Part]bool{}}
}

// Screen returns the screen as last published.
func (s *Session) Screen() Screen { return s.screen }

// Start shows the locked screen and sets the light to its idle state.
func (s *Session) Start(at time.Time) {
	s.begin(at)
	s.lock(at, lang.Locked)
}

// QR handles a text read by the scanner (or a handheld scanner): a badge
// unlocks the kiosk; a certificate is verified for the chosen class. While
// the kiosk is locked or no class is chosen, a certificate is not even
// decoded.
func (s *Session) QR(text string, at time.Time) {
	s.begin(at)
	if badge.IsBadge(text) {
		s.badge(text, at)
		return
	}
	if link.IsInvitation(text) {
		if s.o.Pair == nil {
			s.notice(lang.PairNotHere)
			return
		}
		s.notice(s.o.Pair(text))
		return
	}
	switch s.screen.State {
	case StateLocked:
		s.notice(lang.Locked)
		return
	case StateChooseClass:
		s.lastActivity = at
		s.notice(lang.ChooseClass)
		return
	}
	s.lastActivity = at
	s.verify(text, at)
}

// verify checks a certificate and drives the outputs. The order matters:
// light and tone first (the delegate is waiting), then the screen, then the
// count, whose fsync may take milliseconds on an SD card.
func (s *Session) verify(text string, at time.Time) {
	v := s.check(text, at)
	s.clearResult()
	if v.Admit {
		s.show(hardware.SignalAdmit)
		s.play(s.sound(hardware.SoundAdmit))
	} else {
		s.show(hardware.SignalDeny)
		s.play(s.sound(hardware.SoundDeny))
	}
	s.resultUntil = at.Add(s.o.Show)
	s.screen.State = StateResult
	s.screen.Result = &Result{
		Admit:  v.Admit,
		Status: string(v.Status),
		Reason: s.reason(v),
		Person: v.Person,
		Until:  s.resultUntil,
	}
	s.screen.Notice = ""
	if v.Admit {
		s.screen.Class.Admitted++
	} else {
		s.screen.Class.Refused++
	}
	s.publish()
	if err := s.o.Counts.Add(context.Background(), s.day, s.class.Class.Name, v.Admit); err != nil {
		// The delegate must know the count is incomplete; the log says
		// which part failed, never whose scan it was.
		s.o.Log.Error("count not saved", "err", err)
		s.screen.Notice = s.o.Lang.Text(lang.CountNotSaved)
		s.publish()
	}
}

// check verifies a certificate, unless the clock cannot be believed: then
// the text is not even decoded and the verdict is a refusal.
func (s *Session) check(text string, at time.Time) verify.Verdict {
	if s.clockErr != nil {
		return verify.Verdict{Status: verify.StatusNotValid}
	}
	return s.o.Trust.Verifier().Check(text, s.o.Mode, at)
}

// reason is the phrase for a verdict: the clock's refusal, or the
// verifier's reason.
func (s *Session) reason(v verify.Verdict) string {
	switch {
	case s.clockErr != nil:
		return s.o.Lang.Text(lang.ClockUntrusted)
	case s.o.Discreet && v.Reason == verify.ReasonRevoked:
		return s.o.Lang.Text(lang.NotValid) // as the official verifier shows it
	}
	return s.o.Lang.Reason(v.Reason)
}

// sound is the tone of a result: its own, or in discreet mode the one soft
// note of every result.
func (s *Session) sound(snd hardware.Sound) hardware.Sound {
	if s.o.Discreet {
		return hardware.SoundChecked
	}
	return snd
}

// Command handles a touch on the screen.
func (s *Session) Command(c Command, at time.Time) {
	s.begin(at)
	switch c.Kind {
	case CommandLang:
		if c.Lang != "" {
			s.o.Lang = c.Lang
			s.screen.Lang = c.Lang
			s.screen.Notice = ""
			s.refreshHealth(at) // its message is in the screen's language
			s.publish()
		}
	case CommandLock:
		if s.screen.State != StateLocked {
			s.o.Log.Info("locked by the delegate")
			s.lock(at, lang.Locked)
		}
	case CommandChooseClass:
		if s.screen.State == StateLocked {
			s.notice(lang.Locked)
			return
		}
		s.lastActivity = at
		for i := range s.classes {
			if s.classes[i].Class.Name == c.Class {
				s.chooseClass(&s.classes[i])
				return
			}
		}
		s.notice(lang.UnknownClass)
	}
}

// Tick advances time: a result leaves the screen after its display time, an
// idle kiosk locks itself, a new day asks for the class again, and the
// trust data's freshness is re-read.
func (s *Session) Tick(at time.Time) {
	trustBefore, officeBefore := s.screen.TrustData, s.screen.Office
	s.begin(at)
	if s.screen.State == StateResult && !at.Before(s.resultUntil) {
		s.clearResult()
		s.screen.State = StateReady
		s.show(s.idleSignal())
		s.publish()
	}
	if s.screen.State != StateLocked && at.Sub(s.lastActivity) >= s.o.InactivityLock {
		s.o.Log.Info("locked after inactivity")
		s.lock(at, lang.Inactivity)
		return
	}
	if s.screen.TrustData != trustBefore {
		if s.screen.State != StateResult {
			s.show(s.idleSignal())
		}
		s.publish()
	} else if s.screen.Office != nil && (officeBefore == nil || *officeBefore != *s.screen.Office) {
		s.publish()
	}
}

// Device records whether the camera, the audio or the light works. The
// kiosk carries on without any of them: without a camera, handheld
// scanners still work; without audio, silently; without a light, on the
// screen alone.
func (s *Session) Device(p Part, ok bool) {
	if s.down[p] == !ok {
		return
	}
	s.down[p] = !ok
	s.publish()
}

// Close wipes whatever person is on screen and turns the light off.
func (s *Session) Close() {
	s.clearResult()
	s.show(hardware.SignalOff)
}

// Part names a device whose health the screen shows.
type Part int

// The parts.
const (
	PartCamera Part = iota
	PartAudio
	PartLight
)

// Command is a touch on the screen.
type Command struct {
	Kind  CommandKind
	Class string    // CommandChooseClass: the class name
	Lang  lang.Lang // CommandLang: the language, parsed by whoever read the touch
}

// CommandKind is what was touched.
type CommandKind int

// The commands.
const (
	CommandChooseClass CommandKind = iota
	CommandLock
	CommandLang
)

func (s *Session) badge(text string, at time.Time) {
	b, err := s.o.Badges.Check(text, s.day)
	switch {
	case errors.Is(err, badge.ErrExpired):
		s.refuseBadge(lang.BadgeExpired)
		return
	case errors.Is(err, badge.ErrForged):
		s.refuseBadge(lang.BadgeForged)
		return
	case err != nil:
		s.refuseBadge(lang.BadgeBad)
		return
	}
	d, ok := s.o.Delegations.Delegation(b.DelegationID)
	switch {
	case !ok:
		s.refuseBadge(lang.BadgeUnknown)
		return
	case d.Revoked:
		s.refuseBadge(lang.BadgeRevoked)
		return
	case s.day > d.ValidUntil:
		s.refuseBadge(lang.BadgeExpired)
		return
	}
	s.lastActivity = at
	if s.screen.Operator != nil && s.operatorID == b.DelegationID && s.screen.State != StateLocked {
		return // the same delegate showed the badge again
	}
	// The head teacher's list is the record of who operated; the log keeps
	// only the delegation's id.
	s.o.Log.Info("unlocked", "delegation", b.DelegationID)
	s.clearResult()
	s.screen.Operator = &Operator{Name: d.Name, Role: d.Role, ValidUntil: d.ValidUntil.String()}
	s.operatorID = b.DelegationID
	s.class = nil
	s.screen.Class = nil
	s.screen.Notice = ""
	s.toChooseClass(at)
}

func (s *Session) refuseBadge(t lang.Key) {
	s.play(s.sound(hardware.SoundDeny))
	s.notice(t)
}

// toChooseClass shows the class picker, or goes straight to scanning when
// exactly one class is under verification today.
func (s *Session) toChooseClass(at time.Time) {
	s.screen.State = StateChooseClass
	s.screen.Classes = s.choices()
	if len(s.classes) == 1 {
		s.chooseClass(&s.classes[0])
		return
	}
	if len(s.classes) == 0 {
		s.screen.Notice = s.o.Lang.Text(lang.NoClasses)
	}
	s.show(s.idleSignal())
	s.publish()
}

func (s *Session) chooseClass(v *school.Status) {
	s.class = v
	admitted, refused, err := s.o.Counts.Get(context.Background(), s.day, v.Class.Name)
	if err != nil {
		s.o.Log.Error("reading the class count", "err", err)
	}
	s.screen.Class = &ClassCount{Name: v.Class.Name, Level: string(v.Class.Level), Enrolled: v.Class.Enrolled,
		Admitted: admitted, Refused: refused, VerificationUntil: v.Until.String()}
	s.screen.State = StateReady
	s.screen.Notice = ""
	s.show(s.idleSignal())
	s.publish()
}

func (s *Session) choices() []ClassChoice {
	out := make([]ClassChoice, 0, len(s.classes))
	for _, v := range s.classes {
		out = append(out, ClassChoice{Name: v.Class.Name, Enrolled: v.Class.Enrolled, VerificationUntil: v.Until.String()})
	}
	return out
}

// begin brings the session up to the instant of an event: the day and the
// trust data's freshness.
func (s *Session) begin(at time.Time) {
	s.refreshHealth(at)
	s.refreshDay(at)
}

// SchoolData is what the school office changes while the kiosk runs (a
// newer signed bundle, kiosk/bundle): the classes under verification and
// the delegations.
type SchoolData struct {
	Name        string
	Informativa string
	Classes     []school.Class
	Rules       school.Rules
	Delegations Delegations
}

// Update applies newer school data at once. A delegate whose delegation
// was revoked, has ended or left the list is locked out on the spot, not
// at the next badge; a chosen class no longer under daily verification is
// given up for the class picker.
func (s *Session) Update(sd SchoolData, at time.Time) {
	s.o.SchoolName, s.screen.School = sd.Name, sd.Name
	s.o.Informativa, s.screen.Informativa = sd.Informativa, sd.Informativa
	s.o.Classes, s.o.Rules, s.o.Delegations = sd.Classes, sd.Rules, sd.Delegations
	s.begin(at)
	s.classes = nil // recomputed for today by refreshDay
	s.refreshDay(at)
	if s.screen.State == StateLocked {
		s.publish()
		return
	}
	d, ok := s.o.Delegations.Delegation(s.operatorID)
	why := lang.Key("")
	switch {
	case !ok:
		why = lang.BadgeUnknown
	case d.Revoked:
		why = lang.BadgeRevoked
	case s.day > d.ValidUntil:
		why = lang.BadgeExpired
	}
	if why != "" {
		s.o.Log.Info("locked out by the school's data", "delegation", s.operatorID, "why", string(why))
		s.lock(at, why)
		return
	}
	if s.class != nil {
		name := s.class.Class.Name
		for i := range s.classes {
			if s.classes[i].Class.Name == name {
				s.class = &s.classes[i]
				s.screen.Class.VerificationUntil = s.class.Until.String()
				s.publish()
				return
			}
		}
		s.clearResult()
		s.class, s.screen.Class = nil, nil
		s.toChooseClass(at)
		s.screen.Notice = s.o.Lang.Text(lang.UnknownClass)
	}
	s.publish()
}

// refreshDay recomputes the classes under verification when the day
// changes; a chosen class must be chosen again on a new day.
func (s *Session) refreshDay(at time.Time) {
	d := calendar.Of(at)
	if d == s.day && s.classes != nil {
		return
	}
	changed := s.day != 0 && d != s.day
	s.day = d
	s.classes = school.UnderVerification(s.o.Classes, s.o.Rules, d)
	if s.classes == nil {
		s.classes = []school.Status{}
	}
	s.screen.Classes = s.choices()
	if changed && s.screen.State != StateLocked {
		s.clearResult()
		s.class = nil
		s.screen.Class = nil
		s.toChooseClass(at)
		s.screen.Notice = s.o.Lang.Text(lang.DayChanged)
		s.publish()
	}
}

func (s *Session) lock(at time.Time, why lang.Key) {
	s.clearResult()
	s.screen.State = StateLocked
	s.screen.Operator = nil
	s.operatorID = ""
	s.screen.Class = nil
	s.class = nil
	s.screen.Notice = s.o.Lang.Text(why)
	s.refreshHealth(at)
	s.show(hardware.SignalAttention)
	s.publish()
}

// clearResult takes a result off the screen and wipes its person.
func (s *Session) clearResult() {
	if s.screen.Result != nil {
		s.screen.Result.Person.Wipe()
		s.screen.Result = nil
	}
	if s.screen.State == StateResult {
		s.screen.State = StateReady
	}
}

func (s *Session) refreshHealth(at time.Time) {
	s.refreshClock(at)
	if s.o.Trust != nil {
		s.screen.TrustData = s.trustHealth(at)
	}
	if s.o.Office != nil {
		h := s.officeHealth(at)
		s.screen.Office = &h
	}
}

// officeFresh is how old the school data may be before the status bar
// says so: the office sends a new bundle within seconds of a change, and
// the kiosk asks again at least every minute.
const officeFresh = 10 * time.Minute

// officeHealth is the status bar's word on the school data from the
// office. It never stops admissions: the kiosk works on its last bundle.
func (s *Session) officeHealth(at time.Time) Health {
	signed, paired := s.o.Office.Held()
	switch {
	case !paired:
		return Health{OK: false, Message: s.o.Lang.Text(lang.OfficeNotPaired)}
	case signed.IsZero():
		return Health{OK: false, Message: s.o.Lang.Text(lang.OfficeNoData)}
	case at.Sub(signed) > officeFresh:
		return Health{OK: false, Message: s.o.Lang.Format(lang.OfficeOld, signed.In(calendar.Rome).Format("15:04 02/01"))}
	}
	return Health{OK: true, Message: s.o.Lang.Text(lang.OfficeOK)}
}

// refreshClock asks the clock whether it can be believed, and logs when
// that changes (the reason only: nothing of anyone scanned).
func (s *Session) refreshClock(at time.Time) {
	if s.o.Clock == nil {
		return
	}
	err := s.o.Clock.Check(at)
	switch {
	case err != nil && s.clockErr == nil:
		s.o.Log.Warn("clock not trusted: refusing everyone", "err", err)
	case err == nil && s.clockErr != nil:
		s.o.Log.Info("clock trusted again")
	}
	s.clockErr = err
}

// trustHealth is the status bar's word on the trust data, and on the
// clock the data's freshness is measured with.
func (s *Session) trustHealth(at time.Time) Health {
	if s.clockErr != nil {
		return Health{OK: false, Message: s.o.Lang.Text(lang.ClockUntrustedStatus)}
	}
	switch loaded, stale := s.o.Trust.Status(at); {
	case !loaded:
		return Health{OK: false, Message: s.o.Lang.Text(lang.TrustDataNone)}
	case stale != nil:
		return Health{OK: false, Message: s.o.Lang.Text(lang.TrustDataStale)}
	}
	return Health{OK: true, Message: s.o.Lang.Text(lang.TrustDataOK)}
}

// deviceDown says what the delegate should know when a device fails.
var deviceDown = map[Part]lang.Key{PartCamera: lang.CameraDown, PartAudio: lang.AudioDown, PartLight: lang.LightDown}

// idleSignal is the light between results: amber while locked or while
// the verification data is out of date, off otherwise.
func (s *Session) idleSignal() hardware.Signal {
	if s.screen.State == StateLocked || !s.screen.TrustData.OK {
		return hardware.SignalAttention
	}
	return hardware.SignalOff
}

// Tell shows a notice that something outside the session ended (a
// pairing with the office).
func (s *Session) Tell(t lang.Key, at time.Time) {
	s.begin(at)
	s.notice(t)
}

func (s *Session) notice(t lang.Key) {
	s.screen.Notice = s.o.Lang.Text(t)
	s.publish()
}

func (s *Session) publish() {
	for p, h := range map[Part]*Health{PartCamera: &s.screen.Camera, PartAudio: &s.screen.Audio, PartLight: &s.screen.Light} {
		*h = Health{OK: !s.down[p]}
		if s.down[p] {
			h.Message = s.o.Lang.Text(deviceDown[p])
		}
	}
	s.screen.Seq++
	if s.o.Display != nil {
		s.o.Display.Publish(s.screen)
	}
}

// show and play never stop the session: a failing light or speaker is a
// health problem for the screen, not a reason to stop checking.
func (s *Session) show(sig hardware.Signal) {
	if s.o.Light == nil {
		return
	}
	if err := s.o.Light.Show(sig); err != nil && !s.down[PartLight] {
		s.down[PartLight] = true
		s.o.Log.Error("light failed: screen only from now on", "err", err)
	}
}

func (s *Session) play(snd hardware.Sound) {
	if s.o.Tone == nil {
		return
	}
	if err := s.o.Tone.Play(snd); err != nil && !s.down[PartAudio] {
		s.down[PartAudio] = true
		s.o.Log.Error("audio failed: silent from now on", "err", err)
	}
}
