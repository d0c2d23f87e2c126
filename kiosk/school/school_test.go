package school

import (
	"testing"

	"github.com/scuola/kiosk/verify/calendar"
)

func d(s string) calendar.Day {
	day, err := calendar.Parse(s)
	if err != nil {
		panic(err)
	}
	return day
}

func days(ss ...string) []calendar.Day {
	var out []calendar.Day
	for _, s := range ss {
		out = append(out, d(s))
	}
	return out
}

func TestUnderVerificationDL5(t *testing.T) {
	rules, err := NewRules(DefaultRuleSets())
	if err != nil {
		t.Fatal(err)
	}
	classes := []Class{
		{Name: "1A", Level: Primaria, Enrolled: 20, Cases: days("2022-02-07", "2022-02-08", "2022-02-10", "2022-02-12", "2022-02-14")},
		{Name: "2A", Level: Primaria, Enrolled: 20, Cases: days("2022-02-07", "2022-02-08", "2022-02-10", "2022-02-12")}, // 4: no
		{Name: "3B", Level: Secondaria1, Enrolled: 25, Cases: days("2022-02-10", "2022-02-14")},
		{Name: "4C", Level: Secondaria2, Enrolled: 25, Cases: days("2022-02-01", "2022-02-10")}, // gap 9 days: two episodes of 1
		{Name: "Sez. A", Level: Infanzia, Enrolled: 18, Cases: days("2022-02-07", "2022-02-08", "2022-02-09", "2022-02-10", "2022-02-11")},
		{Name: "5E", Level: IeFP, Enrolled: 15, Cases: days("2022-02-13", "2022-02-18")}, // gap exactly 5: same episode
	}
	check := func(day string, want map[string]string) {
		t.Helper()
		got := map[string]string{}
		for _, v := range UnderVerification(classes, rules, d(day)) {
			got[v.Class.Name] = v.Until.String()
		}
		if len(got) != len(want) {
			t.Errorf("%s: got %v, want %v", day, got, want)
			return
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: class %s until %q, want %q", day, k, got[k], w)
			}
		}
	}
	check("2022-02-13", map[string]string{})                                                           // 1A has 4 cases so far; 3B 1
	check("2022-02-14", map[string]string{"1A": "2022-02-19", "3B": "2022-02-19"})                     // fifth case / second case
	check("2022-02-19", map[string]string{"1A": "2022-02-19", "3B": "2022-02-19", "5E": "2022-02-23"}) // last day included
	check("2022-02-20", map[string]string{"5E": "2022-02-23"})
	check("2022-02-24", map[string]string{})
	check("2022-04-01", map[string]string{}) // DL 24/2022: no daily verification
	check("2022-02-04", map[string]string{}) // before any rule set
}

func TestHeadTeacherDecisionAndFutureRuleSets(t *testing.T) {
	until := d("2022-02-25")
	future := append(DefaultRuleSets(), RuleSet{Name: "next pandemic", From: d("2030-09-15"), EpisodeGapDays: 7,
		Levels: map[Level]LevelRule{Infanzia: {Threshold: 3, Days: 10}}})
	rules, err := NewRules(future)
	if err != nil {
		t.Fatal(err)
	}
	classes := []Class{
		{Name: "2B", Level: Primaria, VerifyUntil: &until},
		{Name: "Sez. B", Level: Infanzia, Cases: days("2030-09-20", "2030-09-26", "2030-10-02")},
	}
	if v := UnderVerification(classes, rules, d("2022-02-25")); len(v) != 1 || !v[0].ByHeadTeacher || v[0].Until != until {
		t.Errorf("head teacher's decision: %+v", v)
	}
	if v := UnderVerification(classes, rules, d("2022-02-26")); len(v) != 0 {
		t.Errorf("after the decision's end: %+v", v)
	}
	v := UnderVerification(classes, rules, d("2030-10-12"))
	if len(v) != 1 || v[0].Until.String() != "2030-10-12" || v[0].Cases != 3 || v[0].First != d("2030-09-20") {
		t.Errorf("future rule set: %+v", v)
	}
	if _, err := NewRules([]RuleSet{{Name: "a", From: 1}, {Name: "b", From: 1}}); err == nil {
		t.Error("two rule sets on the same day accepted")
	}
}

// Every row of DL 5/2022 and DL 24/2022, at every boundary: the episode gap
// of 5 and 6 days, L+5 and L+6, L+10 and L+11, two cases on one day, a case
// dated after the day asked, the head teacher's own end date.
func TestMeasures(t *testing.T) {
	rules, err := NewRules(DefaultRuleSets())
	if err != nil {
		t.Fatal(err)
	}
	const L = "2022-02-14" // the episode's last case, in most rows
	five := days("2022-02-10", "2022-02-11", "2022-02-12", "2022-02-13", L)
	plus := func(n int) string { return (d(L) + calendar.Day(n)).String() }
	until := d("2022-02-16")
	for _, tc := range []struct {
		name  string
		class Class
		at    string
		cases int
		want  Measure
		until string
	}{
		{"no cases", Class{Level: Primaria}, L, 0, None, ""},
		{"infanzia 1 case", Class{Level: Infanzia, Cases: days(L)}, L, 1, Autosorveglianza, plus(10)},
		{"infanzia 4 cases, L+10", Class{Level: Infanzia, Cases: five[1:]}, plus(10), 4, Autosorveglianza, plus(10)},
		{"infanzia 4 cases, L+11", Class{Level: Infanzia, Cases: five[1:]}, plus(11), 4, None, ""},
		{"infanzia 5 cases", Class{Level: Infanzia, Cases: five}, L, 5, Suspended, plus(5)},
		{"infanzia 5 cases, L+5", Class{Level: Infanzia, Cases: five}, plus(5), 5, Suspended, plus(5)},
		{"infanzia 5 cases, L+6", Class{Level: Infanzia, Cases: five}, plus(6), 5, None, ""},
		{"primaria 4 cases", Class{Level: Primaria, Cases: five[1:]}, L, 4, Autosorveglianza, plus(10)},
		{"primaria 5 cases", Class{Level: Primaria, Cases: five}, L, 5, DailyVerification, plus(5)},
		{"primaria 5 cases, L+5", Class{Level: Primaria, Cases: five}, plus(5), 5, DailyVerification, plus(5)},
		{"primaria 5 cases, L+6", Class{Level: Primaria, Cases: five}, plus(6), 5, Autosorveglianza, plus(10)},
		{"primaria 5 cases, L+10", Class{Level: Primaria, Cases: five}, plus(10), 5, Autosorveglianza, plus(10)},
		{"primaria 5 cases, L+11", Class{Level: Primaria, Cases: five}, plus(11), 5, None, ""},
		{"primaria, the 5th case not yet found", Class{Level: Primaria, Cases: five}, "2022-02-13", 4, Autosorveglianza, "2022-02-23"},
		{"secondaria I 1 case", Class{Level: Secondaria1, Cases: days(L)}, L, 1, Autosorveglianza, plus(10)},
		{"secondaria I 2 cases", Class{Level: Secondaria1, Cases: days("2022-02-09", L)}, L, 2, DailyVerification, plus(5)},
		{"secondaria II two cases on one day", Class{Level: Secondaria2, Cases: days(L, L)}, L, 2, DailyVerification, plus(5)},
		{"IeFP gap of 5 days: one episode", Class{Level: IeFP, Cases: days("2022-02-09", L)}, L, 2, DailyVerification, plus(5)},
		{"IeFP gap of 6 days: two episodes", Class{Level: IeFP, Cases: days("2022-02-08", L)}, L, 1, Autosorveglianza, plus(10)},
		{"a case after the day asked", Class{Level: Secondaria1, Cases: days("2022-02-09", "2022-02-20")}, L, 1, Autosorveglianza, "2022-02-19"},
		{"head teacher's end date", Class{Level: Primaria, Cases: five, VerifyUntil: &until}, "2022-02-16", 5, DailyVerification, "2022-02-16"},
		{"after the head teacher's end date", Class{Level: Primaria, Cases: five, VerifyUntil: &until}, "2022-02-17", 5, Autosorveglianza, plus(10)},
		{"head teacher's decision without cases", Class{Level: Infanzia, VerifyUntil: &until}, "2022-02-15", 0, DailyVerification, "2022-02-16"},
		{"DL 24/2022, 3 cases", Class{Level: Primaria, Cases: days("2022-04-04", "2022-04-05", "2022-04-06")}, "2022-04-06", 3, None, ""},
		{"DL 24/2022, 4 cases", Class{Level: Secondaria2, Cases: days("2022-04-04", "2022-04-05", "2022-04-06", "2022-04-07")}, "2022-04-07", 4, Autosorveglianza, "2022-04-17"},
		{"DL 24/2022, 4 cases in infanzia, L+11", Class{Level: Infanzia, Cases: days("2022-04-04", "2022-04-05", "2022-04-06", "2022-04-07")}, "2022-04-18", 4, None, ""},
		{"an episode across the change of law", Class{Level: Secondaria1, Cases: days("2022-03-30", "2022-04-01")}, "2022-04-01", 2, None, ""},
		{"before any rule set", Class{Level: Secondaria1, Cases: days("2022-01-30", "2022-01-31")}, "2022-02-01", 2, None, ""},
	} {
		st := rules.StatusOn(&tc.class, d(tc.at))
		got := ""
		if st.Measure != None {
			got = st.Until.String()
		}
		if st.Measure != tc.want || got != tc.until || st.Cases != tc.cases {
			t.Errorf("%s on %s: %s until %q, %d cases; want %s until %q, %d cases", tc.name, tc.at, st.Measure, got, st.Cases, tc.want, tc.until, tc.cases)
		}
	}
}

func TestStepsAreChecked(t *testing.T) {
	for _, st := range []Step{
		{MinCases: 0, Measure: Autosorveglianza, Days: 10},
		{MinCases: 3, MaxCases: 2, Measure: Autosorveglianza, Days: 10},
		{MinCases: 1, Measure: None, Days: 10},
		{MinCases: 1, Measure: "quarantena", Days: 10},
		{MinCases: 1, Measure: Suspended, Days: 61},
	} {
		sets := []RuleSet{{Name: "x", From: 1, Levels: map[Level]LevelRule{Primaria: {Steps: []Step{st}}}}}
		if _, err := NewRules(sets); err == nil {
			t.Errorf("step %+v accepted", st)
		}
	}
}
