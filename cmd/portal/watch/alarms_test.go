package watch

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/alarm/alarmtest"
	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/privacy/report"
)

// seasonSchools is the plessi of a generated ATS: each a season of its own
// seed, the epidemic (if any) in all of them at once.
const seasonSchools = 4

// storeSeason stores a generated season of an ATS's sentinel plessi, as
// their reports would arrive, and returns the store and one season (for
// the dates of the epidemic's rise).
func storeSeason(t testing.TB, st store.Store, ats string, epidemic bool) alarmtest.Season {
	t.Helper()
	ctx := context.Background()
	var first alarmtest.Season
	for i := range seasonSchools {
		code := fmt.Sprintf("%.2sEE%05d", ats[4:], i)
		sc := store.School{Code: code, Name: fmt.Sprintf("Primaria n. %d", i+1), ATS: ats, Sentinel: true, Pupils619: alarmtest.Enrolled}
		if err := st.AddSchool(ctx, sc, code); err != nil {
			t.Fatal(err)
		}
		s := alarmtest.NewSeason(uint64(i+1), epidemic)
		if i == 0 {
			first = s
		}
		for k, d := range s.Dates {
			a := report.Absences{Enrolled: alarmtest.Enrolled, Absent: int(s.Absent[k]), AbsentIllness: report.Int(int(s.Absent[k]) / 2), ClassesUnderMeasure: report.Int(0)}
			if _, err := st.PutAbsences(ctx, code, d.Format(time.DateOnly), a, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	return first
}

func openStore(t testing.TB) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A season with an outbreak (baseline 2–4% absent, a rise to 9% in
// February) raises alarms during the rise, of the ATS as a whole and of
// its plessi, at the defaults and at each method's own; the same season
// without the outbreak raises no alarm of the ATS in the whole year at
// the defaults (their min sigma of half a point keeps the winter's slow
// rise from alarming), and none of a plesso with a minimum of 7% of its
// pupils absent (42 of 600).
func TestSeasonRaisesTheOutbreak(t *testing.T) {
	st := openStore(t)
	ep := storeSeason(t, st, "ATS Insubria", true)
	storeSeason(t, st, "ATS Montagna", false)
	ctx := context.Background()
	rise := [2]string{ep.Dates[ep.Ramp[0]].Format(time.DateOnly), ep.Dates[ep.Ramp[1]+2].Format(time.DateOnly)}
	count := func(alarms []Alarm, from, to string) (ats, schools int) {
		for _, a := range alarms {
			if a.Day >= from && a.Day < to {
				if a.School == "" {
					ats++
				} else {
					schools++
				}
			}
		}
		return ats, schools
	}
	minCount := DefaultSettings
	minCount.MinCount = 42
	for _, c := range []struct {
		set                 store.Settings
		quietATS, quietEach bool // no alarm in the quiet year: of the ATS, of each plesso
	}{
		{DefaultSettings, true, false},
		{minCount, true, true},
		{store.Settings{Method: "c1", Alpha: 0.001, Baseline: 7, MinSigma: 0.005, MinCount: 5}, false, false},
		{store.Settings{Method: "c3", Alpha: 0.025, Baseline: 7, MinSigma: 0.005, MinCount: 5}, false, false},
		{store.Settings{Method: "ewma", Alpha: 0.01, Baseline: 28, MinCount: 5}, false, false},
	} {
		set := c.set
		for _, ats := range []string{"ATS Insubria", "ATS Montagna"} {
			set.ATS = ats
			if err := st.PutSettings(ctx, set); err != nil {
				t.Fatal(err)
			}
		}
		w, err := watch(ctx, st, "ATS Insubria", "2026-09-01", "2027-08-31", true)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range w.Alarms {
			if a.Review.State != "new" || a.Method != set.Method || !(a.Observed > a.Upper) || a.Absent < set.MinCount {
				t.Errorf("%+v: alarm %+v", set, a)
			}
		}
		atsRise, schoolsRise := count(w.Alarms, rise[0], rise[1])
		if atsRise == 0 || schoolsRise == 0 {
			t.Errorf("%+v: %d alarms of the ATS and %d of plessi in the rise %v", set, atsRise, schoolsRise, rise)
		}
		quiet, err := watch(ctx, st, "ATS Montagna", "2026-09-01", "2027-08-31", true)
		if err != nil {
			t.Fatal(err)
		}
		atsQuiet, schoolsQuiet := count(quiet.Alarms, "2026-09-01", "2027-08-31")
		if c.quietATS && atsQuiet > 0 || c.quietEach && schoolsQuiet > 0 {
			t.Errorf("%+v: %d alarms of the ATS and %d of plessi in the quiet year: %+v", set, atsQuiet, schoolsQuiet, quiet.Alarms)
		}
		t.Logf("%-4s min count %2d: rise %d ATS alarms, %d of plessi; quiet year %d ATS alarms, %d of plessi",
			set.Method, set.MinCount, atsRise, schoolsRise, atsQuiet, schoolsQuiet)
	}
}
