package watch

import (
	"context"
	"math"
	"slices"
	"sort"

	"github.com/scuola/kiosk/cmd/portal/alarm"
	"github.com/scuola/kiosk/cmd/portal/store"
)

// series is one absence series the ATS watches: a plesso's reports, or
// the sums of all the ATS's reports of each day (School ""). The rate is
// what the detector judges (absent over enrolled): plessi differ in size
// and the ATS's sum in how many plessi reported, and a rate compares the
// days all the same.
type series struct {
	School   string // "" for the ATS as a whole
	Days     []string
	Absent   []int
	Enrolled []int
	Schools  []int       // the ATS's: plessi that reported each day
	Judged   []alarm.Day // by detect
	Alarmed  []bool      // by detect: an alarm of the settings, MinCount applied
	// Hidden days are judged but not shown: beyond the ATS, a day on which
	// fewer than MinCell plessi reported is as good as one plesso's.
	Hidden []bool
}

// shown is the rate of report i as the viewer may see it (NaN if hidden).
func (s *series) shown(i int) float64 {
	if i < len(s.Hidden) && s.Hidden[i] {
		return math.NaN()
	}
	return s.rate(i)
}

// rate is the series' value of report i.
func (s *series) rate(i int) float64 {
	if s.Enrolled[i] == 0 {
		return math.NaN() // judged on no day, left out of every baseline
	}
	return float64(s.Absent[i]) / float64(s.Enrolled[i])
}

// Alarm is one report day judged above its threshold.
type Alarm struct {
	School   string // "" for the ATS as a whole
	Method   string
	Day      string
	Absent   int
	Observed float64 // the rate, absent over enrolled
	Expected float64 // the baseline's mean rate
	Upper    float64 // the threshold: the largest rate that raises no alarm
	Review   store.Review
}

// detect judges a series with the settings and returns its alarms, oldest
// first: a day above the threshold with at least MinCount absent.
func detect(s *series, set store.Settings) ([]Alarm, error) {
	values := make([]float64, len(s.Days))
	for i := range values {
		values[i] = s.rate(i)
	}
	judged, err := alarm.Detect(values, options(set))
	if err != nil {
		return nil, err
	}
	s.Judged, s.Alarmed = judged, make([]bool, len(judged))
	var alarms []Alarm
	for i, d := range judged {
		if d.Alarm && s.Absent[i] >= set.MinCount {
			s.Alarmed[i] = true
			alarms = append(alarms, Alarm{School: s.School, Method: set.Method, Day: s.Days[i], Absent: s.Absent[i],
				Observed: values[i], Expected: d.Expected, Upper: d.Upper})
		}
	}
	return alarms, nil
}

// DayTotal is the sum of an ATS's reports of one day. The optional counts
// are nil when no plesso gave them that day.
type DayTotal struct {
	Day                 string
	Schools             int // plessi that reported
	Enrolled, Absent    int
	AbsentIllness       *int
	ClassesUnderMeasure *int
}

// dayTotals sums the plessi's reports of each day, in the order of the
// days.
func dayTotals(schools []store.Series) []DayTotal {
	byDay := map[string]*DayTotal{}
	for _, sc := range schools {
		for i, d := range sc.Days {
			t := byDay[d]
			if t == nil {
				t = &DayTotal{Day: d}
				byDay[d] = t
			}
			t.Schools++
			t.Enrolled += sc.Enrolled[i]
			t.Absent += sc.Absent[i]
			t.AbsentIllness = addGiven(t.AbsentIllness, sc.Illness[i])
			t.ClassesUnderMeasure = addGiven(t.ClassesUnderMeasure, sc.Measures[i])
		}
	}
	list := make([]DayTotal, 0, len(byDay))
	for _, t := range byDay {
		list = append(list, *t)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Day < list[j].Day })
	return list
}

// addGiven adds an optional count of a Series to a sum that is nil until
// one is given.
func addGiven(sum *int, n int) *int {
	if n == store.NotGiven {
		return sum
	}
	if sum == nil {
		sum = new(int)
	}
	*sum += n
	return sum
}

// atsSeries is the ATS-wide series of its day totals.
func atsSeries(totals []DayTotal) *series {
	s := &series{}
	for _, t := range totals {
		s.Days = append(s.Days, t.Day)
		s.Enrolled = append(s.Enrolled, t.Enrolled)
		s.Absent = append(s.Absent, t.Absent)
		s.Schools = append(s.Schools, t.Schools)
	}
	return s
}

// watched is what the pages show of an ATS over a period: its series,
// judged, and every alarm with its review.
type watched struct {
	Settings store.Settings
	Totals   []DayTotal
	ATS      *series   // of the totals, report i is Totals[i]
	Schools  []*series // nil when the viewer may not see plessi
	Alarms   []Alarm   // newest first
}

// watch judges an ATS's series from day from to day to; perSchool adds
// the plessi's own series and alarms (only the ATS itself sees them).
func watch(ctx context.Context, st store.Store, ats, from, to string, perSchool bool) (*watched, error) {
	set, err := settingsOf(ctx, st, ats)
	if err != nil {
		return nil, err
	}
	schools, err := st.Series(ctx, ats, from, to)
	if err != nil {
		return nil, err
	}
	w := &watched{Settings: set, Totals: dayTotals(schools)}
	w.ATS = atsSeries(w.Totals)
	if w.Alarms, err = detect(w.ATS, set); err != nil {
		return nil, err
	}
	if !perSchool {
		// The viewer is beyond the ATS: its days of too few plessi are
		// hidden, and so are their alarms.
		w.ATS.Hidden = make([]bool, len(w.ATS.Days))
		shown := w.Alarms[:0]
		for i, n := range w.ATS.Schools {
			w.ATS.Hidden[i] = n < MinCell
		}
		for _, a := range w.Alarms {
			if i := slices.Index(w.ATS.Days, a.Day); !w.ATS.Hidden[i] {
				shown = append(shown, a)
			}
		}
		w.Alarms = shown
	} else {
		for _, sc := range schools {
			w.Schools = append(w.Schools, &series{School: sc.School, Days: sc.Days, Enrolled: sc.Enrolled, Absent: sc.Absent})
		}
		for _, s := range w.Schools {
			a, err := detect(s, set)
			if err != nil {
				return nil, err
			}
			w.Alarms = append(w.Alarms, a...)
		}
	}
	reviews, err := st.Reviews(ctx, ats, from, to)
	if err != nil {
		return nil, err
	}
	type key struct{ school, method, day string }
	byAlarm := make(map[key]store.Review, len(reviews))
	for _, r := range reviews {
		byAlarm[key{r.School, r.Method, r.Day}] = r
	}
	for i := range w.Alarms {
		a := &w.Alarms[i]
		r, ok := byAlarm[key{a.School, a.Method, a.Day}]
		if !ok {
			r = store.Review{ATS: ats, School: a.School, Method: a.Method, Day: a.Day, State: "new"}
		}
		a.Review = r
	}
	sort.SliceStable(w.Alarms, func(i, j int) bool {
		if w.Alarms[i].Day != w.Alarms[j].Day {
			return w.Alarms[i].Day > w.Alarms[j].Day
		}
		return w.Alarms[i].School < w.Alarms[j].School
	})
	return w, nil
}
