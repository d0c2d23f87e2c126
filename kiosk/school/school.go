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
	"errors"
	"fmt"
	"maps"
	"slices"
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
	Name     string         `toml:"name" json:"name"`
	Level    Level          `toml:"level" json:"level"`
	Enrolled int            `toml:"enrolled" json:"enrolled"`
	Cases    []calendar.Day `toml:"cases" json:"cases,omitempty"`
	// VerifyUntil, when set, is the head teacher's own decision: the class
	// is under daily verification up to that day included, whatever the
	// rule set says (the informativa and the slides disagreed on the
	// window; the head teacher decides).
	VerifyUntil *calendar.Day `toml:"verify_until" json:"verify_until,omitempty"`
}

// Delegation is one delegate's written delegation (Allegato A): who may
// operate the school's kiosks, until when. A revoked one is kept, so that
// its badge is refused by name.
type Delegation struct {
	ID         string       `toml:"id" json:"id"`
	Name       string       `toml:"name" json:"name"`
	Role       string       `toml:"role" json:"role,omitempty"`
	ValidUntil calendar.Day `toml:"valid_until" json:"valid_until"`
	Revoked    bool         `toml:"revoked" json:"revoked,omitempty"`
}

// CheckDelegations refuses a list a kiosk could not look badges up in; the
// error starts with the delegation's index, "[1].id: …".
func CheckDelegations(ds []Delegation) error {
	ids := map[string]bool{}
	for i, d := range ds {
		switch {
		case d.ID == "" || d.Name == "":
			return fmt.Errorf("[%d]: id and name are required", i)
		case ids[d.ID]:
			return fmt.Errorf("[%d].id: delegation %q is listed twice", i, d.ID)
		case d.ValidUntil == 0:
			return fmt.Errorf("[%d].valid_until: missing: a delegation is valid until a date", i)
		}
		ids[d.ID] = true
	}
	return nil
}

// MaxEnrolled bounds a class's size: no Italian class has more pupils.
const MaxEnrolled = 100

// Check refuses a class a person could not have meant; the error names
// the field.
func (c *Class) Check() error {
	if c.Name == "" {
		return errors.New("name: missing")
	}
	if _, err := ParseLevel(string(c.Level)); err != nil {
		return fmt.Errorf("level: %w", err)
	}
	if c.Enrolled < 0 || c.Enrolled > MaxEnrolled {
		return fmt.Errorf("enrolled: %d is not a number of pupils in a class (0…%d)", c.Enrolled, MaxEnrolled)
	}
	return nil
}

// CheckClasses checks every class and that no name is used twice; the
// error starts with the class's index, "[2].level: …".
func CheckClasses(classes []Class) error {
	names := map[string]bool{}
	for i := range classes {
		c := &classes[i]
		if err := c.Check(); err != nil {
			return fmt.Errorf("[%d].%w", i, err)
		}
		if names[c.Name] {
			return fmt.Errorf("[%d].name: class %q is listed twice", i, c.Name)
		}
		names[c.Name] = true
	}
	return nil
}

// RuleSet is the law in force from a day on.
type RuleSet struct {
	Name string       `toml:"name"`
	From calendar.Day `toml:"from"`
	// EpisodeGapDays: a further case counts toward the same episode only if
	// it is found within this many days of the previous one.
	EpisodeGapDays int `toml:"episode_gap_days"`
	// Levels are the per-level rules; a level absent from the map has no
	// measure under this rule set.
	Levels map[Level]LevelRule `toml:"levels"`
}

// LevelRule is what the law sets for the classes of one level.
type LevelRule struct {
	// Threshold and Days are the short form of one step: daily
	// verification from Threshold cases in an episode until Days days
	// after its last case (0: none).
	Threshold int `toml:"threshold"`
	Days      int `toml:"days"`
	// Steps are the full form: each measure, the episode sizes it applies
	// to and its length.
	Steps []Step `toml:"steps"`
}

// Step is one measure of a level: it applies to an episode of at least
// MinCases cases (and at most MaxCases, when that is not 0), from the
// episode's first case until Days days after its last one, included. When
// several steps apply on a day, the strictest wins; so "daily verification
// for 5 days, then autosorveglianza until the tenth" is two steps.
type Step struct {
	MinCases int     `toml:"min_cases"`
	MaxCases int     `toml:"max_cases"`
	Measure  Measure `toml:"measure"`
	Days     int     `toml:"days"`
}

// Measure is what the law sets for a class on a day.
type Measure string

// The measures, from the mildest.
const (
	None Measure = "none"
	// Autosorveglianza: lessons in presence, FFP2 masks for everyone over 6.
	Autosorveglianza Measure = "autosorveglianza"
	// DailyVerification: the eligible pupils attend after a check at the
	// entrance each day; the others learn at a distance.
	DailyVerification Measure = "daily_verification"
	// Suspended: no lessons in presence for the class.
	Suspended Measure = "suspended"
)

// Measures lists the measures, from the mildest, for validation and the
// documentation.
var Measures = []Measure{None, Autosorveglianza, DailyVerification, Suspended}

// ParseMeasure checks a measure's name.
func ParseMeasure(s string) (Measure, error) {
	for _, m := range Measures {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown measure %q (want %v)", s, Measures)
}

// stricter reports whether a is a stricter measure than b.
func stricter(a, b Measure) bool { return slices.Index(Measures, a) > slices.Index(Measures, b) }

// AllSteps is every step of the level rule, the short form included.
func (lr LevelRule) AllSteps() []Step {
	if lr.Threshold <= 0 {
		return lr.Steps
	}
	return append([]Step{{MinCases: lr.Threshold, Measure: DailyVerification, Days: lr.Days}}, lr.Steps...)
}

// DefaultRuleSets are the rules of 2022. DL 5/2022 art. 6 from 5 February:
// in infanzia, up to 4 cases autosorveglianza for the educators for 10 days
// after the last case, from 5 the section is suspended for 5 days; in
// primaria, from 1 case autosorveglianza for 10 days, from 5 daily
// verification for the first 5 of them; in secondaria and IeFP the same
// from 2 cases. DL 24/2022 from 1 April: from 4 cases autosorveglianza for
// everyone for 10 days, never daily verification.
func DefaultRuleSets() []RuleSet {
	watch := Step{MinCases: 1, Measure: Autosorveglianza, Days: 10}
	verifyFrom := func(n int) LevelRule {
		return LevelRule{Steps: []Step{watch, {MinCases: n, Measure: DailyVerification, Days: 5}}}
	}
	dl24 := LevelRule{Steps: []Step{{MinCases: 4, Measure: Autosorveglianza, Days: 10}}}
	return []RuleSet{
		{
			Name: "DL 5/2022 art. 6", From: calendar.Date(2022, 2, 5), EpisodeGapDays: 5,
			Levels: map[Level]LevelRule{
				Infanzia: {Steps: []Step{
					{MinCases: 1, MaxCases: 4, Measure: Autosorveglianza, Days: 10},
					{MinCases: 5, Measure: Suspended, Days: 5},
				}},
				Primaria:    verifyFrom(5),
				Secondaria1: verifyFrom(2),
				Secondaria2: verifyFrom(2),
				IeFP:        verifyFrom(2),
			},
		},
		{Name: "DL 24/2022", From: calendar.Date(2022, 4, 1), EpisodeGapDays: 5, Levels: map[Level]LevelRule{
			Infanzia: dl24, Primaria: dl24, Secondaria1: dl24, Secondaria2: dl24, IeFP: dl24,
		}},
	}
}

// Rules is a sequence of rule sets ordered by the day they come into force.
type Rules []RuleSet

// NewRules checks the rule sets and sorts them by the day they come into
// force. An error about one set starts with its index in sets, "[1].levels:
// …", so that a form or a file can name the field.
func NewRules(sets []RuleSet) (Rules, error) {
	for i := range sets {
		if err := sets[i].check(); err != nil {
			return nil, fmt.Errorf("[%d].%w", i, err)
		}
	}
	r := append(Rules(nil), sets...)
	sort.Slice(r, func(i, j int) bool { return r[i].From < r[j].From })
	for i := 1; i < len(r); i++ {
		if r[i].From == r[i-1].From {
			return nil, fmt.Errorf(": rule sets %q and %q both come into force on %s", r[i-1].Name, r[i].Name, r[i].From)
		}
	}
	return r, nil
}

// check refuses a rule set that is incomplete or could not be meant.
func (s *RuleSet) check() error {
	switch {
	case s.Name == "":
		return errors.New("name: missing")
	case s.From == 0:
		return errors.New("from: missing: a rule set applies from a day")
	case s.EpisodeGapDays < 0 || s.EpisodeGapDays > maxDays:
		return fmt.Errorf("episode_gap_days: %d is outside 0…%d", s.EpisodeGapDays, maxDays)
	}
	for _, l := range slices.Sorted(maps.Keys(s.Levels)) {
		if _, err := ParseLevel(string(l)); err != nil {
			return fmt.Errorf("levels: %w", err)
		}
		lr := s.Levels[l]
		if lr.Threshold < 0 || lr.Days < 0 || lr.Days > maxDays {
			return fmt.Errorf("levels.%s: threshold and days must be 0 or more (days at most %d)", l, maxDays)
		}
		for j, st := range lr.Steps {
			if err := st.check(); err != nil {
				return fmt.Errorf("levels.%s.steps[%d]: %w", l, j, err)
			}
		}
	}
	return nil
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

// check refuses a step that could never apply or has no measure.
func (st Step) check() error {
	switch {
	case st.MinCases < 1:
		return errors.New("min_cases must be 1 or more")
	case st.MaxCases != 0 && st.MaxCases < st.MinCases:
		return fmt.Errorf("max_cases %d is below min_cases %d", st.MaxCases, st.MinCases)
	case st.Days < 0 || st.Days > maxDays:
		return fmt.Errorf("days must be 0 to %d", maxDays)
	case st.Measure == None || slices.Index(Measures, st.Measure) < 0:
		return fmt.Errorf("measure %q: want one of %v", st.Measure, Measures[1:])
	}
	return nil
}

// defaultEpisodeGap is the episode gap of every law so far (5 days).
const defaultEpisodeGap = 5

// maxDays bounds a measure's length: the law's longest was 10 days.
const maxDays = 60

// Status is a class's measure on one day.
type Status struct {
	Class *Class
	// Cases is the size of the class's current episode: the chain of
	// cases, each within the gap of the previous one, that ends with the
	// latest case on or before the day (0 without any).
	Cases int
	// First and Last are the episode's first and last case.
	First, Last calendar.Day
	Measure     Measure
	// Until is the last day of the measure, included (0 for None).
	Until calendar.Day
	// ByHeadTeacher: the daily verification is the head teacher's own
	// decision (VerifyUntil), not the rule set's.
	ByHeadTeacher bool
}

// StatusOn applies the rules in force on day to one class. The head
// teacher's VerifyUntil makes the class verified daily until that day,
// whatever the rules say; after it, the rules apply without their daily
// verification, since the head teacher ended it.
func (r Rules) StatusOn(c *Class, day calendar.Day) Status {
	st := Status{Class: c, Measure: None}
	rs := r.InForce(day)
	gap := defaultEpisodeGap // before any rule set, cases still form episodes
	if rs != nil {
		gap = rs.EpisodeGapDays
	}
	st.First, st.Last, st.Cases = lastEpisode(c.Cases, day, gap)
	if c.VerifyUntil != nil && day <= *c.VerifyUntil {
		st.Measure, st.Until, st.ByHeadTeacher = DailyVerification, *c.VerifyUntil, true
		return st
	}
	if rs == nil || st.Cases == 0 {
		return st
	}
	for _, step := range rs.Levels[c.Level].AllSteps() {
		end := st.Last + calendar.Day(step.Days)
		switch {
		case st.Cases < step.MinCases, step.MaxCases != 0 && st.Cases > step.MaxCases, day > end:
			continue
		case step.Measure == DailyVerification && c.VerifyUntil != nil:
			continue // the head teacher ended it
		}
		if stricter(step.Measure, st.Measure) || step.Measure == st.Measure && end > st.Until {
			st.Measure, st.Until = step.Measure, end
		}
	}
	return st
}

// Statuses returns every class's measure on a day, in the order given.
func (r Rules) Statuses(classes []Class, day calendar.Day) []Status {
	out := make([]Status, len(classes))
	for i := range classes {
		out[i] = r.StatusOn(&classes[i], day)
	}
	return out
}

// UnderVerification returns the classes under daily verification on a day,
// in the order given.
func UnderVerification(classes []Class, rules Rules, day calendar.Day) []Status {
	var out []Status
	for _, st := range rules.Statuses(classes, day) {
		if st.Measure == DailyVerification {
			out = append(out, st)
		}
	}
	return out
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
