package watch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/verify/calendar"
)

// today is the pages' day: a Monday of the epidemic's rise, before the
// sentinels' reports of the day have all arrived.
var today = time.Date(2027, 2, 22, 16, 30, 0, 0, calendar.Rome)

// viewers are the test's people, by the name the request carries in the
// X-Viewer header (the outer handler's session, played).
var viewers = map[string]Viewer{
	"rossi":   {Name: "Dr. Anna Rossi", ATS: "ATS Insubria", CSRF: "tok-rossi", Lang: lang.IT},
	"smith":   {Name: "Dr. John Smith", ATS: "ATS Insubria", CSRF: "tok-smith", Lang: lang.EN},
	"regione": {Name: "Regione Lombardia", Regional: true, CSRF: "tok-reg", Lang: lang.IT},
	"bianchi": {Name: "Dr. Carlo Bianchi", ATS: "ATS Montagna", CSRF: "tok-bianchi", Lang: lang.IT},
}

// fixture is an ATS with a generated season with an epidemic, a second
// ATS with a quiet one, a sentinel that never reports and the plessi that
// are not sentinels, served by Pages.
type fixture struct {
	st store.Store
	ts *httptest.Server
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	st := openStore(t)
	ctx := context.Background()
	storeSeason(t, st, "ATS Insubria", true)
	storeSeason(t, st, "ATS Montagna", false)
	for _, sc := range []store.School{
		{Code: "VAEE09900X", Name: "Primaria «Gianni Rodari»", ATS: "ATS Insubria", Sentinel: true, Pupils619: 250},
		{Code: "VAIC80000A", Name: "Altri plessi dell'ATS", ATS: "ATS Insubria", Pupils619: 40000},
		{Code: "SOIC80000A", Name: "Altri plessi della Montagna", ATS: "ATS Montagna", Pupils619: 90000},
	} {
		if err := st.AddSchool(ctx, sc, sc.Code); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{st: st}
	h := Pages(st, Options{
		Viewer: func(r *http.Request) (Viewer, bool) {
			v, ok := viewers[r.Header.Get("X-Viewer")]
			if c, err := r.Cookie("viewer"); err == nil && !ok {
				v, ok = viewers[c.Value]
			}
			return v, ok
		},
		Now: func() time.Time { return today },
	})
	f.ts = httptest.NewServer(h)
	t.Cleanup(f.ts.Close)
	return f
}

// do sends a request as a viewer ("" for nobody) and returns the answer
// without following a redirect.
func (f *fixture) do(t testing.TB, who, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	rq, err := http.NewRequest(method, f.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		rq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if who != "" {
		rq.Header.Set("X-Viewer", who)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(rq)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func wantIn(t testing.TB, what, body string, texts ...string) {
	t.Helper()
	for _, x := range texts {
		if !strings.Contains(body, x) {
			t.Errorf("%s: no %q in\n%s", what, x, body)
		}
	}
}

func wantNotIn(t testing.TB, what, body string, texts ...string) {
	t.Helper()
	for _, x := range texts {
		if strings.Contains(body, x) {
			t.Errorf("%s: %q shown", what, x)
		}
	}
}

func TestNobodyIsRefused(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/ats/", "/ats/alarms", "/ats/settings", "/ats/export.csv", "/ats/summary.pdf", "/ats/schools/SOEE00000"} {
		if resp, _ := f.do(t, "", "GET", path, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET %s without a viewer: %d", path, resp.StatusCode)
		}
	}
	if resp, _ := f.do(t, "", "POST", "/ats/settings", url.Values{"method": {"c1"}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST without a viewer: %d", resp.StatusCode)
	}
}

func TestOperatorDashboard(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do(t, "rossi", "GET", "/ats/", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("dashboard: %d %s", resp.StatusCode, body)
	}
	// 4 × 600 + 250 sentinel pupils of 42,650: 6.2%, the 5% met; today's
	// reports are in, except the sentinel that never reports.
	wantIn(t, "dashboard", body, "2650 su 42650 (6,2 %; obiettivo 5,0 %)", "Obiettivo raggiunto", "22/02/2027",
		"VAEE09900X", "Primaria «Gianni Rodari»", `<polyline class="upper"`, `<polyline class="expected"`, `<circle class="alarm"`,
		`href="/ats/schools/InEE00000"`, "Tutta l&#39;ATS")
	wantNotIn(t, "dashboard", body, "ATS Montagna", "MoEE")
	_, body = f.do(t, "smith", "GET", "/ats/", nil)
	wantIn(t, "English dashboard", body, "2650 of 42650", "Target met", "alarm threshold")
}
