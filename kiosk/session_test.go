package kiosk

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/hardware"
	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/kiosk/tally"
	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/calendar"
)

type fakeLight struct {
	shown []hardware.Signal
	err   error
}

func (l *fakeLight) Show(s hardware.Signal) error { l.shown = append(l.shown, s); return l.err }
func (l *fakeLight) last() hardware.Signal        { return l.shown[len(l.shown)-1] }

type fakeTone struct{ played []hardware.Sound }

func (t *fakeTone) Play(s hardware.Sound) error { t.played = append(t.played, s); return nil }

type fakeDisplay struct{ screens []Screen }

func (d *fakeDisplay) Publish(s Screen) { d.screens = append(d.screens, s) }
func (d *fakeDisplay) last() Screen     { return d.screens[len(d.screens)-1] }

// fakeTrust counts how often a verifier was asked for: a certificate shown
// to a locked kiosk must not even be decoded.
type fakeTrust struct {
	v     *verify.Verifier
	stale bool
	asked int
}

func (t *fakeTrust) Verifier() *verify.Verifier { t.asked++; return t.v }
func (t *fakeTrust) Status(time.Time) (bool, error) {
	if t.stale {
		return true, errors.New("older than a day")
	}
	return true, nil
}

type rig struct {
	s       *Session
	light   *fakeLight
	tone    *fakeTone
	display *fakeDisplay
	trust   *fakeTrust
	counts  *tally.Store
	set     *fixtures.Set
	badges  map[string]string // by delegation id
}

var morning = fixtures.Ref // 8:00 in Rome, 15 February 2022

func newRig(t *testing.T, classes ...school.Class) *rig {
	t.Helper()
	set := fixtures.Load(t)
	checker, err := badge.NewChecker(set.Signers["school"].CertDER)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := tally.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { counts.Close() })
	day := calendar.Of(morning)
	if classes == nil {
		until := day + 4
		classes = []school.Class{
			{Name: "3A", Level: school.Primaria, Enrolled: 22, VerifyUntil: &until},
			{Name: "2B", Level: school.Secondaria1, Enrolled: 25, VerifyUntil: &until},
			{Name: "1C", Level: school.Secondaria1, Enrolled: 24}, // no cases: not under verification
		}
	}
	delegations := DelegationList{
		"D-1":   {Name: "Maria Bianchi", Role: "collaboratrice scolastica", ValidUntil: day + 100},
		"D-2":   {Name: "Luca Verdi", Role: "docente", ValidUntil: day + 100},
		"D-old": {Name: "Anna Neri", Role: "docente", ValidUntil: day - 1},
		"D-rev": {Name: "Paolo Gialli", Role: "docente", ValidUntil: day + 100, Revoked: true},
	}
	r := &rig{light: &fakeLight{}, tone: &fakeTone{}, display: &fakeDisplay{}, counts: counts, set: set, badges: map[string]string{},
		trust: &fakeTrust{v: set.Verifier()}}
	signed := maps.Clone(delegations)
	signed["D-ghost"] = Delegation{Name: "X"} // a badge the list does not know
	for id, d := range signed {
		text, err := badge.Issue(set.Signers["school"], badge.Badge{DelegationID: id, Name: d.Name, Role: d.Role, ValidUntil: day + 100})
		if err != nil {
			t.Fatal(err)
		}
		r.badges[id] = text
	}
	rules, _ := school.NewRules(school.DefaultRuleSets())
	r.s = New(Options{SchoolName: "IC di prova", Classes: classes, Rules: rules, Delegations: delegations, Mode: verify.ModeSchool,
		Show: 5 * time.Second, InactivityLock: 10 * time.Minute, Badges: checker, Trust: r.trust,
		Light: r.light, Tone: r.tone, Display: r.display, Counts: counts})
	r.s.Start(morning)
	return r
}

func (r *rig) unlock(t *testing.T, at time.Time) {
	t.Helper()
	r.s.QR(r.badges["D-1"], at)
	if st := r.s.Screen().State; st != StateChooseClass {
		t.Fatalf("after the badge: %s (%s)", st, r.s.Screen().Notice)
	}
}

func TestLockedUntilABadge(t *testing.T) {
	r := newRig(t)
	sc := r.display.last()
	if sc.State != StateLocked || r.light.last() != hardware.SignalAttention || !strings.Contains(sc.Notice, "badge di delega") {
		t.Fatalf("start: %s %v %q", sc.State, r.light.last(), sc.Notice)
	}
	// A certificate shown to a locked kiosk is not verified at all.
	r.s.QR(r.set.Case("booster-3of3").Text, morning)
	if r.trust.asked != 0 || r.display.last().Result != nil {
		t.Fatal("a locked kiosk verified a certificate")
	}
	for id, want := range map[string]string{
		"D-old": "delega scaduta", "D-rev": "delega revocata", "D-ghost": "non presente nell'elenco",
	} {
		r.s.QR(r.badges[id], morning)
		if sc := r.display.last(); sc.State != StateLocked || !strings.Contains(sc.Notice, want) {
			t.Errorf("badge %s: %s %q", id, sc.State, sc.Notice)
		}
	}
	// A badge of another school (signed with another key).
	forged, _ := badge.Issue(r.set.Signers["es256"], badge.Badge{DelegationID: "D-1", Name: "Maria Bianchi", ValidUntil: calendar.Of(morning) + 10})
	r.s.QR(forged, morning)
	if sc := r.display.last(); sc.State != StateLocked || !strings.Contains(sc.Notice, "non firmato da questa scuola") {
		t.Errorf("forged badge: %s %q", sc.State, sc.Notice)
	}
	r.s.QR("KB1:%%%", morning)
	if sc := r.display.last(); sc.State != StateLocked || !strings.Contains(sc.Notice, "illeggibile") {
		t.Errorf("garbage badge: %q", sc.Notice)
	}
	if len(r.tone.played) != 5 || r.tone.played[0] != hardware.SoundDeny {
		t.Errorf("refused badges played %v", r.tone.played)
	}
	r.unlock(t, morning)
	sc = r.display.last()
	if sc.Operator == nil || sc.Operator.Name != "Maria Bianchi" || len(sc.Classes) != 2 {
		t.Fatalf("unlocked: %+v %+v", sc.Operator, sc.Classes)
	}
}

func TestScanFlow(t *testing.T) {
	r := newRig(t)
	r.unlock(t, morning)
	// A certificate before the class is chosen: not verified.
	r.s.QR(r.set.Case("booster-3of3").Text, morning)
	if r.trust.asked != 0 || !strings.Contains(r.display.last().Notice, "Scegliere prima la classe") {
		t.Fatal("verified without a class")
	}
	r.s.Command(Command{Kind: CommandChooseClass, Class: "1C"}, morning) // not under verification
	if !strings.Contains(r.display.last().Notice, "non è in verifica") {
		t.Fatal("a class not under verification was accepted")
	}
	r.s.Command(Command{Kind: CommandChooseClass, Class: "3A"}, morning)
	sc := r.display.last()
	if sc.State != StateReady || sc.Class.Name != "3A" || sc.Class.Enrolled != 22 || sc.Class.VerificationUntil != "2022-02-19" || r.light.last() != hardware.SignalOff {
		t.Fatalf("class chosen: %s %+v light %v", sc.State, sc.Class, r.light.last())
	}

	at := morning.Add(time.Minute)
	r.s.QR(r.set.Case("booster-3of3").Text, at)
	sc = r.display.last()
	if sc.State != StateResult || !sc.Result.Admit || r.light.last() != hardware.SignalAdmit || r.tone.played[len(r.tone.played)-1] != hardware.SoundAdmit {
		t.Fatalf("admitted: %+v light %v", sc.Result, r.light.last())
	}
	id, ok := sc.Result.Person.Reveal()
	if !ok || id.FamilyName != fixtures.Holder.FamilyName || !sc.Result.Until.Equal(at.Add(5*time.Second)) {
		t.Fatalf("person on screen: %v %v", id.FamilyName, ok)
	}
	person := sc.Result.Person

	// Still on screen just before the time is up; gone, and wiped, at it.
	r.s.Tick(at.Add(5*time.Second - time.Millisecond))
	if r.s.Screen().State != StateResult || person.Wiped() {
		t.Fatal("the result left too early")
	}
	r.s.Tick(at.Add(5 * time.Second))
	if sc := r.display.last(); sc.State != StateReady || sc.Result != nil || !person.Wiped() || r.light.last() != hardware.SignalOff {
		t.Fatalf("after the display time: %s wiped=%v light=%v", sc.State, person.Wiped(), r.light.last())
	}

	// Refusals: each with its reason, light red.
	for name, reason := range map[string]string{
		"complete-2of2-day121": "validità scaduta", "test-rapid": "non valido per questa verifica",
		"revoked": "certificato revocato", "forged": "firma non valida", "not-hc1": "non è una certificazione verde",
	} {
		at = at.Add(10 * time.Second)
		r.s.QR(r.set.Case(name).Text, at)
		sc := r.display.last()
		if sc.Result == nil || sc.Result.Admit || !strings.HasPrefix(sc.Result.Reason, reason) || r.light.last() != hardware.SignalDeny {
			t.Errorf("%s: %+v", name, sc.Result)
		}
	}
	// A new scan while a result is shown replaces it and wipes the person.
	r.s.QR(r.set.Case("booster-janssen-2of2").Text, at.Add(time.Second))
	first := r.display.last().Result.Person
	r.s.QR(r.set.Case("exemption").Text, at.Add(2*time.Second))
	if !first.Wiped() || !r.display.last().Result.Admit {
		t.Fatal("the replaced result's person was not wiped")
	}
	admitted, refused, err := r.counts.Get(context.Background(), calendar.Of(at), "3A")
	if err != nil || admitted != 3 || refused != 5 {
		t.Fatalf("count: %d admitted, %d refused, %v", admitted, refused, err)
	}
	if sc := r.display.last(); sc.Class.Admitted != 3 || sc.Class.Refused != 5 {
		t.Fatalf("count on screen: %+v", sc.Class)
	}
}

func TestInactivityLocksAndWipes(t *testing.T) {
	r := newRig(t)
	r.unlock(t, morning)
	r.s.Command(Command{Kind: CommandChooseClass, Class: "2B"}, morning)
	r.s.QR(r.set.Case("booster-3of3").Text, morning)
	person := r.display.last().Result.Person
	r.s.Tick(morning.Add(10*time.Minute - time.Second))
	if r.s.Screen().State == StateLocked {
		t.Fatal("locked too early")
	}
	r.s.Tick(morning.Add(10 * time.Minute))
	sc := r.display.last()
	if sc.State != StateLocked || sc.Operator != nil || !person.Wiped() || r.light.last() != hardware.SignalAttention || !strings.Contains(sc.Notice, "inattività") {
		t.Fatalf("after inactivity: %s %+v", sc.State, sc.Operator)
	}
	// The delegate can lock by hand too.
	r.unlock(t, morning.Add(11*time.Minute))
	r.s.Command(Command{Kind: CommandLock}, morning.Add(11*time.Minute))
	if r.display.last().State != StateLocked {
		t.Fatal("lock command ignored")
	}
}

func TestStaleTrustData(t *testing.T) {
	r := newRig(t)
	r.trust.stale = true
	r.trust.v = verify.New(verify.Options{Trust: r.set.Trust, Fresh: func(time.Time) error { return errors.New("keys 25h old") }})
	r.unlock(t, morning)
	r.s.Command(Command{Kind: CommandChooseClass, Class: "3A"}, morning)
	if sc := r.display.last(); sc.TrustData.OK || r.light.last() != hardware.SignalAttention {
		t.Fatalf("stale data not shown: %+v light %v", sc.TrustData, r.light.last())
	}
	r.s.QR(r.set.Case("booster-3of3").Text, morning)
	if res := r.display.last().Result; res.Admit || res.Reason != "dati di verifica non aggiornati" {
		t.Fatalf("admitted on stale data: %+v", res)
	}
	r.s.Tick(morning.Add(5 * time.Second))
	if r.light.last() != hardware.SignalAttention {
		t.Fatal("light not amber while data is stale")
	}
}

// Discreet mode: one soft tone for both results, the light still tells
// the delegate, and a revoked certificate reads as not valid.
func TestDiscreetMode(t *testing.T) {
	r := newRig(t)
	r.s.o.Discreet = true
	r.unlock(t, morning)
	r.s.Command(Command{Kind: CommandChooseClass, Class: "3A"}, morning)
	r.s.QR(r.set.Case("booster-3of3").Text, morning)
	if r.light.last() != hardware.SignalAdmit {
		t.Fatalf("admit light: %v", r.light.last())
	}
	r.s.QR(r.set.Case("revoked").Text, morning.Add(time.Second))
	res := r.display.last().Result
	if res.Admit || res.Status != string(verify.StatusRevoked) || res.Reason != "certificato non valido" || r.light.last() != hardware.SignalDeny {
		t.Fatalf("revoked in discreet mode: %+v, light %v", res, r.light.last())
	}
	n := len(r.tone.played)
	if r.tone.played[n-1] != hardware.SoundChecked || r.tone.played[n-2] != hardware.SoundChecked {
		t.Fatalf("tones: %v", r.tone.played)
	}
}

// fakeClock is a clock the test believes or not.
type fakeClock struct{ err error }

func (c *fakeClock) Check(time.Time) error { return c.err }

// A clock that cannot be believed refuses everyone with its own reason,
// without decoding the certificate, keeps the light amber and says so in
// the status bar; once confirmed, the same certificate is admitted.
func TestUntrustedClock(t *testing.T) {
	r := newRig(t)
	clk := &fakeClock{err: errors.New("clock: not confirmed since start")}
	r.s.o.Clock = clk
	r.unlock(t, morning)
	r.s.Command(Command{Kind: CommandChooseClass, Class: "3A"}, morning)
	if sc := r.display.last(); sc.TrustData.OK || !strings.Contains(sc.TrustData.Message, "Orologio non affidabile") || r.light.last() != hardware.SignalAttention {
		t.Fatalf("untrusted clock not shown: %+v light %v", sc.TrustData, r.light.last())
	}
	asked := r.trust.asked
	r.s.QR(r.set.Case("booster-3of3").Text, morning)
	if res := r.display.last().Result; res.Admit || res.Reason != "orologio non affidabile" || res.Person != nil || r.trust.asked != asked {
		t.Fatalf("verified with an untrusted clock: %+v", res)
	}
	r.s.Tick(morning.Add(6 * time.Second))
	if r.light.last() != hardware.SignalAttention {
		t.Fatal("light not amber while the clock is untrusted")
	}
	clk.err = nil
	r.s.QR(r.set.Case("booster-3of3").Text, morning.Add(7*time.Second))
	if res := r.display.last().Result; !res.Admit || !r.display.last().TrustData.OK {
		t.Fatalf("not admitted once the clock is trusted: %+v", res)
	}
}

func TestOneClassIsChosenByItselfAndANewDayAsksAgain(t *testing.T) {
	day := calendar.Of(morning)
	until := day
	r := newRig(t, school.Class{Name: "4D", Level: school.Secondaria2, Enrolled: 20, VerifyUntil: &until})
	r.s.QR(r.badges["D-2"], morning)
	if sc := r.display.last(); sc.State != StateReady || sc.Class.Name != "4D" {
		t.Fatalf("single class not chosen: %s", sc.State)
	}
	// Keep the kiosk active through the evening, then a new day.
	evening := day.Start().Add(23*time.Hour + 55*time.Minute)
	r.s.QR(r.set.Case("booster-3of3").Text, evening)
	r.s.Tick(evening.Add(10 * time.Minute))
	sc := r.display.last()
	if sc.State == StateReady || sc.Class != nil {
		t.Fatalf("a new day kept yesterday's class: %s", sc.State)
	}
}

func TestLanguageAndDeviceFailures(t *testing.T) {
	r := newRig(t)
	r.light.err = errors.New("gpiochip0 line 17: device busy")
	r.unlock(t, morning)
	r.s.Command(Command{Kind: CommandLang, Lang: lang.EN}, morning)
	r.s.Command(Command{Kind: CommandChooseClass, Class: "3A"}, morning)
	r.s.QR(r.set.Case("complete-2of2-day121").Text, morning)
	sc := r.display.last()
	if sc.Lang != "en" || sc.Result.Reason != "validity ended" {
		t.Fatalf("English: %s %q", sc.Lang, sc.Result.Reason)
	}
	if sc.Light.OK || sc.Light.Message != "No light: watch the screen" {
		t.Fatalf("light failure not on screen: %+v", sc.Light)
	}
	// A camera that goes and comes back.
	r.s.Device(PartCamera, false)
	if c := r.display.last().Camera; c.OK || !strings.Contains(c.Message, "Camera disconnected") {
		t.Fatalf("camera down: %+v", c)
	}
	r.s.Command(Command{Kind: CommandLang, Lang: lang.IT}, morning)
	if c := r.display.last().Camera; !strings.Contains(c.Message, "Telecamera scollegata") {
		t.Fatalf("camera down, in Italian: %+v", c)
	}
	r.s.Device(PartCamera, true)
	if c := r.display.last().Camera; !c.OK || c.Message != "" {
		t.Fatalf("camera back: %+v", c)
	}
	r.s.Command(Command{Kind: CommandLang}, morning) // no language: nothing changes
	if r.s.Screen().Lang != lang.IT {
		t.Fatal("an empty language was taken")
	}
}

// The office's newer data applies at once: a class whose daily
// verification ends is given up, a new one appears in the picker, and a
// delegate whose delegation is revoked is locked out without waiting for
// the next badge.
func TestSchoolDataUpdates(t *testing.T) {
	r := newRig(t)
	r.unlock(t, morning)
	r.s.Command(Command{Kind: CommandChooseClass, Class: "3A"}, morning)
	if sc := r.display.last(); sc.State != StateReady || sc.Class.Name != "3A" {
		t.Fatalf("chosen: %s %+v", sc.State, sc.Class)
	}
	day := calendar.Of(morning)
	later := day + 9
	rules, _ := school.NewRules(school.DefaultRuleSets())
	list := DelegationList{"D-1": {Name: "Maria Bianchi", ValidUntil: day + 100}}
	data := func(classes ...school.Class) SchoolData {
		return SchoolData{Name: "IC Manzoni", Informativa: "https://icmanzoni.example/privacy", Classes: classes, Rules: rules, Delegations: list}
	}

	// 3A's end moves: the class stays chosen with the new end.
	r.s.Update(data(school.Class{Name: "3A", Level: school.Primaria, Enrolled: 22, VerifyUntil: &later}), morning.Add(time.Minute))
	if sc := r.display.last(); sc.State != StateReady || sc.Class.VerificationUntil != later.String() || sc.School != "IC Manzoni" ||
		sc.Informativa != "https://icmanzoni.example/privacy" {
		t.Fatalf("3A extended: %s %+v %q %q", sc.State, sc.Class, sc.School, sc.Informativa)
	}
	// 3A leaves daily verification, 1C enters: back to the picker.
	r.s.Update(data(school.Class{Name: "3A", Level: school.Primaria, Enrolled: 22},
		school.Class{Name: "1C", Level: school.Secondaria1, Enrolled: 24, VerifyUntil: &later}), morning.Add(2*time.Minute))
	sc := r.display.last()
	if sc.State == StateReady && sc.Class != nil && sc.Class.Name == "3A" {
		t.Fatalf("3A still chosen after its verification ended: %+v", sc)
	}
	if len(sc.Classes) != 1 || sc.Classes[0].Name != "1C" {
		t.Fatalf("choices %+v", sc.Classes)
	}
	// The operator's delegation is revoked: locked at once.
	list["D-1"] = Delegation{Name: "Maria Bianchi", ValidUntil: day + 100, Revoked: true}
	r.s.Update(data(school.Class{Name: "1C", Level: school.Secondaria1, Enrolled: 24, VerifyUntil: &later}), morning.Add(3*time.Minute))
	if sc := r.display.last(); sc.State != StateLocked || sc.Operator != nil || !strings.Contains(sc.Notice, "revocata") {
		t.Fatalf("after the revocation: %s %+v %q", sc.State, sc.Operator, sc.Notice)
	}
	r.s.QR(r.badges["D-1"], morning.Add(4*time.Minute))
	if sc := r.display.last(); sc.State != StateLocked {
		t.Fatalf("a revoked badge unlocked: %s", sc.State)
	}
}

// fakeOffice is the link's state as a test sets it.
type fakeOffice struct {
	signed time.Time
	paired bool
}

func (o *fakeOffice) Held() (time.Time, bool) { return o.signed, o.paired }

// The status bar says how old the office's data is, without ever stopping
// admissions: the kiosk works on its last bundle while the office is down.
func TestOfficeHealth(t *testing.T) {
	r := newRig(t)
	o := &fakeOffice{}
	r.s.o.Office = o
	for _, c := range []struct {
		signed time.Time
		paired bool
		ok     bool
		want   string
	}{
		{time.Time{}, false, false, "non abbinata"},
		{time.Time{}, true, false, "Dati della scuola assenti"},
		{morning.Add(-time.Minute), true, true, "aggiornati"},
		{morning.Add(-3 * time.Hour), true, false, "del 05:00 15/02: segreteria irraggiungibile"},
	} {
		o.signed, o.paired = c.signed, c.paired
		r.s.Tick(morning)
		sc := r.display.last()
		if sc.Office == nil || sc.Office.OK != c.ok || !strings.Contains(sc.Office.Message, c.want) {
			t.Errorf("%+v: %+v", c, sc.Office)
		}
	}
	r.unlock(t, morning)
	r.s.Command(Command{Kind: CommandChooseClass, Class: "3A"}, morning)
	r.s.QR(r.set.Case("booster-3of3").Text, morning)
	if res := r.display.last().Result; res == nil || !res.Admit {
		t.Fatalf("old office data stopped an admission: %+v", res)
	}
}
