// Package storetest fills a portal store with a school year of the
// region, fast, for the benchmarks of the store and of the ATS's pages.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
)

// The region's year: 5,000 plessi, two reports a week for 35 weeks.
const (
	Schools = 5000
	Days    = 70
	Reports = Schools * Days
)

// The region's ATSs as Lombardia's eight are, by their share of the
// plessi: the metropolitan ATS of Milan holds about a third.
var ATSShares = []struct {
	name  string
	share float64
}{
	{"ATS Milano", 0.35}, {"ATS Insubria", 0.13}, {"ATS Brianza", 0.12}, {"ATS Bergamo", 0.11},
	{"ATS Brescia", 0.11}, {"ATS Val Padana", 0.07}, {"ATS Pavia", 0.06}, {"ATS Montagna", 0.05},
}

// FillYear fills a new store, opened on dsn, with a school year of the
// region: 5,000 sentinel plessi and their two reports a week for 35 weeks
// (350,000 reports, one in fifty plessi missing the last day's), written
// in one transaction of multi-row INSERTs through database/sql (the
// Store's one-report-a-transaction path would take minutes). It returns
// the largest ATS and the year's last report day.
func FillYear(b testing.TB, s store.Store, dsn string) (ats, last string) {
	b.Helper()
	driver, source := "sqlite", "file:"+dsn+"?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)"
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		driver, source = "pgx", dsn
	}
	ctx := context.Background()
	schools := make([]store.School, 0, Schools)
	hashes := make([]string, 0, Schools)
	for _, a := range ATSShares {
		for range int(a.share * Schools) {
			i := len(schools)
			schools = append(schools, store.School{Code: fmt.Sprintf("LO%08d", i), Name: fmt.Sprintf("Plesso %d", i), ATS: a.name, Sentinel: true, Pupils619: 300 + i%200})
			hashes = append(hashes, fmt.Sprint(i))
		}
	}
	if _, err := s.ImportSchools(ctx, schools, hashes); err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open(driver, source)
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
	for d := range Days {
		// Mondays and Thursdays: 0, 3, 7, 10, … days after the start.
		day := start.AddDate(0, 0, d/2*7+d%2*3)
		last = day.Format(time.DateOnly)
		for i, sc := range schools {
			if d == Days-1 && i%50 == 0 {
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
	return ATSShares[0].name, last
}
