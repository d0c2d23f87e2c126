package watch

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	gopng "image/png"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/alarm"
	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/privacy/report"
	"github.com/scuola/kiosk/testdata/poppler"
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
	return newFixtureAt(t, today)
}

// newFixtureAt is newFixture with the pages' clock at now.
func newFixtureAt(t testing.TB, now time.Time) *fixture {
	t.Helper()
	return newFixtureWith(t, Options{Now: func() time.Time { return now }})
}

// newFixtureWith is newFixture with o's clock and rates (its Viewer is
// the test's).
func newFixtureWith(t testing.TB, o Options) *fixture {
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
		Now:   o.Now,
		Every: o.Every,
		Burst: o.Burst,
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

// A national holiday is no sentinel day: on Easter Monday the list is of
// the Thursday before, and as that Thursday fell in the region's Easter
// break (nobody reported) the page says the schools were probably closed
// instead of leaving every sentinel listed as missing without a word.
func TestDashboardSkipsHolidays(t *testing.T) {
	for day, want := range map[string]string{
		"2027-03-29": "2027-03-25", // Easter Monday
		"2027-11-01": "2027-10-28", // All Saints, a Monday
		"2026-12-08": "2026-12-07", // the Immaculate Conception, a Tuesday
		"2027-02-22": "2027-02-22",
	} {
		d, _ := calendar.Parse(day)
		if got := lastSentinelDay(d).String(); got != want {
			t.Errorf("last sentinel day on %s: %s, want %s", day, got, want)
		}
	}
	f := newFixtureAt(t, time.Date(2027, 3, 29, 16, 30, 0, 0, calendar.Rome))
	_, body := f.do(t, "rossi", "GET", "/ats/", nil)
	wantIn(t, "Easter Monday's dashboard", body, "25/03/2027", `id="closed"`, "non manca nulla", "VAEE09900X")
	_, body = newFixture(t).do(t, "rossi", "GET", "/ats/", nil)
	wantNotIn(t, "an ordinary Monday's dashboard", body, `id="closed"`)
}

// Each viewer has a rate: past the burst the pages answer 429 with when
// to retry, in the viewer's language, and another viewer is not slowed.
func TestViewerRate(t *testing.T) {
	var later atomic.Bool // the clock, moved on between requests
	f := newFixtureWith(t, Options{Now: func() time.Time {
		if later.Load() {
			return today.Add(2 * time.Second)
		}
		return today
	}, Every: 2 * time.Second, Burst: 2})
	for i := range 2 {
		if resp, _ := f.do(t, "rossi", "GET", "/ats/alarms", nil); resp.StatusCode != 200 {
			t.Fatalf("request %d of the burst: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := f.do(t, "rossi", "GET", "/ats/", nil)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "2" {
		t.Fatalf("past the burst: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	wantIn(t, "429 page", body, "Troppe richieste")
	if resp, _ := f.do(t, "smith", "GET", "/ats/", nil); resp.StatusCode != 200 {
		t.Errorf("another viewer: %d", resp.StatusCode)
	}
	later.Store(true)
	if resp, _ := f.do(t, "rossi", "GET", "/ats/", nil); resp.StatusCode != 200 {
		t.Errorf("two seconds later: %d", resp.StatusCode)
	}
}

// The Region picks an ATS and sees its aggregates: the coverage, who has
// not reported, the ATS's chart and alarms; no plesso's series, no
// plesso's alarms or weekly row, and it changes nothing.
func TestRegionalSeesAggregatesOnly(t *testing.T) {
	f := newFixture(t)
	_, body := f.do(t, "regione", "GET", "/ats/?ats="+url.QueryEscape("ATS Insubria"), nil)
	wantIn(t, "regional dashboard", body, `<option selected>ATS Insubria</option>`, "<option>ATS Montagna</option>", "2650 su 42650",
		`<polyline class="upper"`, "Tutta l&#39;ATS", "VAEE09900X", `href="/ats/alarms?ats=ATS&#43;Insubria"`)
	wantNotIn(t, "regional dashboard", body, `href="/ats/schools/`, "Primaria n. 1 (InEE00000)")
	_, body = f.do(t, "regione", "GET", "/ats/alarms?ats="+url.QueryEscape("ATS Insubria"), nil)
	wantIn(t, "regional alarms", body, "Tutta l&#39;ATS", "Sola lettura")
	wantNotIn(t, "regional alarms", body, "InEE0000", `<form method="post" action="/ats`)
	_, body = f.do(t, "regione", "GET", "/ats/settings?ats="+url.QueryEscape("ATS Insubria"), nil)
	wantIn(t, "regional settings", body, `<fieldset disabled class="plain">`, "Sola lettura")
	wantNotIn(t, "regional settings", body, `id="save"`)
	if resp, _ := f.do(t, "regione", "GET", "/ats/schools/InEE00000?ats="+url.QueryEscape("ATS Insubria"), nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a plesso's page to the Region: %d", resp.StatusCode)
	}
	_, body = f.do(t, "regione", "GET", "/ats/summary.csv?ats="+url.QueryEscape("ATS Insubria")+"&week=2027-02-15", nil)
	if lines := strings.Split(strings.TrimSpace(body), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "ATS Insubria,2027-02-15,2027-02-21,,ATS Insubria,8,") {
		t.Errorf("the Region's weekly CSV: %q", body)
	}
	for _, post := range []struct {
		path string
		form url.Values
	}{
		{"/ats/settings", url.Values{"ats": {"ATS Insubria"}, "method": {"c1"}, "alpha": {"0.01"}, "baseline": {"7"}, "min_sigma": {"0"}, "min_count": {"1"}}},
		{"/ats/alarms", url.Values{"ats": {"ATS Insubria"}, "school": {""}, "method": {"c2"}, "day": {"2027-02-18"}, "state": {"seen"}}},
	} {
		if resp, _ := f.do(t, "regione", "POST", post.path, post.form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s by the Region: %d", post.path, resp.StatusCode)
		}
	}
	if _, err := f.st.Settings(context.Background(), "ATS Insubria"); err == nil {
		t.Error("the Region's POST changed the settings")
	}
}

// An operator sees its own ATS only, whatever the link asks for.
func TestOperatorSeesItsOwnATS(t *testing.T) {
	f := newFixture(t)
	_, body := f.do(t, "bianchi", "GET", "/ats/?ats="+url.QueryEscape("ATS Insubria"), nil)
	wantIn(t, "Montagna's dashboard", body, "ATS Montagna", "MoEE00000")
	wantNotIn(t, "Montagna's dashboard", body, "InEE0000", "VAEE09900X", "<select")
	if resp, _ := f.do(t, "bianchi", "GET", "/ats/schools/InEE00000", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another ATS's plesso: %d", resp.StatusCode)
	}
}

func TestReviewAnAlarm(t *testing.T) {
	f := newFixture(t)
	review := func(state, note, day string) (int, string) {
		resp, body := f.do(t, "rossi", "POST", "/ats/alarms", url.Values{"csrf": {"tok-rossi"}, "school": {""}, "method": {"c2"}, "day": {day}, "state": {state}, "note": {note}})
		return resp.StatusCode, body
	}
	if code, body := review("dismissed", " ", "2027-02-18"); code != http.StatusUnprocessableEntity {
		t.Errorf("dismissed without a note: %d", code)
	} else {
		wantIn(t, "dismissed without a note", body, "scrivete il motivo")
	}
	if code, _ := review("forgotten", "", "2027-02-18"); code != http.StatusUnprocessableEntity {
		t.Errorf("an unknown state: %d", code)
	}
	if code, body := review("seen", "", "2027-02-19"); code != http.StatusUnprocessableEntity {
		t.Errorf("a day without an alarm: %d", code)
	} else {
		wantIn(t, "no such alarm", body, "non è più nell&#39;elenco")
	}
	if code, _ := review("seen", strings.Repeat("x", 501), "2027-02-18"); code != http.StatusUnprocessableEntity {
		t.Errorf("a long note: %d", code)
	}
	if code, _ := review("dismissed", "gita scolastica di tre classi", "2027-02-18"); code != http.StatusSeeOther {
		t.Fatalf("dismissed with a note: %d", code)
	}
	got, err := f.st.Reviews(context.Background(), "ATS Insubria", "2027-02-18", "2027-02-18")
	if err != nil || len(got) != 1 || got[0].State != "dismissed" || got[0].Note != "gita scolastica di tre classi" || got[0].By != "Dr. Anna Rossi" || got[0].At != today.Unix() {
		t.Errorf("the review kept: %+v %v", got, err)
	}
	_, body := f.do(t, "rossi", "GET", "/ats/alarms?done=review", nil)
	wantIn(t, "alarms after the review", body, `<input type="hidden" name="csrf" value="tok-rossi">`, "Revisione salvata", "«gita scolastica di tre classi»", "Dr. Anna Rossi, 22/02/2027 16:30", `<option value="dismissed" selected>`)
}

func TestSettingsForm(t *testing.T) {
	f := newFixture(t)
	_, body := f.do(t, "rossi", "GET", "/ats/settings", nil)
	wantIn(t, "settings", body, `<input type="hidden" name="csrf" value="tok-rossi">`, "predefinite", `<option value="c2" selected>`, `value="0.005"`)
	form := url.Values{"csrf": {"tok-rossi"}, "method": {"c3"}, "alpha": {"0.02"}, "baseline": {"2"}, "min_sigma": {"0.004"}, "min_count": {"8"}}
	resp, body := f.do(t, "rossi", "POST", "/ats/settings", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a baseline of 2: %d", resp.StatusCode)
	}
	wantIn(t, "a baseline of 2", body, "Base: valore non valido", `value="2"`)
	form.Set("baseline", "9")
	if resp, _ := f.do(t, "rossi", "POST", "/ats/settings", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good settings: %d", resp.StatusCode)
	}
	got, _ := f.st.Settings(context.Background(), "ATS Insubria")
	if want := (store.Settings{ATS: "ATS Insubria", Method: "c3", Alpha: 0.02, Baseline: 9, MinSigma: 0.004, MinCount: 8, By: "Dr. Anna Rossi", At: today.Unix()}); got != want {
		t.Errorf("kept %+v", got)
	}
	_, body = f.do(t, "rossi", "GET", "/ats/alarms", nil)
	wantIn(t, "alarms with the new settings", body, "Metodo EARS C3, alfa 0.02, base di 9 segnalazioni, almeno 8 assenti")
	wantNotIn(t, "a short list", body, `id="more"`)
}

func TestSuppress(t *testing.T) {
	for n, want := range map[int]string{0: "<3", 1: "<3", 2: "<3", 3: "3", 250: "250"} {
		if got := Suppress(n); got != want {
			t.Errorf("Suppress(%d) = %q, want %q", n, got, want)
		}
	}
}

// The export's rows are the ATS's days; a day with fewer than 3 plessi
// reporting is suppressed whole, and so is a count under 3.
func TestExport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// A Saturday on which only two plessi reported, with 2 absent of them.
	for _, code := range []string{"InEE00000", "InEE00001"} {
		if _, err := f.st.PutAbsences(ctx, code, "2027-02-20", absences(300, 1), today); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.st.PutAbsences(ctx, "VAEE09900X", "2027-02-22", absences(250, 0), today); err != nil {
		t.Fatal(err)
	}
	resp, body := f.do(t, "regione", "GET", "/ats/export.csv?ats="+url.QueryEscape("ATS Insubria"), nil)
	if resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(resp.Header.Get("Content-Disposition"), "assenze-ats-insubria-2027-02-22.csv") {
		t.Errorf("headers: %v", resp.Header)
	}
	lines := strings.Split(strings.TrimSpace(body), "\n")
	wantIn(t, "export", body, "ats,day,schools,enrolled,absent,absent_illness,classes_under_measure,rate,expected,threshold,alarm\n",
		"ATS Insubria,2027-02-20,2,<3,<3,,,,,,\n", "ATS Insubria,2027-02-18,4,2400,")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "ATS Insubria,2027-02-22,5,2650,") {
		t.Errorf("the last day, with the Rodari: %q", last)
	}
}

func absences(enrolled, absent int) report.Absences {
	return report.Absences{Enrolled: enrolled, Absent: absent}
}

// The weekly summary: per plesso and for the ATS, as a page, a CSV and a
// PDF whose text pdftotext reads back.
func TestWeeklySummary(t *testing.T) {
	f := newFixture(t)
	_, body := f.do(t, "rossi", "GET", "/ats/summary?week=2027-02-17", nil)
	wantIn(t, "summary", body, "ATS Insubria: settimana dal 15/02/2027 al 21/02/2027", "Primaria n. 1", `href="/ats/summary.pdf?week=2027-02-15"`,
		`href="/ats/summary?week=2027-02-08"`)
	_, csvBody := f.do(t, "rossi", "GET", "/ats/summary.csv?week=2027-02-15", nil)
	lines := strings.Split(strings.TrimSpace(csvBody), "\n")
	// The plessi, the Rodari that sent nothing, the ATS.
	if len(lines) != 1+seasonSchools+2 || lines[seasonSchools+1] != "ATS Insubria,2027-02-15,2027-02-21,VAEE09900X,Primaria «Gianni Rodari»,0,,,,0" || lines[0] != "ats,week_from,week_to,school,name,reports,absent,absent_illness,classes_under_measure,alarms" {
		t.Fatalf("summary CSV: %q", csvBody)
	}
	// The ATS's row sums the plessi's; its alarms are the ATS-wide ones
	// (the 15th and the 18th), the plessi's their own.
	var absent, illness int
	for _, l := range lines[1 : 1+seasonSchools] {
		var a, i, m, al int
		var reports int
		cells := strings.Split(l, ",")
		fmtSscan(t, cells[5:], &reports, &a, &i, &m, &al)
		if reports != 2 || m != 0 || al < 1 {
			t.Errorf("a plesso's week: %q", l)
		}
		absent, illness = absent+a, illness+i
	}
	total := strings.Split(lines[len(lines)-1], ",")
	if total[3] != "" || total[5] != "8" || total[6] != strconv.Itoa(absent) || total[7] != strconv.Itoa(illness) || total[8] != "0" || total[9] != "2" {
		t.Errorf("the ATS's week: %q (absent %d, illness %d)", total, absent, illness)
	}
	resp, pdf := f.do(t, "rossi", "GET", "/ats/summary.pdf?week=2027-02-15", nil)
	if resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("summary PDF: %v %.20q", resp.Header, pdf)
	}
	text := poppler.OneLine(poppler.Text(t, []byte(pdf), 1))
	wantIn(t, "summary PDF", text, "ATS Insubria: settimana dal 15/02/2027 al 21/02/2027", "Classi con misure", "Per malattia",
		"Primaria n. 1", "Tutta l'ATS", "Garante", "Stampato il 22/02/2027 16:30", "Pagina 1 di 1",
		"InEE00000 Primaria n. 1 "+strings.Join(strings.Split(lines[1], ",")[5:], " "),
		"VAEE09900X Primaria «Gianni Rodari» 0 — — — 0", "Tutta l'ATS 8 "+strconv.Itoa(absent)+" "+strconv.Itoa(illness)+" 0 2")
	png := poppler.Page(t, []byte(pdf), 1, 60)
	if b := png.Bounds(); b.Dx() < b.Dy() {
		t.Errorf("the summary is not landscape: %v", b)
	}
	if dir := os.Getenv("SCREENSHOTS"); dir != "" { // to be looked at, with the walk's
		var buf bytes.Buffer
		if err := gopng.Encode(&buf, png); err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(dir, "watch")
		if err := errors.Join(os.MkdirAll(dir, 0o755), os.WriteFile(filepath.Join(dir, "summary-pdf.png"), buf.Bytes(), 0o644)); err != nil {
			t.Error(err)
		}
	}
}

func fmtSscan(t *testing.T, cells []string, into ...*int) {
	t.Helper()
	for i, p := range into {
		n, err := strconv.Atoi(cells[i])
		if err != nil {
			t.Fatalf("cell %d of %q: %v", i, cells, err)
		}
		*p = n
	}
}

// Every key the templates name has its words.
func TestTemplateKeysExist(t *testing.T) {
	key := regexp.MustCompile(`\bt[f]? [$.A-Za-z]+ "(watch\.[a-z_.0-9]+[a-z_0-9])"`)
	n := 0
	fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		data, _ := fs.ReadFile(templateFiles, path)
		for _, m := range key.FindAllSubmatch(data, -1) {
			n++
			for _, l := range lang.All() {
				if k := lang.Key(m[1]); l.Text(k) == string(k) {
					t.Errorf("%s: %s has no text in %s", path, k, l)
				}
			}
		}
		return nil
	})
	// The keys the templates build: methods, states, settings' fields.
	for _, m := range alarm.Methods {
		if k := "watch.method." + string(m); lang.EN.Text(lang.Key(k)) == k {
			t.Errorf("%s has no text", k)
		}
	}
	for _, s := range States {
		if k := "watch.state." + s; lang.EN.Text(lang.Key(k)) == k {
			t.Errorf("%s has no text", k)
		}
	}
	for _, f := range []string{"method", "alpha", "baseline", "min_sigma", "min_count"} {
		for _, k := range []string{"watch.settings." + f, "watch.settings." + f + ".hint"} {
			if lang.EN.Text(lang.Key(k)) == k {
				t.Errorf("%s has no text", k)
			}
		}
	}
	if n < 60 {
		t.Fatalf("only %d keys found in the templates: the pattern is wrong", n)
	}
}

// A day on which one plesso alone reported is that plesso's: its ATS sees
// the day and its alarm, the Region neither.
func TestRegionalHidesDaysOfFewPlessi(t *testing.T) {
	f := newFixture(t)
	if _, err := f.st.PutAbsences(context.Background(), "InEE00002", "2027-02-20", absences(600, 120), today); err != nil {
		t.Fatal(err)
	}
	_, body := f.do(t, "rossi", "GET", "/ats/", nil)
	wantIn(t, "the ATS's dashboard", body, "<title>allarme 2027-02-20</title>", "20/02/2027 · Tutta l&#39;ATS · 20,0 %")
	_, body = f.do(t, "regione", "GET", "/ats/?ats="+url.QueryEscape("ATS Insubria"), nil)
	wantIn(t, "the Region's dashboard", body, "<title>allarme 2027-02-18</title>")
	wantNotIn(t, "the Region's dashboard", body, "2027-02-20", "20/02/2027", "20,0 %")
	_, body = f.do(t, "regione", "GET", "/ats/alarms?ats="+url.QueryEscape("ATS Insubria"), nil)
	wantIn(t, "the Region's alarms", body, "18/02/2027")
	wantNotIn(t, "the Region's alarms", body, "20/02/2027")
	// The week's total less the Monday and the Thursday, which the export
	// shows, would be that one plesso's Saturday: the Region does not see
	// it (secondary suppression); the ATS does, and a week without such a
	// day shows it to the Region too.
	weekAbsent := func(who, week string) string {
		_, body := f.do(t, who, "GET", "/ats/summary.csv?ats="+url.QueryEscape("ATS Insubria")+"&week="+week, nil)
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s's summary of %s: %v %q", who, week, err, body)
		}
		return rows[len(rows)-1][6]
	}
	if got := weekAbsent("regione", "2027-02-17"); got != Withheld {
		t.Errorf("the Region's week with a one-plesso Saturday: absent %q, want %q", got, Withheld)
	}
	if got := weekAbsent("rossi", "2027-02-17"); got == Withheld || got == Suppressed {
		t.Errorf("the ATS's own week: absent %q, want the count", got)
	}
	if got := weekAbsent("regione", "2027-02-10"); got == Withheld || got == Suppressed || got == "" {
		t.Errorf("the Region's ordinary week: absent %q, want the count", got)
	}
	// A week of one plesso (the Christmas holidays) is suppressed whole
	// for the Region.
	if _, err := f.st.PutAbsences(context.Background(), "InEE00002", "2026-12-28", absences(600, 30), today); err != nil {
		t.Fatal(err)
	}
	_, body = f.do(t, "regione", "GET", "/ats/summary.csv?ats="+url.QueryEscape("ATS Insubria")+"&week=2026-12-30", nil)
	if !strings.HasSuffix(strings.TrimSpace(body), "ATS Insubria,2026-12-28,2027-01-03,,ATS Insubria,1,<3,<3,<3,0") {
		t.Errorf("the Region's week of one plesso: %q", body)
	}
}

// hiddenDays flags a week whose ATS total, less the days the export
// shows, would give one suppressed day away.
func TestHiddenDays(t *testing.T) {
	n := func(v int) *int { return &v }
	day := func(d string, absent int, illness *int) store.SchoolDay {
		return store.SchoolDay{School: "S" + strconv.Itoa(absent), Day: d, Enrolled: 600, Absent: absent, AbsentIllness: illness}
	}
	three := func(d string, a, b, c int, ill *int) []store.SchoolDay {
		return []store.SchoolDay{day(d, a, ill), day(d, b, ill), day(d, c, ill)}
	}
	for _, c := range []struct {
		name            string
		days            []store.SchoolDay
		absent, illness bool
	}{
		{"every day shown", append(three("2027-02-15", 5, 6, 7, n(2)), three("2027-02-18", 4, 4, 4, n(1))...), false, false},
		{"a Monday of 2 absent", append(three("2027-02-15", 0, 1, 1, nil), three("2027-02-18", 4, 4, 4, nil)...), true, false},
		{"no illness given on Thursday", append(three("2027-02-15", 5, 6, 7, n(2)), three("2027-02-18", 4, 4, 4, nil)...), false, false},
		{"illness of 3 × 0", append(three("2027-02-15", 5, 6, 7, n(0)), three("2027-02-18", 4, 4, 4, n(3))...), false, true},
		{"a Saturday of one plesso", append(three("2027-02-15", 5, 6, 7, nil), day("2027-02-20", 120, nil)), true, false},
	} {
		a, i := hiddenDays(c.days)
		if a != c.absent || i != c.illness {
			t.Errorf("%s: hidden absent %v, illness %v; want %v, %v", c.name, a, i, c.absent, c.illness)
		}
	}
}
