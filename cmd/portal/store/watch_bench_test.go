package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/cmd/portal/store/pgtest"
	"github.com/scuola/kiosk/cmd/portal/store/storetest"
)

// BenchmarkDashboardQueries times each query of the ATS's dashboard on a
// school year of the region, for its largest ATS (1,750 plessi, 122,500
// reports): one op is one query; a mean over 200 ms fails.
func BenchmarkDashboardQueries(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "portal.db")
			if backend == "postgres" {
				dsn = pgtest.DSN(b)
			}
			ctx := context.Background()
			s, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			began := time.Now()
			ats, last := storetest.FillYear(b, s, dsn)
			b.Logf("%s: a year of %d reports stored in %v", backend, storetest.Reports, time.Since(began).Round(time.Millisecond))
			from := "2025-09-01"
			// The ATS has its settings and has reviewed a season's alarms.
			if err := s.PutSettings(ctx, store.Settings{ATS: ats, Method: "c2", Alpha: 0.001, Baseline: 7, MinSigma: 0.005, MinCount: 5, By: "x", At: 1}); err != nil {
				b.Fatal(err)
			}
			for i := range 300 {
				r := store.Review{ATS: ats, School: fmt.Sprintf("LO%08d", i), Method: "c2", Day: last, State: "seen", By: "x", At: 1}
				if err := s.PutReview(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
			for _, q := range []struct {
				name string
				run  func() (int, error)
			}{
				{"Coverage", func() (int, error) { c, err := s.Coverage(ctx, ats); return len(c.Sentinels), err }},
				{"Missing", func() (int, error) { m, err := s.Missing(ctx, ats, last); return len(m), err }},
				{"Series", func() (int, error) { d, err := s.Series(ctx, ats, from, last); return len(d), err }},
				{"SchoolDays of a week", func() (int, error) { d, err := s.SchoolDays(ctx, ats, "2026-05-11", "2026-05-17"); return len(d), err }},
				{"Absences", func() (int, error) { d, err := s.Absences(ctx, "LO00000042", from, last); return len(d), err }},
				{"Reviews", func() (int, error) { r, err := s.Reviews(ctx, ats, from, last); return len(r), err }},
				{"Settings", func() (int, error) { _, err := s.Settings(ctx, ats); return 1, err }},
			} {
				b.Run(q.name, func(b *testing.B) {
					for b.Loop() {
						if n, err := q.run(); err != nil || n == 0 {
							b.Fatalf("%d rows, %v", n, err)
						}
					}
					per := b.Elapsed() / time.Duration(b.N)
					b.ReportMetric(float64(per.Microseconds())/1000, "ms/query")
					if per > 200*time.Millisecond {
						b.Errorf("%s takes %v, over 200 ms", q.name, per)
					}
				})
			}
		})
	}
}
