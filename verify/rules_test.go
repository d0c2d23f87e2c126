package verify_test

import (
	"fmt"
	"testing"
	"time"

	fx "github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
)

const (
	valid      = verify.StatusValid
	notYet     = verify.StatusNotValidYet
	expired    = verify.StatusExpired
	notValid   = verify.StatusNotValid
	testNeeded = verify.StatusTestNeeded
)

type ruleCase struct {
	name   string
	dcc    *verify.DCC
	signer string // default es256
	mode   verify.Mode
	at     time.Time // default fx.Ref
	want   verify.Status
}

func runRules(t *testing.T, cases []ruleCase) {
	t.Helper()
	set := fx.Load(t)
	settings := verify.DefaultSettings()
	for _, c := range cases {
		name := c.signer
		if name == "" {
			name = "es256"
		}
		s, err := verify.NewSigner(set.Signers[name].CertDER)
		if err != nil {
			t.Fatal(err)
		}
		at := c.at
		if at.IsZero() {
			at = fx.Ref
		}
		mode := c.mode
		if mode == "" {
			mode = verify.ModeSchool
		}
		got, _ := verify.ApplyRules(c.dcc, s, settings, mode, at)
		if got != c.want {
			t.Errorf("%s (%s mode): got %s, want %s", c.name, mode, got, c.want)
		}
	}
}

// Every school-mode rule of DL 5/2022 at its boundaries: the last valid day
// and the first invalid one (the end day itself is still valid).
func TestSchoolBoundaries(t *testing.T) {
	const pfizer, janssen, moderna = "EU/1/20/1528", "EU/1/20/1525", "EU/1/20/1507"
	var cases []ruleCase
	add := func(name string, d *verify.DCC, want verify.Status) {
		cases = append(cases, ruleCase{name: name, dcc: d, want: want})
	}
	// Completed cycle: 120 days.
	for days, want := range map[int]verify.Status{0: valid, -1: valid, -119: valid, -120: valid, -121: expired, -400: expired, 1: notYet} {
		add(fmt.Sprintf("2/2 dose %d days", days), fx.Vaccination(pfizer, 2, 2, days, "IT"), want)
	}
	// Janssen 1/1: from day 15 to day 120.
	for days, want := range map[int]verify.Status{-14: notYet, -15: valid, -120: valid, -121: expired} {
		add(fmt.Sprintf("Janssen 1/1 dose %d days", days), fx.Vaccination(janssen, 1, 1, days, "IT"), want)
	}
	// Boosters: 540 days; Janssen 2/2, 2/1 and 3/3 are boosters.
	for days, want := range map[int]verify.Status{0: valid, -121: valid, -540: valid, -541: expired, 1: notYet} {
		add(fmt.Sprintf("3/3 dose %d days", days), fx.Vaccination(pfizer, 3, 3, days, "IT"), want)
		add(fmt.Sprintf("Janssen 2/2 dose %d days", days), fx.Vaccination(janssen, 2, 2, days, "IT"), want)
		add(fmt.Sprintf("2/1 dose %d days", days), fx.Vaccination(moderna, 2, 1, days, "IT"), want)
	}
	// Not boosters: a 2/2 of a two-dose vaccine expires at 120.
	add("Moderna 2/2 at day 200 is no booster", fx.Vaccination(moderna, 2, 2, -200, "IT"), expired)
	// An incomplete cycle never admits, however recent.
	for _, days := range []int{-20, -1, 0} {
		add(fmt.Sprintf("1/2 dose %d days", days), fx.Vaccination(pfizer, 1, 2, days, "IT"), notValid)
	}
	add("3/4 is incomplete", fx.Vaccination(pfizer, 3, 4, -30, "IT"), notValid)
	add("0/2 is invalid", fx.Vaccination(pfizer, 0, 2, -30, "IT"), notValid)
	// Non-EMA vaccines do not admit, in or out of their window.
	add("Sputnik 2/2 from Russia", fx.Vaccination("Sputnik-V", 2, 2, -30, "RU"), notValid)
	add("Sputnik 3/3 from Russia", fx.Vaccination("Sputnik-V", 3, 3, -30, "RU"), notValid)
	add("unknown product", fx.Vaccination("CoronaVac", 2, 2, -30, "CN"), notValid)
	// Recovery: 120 days counted from fr, whatever df says.
	for fr, want := range map[int]verify.Status{-11: valid, -120: valid, -121: expired, -179: expired} {
		add(fmt.Sprintf("recovery fr %d df -10", fr), fx.Recovery(fr, -10, 170, "IT"), want)
	}
	add("recovery df tomorrow", fx.Recovery(-5, 1, 170, "IT"), notYet)
	add("recovery df today", fx.Recovery(-5, 0, 170, "IT"), valid)
	// Exemptions: within df … du, both included; du optional.
	for du, want := range map[int]verify.Status{1: valid, 0: valid, -1: expired} {
		add(fmt.Sprintf("exemption du %d", du), fx.Exemption(-30, du), want)
	}
	add("exemption df tomorrow", fx.Exemption(1, 30), notYet)
	add("exemption open-ended", fx.Exemption(-300, -2000), valid)
	// Tests never admit in school mode.
	add("rapid test 1 h", fx.TestResult("LP217198-3", 1, false), notValid)
	add("PCR 1 h", fx.TestResult("LP6464-4", 1, false), notValid)
	runRules(t, cases)
}

// Recovery after vaccination (Italian, recovery OID on the signer): its own
// window of 540 days from df, in school mode too.
func TestRecoveryAfterVaccinationBoundaries(t *testing.T) {
	var cases []ruleCase
	for _, signer := range []string{"recovery-it", "recovery-alt"} {
		for df, want := range map[int]verify.Status{0: valid, -540: valid, -541: expired, 1: notYet} {
			cases = append(cases, ruleCase{name: fmt.Sprintf("%s df %d", signer, df), signer: signer, dcc: fx.Recovery(df-5, df, 0, "IT"), want: want})
		}
	}
	// The same signer on a recovery abroad, or an ordinary signer on an
	// Italian one: no recovery-bis, fr+120 applies.
	cases = append(cases,
		ruleCase{name: "recovery OID, recovery abroad", signer: "recovery-it", dcc: fx.Recovery(-200, -190, 0, "DE"), want: expired},
		ruleCase{name: "ordinary signer, Italian recovery", signer: "es256", dcc: fx.Recovery(-200, -190, 0, "IT"), want: expired},
	)
	runRules(t, cases)
}

// Calendar days are Rome's: a check at 00:30 in Rome on the 16th (23:30 UTC
// on the 15th) is on the 16th, and one at 23:59 in Rome is still the same
// day. Also across the switch to summer time.
func TestCalendarDaysInRome(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	day120 := fx.Vaccination("EU/1/20/1528", 2, 2, -120, "IT") // last valid day: Ref's day
	cases := []ruleCase{
		{name: "23:59 Rome on the last day", dcc: day120, at: time.Date(2022, 2, 15, 23, 59, 59, 0, rome), want: valid},
		{name: "00:00 Rome the day after", dcc: day120, at: time.Date(2022, 2, 16, 0, 0, 0, 0, rome), want: expired},
		{name: "23:30 UTC = 00:30 Rome the day after", dcc: day120, at: time.Date(2022, 2, 15, 23, 30, 0, 0, time.UTC), want: expired},
		{name: "22:59 UTC = 23:59 Rome the last day", dcc: day120, at: time.Date(2022, 2, 15, 22, 59, 0, 0, time.UTC), want: valid},
	}
	// A window that ends on the day summer time starts (27 March 2022).
	dst := fx.Exemption(-30, 40) // du = 2022-03-27
	cases = append(cases,
		ruleCase{name: "DST day 23:59", dcc: dst, at: time.Date(2022, 3, 27, 23, 59, 0, 0, rome), want: valid},
		ruleCase{name: "day after DST 00:01", dcc: dst, at: time.Date(2022, 3, 28, 0, 1, 0, 0, rome), want: expired},
	)
	runRules(t, cases)
}

// The other modes come from the same machinery with other settings.
func TestOtherModes(t *testing.T) {
	const pfizer = "EU/1/20/1528"
	h := func(n int) time.Time { return fx.Ref.Add(time.Duration(n) * time.Hour) }
	cases := []ruleCase{
		// 3G: partial cycle from day 15 to day 42 (Comirnaty), complete 180.
		{name: "3G 1/2 day 14", mode: verify.Mode3G, dcc: fx.Vaccination(pfizer, 1, 2, -14, "IT"), want: notYet},
		{name: "3G 1/2 day 15", mode: verify.Mode3G, dcc: fx.Vaccination(pfizer, 1, 2, -15, "IT"), want: valid},
		{name: "3G 1/2 day 42", mode: verify.Mode3G, dcc: fx.Vaccination(pfizer, 1, 2, -42, "IT"), want: valid},
		{name: "3G 1/2 day 43", mode: verify.Mode3G, dcc: fx.Vaccination(pfizer, 1, 2, -43, "IT"), want: expired},
		{name: "3G 2/2 day 180", mode: verify.Mode3G, dcc: fx.Vaccination(pfizer, 2, 2, -180, "IT"), want: valid},
		{name: "3G 2/2 day 181", mode: verify.Mode3G, dcc: fx.Vaccination(pfizer, 2, 2, -181, "IT"), want: expired},
		// 3G tests: rapid 48 h, PCR 72 h.
		{name: "3G rapid 48 h", mode: verify.Mode3G, dcc: fx.TestResult("LP217198-3", 0, false), at: h(48), want: valid},
		{name: "3G rapid 48 h + 1 s", mode: verify.Mode3G, dcc: fx.TestResult("LP217198-3", 0, false), at: h(48).Add(time.Second), want: expired},
		{name: "3G PCR 72 h", mode: verify.Mode3G, dcc: fx.TestResult("LP6464-4", 0, false), at: h(72), want: valid},
		{name: "3G PCR 73 h", mode: verify.Mode3G, dcc: fx.TestResult("LP6464-4", 0, false), at: h(73), want: expired},
		{name: "3G test collected in the future", mode: verify.Mode3G, dcc: fx.TestResult("LP217198-3", -2, false), want: notYet},
		{name: "3G positive test", mode: verify.Mode3G, dcc: fx.TestResult("LP217198-3", 1, true), want: notValid},
		{name: "3G recovery df+180", mode: verify.Mode3G, dcc: fx.Recovery(-190, -180, 0, "IT"), want: valid},
		{name: "3G recovery df+181", mode: verify.Mode3G, dcc: fx.Recovery(-191, -181, 0, "IT"), want: expired},
		// 2G: no tests; completed cycles abroad: 180 days, then with a test
		// until 270; Italian ones as 3G.
		{name: "2G rapid test", mode: verify.Mode2G, dcc: fx.TestResult("LP217198-3", 1, false), want: notValid},
		{name: "2G 2/2 abroad day 180", mode: verify.Mode2G, dcc: fx.Vaccination(pfizer, 2, 2, -180, "DE"), want: valid},
		{name: "2G 2/2 abroad day 181", mode: verify.Mode2G, dcc: fx.Vaccination(pfizer, 2, 2, -181, "DE"), want: testNeeded},
		{name: "2G 2/2 abroad day 270", mode: verify.Mode2G, dcc: fx.Vaccination(pfizer, 2, 2, -270, "DE"), want: testNeeded},
		{name: "2G 2/2 abroad day 271", mode: verify.Mode2G, dcc: fx.Vaccination(pfizer, 2, 2, -271, "DE"), want: expired},
		{name: "2G 2/2 Italy day 181", mode: verify.Mode2G, dcc: fx.Vaccination(pfizer, 2, 2, -181, "IT"), want: expired},
		{name: "2G non-EMA abroad", mode: verify.Mode2G, dcc: fx.Vaccination("Sputnik-V", 2, 2, -30, "RU"), want: testNeeded},
		{name: "2G non-EMA booster abroad", mode: verify.Mode2G, dcc: fx.Vaccination("Sputnik-V", 3, 3, -30, "RU"), want: testNeeded},
		{name: "2G exemption", mode: verify.Mode2G, dcc: fx.Exemption(-3, 3), want: valid},
		// Booster mode: only a booster (or recovery after vaccination) alone.
		{name: "booster 3/3", mode: verify.ModeBooster, dcc: fx.Vaccination(pfizer, 3, 3, -30, "IT"), want: valid},
		{name: "booster 2/2", mode: verify.ModeBooster, dcc: fx.Vaccination(pfizer, 2, 2, -30, "IT"), want: testNeeded},
		{name: "booster 2/2 expired", mode: verify.ModeBooster, dcc: fx.Vaccination(pfizer, 2, 2, -181, "IT"), want: expired},
		{name: "booster 1/2", mode: verify.ModeBooster, dcc: fx.Vaccination(pfizer, 1, 2, -20, "IT"), want: notValid},
		{name: "booster recovery", mode: verify.ModeBooster, dcc: fx.Recovery(-20, -10, 0, "IT"), want: testNeeded},
		{name: "booster recovery-bis", mode: verify.ModeBooster, signer: "recovery-it", dcc: fx.Recovery(-20, -10, 0, "IT"), want: valid},
		{name: "booster test", mode: verify.ModeBooster, dcc: fx.TestResult("LP6464-4", 1, false), want: notValid},
		{name: "booster exemption", mode: verify.ModeBooster, dcc: fx.Exemption(-3, 3), want: testNeeded},
	}
	runRules(t, cases)
}

// Settings drive the rules: a new law is a new settings document.
func TestSettingsDriveTheRules(t *testing.T) {
	set := fx.Load(t)
	doc, err := fx.EditSettings(map[string]string{
		"vaccine_end_day_school": "10", "recovery_cert_end_day_school": "10", "EMA_vaccines": "EU/1/20/1528"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := verify.ParseSettings(doc)
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := verify.NewSigner(set.Signers["es256"].CertDER)
	for days, want := range map[int]verify.Status{-10: valid, -11: expired} {
		if got, _ := verify.ApplyRules(fx.Vaccination("EU/1/20/1528", 2, 2, days, "IT"), signer, s, verify.ModeSchool, fx.Ref); got != want {
			t.Errorf("vaccine_end_day_school=10, dose %d days: %s, want %s", days, got, want)
		}
	}
	if got, _ := verify.ApplyRules(fx.Vaccination("EU/1/20/1507", 2, 2, -5, "IT"), signer, s, verify.ModeSchool, fx.Ref); got != notValid {
		t.Errorf("a product removed from EMA_vaccines still admits: %s", got)
	}
}
