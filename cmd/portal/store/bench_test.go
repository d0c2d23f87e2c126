package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/cmd/portal/store/pgtest"
	"github.com/scuola/kiosk/privacy/report"
)

// A school year of the region: 5,000 plessi, two reports a week for 35
// weeks, each with ten classes.
const (
	benchSchools = 5000
	benchDays    = 70
	yearReports  = benchSchools * benchDays
)

// BenchmarkIngestYear stores day reports as the schools send them, many
// at once (16 writers), in the order of a year: every plesso's first day,
// then every plesso's second. One op is one report; s/year is the time a
// whole year of the region takes at that rate (run with -benchtime
// 350000x for the year itself).
func BenchmarkIngestYear(b *testing.B) {
	for _, backend := range []struct {
		name string
		dsn  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "portal.db") }},
		{"postgres", func(b *testing.B) string { return pgtest.DSN(b) }},
	} {
		b.Run(backend.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := store.Open(ctx, backend.dsn(b))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			schools := make([]store.School, benchSchools)
			hashes := make([]string, benchSchools)
			for i := range schools {
				schools[i] = store.School{Code: fmt.Sprintf("LO%08d", i), Name: "Plesso", ATS: fmt.Sprintf("ATS %d", i%8), Sentinel: true, Pupils619: 300}
				hashes[i] = fmt.Sprint(i)
			}
			if _, err := s.ImportSchools(ctx, schools, hashes); err != nil {
				b.Fatal(err)
			}
			classes := make([]report.Class, 10)
			for i := range classes {
				classes[i] = report.Class{Name: fmt.Sprintf("%dA", i+1), Enrolled: 30, Absent: 1, AbsentIllness: report.Int(1)}
			}
			a := report.Absences{Enrolled: 300, Absent: 10, AbsentIllness: report.Int(10), ClassesUnderMeasure: report.Int(0), Classes: classes}
			start := time.Date(2025, 9, 15, 0, 0, 0, 0, time.UTC)
			var next atomic.Int64
			b.SetParallelism(8) // 16 writers on 2 cores
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n := int(next.Add(1) - 1)
					day := start.AddDate(0, 0, (n/benchSchools)%benchDays*5/2).Format(time.DateOnly)
					if _, err := s.PutAbsences(ctx, schools[n%benchSchools].Code, day, a, start); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*yearReports, "s/year")
		})
	}
}
