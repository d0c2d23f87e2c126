package outbox

import (
	"context"
	"fmt"

	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
)

// Prefill is what the office already knows of a report's numbers, so
// that the secretary types only the day's absent pupils.
type Prefill struct {
	School   string // the plesso's code
	Enrolled int    // the classes' enrolled pupils, summed
	Classes  []store.Class
	// Enrolled619 is the pre-fill of the pupils aged 6–19: the enrolled of
	// primaria, secondaria and IeFP (secondary too, pupils of 14–17), not
	// of infanzia; the school corrects it for its pupils over 19 or under 6.
	Enrolled619 int
	// UnderMeasure counts the classes under a health measure that day
	// (daily verification or suspension), as the measures page computes
	// them from the rule sets.
	UnderMeasure int
}

// Prefilled reads the pre-fill of day from the office's database.
func Prefilled(ctx context.Context, st *store.Store, day calendar.Day) (Prefill, error) {
	sc, err := st.School(ctx)
	if err != nil {
		return Prefill{}, err
	}
	cs, err := st.Classes(ctx)
	if err != nil {
		return Prefill{}, err
	}
	rules, err := st.Rules(ctx)
	if err != nil {
		return Prefill{}, err
	}
	p := Prefill{School: sc.Code, Classes: cs}
	classes := make([]school.Class, len(cs))
	for i, c := range cs {
		classes[i] = c.Class
		p.Enrolled += c.Enrolled
		if c.Level != school.Infanzia {
			p.Enrolled619 += c.Enrolled
		}
	}
	for _, s := range rules.Statuses(classes, day) {
		if s.Measure == school.DailyVerification || s.Measure == school.Suspended {
			p.UnderMeasure++
		}
	}
	return p, nil
}

// SchoolYear is the school year of a day, like 2025-26: it starts on
// the 1st of September.
func SchoolYear(day calendar.Day) string {
	y := day.Time().Year()
	if day.Time().Month() < 9 {
		y--
	}
	return fmt.Sprintf("%d-%02d", y, (y+1)%100)
}
