// Package school models what the head teacher configures — classes with
// their level and enrolled pupils, and the dates of positive cases — and the
// rule sets of the law that decide, day by day, which classes are under
// daily verification and until when.
//
// The rules changed several times in 2022 and will change again in the next
// pandemic, so they are data: a RuleSet is in force from a date, and a
// school can be configured with a future rule set without a code change.
package school

import (
	"fmt"
	"sort"

	"github.com/scuola/kiosk/verify/calendar"
)

// Level is a school level; the rules differ by level.
type Level string

// The levels of DL 5/2022 art. 6.
const (
	Infanzia    Level = "infanzia"
	Primaria    Level = "primaria"
	Secondaria1 Level = "secondaria1" // secondaria di primo grado
	Secondaria2 Level = "secondaria2" // secondaria di secondo grado
	IeFP        Level = "iefp"        // istruzione e formazione professionale
)

// Levels lists the levels, for validation and for the configuration's
// documentation.
var Levels = []Level{Infanzia, Primaria, Secondaria1, Secondaria2, IeFP}

// ParseLevel checks a level name.
func ParseLevel(s string) (Level, error) {
	for _, l := range Levels {
		if string(l) == s {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown level %q (want infanzia, primaria, secondaria1, secondaria2 or iefp)", s)
}

// Class is one class of the school. Cases are the days positive cases among
// its pupils (never staff) were found: dates only, nobody's name.
type Class struct {
	Name     string
	Level    Level
	Enrolled int
	Cases    []calendar.Day
	// VerifyUntil, when set, is the head teacher's own decision: the class
	// is under daily verification up to that day included, whatever the
	// rule set says (the informativa and the slides disagreed on the
	// window; the head teacher decides).
	VerifyUntil *calendar.Day
}

// RuleSet is the law in force from a day on.
type RuleSet struct {
	Name string
	From calendar.Day
	// EpisodeGapDays: a further case counts toward the same episode only if
	// it is found within this many days of the previous one.
	EpisodeGapDays int
	// Levels are the per-level thresholds; a level absent from the map (or
	// with Threshold 0) is never under daily verification.
	Levels map[Level]LevelRule
}

// LevelRule says when a class of a level is under daily verification.
type LevelRule struct {
	// Threshold is the number of cases in one episode from which the
	// eligible pupils attend with daily verification.
	Threshold int
	// Days is the length of the verification window, counted from the day
	// of the last case (that day plus Days, included).
	Days int
}

// DefaultRuleSets are the rules of 2022: DL 5/2022 art. 6 from 5 February
// (primaria from 5 cases, secondaria and IeFP from 2, daily verification for
// 5 days; infanzia is suspended instead, never verified), then DL 24/2022
// from 1 April (presence with FFP2 for everyone, no daily verification).
func DefaultRuleSets() []RuleSet {
	v := LevelRule{Threshold: 0}
	return []RuleSet{
		{
			Name: "DL 5/2022 art. 6", From: calendar.Date(2022, 2, 5), EpisodeGapDays: 5,
			Levels: map[Level]LevelRule{
				Infanzia:    v,
				Primaria:    {Threshold: 5, Days: 5},
				Secondaria1: {Threshold: 2, Days: 5},
				Secondaria2: {Threshold: 2, Days: 5},
				IeFP:        {Threshold: 2, Days: 5},
			},
		},
		{Name: "DL 24/2022", From: calendar.Date(2022, 4, 1), EpisodeGapDays: 5, Levels: map[Level]LevelRule{}},
	}
}

// Rules is a sequence of rule sets ordered by the day they come into force.
type Rules []RuleSet

// NewRules sorts the rule sets and checks them.
func NewRules(sets []RuleSet) (Rules, error) {
	r := append(Rules(nil), sets...)
	sort.Slice(r, func(i, j int) bool { return r[i].From < r[j].From })
	for i, s := range r {
		if i > 0 && s.From == r[i-1].From {
			return nil, fmt.Errorf("rule sets %q and %q both come into force on %s", r[i-1].Name, s.Name, s.From)
		}
		if s.EpisodeGapDays < 0 {
			return nil, fmt.Errorf("rule set %q: negative episode gap", s.Name)
		}
		for l, lr := range s.Levels {
			if lr.Threshold < 0 || lr.Days < 0 {
				return nil, fmt.Errorf("rule set %q, level %s: negative threshold or days", s.Name, l)
			}
		}
	}
	return r, nil
}

// InForce returns the rule set in force on a day, or nil before the first.
func (r Rules) InForce(day calendar.Day) *RuleSet {
	var cur *RuleSet
	for i := range r {
		if r[i].From <= day {
			cur = &r[i]
		}
	}
	return cur
}

// Verification is a class's daily-verification status on one day.
type Verification struct {
	Class *Class
	// Until is the last day of daily verification.
	Until calendar.Day
	// Why says what put the class under verification, for the head
	// teacher: "5 casi dal 10/02/2022" or "decisione del dirigente".
	Why string
}

// UnderVerification returns the classes under daily verification on a day,
// in the order given.
func UnderVerification(classes []Class, rules Rules, day calendar.Day) []Verification {
	var out []Verification
	for i := range classes {
		if v, ok := status(&classes[i], rules, day); ok {
			out = append(out, v)
		}
	}
	return out
}

// status applies the rules to one class.
func status(c *Class, rules Rules, day calendar.Day) (Verification, bool) {
	if c.VerifyUntil != nil {
		if day <= *c.VerifyUntil {
			return Verification{Class: c, Until: *c.VerifyUntil, Why: "decisione del dirigente"}, true
		}
		return Verification{}, false
	}
	rs := rules.InForce(day)
	if rs == nil {
		return Verification{}, false
	}
	lr := rs.Levels[c.Level]
	if lr.Threshold <= 0 {
		return Verification{}, false
	}
	first, last, n := lastEpisode(c.Cases, day, rs.EpisodeGapDays)
	if n < lr.Threshold {
		return Verification{}, false
	}
	until := last + calendar.Day(lr.Days)
	if day > until {
		return Verification{}, false
	}
	return Verification{Class: c, Until: until, Why: fmt.Sprintf("%d casi dal %s", n, first.Italian())}, true
}

// lastEpisode finds, among the cases found up to day, the last episode: the
// longest run ending with the latest case in which each case is within gap
// days of the previous one. It returns the run's first and last day and its
// number of cases.
func lastEpisode(cases []calendar.Day, day calendar.Day, gap int) (first, last calendar.Day, n int) {
	seen := make([]calendar.Day, 0, len(cases))
	for _, c := range cases {
		if c <= day {
			seen = append(seen, c)
		}
	}
	if len(seen) == 0 {
		return 0, 0, 0
	}
	sort.Slice(seen, func(i, j int) bool { return seen[i] < seen[j] })
	last = seen[len(seen)-1]
	first, n = last, 1
	for i := len(seen) - 2; i >= 0; i-- {
		if first-seen[i] > calendar.Day(gap) {
			break
		}
		first = seen[i]
		n++
	}
	return first, last, n
}
