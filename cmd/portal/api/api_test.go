package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/api"
	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/cmd/portal/store/pgtest"
	"github.com/scuola/kiosk/privacy/report"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// now is the portal's clock in these tests: 20 March 2026, 10:00 in Rome.
var now = time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)

type portal struct {
	url    string
	store  store.Store
	tokens map[string]string // code → token
}

func start(t *testing.T, dsn string, schools int, opt api.Options) *portal {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := &portal{store: s, tokens: map[string]string{}}
	for i := range schools {
		code := fmt.Sprintf("MIEE%05dA", i)
		token, hash := store.NewToken()
		if err := s.AddSchool(ctx, store.School{Code: code, Name: "Scuola", ATS: "ATS Milano", Sentinel: true}, hash); err != nil {
			t.Fatal(err)
		}
		p.tokens[code] = token
	}
	if opt.Now == nil {
		opt.Now = func() time.Time { return now }
	}
	srv := httptest.NewServer(api.New(s, opt))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

// call sends one raw request and returns the status and the error body.
func (p *portal) call(t *testing.T, method, path, token, body string) (int, report.ErrorBody, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, p.url+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e report.ErrorBody
	if resp.StatusCode >= 400 {
		if err := json.Unmarshal(raw, &e); err != nil || e.Error == "" {
			t.Errorf("%s %s: %d with a body that is not the protocol's error: %q", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, e, resp.Header
}

const (
	a    = "MIEE00000A"
	b    = "MIEE00001A"
	good = `{"enrolled": 120, "absent": 7, "absent_illness": 3, "classes": [{"name": "1A", "enrolled": 60, "absent": 4, "absent_illness": 2}]}`
)

func TestEveryStatus(t *testing.T) {
	p := start(t, filepath.Join(t.TempDir(), "portal.db"), 2, api.Options{})
	tok := p.tokens[a]
	day := "/api/v1/schools/" + a + "/absences/2026-03-19"
	for _, c := range []struct {
		name                string
		method, path, token string
		body                string
		status              int
		field               string
	}{
		{"created", "PUT", day, tok, good, 201, ""},
		{"replaced", "PUT", day, tok, good, 200, ""},
		{"today is not the future", "PUT", "/api/v1/schools/" + a + "/absences/2026-03-20", tok, `{"enrolled": 120, "absent": 9}`, 201, ""},
		{"profile created", "PUT", "/api/v1/schools/" + a + "/profile/2025-26", tok, `{"enrolled": 120, "classes": 6, "enrolled_6_19": 120}`, 201, ""},
		{"profile replaced", "PUT", "/api/v1/schools/" + a + "/profile/2025-26", tok, `{"enrolled": 121, "classes": 6, "enrolled_6_19": 121}`, 200, ""},
		{"read", "GET", "/api/v1/schools/" + a + "/absences?from=2026-03-01&to=2026-03-31", tok, "", 200, ""},

		{"malformed", "PUT", day, tok, `{"enrolled": 120,`, 400, ""},
		{"unknown field", "PUT", day, tok, `{"enrolled": 120, "absent": 1, "pupil": "Mario Rossi"}`, 400, "pupil"},
		{"mistyped", "PUT", day, tok, `{"enrolled": "120", "absent": 1}`, 400, "enrolled"},

		{"no credential", "PUT", day, "", good, 401, ""},
		{"bad credential", "PUT", day, tok + "x", good, 401, ""},
		{"another school's credential", "PUT", "/api/v1/schools/" + b + "/absences/2026-03-19", tok, good, 403, ""},
		{"another school's read", "GET", "/api/v1/schools/" + b + "/absences?from=2026-03-01&to=2026-03-31", tok, "", 403, ""},

		{"too large", "PUT", day, tok, `{"enrolled": 1, "absent": 0` + strings.Repeat(" ", report.MaxBody) + `}`, 413, ""},

		{"absent > enrolled", "PUT", day, tok, `{"enrolled": 10, "absent": 11}`, 422, "absent"},
		{"illness > absent", "PUT", day, tok, `{"enrolled": 10, "absent": 1, "absent_illness": 2}`, 422, "absent_illness"},
		{"negative", "PUT", day, tok, `{"enrolled": 10, "absent": -1}`, 422, "absent"},
		{"class sum", "PUT", day, tok, `{"enrolled": 10, "absent": 3, "classes": [{"name": "1A", "enrolled": 5, "absent": 2}, {"name": "1B", "enrolled": 5, "absent": 2}]}`, 422, "classes[1].absent"},
		{"future", "PUT", "/api/v1/schools/" + a + "/absences/2026-03-21", tok, good, 422, "date"},
		{"not a day", "PUT", "/api/v1/schools/" + a + "/absences/2026-02-30", tok, good, 422, "date"},
		{"bad year", "PUT", "/api/v1/schools/" + a + "/profile/2025-27", tok, `{"enrolled": 1, "classes": 1, "enrolled_6_19": 1}`, 422, "year"},
		{"profile 6-19 > enrolled", "PUT", "/api/v1/schools/" + a + "/profile/2025-26", tok, `{"enrolled": 1, "classes": 1, "enrolled_6_19": 2}`, 422, "enrolled_6_19"},
		{"period backwards", "GET", "/api/v1/schools/" + a + "/absences?from=2026-03-31&to=2026-03-01", tok, "", 422, "to"},
		{"period missing", "GET", "/api/v1/schools/" + a + "/absences?to=2026-03-01", tok, "", 422, "from"},
		{"period too long", "GET", "/api/v1/schools/" + a + "/absences?from=2020-01-01&to=2026-03-01", tok, "", 422, "to"},

		{"no such endpoint", "PUT", "/api/v1/schools/" + a + "/other", tok, good, 404, ""},
	} {
		status, e, _ := p.call(t, c.method, c.path, c.token, c.body)
		if status != c.status || e.Field != c.field {
			t.Errorf("%s: %d %+v, want %d field %q", c.name, status, e, c.status, c.field)
		}
	}
	// Nothing of the refused requests was stored.
	got, err := p.store.Absences(context.Background(), a, "2026-01-01", "2026-12-31")
	if err != nil || len(got) != 2 || got[0].Absent != 7 || got[1].Absent != 9 {
		t.Errorf("stored: %+v %v", got, err)
	}
	if prof, _ := p.store.Profile(context.Background(), a, "2025-26"); prof.Enrolled != 121 {
		t.Errorf("profile: %+v", prof)
	}
	if got, _ := p.store.Absences(context.Background(), b, "2026-01-01", "2026-12-31"); len(got) != 0 {
		t.Errorf("school b: %+v", got)
	}
	// The GET answer is the protocol's.
	c, _ := report.NewClient(p.url, a, tok, nil)
	days, err := c.Absences(context.Background(), "2026-03-19", "2026-03-19")
	want := report.Absences{Enrolled: 120, Absent: 7, AbsentIllness: report.Int(3),
		Classes: []report.Class{{Name: "1A", Enrolled: 60, Absent: 4, AbsentIllness: report.Int(2)}}}
	if err != nil || len(days) != 1 || days[0].Date != "2026-03-19" || !reflect.DeepEqual(days[0].Absences, want) {
		t.Errorf("GET: %+v %v", days, err)
	}
}

func TestRateLimitPerCredential(t *testing.T) {
	clock := now
	var mu sync.Mutex
	p := start(t, filepath.Join(t.TempDir(), "portal.db"), 2, api.Options{Every: time.Minute, Burst: 2,
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }})
	path := func(code string) string { return "/api/v1/schools/" + code + "/absences/2026-03-19" }
	for i, want := range []int{201, 200, 429} {
		if status, _, h := p.call(t, "PUT", path(a), p.tokens[a], good); status != want || want == 429 && h.Get("Retry-After") != "60" {
			t.Errorf("request %d: %d (Retry-After %q), want %d", i, status, h.Get("Retry-After"), want)
		}
	}
	// Another plesso has its own bucket; time refills the first one.
	if status, _, _ := p.call(t, "PUT", path(b), p.tokens[b], good); status != 201 {
		t.Errorf("the other school: %d", status)
	}
	mu.Lock()
	clock = clock.Add(time.Minute)
	mu.Unlock()
	if status, _, _ := p.call(t, "PUT", path(a), p.tokens[a], good); status != 200 {
		t.Errorf("a minute later: %d", status)
	}
}

func TestStorageFailureIs500(t *testing.T) {
	p := start(t, filepath.Join(t.TempDir(), "portal.db"), 1, api.Options{})
	p.store.Close()
	if status, _, _ := p.call(t, "PUT", "/api/v1/schools/"+a+"/absences/2026-03-19", p.tokens[a], good); status != 500 {
		t.Errorf("a closed store: %d", status)
	}
}

// 200 schools send at once, each its profile and a fortnight of days,
// every day twice (the second a correction): every answer is the one the
// protocol says and the portal ends with every last report, none lost.
func TestTwoHundredSchoolsAtOnce(t *testing.T) {
	for _, backend := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "portal.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.DSN(t) }},
	} {
		t.Run(backend.name, func(t *testing.T) {
			const schools, days = 200, 10
			p := start(t, backend.dsn(t), schools, api.Options{})
			dayOf := func(d int) string { return now.AddDate(0, 0, -d).Format(time.DateOnly) }
			reportOf := func(i, d, version int) report.Absences {
				return report.Absences{Enrolled: 300, Absent: (i+d)%50 + version, AbsentIllness: report.Int(version),
					Classes: []report.Class{{Name: "1A", Enrolled: 150, Absent: version}, {Name: "1B", Enrolled: 150, Absent: 0}}}
			}
			errs := make(chan error, schools)
			var wg sync.WaitGroup
			for i := range schools {
				code := fmt.Sprintf("MIEE%05dA", i)
				c, err := report.NewClient(p.url, code, p.tokens[code], nil)
				if err != nil {
					t.Fatal(err)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx := context.Background()
					if created, err := c.PutProfile(ctx, "2025-26", report.Profile{Enrolled: 300, Classes: 2, Enrolled619: 300}); !created || err != nil {
						errs <- fmt.Errorf("%s profile: %v %v", code, created, err)
						return
					}
					for version := range 2 {
						for d := range days {
							created, err := c.PutAbsences(ctx, dayOf(d), reportOf(i, d, version))
							if err != nil || created != (version == 0) {
								errs <- fmt.Errorf("%s %s v%d: created %v, %v", code, dayOf(d), version, created, err)
								return
							}
						}
					}
					got, err := c.Absences(ctx, dayOf(days-1), dayOf(0))
					if err != nil || len(got) != days {
						errs <- fmt.Errorf("%s read back %d days, %v", code, len(got), err)
						return
					}
					for k, g := range got {
						if d := days - 1 - k; g.Date != dayOf(d) || !reflect.DeepEqual(g.Absences, reportOf(i, d, 1)) {
							errs <- fmt.Errorf("%s %s: read %+v, want %+v", code, g.Date, g.Absences, reportOf(i, d, 1))
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}
