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
	if v := UnderVerification(classes, rules, d("2022-02-25")); len(v) != 1 || v[0].Why != "decisione del dirigente" {
		t.Errorf("head teacher's decision: %+v", v)
	}
	if v := UnderVerification(classes, rules, d("2022-02-26")); len(v) != 0 {
		t.Errorf("after the decision's end: %+v", v)
	}
	v := UnderVerification(classes, rules, d("2030-10-12"))
	if len(v) != 1 || v[0].Until.String() != "2030-10-12" || v[0].Why != "3 casi dal 20/09/2030" {
		t.Errorf("future rule set: %+v", v)
	}
	if _, err := NewRules([]RuleSet{{Name: "a", From: 1}, {Name: "b", From: 1}}); err == nil {
		t.Error("two rule sets on the same day accepted")
	}
}
