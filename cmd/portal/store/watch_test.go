package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/privacy/report"
)

// Two ATSs: in Brianza two sentinels of four plessi, one of which missed
// Thursday's report; the other ATS's reports never show in Brianza's.
func TestWatchQueries(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		list := []store.School{
			{Code: "B1", Name: "Primaria Manzoni", ATS: "ATS Brianza", Sentinel: true, Pupils619: 300},
			{Code: "B2", Name: "Liceo Volta", ATS: "ATS Brianza", Sentinel: true, Pupils619: 200},
			{Code: "B3", Name: "Media Parini", ATS: "ATS Brianza", Pupils619: 4500},
			{Code: "B4", Name: "Infanzia Rodari", ATS: "ATS Brianza", Pupils619: 5000},
			{Code: "M1", Name: "Primaria Milano", ATS: "ATS Milano", Sentinel: true, Pupils619: 400},
		}
		if _, err := s.ImportSchools(ctx, list, []string{"h1", "h2", "h3", "h4", "h5"}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ATSs(ctx); err != nil || !reflect.DeepEqual(got, []string{"ATS Brianza", "ATS Milano"}) {
			t.Errorf("ATSs: %v %v", got, err)
		}
		c, err := s.Coverage(ctx, "ATS Brianza")
		if err != nil || c.Pupils619 != 10000 || c.SentinelPupils619 != 500 || c.Share() != 0.05 || len(c.Sentinels) != 2 ||
			c.Sentinels[0].Code != "B1" || c.Sentinels[1].Name != "Liceo Volta" || !c.Sentinels[1].HasToken {
			t.Errorf("Coverage: %+v %v", c, err)
		}
		if c, _ := s.Coverage(ctx, "ATS Nessuna"); c.Share() != 0 || len(c.Sentinels) != 0 {
			t.Errorf("the coverage of an ATS without plessi: %+v", c)
		}
		put := func(code, day string, a report.Absences) {
			t.Helper()
			if _, err := s.PutAbsences(ctx, code, day, a, at); err != nil {
				t.Fatal(err)
			}
		}
		put("B1", "2026-03-09", report.Absences{Enrolled: 300, Absent: 9, AbsentIllness: report.Int(5), ClassesUnderMeasure: report.Int(1),
			Classes: []report.Class{{Name: "1A", Enrolled: 300, Absent: 9}}})
		put("B2", "2026-03-09", report.Absences{Enrolled: 200, Absent: 6})
		put("B1", "2026-03-12", report.Absences{Enrolled: 300, Absent: 12, ClassesUnderMeasure: report.Int(0)})
		put("M1", "2026-03-12", report.Absences{Enrolled: 400, Absent: 40})
		if got, err := s.Missing(ctx, "ATS Brianza", "2026-03-12"); err != nil || len(got) != 1 || got[0].Code != "B2" {
			t.Errorf("Missing: %+v %v", got, err)
		}
		if got, _ := s.Missing(ctx, "ATS Brianza", "2026-03-09"); len(got) != 0 {
			t.Errorf("Missing on a full day: %+v", got)
		}
		days, err := s.SchoolDays(ctx, "ATS Brianza", "2026-03-01", "2026-03-31")
		wantDays := []store.SchoolDay{
			{School: "B1", Day: "2026-03-09", Enrolled: 300, Absent: 9, AbsentIllness: report.Int(5), ClassesUnderMeasure: report.Int(1)},
			{School: "B1", Day: "2026-03-12", Enrolled: 300, Absent: 12, ClassesUnderMeasure: report.Int(0)},
			{School: "B2", Day: "2026-03-09", Enrolled: 200, Absent: 6},
		}
		if err != nil || !reflect.DeepEqual(days, wantDays) {
			t.Errorf("SchoolDays:\n got %+v %v\nwant %+v", days, err, wantDays)
		}
		series, err := s.Series(ctx, "ATS Brianza", "2026-03-01", "2026-03-31")
		wantSeries := []store.Series{
			{School: "B1", Days: []string{"2026-03-09", "2026-03-12"}, Enrolled: []int{300, 300}, Absent: []int{9, 12}, Illness: []int{5, store.NotGiven}, Measures: []int{1, 0}},
			{School: "B2", Days: []string{"2026-03-09"}, Enrolled: []int{200}, Absent: []int{6}, Illness: []int{store.NotGiven}, Measures: []int{store.NotGiven}},
		}
		if err != nil || !reflect.DeepEqual(series, wantSeries) {
			t.Errorf("Series:\n got %+v %v\nwant %+v", series, err, wantSeries)
		}
		if got, err := s.Series(ctx, "ATS Brianza", "2026-03-10", "2026-03-11"); len(got) != 0 || err != nil {
			t.Errorf("Series of days without reports: %+v %v", got, err)
		}
		// Reports that arrive late come back in the order of their days.
		put("B2", "2026-03-05", report.Absences{Enrolled: 200, Absent: 4, AbsentIllness: report.Int(0)})
		put("B2", "2026-03-02", report.Absences{Enrolled: 200, Absent: 3})
		series, _ = s.Series(ctx, "ATS Brianza", "2026-03-01", "2026-03-31")
		if len(series) != 2 || !reflect.DeepEqual(series[1].Days, []string{"2026-03-02", "2026-03-05", "2026-03-09"}) || !reflect.DeepEqual(series[1].Absent, []int{3, 4, 6}) ||
			!reflect.DeepEqual(series[1].Illness, []int{store.NotGiven, 0, store.NotGiven}) {
			t.Errorf("Series after late reports: %+v", series)
		}
	})
}

func TestSettingsAndReviews(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, _ string) {
		ctx := context.Background()
		if _, err := s.Settings(ctx, "ATS Brianza"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("no settings: %v", err)
		}
		set := store.Settings{ATS: "ATS Brianza", Method: "c3", Alpha: 0.01, Baseline: 9, MinSigma: 0.002, MinCount: 6, By: "Dr. Rossi", At: 100}
		if err := s.PutSettings(ctx, set); err != nil {
			t.Fatal(err)
		}
		set.Method, set.MinCount, set.At = "ewma", 4, 200
		if err := s.PutSettings(ctx, set); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Settings(ctx, "ATS Brianza"); got != set || err != nil {
			t.Errorf("Settings: %+v %v", got, err)
		}
		first := store.Review{ATS: "ATS Brianza", School: "", Method: "c2", Day: "2026-03-12", State: "seen", By: "Dr. Rossi", At: 300}
		other := store.Review{ATS: "ATS Brianza", School: "B1", Method: "c2", Day: "2026-03-12", State: "dismissed", Note: "gita scolastica", By: "Dr. Rossi", At: 300}
		for _, r := range []store.Review{first, other, {ATS: "ATS Milano", Method: "c2", Day: "2026-03-12", State: "seen", By: "x", At: 1}} {
			if err := s.PutReview(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		first.State, first.Note, first.At = "dismissed", "sciopero", 400
		if err := s.PutReview(ctx, first); err != nil {
			t.Fatal(err)
		}
		got, err := s.Reviews(ctx, "ATS Brianza", "2026-03-01", "2026-03-31")
		if err != nil || !reflect.DeepEqual(got, []store.Review{first, other}) {
			t.Errorf("Reviews: %+v %v", got, err)
		}
		if err := s.PutReview(ctx, store.Review{ATS: "ATS Brianza", Method: "c2", Day: "2026-03-13", State: "forgotten"}); err == nil {
			t.Error("a review of an unknown state was kept")
		}
	})
}
