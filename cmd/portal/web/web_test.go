package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/cmd/portal/store/pgtest"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/privacy/access"
	"github.com/scuola/kiosk/privacy/report"
	"github.com/scuola/kiosk/testdata/formclient"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// cheap keeps the tests fast; the cost is recorded in each hash.
var cheap = access.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}

const (
	opPassword  = "operatore-milano-1"
	regPassword = "regione-lombardia-1"
)

// portal is the pages over a real store with two ATSs: rossi operates
// ATS Milano, verdi is regional; MIEE00100A is Milano's, MBEE00200B
// Brianza's. The dashboard is a stand-in that says who it was shown to.
type portal struct {
	st     store.Store
	ts     *httptest.Server
	clock  *formclient.Clock
	tokens map[string]string // the seeded plessi's credentials
	seen   []Viewer          // what the dashboard was told
}

func newPortal(t testing.TB, dsn string) *portal {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := &portal{st: st, clock: formclient.NewClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)), tokens: map[string]string{}}
	for _, u := range []struct {
		name, ats, pw string
		role          store.Role
	}{{"rossi", "ATS Milano", opPassword, store.Operator}, {"verdi", "", regPassword, store.Regional}} {
		phc, _ := cheap.Hash(u.pw)
		if err := st.AddUser(ctx, store.User{Name: u.name, Role: u.role, ATS: u.ats, Password: phc}); err != nil {
			t.Fatal(err)
		}
	}
	for code, ats := range map[string]string{"MIEE00100A": "ATS Milano", "MBEE00200B": "ATS Brianza"} {
		tok, hash := store.NewToken()
		if err := st.AddSchool(ctx, store.School{Code: code, Name: "Primaria " + code, ATS: ats, Sentinel: true, Pupils619: 200}, hash); err != nil {
			t.Fatal(err)
		}
		p.tokens[code] = tok
	}
	var mu sync.Mutex
	dash := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := ViewerOf(r)
		mu.Lock()
		p.seen = append(p.seen, v)
		mu.Unlock()
		fmt.Fprintf(w, "dashboard %s %v for %s of %q regional=%v", r.Method, ok, v.Name, v.ATS, v.Regional)
	})
	h, err := New(st, Options{Dashboard: dash, Argon2: cheap, Now: p.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	p.ts = httptest.NewTLSServer(h)
	t.Cleanup(p.ts.Close)
	return p
}

func sqlite(t *testing.T) string { return filepath.Join(t.TempDir(), "portal.db") }

// login signs in and reads the registry, so that the CSRF token is the session's.
func login(t testing.TB, p *portal, name, pw string) *formclient.Client {
	t.Helper()
	b := formclient.New(t, p.ts)
	b.Get("/login")
	if status, body := b.Post("/login", url.Values{"name": {name}, "password": {pw}}); status != http.StatusSeeOther {
		t.Fatalf("login %s: %d %s", name, status, body)
	}
	b.Get("/schools")
	return b
}

func wantIn(t *testing.T, body string, texts ...string) {
	t.Helper()
	for _, x := range texts {
		if !strings.Contains(body, x) {
			t.Errorf("the page does not say %q", x)
		}
	}
}

// htmlText is what html/template writes for a text.
func htmlText(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func it(k lang.Key, args ...any) string { return htmlText(lang.IT.Format(k, args...)) }

func TestLoginSessionAndCSRF(t *testing.T) {
	p := newPortal(t, sqlite(t))
	b := formclient.New(t, p.ts)
	if status, _ := b.Get("/schools"); status != http.StatusSeeOther {
		t.Errorf("the registry without a session: %d", status)
	}
	status, body := b.Get("/login")
	if status != 200 || b.CSRF == "" {
		t.Fatalf("login page: %d", status)
	}
	wantIn(t, body, `name="csrf"`, `autocomplete="current-password"`)
	if status, body := b.Post("/login", url.Values{"name": {"rossi"}, "password": {opPassword}, "csrf": {"forged"}}); status != http.StatusForbidden {
		t.Errorf("a forged login form: %d %s", status, body)
	}
	b.Get("/login")
	if status, body := b.Post("/login", url.Values{"name": {"nessuno"}, "password": {opPassword}}); status != http.StatusUnauthorized || !strings.Contains(body, it(lang.PortalLoginWrong)) {
		t.Errorf("an unknown name: %d", status)
	}
	b.Get("/login")
	req, _ := http.NewRequest(http.MethodPost, p.ts.URL+"/login", strings.NewReader(url.Values{"name": {"ROSSI"}, "password": {opPassword}, "csrf": {b.CSRF}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.C.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			cookie = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || cookie == nil || !cookie.Secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" {
		t.Fatalf("login: %d, cookie %+v", resp.StatusCode, cookie)
	}
	// Only the token's hash is kept.
	if _, err := p.st.Session(context.Background(), cookie.Value, p.clock.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Error("the session is found by its token itself")
	}
	status, body = b.Get("/schools")
	if status != 200 || !strings.Contains(body, "MIEE00100A") {
		t.Fatalf("the registry after login: %d", status)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") {
		t.Errorf("CSP %q", csp)
	}
	// Every changing page wants the session's CSRF token.
	if status, _ := b.Post("/schools/MIEE00100A/revoke", url.Values{"csrf": {"forged"}}); status != http.StatusForbidden {
		t.Errorf("a forged form: %d", status)
	}
	if sc, _ := p.st.School(context.Background(), "MIEE00100A"); !sc.HasToken {
		t.Error("a forged form revoked a credential")
	}
	// The session ends with the working day, and at logout.
	p.clock.Add(SessionLength)
	if status, _ := b.Get("/schools"); status != http.StatusSeeOther {
		t.Errorf("an expired session: %d", status)
	}
	p.clock.Add(-SessionLength)
	b.Get("/schools")
	if status, _ := b.Post("/logout", url.Values{}); status != http.StatusSeeOther {
		t.Errorf("logout: %d", status)
	}
	if status, _ := b.Get("/schools"); status != http.StatusSeeOther {
		t.Errorf("after logout: %d", status)
	}
	log, _ := p.st.AuditLog(context.Background(), "ATS Milano", 10)
	if len(log) != 2 || log[0].Action != "logout" || log[1].Action != "login" || log[1].Actor != "rossi" {
		t.Errorf("the audit: %+v", log)
	}
}

// A revoked user's session ends, and its password no longer opens one:
// the page says what it says of a wrong password.
func TestRevokedUser(t *testing.T) {
	p := newPortal(t, sqlite(t))
	b := login(t, p, "rossi", opPassword)
	if err := p.st.RevokeUser(context.Background(), "rossi"); err != nil {
		t.Fatal(err)
	}
	if status, _ := b.Get("/schools"); status != http.StatusSeeOther {
		t.Errorf("a revoked user's session: %d", status)
	}
	b.Get("/login")
	if status, body := b.Post("/login", url.Values{"name": {"rossi"}, "password": {opPassword}}); status != http.StatusUnauthorized || !strings.Contains(body, it(lang.PortalLoginWrong)) {
		t.Errorf("a revoked user's login: %d", status)
	}
}

func TestLoginRateLimit(t *testing.T) {
	p := newPortal(t, sqlite(t))
	b := formclient.New(t, p.ts)
	for range access.MaxFailsPerAccount {
		b.Get("/login")
		b.Post("/login", url.Values{"name": {"rossi"}, "password": {"sbagliata-1234"}})
	}
	b.Get("/login")
	if status, body := b.Post("/login", url.Values{"name": {"rossi"}, "password": {opPassword}}); status != http.StatusTooManyRequests || !strings.Contains(body, it(lang.PortalLoginLimited)) {
		t.Errorf("the right password after %d failures: %d", access.MaxFailsPerAccount, status)
	}
	p.clock.Add(access.FailWindow)
	login(t, p, "rossi", opPassword)
}

func TestOperatorSeesAndChangesOnlyItsATS(t *testing.T) {
	for _, backend := range []struct {
		name string
		dsn  func(*testing.T) string
	}{{"sqlite", sqlite}, {"postgres", func(t *testing.T) string { return pgtest.DSN(t) }}} {
		t.Run(backend.name, func(t *testing.T) {
			ctx := context.Background()
			p := newPortal(t, backend.dsn(t))
			b := login(t, p, "rossi", opPassword)
			_, body := b.Get("/schools")
			wantIn(t, body, "MIEE00100A", it(lang.Key("portal.schools.lead_ats"), "ATS Milano"))
			if strings.Contains(body, "MBEE00200B") {
				t.Error("an operator sees another ATS's plesso")
			}
			// Another ATS's plesso: neither seen nor changed, and the attempt is in the audit.
			for _, k := range []struct{ method, path string }{
				{"GET", "/schools/MBEE00200B"}, {"POST", "/schools/MBEE00200B/revoke"}, {"POST", "/schools/MBEE00200B/token"}, {"POST", "/schools/MBEE00200B"},
			} {
				var status int
				var body string
				if k.method == "GET" {
					status, body = b.Get(k.path)
				} else {
					status, body = b.Post(k.path, url.Values{"pupils": {"1"}})
				}
				if status != http.StatusForbidden || !strings.Contains(body, it(lang.PortalForbidden)) {
					t.Errorf("%s %s: %d", k.method, k.path, status)
				}
			}
			if code, err := p.st.Authenticate(ctx, store.HashToken(p.tokens["MBEE00200B"])); code != "MBEE00200B" || err != nil {
				t.Errorf("another ATS's credential after the refusals: %v", err)
			}
			if sc, _ := p.st.School(ctx, "MBEE00200B"); sc.Pupils619 != 200 {
				t.Errorf("another ATS's plesso was edited: %+v", sc)
			}
			if log, _ := p.st.AuditLog(ctx, "ATS Brianza", 10); len(log) != 3 || log[0].Action != "school.refused" || log[0].Actor != "rossi" {
				t.Errorf("the refusals' audit: %+v", log)
			}
			// An added plesso is of the operator's ATS whatever the form says,
			// and its credential is shown once and works.
			status, body := b.Post("/schools", url.Values{"code": {"miee00300c"}, "name": {"Media Verdi"}, "ats": {"ATS Brianza"}, "pupils": {"310"}, "sentinel": {"on"}})
			m := regexp.MustCompile(`<code class="token">([A-Za-z0-9_-]{43})</code>`).FindStringSubmatch(body)
			if status != http.StatusCreated || m == nil {
				t.Fatalf("add: %d %s", status, body)
			}
			if code, _ := p.st.Authenticate(ctx, store.HashToken(m[1])); code != "MIEE00300C" {
				t.Error("the credential shown does not authenticate the plesso")
			}
			if sc, _ := p.st.School(ctx, "MIEE00300C"); sc.ATS != "ATS Milano" || !sc.Sentinel || sc.Pupils619 != 310 {
				t.Errorf("the added plesso: %+v", sc)
			}
			if _, body := b.Get("/schools/MIEE00300C"); strings.Contains(body, m[1]) {
				t.Error("the credential is shown again")
			}
			// The form's errors name the field, in Italian.
			status, body = b.Post("/schools", url.Values{"code": {"MI-1"}, "name": {""}, "pupils": {"tanti"}})
			if status != http.StatusBadRequest {
				t.Errorf("a bad plesso: %d", status)
			}
			wantIn(t, body, it(lang.PortalRuleCode), `id="code" name="code" value="MI-1" required maxlength="16" placeholder="MIEE12345X" autocapitalize="characters" aria-invalid="true"`)
			if status, body := b.Post("/schools", url.Values{"code": {"MIEE00100A"}, "name": {"Doppio"}}); status != http.StatusConflict || !strings.Contains(body, it(lang.PortalRuleCode)) {
				t.Errorf("a taken code: %d", status)
			}
			// Edit, reissue, revoke its own.
			if status, _ := b.Post("/schools/MIEE00100A", url.Values{"pupils": {"321"}}); status != http.StatusSeeOther {
				t.Errorf("edit: %d", status)
			}
			if sc, _ := p.st.School(ctx, "MIEE00100A"); sc.Sentinel || sc.Pupils619 != 321 {
				t.Errorf("after edit: %+v", sc)
			}
			if status, body := b.Post("/schools/MIEE00100A", url.Values{"pupils": {"-4"}}); status != http.StatusBadRequest || !strings.Contains(body, it(lang.PortalRulePupils, report.MaxCount)) {
				t.Errorf("negative pupils: %d", status)
			}
			status, body = b.Post("/schools/MIEE00100A/token", url.Values{})
			m = regexp.MustCompile(`<code class="token">([A-Za-z0-9_-]{43})</code>`).FindStringSubmatch(body)
			if status != 200 || m == nil {
				t.Fatalf("reissue: %d", status)
			}
			if _, err := p.st.Authenticate(ctx, store.HashToken(p.tokens["MIEE00100A"])); !errors.Is(err, store.ErrNotFound) {
				t.Error("the old credential works after a reissue")
			}
			if code, _ := p.st.Authenticate(ctx, store.HashToken(m[1])); code != "MIEE00100A" {
				t.Error("the reissued credential does not work")
			}
			b.Get("/schools/MIEE00100A")
			if status, _ := b.Post("/schools/MIEE00100A/revoke", url.Values{}); status != http.StatusSeeOther {
				t.Errorf("revoke: %d", status)
			}
			if _, err := p.st.Authenticate(ctx, store.HashToken(m[1])); !errors.Is(err, store.ErrNotFound) {
				t.Error("a revoked credential works")
			}
			_, body = b.Get("/schools/MIEE00100A?done=revoked")
			wantIn(t, body, it("portal.done.revoked"), `<span class="state bad">`+it("portal.credential.revoked"))
			// The audit: the operator's ATS only.
			_, body = b.Get("/audit")
			wantIn(t, body, "school.add", "school.token", "school.revoke", "school.edit")
			if strings.Contains(body, "ATS Brianza") || strings.Contains(body, "school.refused") {
				t.Error("an operator's audit shows another ATS")
			}
			// The regional user sees both ATSs.
			r := login(t, p, "verdi", regPassword)
			_, body = r.Get("/schools")
			wantIn(t, body, "MIEE00100A", "MBEE00200B", "ATS Brianza", `<option value="ATS Brianza">`)
			if _, body := r.Get("/schools?ats=ATS+Brianza"); !strings.Contains(body, "MBEE00200B") || strings.Contains(body, "MIEE00100A") {
				t.Error("the regional user's choice of one ATS")
			}
			if status, _ := r.Post("/schools/MBEE00200B", url.Values{"pupils": {"5"}, "sentinel": {"on"}}); status != http.StatusSeeOther {
				t.Errorf("a regional edit: %d", status)
			}
		})
	}
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	p := newPortal(t, sqlite(t))
	b := login(t, p, "rossi", opPassword)
	bad := "code,name,ats,sentinel,pupils_6_19\nMIEE00400D,Primaria Neri,ATS Milano,sì,120\nmi 4,x,ATS Milano,no,1\nMIEE00500E,Media Rossi,ATS Milano,forse,1\n"
	status, body := b.PostFile("/schools/import", url.Values{"action": {"preview"}}, "file", "plessi.csv", []byte(bad))
	if status != http.StatusBadRequest {
		t.Errorf("a bad file: %d", status)
	}
	wantIn(t, body, it(lang.PortalImportLine, 3, lang.IT.Text(lang.PortalRuleCode)), it(lang.PortalImportLine, 4, lang.IT.Text(lang.PortalRuleSentinel)))
	if list, _ := p.st.Schools(ctx, ""); len(list) != 2 {
		t.Errorf("a bad file imported something: %d plessi", len(list))
	}
	// Another ATS's lines, or a plesso another ATS has, are refused.
	for _, csv := range []string{
		"code;name;ats;sentinel;pupils_6_19\nMIEE00400D;Primaria Neri;ATS Brianza;sì;120\n",
		"code;name;ats;sentinel;pupils_6_19\nMBEE00200B;Presa;ATS Milano;no;1\n",
	} {
		if status, _ := b.Post("/schools/import", url.Values{"action": {"confirm"}, "csv": {csv}}); status != http.StatusForbidden {
			t.Errorf("%q: %d", csv, status)
		}
	}
	if sc, _ := p.st.School(ctx, "MBEE00200B"); sc.ATS != "ATS Brianza" {
		t.Errorf("an operator moved another ATS's plesso: %+v", sc)
	}
	good := "code;name;ats;sentinel;pupils_6_19\nMIEE00400D;Primaria Neri;ATS Milano;sì;120\nMIEE00100A;Primaria Manzoni;ATS Milano;no;250\n"
	status, body = b.Post("/schools/import", url.Values{"action": {"preview"}, "csv": {good}})
	if status != 200 || !strings.Contains(body, it("portal.import.confirm", 1, 1)) {
		t.Fatalf("preview: %d", status)
	}
	if _, err := p.st.School(ctx, "MIEE00400D"); !errors.Is(err, store.ErrNotFound) {
		t.Error("the preview imported")
	}
	status, body = b.Post("/schools/import", url.Values{"action": {"confirm"}, "csv": {good}})
	m := regexp.MustCompile(`<td class="mono">MIEE00400D</td><td>Primaria Neri</td><td><code class="token">([A-Za-z0-9_-]{43})</code>`).FindStringSubmatch(body)
	if status != 200 || m == nil || strings.Count(body, `class="token"`) != 1 {
		t.Fatalf("import: %d %s", status, body)
	}
	if code, _ := p.st.Authenticate(ctx, store.HashToken(m[1])); code != "MIEE00400D" {
		t.Error("an imported plesso's credential does not work")
	}
	if code, _ := p.st.Authenticate(ctx, store.HashToken(p.tokens["MIEE00100A"])); code != "MIEE00100A" {
		t.Error("an import changed an existing plesso's credential")
	}
	if sc, _ := p.st.School(ctx, "MIEE00100A"); sc.Pupils619 != 250 || sc.Sentinel {
		t.Errorf("the updated plesso: %+v", sc)
	}
}

// The dashboard is reached only with a session, and a POST only with the
// session's CSRF token; it is told who looks.
func TestDashboardMount(t *testing.T) {
	p := newPortal(t, sqlite(t))
	anon := formclient.New(t, p.ts)
	if status, _ := anon.Get("/ats/"); status != http.StatusSeeOther || len(p.seen) != 0 {
		t.Errorf("the dashboard without a session: %d", status)
	}
	b := login(t, p, "rossi", opPassword)
	status, body := b.Get("/ats/milano")
	if status != 200 || body != `dashboard GET true for rossi of "ATS Milano" regional=false` || p.seen[0].CSRF != b.CSRF || p.seen[0].Lang != lang.IT {
		t.Errorf("the dashboard: %d %q %+v", status, body, p.seen)
	}
	if status, _ := b.Post("/ats/suppress", url.Values{"csrf": {"forged"}}); status != http.StatusForbidden || len(p.seen) != 1 {
		t.Errorf("a forged POST to the dashboard: %d, reached it: %v", status, len(p.seen) > 1)
	}
	if status, body := b.Post("/ats/suppress", url.Values{}); status != 200 || !strings.HasPrefix(body, "dashboard POST true") {
		t.Errorf("a POST to the dashboard: %d %q", status, body)
	}
	if _, body := b.Get("/schools"); !strings.Contains(body, `href="/ats/"`) {
		t.Error("no menu entry for the dashboard")
	}
	if _, ok := ViewerOf(httptest.NewRequest("GET", "/ats/", nil)); ok {
		t.Error("a viewer for a request the pages did not pass on")
	}
}

func TestEnglish(t *testing.T) {
	p := newPortal(t, sqlite(t))
	b := login(t, p, "verdi", regPassword)
	if status, _ := b.Get("/lang/en?back=//evil.example"); status != http.StatusSeeOther {
		t.Errorf("lang: %d", status)
	}
	_, body := b.Get("/schools")
	wantIn(t, body, `<html lang="en">`, htmlText(lang.EN.Text(lang.PortalSchoolsTitle)), htmlText(lang.EN.Text("portal.schools.lead_region")))
}

// Every key the templates name has its words in every language.
func TestTemplateKeysExist(t *testing.T) {
	key := regexp.MustCompile(`\bt[f]? [$.A-Za-z]+ "(portal\.[a-z_.]+[a-z_])"`)
	names, _ := filepath.Glob("templates/*.html")
	n := 0
	for _, name := range names {
		data, _ := templateFiles.ReadFile(name)
		for _, m := range key.FindAllSubmatch(data, -1) {
			n++
			for _, l := range lang.All() {
				if k := lang.Key(m[1]); l.Text(k) == string(k) {
					t.Errorf("%s: %s has no text in %s", name, k, l)
				}
			}
		}
	}
	if n < 40 {
		t.Fatalf("only %d keys found in the templates: the pattern is wrong", n)
	}
}

func TestClientAddr(t *testing.T) {
	for _, k := range []struct {
		remote string
		fwd    []string
		want   string
	}{
		{"10.1.2.3:5000", nil, "10.1.2.3"},
		{"10.1.2.3:5000", []string{"1.1.1.1"}, "10.1.2.3"}, // only a proxy on this machine is believed
		{"127.0.0.1:5000", []string{"6.6.6.6, 10.9.8.7"}, "10.9.8.7"},
		{"[::1]:5000", []string{"6.6.6.6", "10.9.8.7"}, "10.9.8.7"},
		{"127.0.0.1:5000", nil, "127.0.0.1"},
	} {
		r := httptest.NewRequest("GET", "/login", nil)
		r.RemoteAddr = k.remote
		for _, f := range k.fwd {
			r.Header.Add("X-Forwarded-For", f)
		}
		if got := clientAddr(r); got != k.want {
			t.Errorf("%s %v: %q, want %q", k.remote, k.fwd, got, k.want)
		}
	}
}

// A regional import is in each ATS's audit; the credentials page is never
// kept by a cache; the registry pages by 50; a form too large is refused.
func TestRegionalImportPagesAndBounds(t *testing.T) {
	ctx := context.Background()
	p := newPortal(t, sqlite(t))
	r := login(t, p, "verdi", regPassword)
	var csv strings.Builder
	csv.WriteString("code,name,ats,sentinel,pupils_6_19\nMBEE00200B,Primaria Monza,ATS Brianza,sì,90\n")
	for i := range 60 {
		fmt.Fprintf(&csv, "MIEE%05dX,Scuola %d,ATS Milano,no,%d\n", i, i, 100+i)
	}
	req, _ := http.NewRequest(http.MethodPost, r.URL+"/schools/import", strings.NewReader(url.Values{"csrf": {r.CSRF}, "action": {"confirm"}, "csv": {csv.String()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := r.C.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("the import's credentials: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	for ats, want := range map[string]string{"ATS Milano": "60 added, 0 updated", "ATS Brianza": "0 added, 1 updated"} {
		if log, _ := p.st.AuditLog(ctx, ats, 1); len(log) != 1 || log[0].Action != "school.import" || log[0].Detail != want || log[0].Actor != "verdi" {
			t.Errorf("%s's audit: %+v", ats, log)
		}
	}
	b := login(t, p, "rossi", opPassword)
	_, body := b.Get("/schools")
	wantIn(t, body, it("portal.schools.count", 61), it("portal.page", 1, 2), `href="/schools?page=2"`, "MIEE00049X")
	if strings.Contains(body, "MIEE00050X") {
		t.Error("the first page lists more than 50")
	}
	_, body = b.Get("/schools?page=2")
	wantIn(t, body, "MIEE00050X", "MIEE00100A", `href="/schools?page=1"`)
	if _, body := b.Get("/schools?q=scuola+5"); !strings.Contains(body, it("portal.schools.count", 11)) {
		t.Error("the search by name")
	}
	if status, _ := b.Post("/schools/import", url.Values{"csv": {strings.Repeat("x", maxForm)}}); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a form too large: %d", status)
	}
	if status, _ := b.PostFile("/schools/import", url.Values{"action": {"preview"}}, "file", "big.csv", make([]byte, maxForm)); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a file too large: %d", status)
	}
}

// The registry of a whole region (Lombardia has about 5,000 plessi), read
// by the regional user: the list is read and searched whole, then paged.
func BenchmarkRegionRegistry(b *testing.B) {
	p := newPortal(b, filepath.Join(b.TempDir(), "portal.db"))
	schools := make([]store.School, 5000)
	hashes := make([]string, len(schools))
	for i := range schools {
		schools[i] = store.School{Code: fmt.Sprintf("MIEE%05dX", i), Name: fmt.Sprintf("Scuola %d", i), ATS: fmt.Sprintf("ATS %d", i%8), Pupils619: 300}
		_, hashes[i] = store.NewToken()
	}
	if _, err := p.st.ImportSchools(context.Background(), schools, hashes); err != nil {
		b.Fatal(err)
	}
	r := login(b, p, "verdi", regPassword)
	for b.Loop() {
		if status, _ := r.Get("/schools?q=scuola+49&page=2"); status != 200 {
			b.Fatal(status)
		}
	}
}
