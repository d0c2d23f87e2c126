package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/cmd/portal/store/pgtest"
)

// The region's ATSs as Lombardia's eight are, by their share of the
// plessi: the metropolitan ATS of Milan holds about a third.
var benchATSShares = []struct {
	name  string
	share float64
}{
	{"ATS Milano", 0.35}, {"ATS Insubria", 0.13}, {"ATS Brianza", 0.12}, {"ATS Bergamo", 0.11},
	{"ATS Brescia", 0.11}, {"ATS Val Padana", 0.07}, {"ATS Pavia", 0.06}, {"ATS Montagna", 0.05},
}

// benchYear fills a store with a school year of the region: 5,000 sentinel
// plessi and their two reports a week for 35 weeks (350,000 reports),
// written in one transaction of multi-row INSERTs through database/sql
// (the Store's one-report-a-transaction path would take minutes). It
// returns the largest ATS and the year's last report day.
func benchYear(b *testing.B, s store.Store, driver, dsn string) (ats, last string) {
	b.Helper()
	ctx := context.Background()
	schools := make([]store.School, 0, benchSchools)
	hashes := make([]string, 0, benchSchools)
	for _, a := range benchATSShares {
		for range int(a.share * benchSchools) {
			i := len(schools)
			schools = append(schools, store.School{Code: fmt.Sprintf("LO%08d", i), Name: fmt.Sprintf("Plesso %d", i), ATS: a.name, Sentinel: true, Pupils619: 300 + i%200})
			hashes = append(hashes, fmt.Sprint(i))
		}
	}
	if _, err := s.ImportSchools(ctx, schools, hashes); err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	start := time.Date(2025, 9, 15, 0, 0, 0, 0, time.UTC) // a Monday
	// Rows of 7 parameters per INSERT: SQLite binds $N by name, the
	// slower the more there are (500 rows a statement took a minute).
	const perStatement = 50
	var q strings.Builder
	args := make([]any, 0, 7*perStatement)
	flush := func() {
		if len(args) == 0 {
			return
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			b.Fatal(err)
		}
		q.Reset()
		args = args[:0]
	}
	for d := range benchDays {
		// Mondays and Thursdays: 0, 3, 7, 10, … days after the start.
		day := start.AddDate(0, 0, d/2*7+d%2*3)
		last = day.Format(time.DateOnly)
		for i, sc := range schools {
			if d == benchDays-1 && i%50 == 0 {
				continue // one in fifty has not reported the last day yet
			}
			if len(args) == 0 {
				q.WriteString(`INSERT INTO absences (school, day, enrolled, absent, absent_illness, classes_under_measure, received_at) VALUES `)
			} else {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
			absent := 5 + (i*7+d*13)%20
			args = append(args, sc.Code, last, 320, absent, absent/2, (i+d)%3, day.Unix())
			if len(args) == 7*perStatement {
				flush()
			}
		}
	}
	flush()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// What autovacuum does after a day's reports: statistics for the
	// planner and the visibility map that lets an index answer alone.
	maintain := `ANALYZE`
	if driver == "pgx" {
		maintain = `VACUUM ANALYZE`
	}
	if _, err := db.ExecContext(ctx, maintain); err != nil {
		b.Fatal(err)
	}
	return benchATSShares[0].name, last
}

// BenchmarkDashboardQueries times each query of the ATS's dashboard on a
// school year of the region, for its largest ATS (1,750 plessi, 122,500
// reports): one op is one query; a mean over 200 ms fails.
func BenchmarkDashboardQueries(b *testing.B) {
	for _, backend := range []struct{ name, driver string }{{"sqlite", "sqlite"}, {"postgres", "pgx"}} {
		b.Run(backend.name, func(b *testing.B) {
			var dsn, driverDSN string
			if backend.name == "sqlite" {
				dsn = filepath.Join(b.TempDir(), "portal.db")
				driverDSN = "file:" + dsn + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)"
			} else {
				dsn = pgtest.DSN(b)
				driverDSN = dsn
			}
			ctx := context.Background()
			s, err := store.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			began := time.Now()
			ats, last := benchYear(b, s, backend.driver, driverDSN)
			b.Logf("%s: a year of %d reports stored in %v", backend.name, yearReports, time.Since(began).Round(time.Millisecond))
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
