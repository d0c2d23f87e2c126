package watch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/cmd/portal/store/pgtest"
	"github.com/scuola/kiosk/cmd/portal/store/storetest"
	"github.com/scuola/kiosk/verify/calendar"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// BenchmarkPages times the pages of the largest ATS's operator on a school
// year of the region (1,750 plessi, 122,500 reports): the queries, the
// detector on every plesso's series and the ATS's, the chart, the
// template. One op is one page.
func BenchmarkPages(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "portal.db")
			if backend == "postgres" {
				dsn = pgtest.DSN(b)
			}
			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			ats, last := storetest.FillYear(b, st, dsn)
			day, _ := calendar.Parse(last)
			v := Viewer{Name: "bench", ATS: ats, CSRF: "x", Lang: "it"}
			h := Pages(st, Options{
				Viewer: func(*http.Request) (Viewer, bool) { return v, true },
				Now:    func() time.Time { return day.Start().Add(17 * time.Hour) },
			})
			for _, path := range []string{"/ats/", "/ats/alarms", "/ats/export.csv", "/ats/summary"} {
				b.Run(path, func(b *testing.B) {
					for b.Loop() {
						w := httptest.NewRecorder()
						h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
						if w.Code != http.StatusOK {
							b.Fatalf("%s: %d %s", path, w.Code, w.Body)
						}
					}
					b.ReportMetric(float64((b.Elapsed()/time.Duration(b.N)).Microseconds())/1000, "ms/page")
				})
			}
		})
	}
}
