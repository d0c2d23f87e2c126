package office

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/privacy/access"
	"github.com/scuola/kiosk/testdata/formclient"
	"github.com/scuola/kiosk/verify/calendar"
)

// cheap is a low argon2 cost, so that the tests' many logins are quick;
// the hash and its check are the same code as with the default cost.
var cheap = access.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}

const (
	headPassword  = "preside-password-1"
	staffPassword = "segreteria-password-1"
)

// office is a test office over HTTPS, on 15 February 2022, with a head
// teacher ("preside") and a secretary ("segreteria").
type office struct {
	srv   *Server
	store *store.Store
	ts    *httptest.Server
	clock *formclient.Clock
}

func newOffice(t *testing.T) *office {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, a := range []struct {
		name string
		role store.Role
		pw   string
	}{{"preside", store.Dirigente, headPassword}, {"segreteria", store.Segreteria, staffPassword}} {
		if err := AddAccount(ctx, st, cheap, "test", a.name, a.role, a.pw); err != nil {
			t.Fatal(err)
		}
	}
	clk := formclient.NewClock(time.Date(2022, 2, 15, 10, 0, 0, 0, calendar.Rome))
	// Served as kiosk office serves it: TLS that asks for the kiosks'
	// client certificates, the pairing QR giving this address and pin.
	var srv *Server
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) }))
	ts.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	ts.StartTLS()
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	srv, err = New(ctx, Config{Store: st, Argon2: cheap, Now: clk.Now,
		Link: Link{URL: ts.URL, Fingerprint: link.Fingerprint(ts.Certificate().Raw)}})
	if err != nil {
		t.Fatal(err)
	}
	return &office{srv: srv, store: st, ts: ts, clock: clk}
}

// client is one person's browser at the office.
type client struct{ *formclient.Client }

func (o *office) client(t *testing.T) *client { return &client{formclient.New(t, o.ts)} }

// login signs in and reads a page, so that the CSRF token is the session's.
func (b *client) login(name, password string) int {
	b.T.Helper()
	b.Get("/login")
	status, _ := b.Post("/login", url.Values{"name": {name}, "password": {password}})
	if status == http.StatusSeeOther {
		b.Get("/measures")
	}
	return status
}

func wantIn(t *testing.T, body string, texts ...string) {
	t.Helper()
	for _, x := range texts {
		if !strings.Contains(body, x) {
			t.Errorf("the page does not say %q", x)
		}
	}
}

// htmlText is what html/template writes for a text (apostrophes escaped).
func htmlText(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func TestLoginSessionAndCSRF(t *testing.T) {
	o := newOffice(t)
	b := o.client(t)

	// No session: every page sends to the login.
	if status, _ := b.Get("/classes"); status != http.StatusSeeOther {
		t.Fatalf("no session: %d", status)
	}
	// The login form's own token is checked.
	b.Get("/login")
	if status, body := b.Post("/login", url.Values{"name": {"preside"}, "password": {headPassword}, "csrf": {"forged"}}); status != http.StatusForbidden ||
		!strings.Contains(body, htmlText(lang.IT.Text(lang.OfficeCSRF))) {
		t.Fatalf("login with a forged token: %d", status)
	}
	b.Get("/login")
	if status, body := b.Post("/login", url.Values{"name": {"preside"}, "password": {"wrong-password"}}); status != http.StatusUnauthorized ||
		!strings.Contains(body, lang.IT.Text(lang.OfficeLoginWrong)) {
		t.Fatalf("wrong password: %d", status)
	}
	if status, body := b.Post("/login", url.Values{"name": {"nessuno"}, "password": {headPassword}}); status != http.StatusUnauthorized ||
		!strings.Contains(body, lang.IT.Text(lang.OfficeLoginWrong)) {
		t.Fatalf("unknown account: %d", status)
	}

	// The session cookie: Secure, HttpOnly, SameSite=Strict, a random token
	// the database keeps only hashed.
	b.Get("/login")
	form := url.Values{"name": {"preside"}, "password": {headPassword}, "csrf": {b.CSRF}}
	req, _ := http.NewRequest(http.MethodPost, o.ts.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.C.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil || !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || len(session.Value) < 40 {
		t.Fatalf("login: %d, cookie %+v", resp.StatusCode, session)
	}
	if _, err := o.store.Session(context.Background(), []byte(session.Value), o.clock.Now()); err == nil {
		t.Fatal("the database finds a session by its raw token: it must keep only the hash")
	}

	// A POST without the session's CSRF token changes nothing.
	b.Get("/classes")
	for _, tok := range []string{"", "x" + b.CSRF} {
		status, _ := b.Post("/classes", url.Values{"name": {"1A"}, "level": {"primaria"}, "enrolled": {"20"}, "csrf": {tok}})
		if status != http.StatusForbidden {
			t.Errorf("POST with csrf %q: %d, want 403", tok, status)
		}
	}
	if cs, _ := o.store.Classes(context.Background()); len(cs) != 0 {
		t.Fatalf("a POST without the CSRF token added %+v", cs)
	}
	if status, _ := b.Post("/classes", url.Values{"name": {"1A"}, "level": {"primaria"}, "enrolled": {"20"}}); status != http.StatusSeeOther {
		t.Fatalf("POST with the token: %d", status)
	}

	// The session ends with the logout, and with time.
	if status, _ := b.Post("/logout", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("logout: %d", status)
	}
	if status, _ := b.Get("/classes"); status != http.StatusSeeOther {
		t.Fatalf("after logout: %d", status)
	}
	b.login("preside", headPassword)
	o.clock.Add(SessionLength + time.Minute)
	if status, _ := b.Get("/classes"); status != http.StatusSeeOther {
		t.Fatalf("after the session's end: %d", status)
	}
}

func TestLoginRateLimit(t *testing.T) {
	o := newOffice(t)
	b := o.client(t)
	for i := 0; i < access.MaxFailsPerAccount; i++ {
		if status := b.login("preside", "wrong-password"); status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, status)
		}
	}
	// The account is locked, even with its right password...
	if status := b.login("preside", headPassword); status != http.StatusTooManyRequests {
		t.Fatalf("after %d failures: %d, want 429", access.MaxFailsPerAccount, status)
	}
	// ...but not the others...
	if status := b.login("segreteria", staffPassword); status != http.StatusSeeOther {
		t.Fatalf("another account: %d", status)
	}
	// ...until the window has passed.
	o.clock.Add(access.FailWindow)
	if status := b.login("preside", headPassword); status != http.StatusSeeOther {
		t.Fatalf("after the window: %d", status)
	}

	// One address trying many names is stopped too, for every name.
	for i := 0; i < access.MaxFailsPerAddress; i++ {
		b.login(fmt.Sprintf("nome%d", i), "wrong-password")
	}
	status := b.login("segreteria", staffPassword)
	if status != http.StatusTooManyRequests {
		t.Fatalf("after %d failures from one address: %d, want 429", access.MaxFailsPerAddress, status)
	}
}

// The secretary keeps classes, cases and measures; the delegations, the
// keys, the audit and the head teacher's overrides answer 403.
func TestSegreteriaOnDirigentePages(t *testing.T) {
	o := newOffice(t)
	b := o.client(t)
	if b.login("segreteria", staffPassword) != http.StatusSeeOther {
		t.Fatal("login")
	}
	for _, path := range []string{"/classes", "/cases", "/measures", "/rules", "/school", "/classes/import"} {
		if status, _ := b.Get(path); status != http.StatusOK {
			t.Errorf("GET %s: %d", path, status)
		}
	}
	for _, path := range []string{"/delegations", "/audit", "/school/certificate.pem", "/delegations/1/badge.png"} {
		if status, body := b.Get(path); status != http.StatusForbidden || !strings.Contains(body, lang.IT.Text(lang.OfficeForbidden)) {
			t.Errorf("GET %s: %d, want 403", path, status)
		}
	}
	for _, path := range []string{"/delegations", "/delegations/1/revoke", "/school", "/rules", "/classes/1/verify-until"} {
		if status, _ := b.Post(path, url.Values{"name": {"x"}}); status != http.StatusForbidden {
			t.Errorf("POST %s: %d, want 403", path, status)
		}
	}
	if ds, _ := o.store.Delegations(context.Background()); len(ds) != 0 {
		t.Fatalf("the secretary made a delegation: %+v", ds)
	}
}

// postFile sends a CSV file as the import form does.
func (b *client) postFile(path string, data []byte, action string) (int, string) {
	return b.PostFile(path, url.Values{"action": {action}}, "file", "classi.csv", data)
}

func TestCSVImport(t *testing.T) {
	o := newOffice(t)
	b := o.client(t)
	b.login("segreteria", staffPassword)
	ctx := context.Background()

	// Every bad line is named, with its field; nothing is imported.
	bad := "name,level,enrolled\n1A,primaria,20\n1B,asilo,20\n1C,primaria,many\n1A,primaria,21\n1D,primaria\n"
	status, body := b.postFile("/classes/import", []byte(bad), "confirm")
	if status != http.StatusBadRequest {
		t.Fatalf("bad lines: %d", status)
	}
	wantIn(t, body, "riga 3: Livello: infanzia, primaria", "riga 4: Iscritti: un numero intero da 0 a 100",
		"riga 5: Classe: già presente alla riga 2", "riga 6: Riga: servono 3 colonne")
	if cs, _ := o.store.Classes(ctx); len(cs) != 0 {
		t.Fatalf("a file with bad lines imported %d classes", len(cs))
	}

	// Malformed CSV, an empty file, an oversized one, binary: the file field is named.
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"unclosed quote": {[]byte("1A,primaria,20\n\"1B,primaria,20\n"), "File CSV: non è un CSV leggibile"},
		"empty":          {[]byte("\n \n"), "File CSV: obbligatorio"},
		"oversized":      {bytes.Repeat([]byte("1A,primaria,20\n"), MaxCSVBytes/15+1), "File CSV: al massimo 64 KiB"},
		"too many lines": {[]byte(strings.Repeat("1A,primaria,20\n", MaxCSVRows+1)), "File CSV: al massimo 64 KiB e 500 righe"},
		"not text":       {[]byte{0xff, 0xfe, 0x00, 0x41}, "File CSV: non è un file di testo UTF-8"},
	} {
		status, body := b.postFile("/classes/import", tc.data, "preview")
		if status != http.StatusBadRequest || !strings.Contains(body, htmlText(tc.want)) {
			t.Errorf("%s: %d, want 400 and %q", name, status, tc.want)
		}
	}
	// A body over the form bound is refused before it is read whole.
	status, _ = b.postFile("/classes/import", bytes.Repeat([]byte("x"), maxForm+1), "preview")
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over %d bytes: %d", maxForm, status)
	}

	// A good file (semicolons, as an Italian spreadsheet writes) is shown
	// first, then imported on confirmation; an existing class is updated.
	if _, err := addClass(o, "3A", "primaria", 10); err != nil {
		t.Fatal(err)
	}
	good := "\ufeffname;level;enrolled\n3A;primaria;22\n2B;Secondaria2;25\n"
	status, body = b.postFile("/classes/import", []byte(good), "preview")
	if status != http.StatusOK {
		t.Fatalf("preview: %d", status)
	}
	wantIn(t, body, "aggiorna la classe esistente", "nuova", "Importa 2 classi (1 aggiornate)")
	if cs, _ := o.store.Classes(ctx); len(cs) != 1 {
		t.Fatal("the preview imported")
	}
	if status, _ := b.Post("/classes/import", url.Values{"csv": {good}, "action": {"confirm"}}); status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", status)
	}
	cs, _ := o.store.Classes(ctx)
	if len(cs) != 2 || cs[0].Name != "3A" || cs[0].Enrolled != 22 || cs[1].Name != "2B" || cs[1].Level != "secondaria2" {
		t.Fatalf("imported: %+v", cs)
	}
}

func addClass(o *office, name, level string, enrolled int) (int64, error) {
	var id int64
	err := o.store.Update(context.Background(), "test", func(tx *store.Tx) (err error) {
		id, err = tx.AddClass(context.Background(), name, school.Level(level), enrolled)
		return err
	})
	return id, err
}

// Each form refuses each bad value with a message naming the field, and
// changes nothing.
func TestFormsNameTheBadField(t *testing.T) {
	o := newOffice(t)
	b := o.client(t)
	b.login("preside", headPassword)
	id, err := addClass(o, "3A", "primaria", 22)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.store.Update(context.Background(), "test", func(tx *store.Tx) error {
		_, err := tx.AddDelegation(context.Background(), "Maria Rossi", "collaboratrice", calendar.Date(2022, 6, 30))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b.Get("/classes")
	class := url.Values{"name": {"1A"}, "level": {"primaria"}, "enrolled": {"20"}}
	with := func(base url.Values, kv ...string) url.Values {
		v := formclient.Clone(base)
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	rules := ruleForm(school.DefaultRuleSets()[0])
	rules.Set("name", "Nuova")
	rules.Set("from", "2026-09-14")
	for _, tc := range []struct {
		path string
		form url.Values
		want string
	}{
		{"/classes", with(class, "name", ""), "Classe: obbligatorio"},
		{"/classes", with(class, "name", strings.Repeat("x", 41)), "Classe: al massimo 40 caratteri"},
		{"/classes", with(class, "name", "3A"), "Classe: esiste già"},
		{"/classes", with(class, "name", "1\tA"), "Classe: contiene caratteri non ammessi"},
		{"/classes", with(class, "level", "asilo"), "Livello: infanzia, primaria"},
		{"/classes", with(class, "enrolled", "venti"), "Iscritti: un numero intero da 0 a 100"},
		{"/classes", with(class, "enrolled", "101"), "Iscritti: un numero intero da 0 a 100"},
		{fmt.Sprintf("/classes/%d", id), with(class, "enrolled", "-1"), "Iscritti: un numero intero da 0 a 100"},
		{fmt.Sprintf("/classes/%d/cases", id), url.Values{"day": {"2022-02-16"}}, "Data del caso: una data dal 01/01/2020 al 15/02/2022"},
		{fmt.Sprintf("/classes/%d/cases", id), url.Values{"day": {"15/02/2022"}}, "Data del caso: una data (gg/mm/aaaa)"},
		{fmt.Sprintf("/classes/%d/verify-until", id), url.Values{"until": {"domani"}}, "Fine verifica quotidiana: una data"},
		{"/school", url.Values{"code": {"MI12"}, "name": {"Manzoni"}}, "Codice meccanografico: 4 lettere e 6 lettere o cifre"},
		{"/school", url.Values{"code": {"MIEE12345X"}, "name": {""}}, "Nome del plesso: obbligatorio"},
		{"/school", url.Values{"code": {"MIEE12345X"}, "name": {"Manzoni"}, "email": {"segreteria"}}, "E-mail della scuola (PEO o PEC): non è un indirizzo e-mail"},
		{"/school", url.Values{"code": {"MIEE12345X"}, "name": {"Manzoni"}, "dpo_email": {"dpo@"}}, "E-mail del RPD: non è un indirizzo e-mail"},
		{"/school", url.Values{"code": {"MIEE12345X"}, "name": {"Manzoni"}, "informativa_url": {"www.scuola.it"}}, "Indirizzo dell&#39;informativa sul sito della scuola: non è un indirizzo web completo"},
		{"/school", url.Values{"code": {"MIEE12345X"}, "name": {"Manzoni"}, "head_teacher": {"Łucja Nowak"}}, "Dirigente scolastico (come firma): contiene caratteri che il documento non può stampare"},
		{"/school", url.Values{"code": {"MIEE12345X"}, "name": {"Manzoni"}, "city": {strings.Repeat("x", 301)}}, "Comune: al massimo 300 caratteri"},
		{"/delegations", url.Values{"name": {"Łucja Nowak"}, "role": {"docente"}, "valid_until": {"2022-06-30"}}, "Delegato: contiene caratteri che il documento non può stampare"},
		{"/delegations", url.Values{"name": {""}, "role": {"docente"}, "valid_until": {"2022-06-30"}}, "Delegato: obbligatorio"},
		{"/delegations", url.Values{"name": {"Luca Bianchi"}, "role": {""}, "valid_until": {"2022-06-30"}}, "Qualifica: obbligatorio"},
		{"/delegations", url.Values{"name": {"Luca Bianchi"}, "role": {"docente"}, "valid_until": {"2022-02-14"}}, "Valida fino al: una data dal 15/02/2022"},
		{"/delegations/1/renew", url.Values{"valid_until": {"2030-01-01"}}, "Valida fino al: una data dal 15/02/2022 al 22/03/2023"},
		{"/rules", with(rules, "name", ""), "Nome della regola: obbligatorio"},
		{"/rules", with(rules, "from", "2022-04-01"), "In vigore dal: un&#39;altra regola entra in vigore lo stesso giorno"},
		{"/rules", with(rules, "from", "1999-01-01"), "In vigore dal: una data dal 01/01/2020"},
		{"/rules", with(rules, "episode_gap", "99"), "Giorni fra casi dello stesso episodio: un numero intero da 0 a 30"},
		{"/rules", with(rules, "primaria.watch_from", "1", "primaria.watch_days", "0"), "Primaria – Autosorveglianza per (giorni): un numero intero da 1 a 60"},
		{"/rules", with(rules, "infanzia.strict", "autosorveglianza"), "Infanzia – Misura più rigida: verifica quotidiana o sospensione"},
		{"/rules", with(rules, "secondaria2.strict", "daily_verification", "secondaria2.strict_from", "0"), "Secondaria di II grado – Misura rigida da (casi): un numero intero da 1 a 50"},
	} {
		status, body := b.Post(tc.path, tc.form)
		if status != http.StatusBadRequest || !strings.Contains(body, tc.want) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("POST %s %v: %d, want 400 and %q", tc.path, tc.form, status, tc.want)
		}
	}
	status, body := b.Get("/measures?day=31-02-2022")
	if status != http.StatusBadRequest || !strings.Contains(body, "Giorno: una data") {
		t.Errorf("measures on a bad day: %d", status)
	}
	// Nothing of the above was saved: one class, one delegation, the built-in rules.
	cs, _ := o.store.Classes(context.Background())
	ds, _ := o.store.Delegations(context.Background())
	rs, _ := o.store.RuleSets(context.Background())
	sc, _ := o.store.School(context.Background())
	if len(cs) != 1 || cs[0].Enrolled != 22 || len(cs[0].Cases) != 0 || cs[0].VerifyUntil != nil || len(ds) != 1 || len(rs) != 0 || sc.Code != "" {
		t.Fatalf("a refused form changed something: %+v %+v %+v %+v", cs, ds, rs, sc)
	}
	// And the good values pass, in English as well.
	if status, _ := b.Post("/rules", rules); status != http.StatusSeeOther {
		t.Errorf("a good rule set: %d", status)
	}
	b.Get("/lang/en?back=/classes")
	status, body = b.Post("/classes", with(class, "enrolled", "venti"))
	if status != http.StatusBadRequest || !strings.Contains(body, "Enrolled: a whole number from 0 to 100") || !strings.Contains(body, `lang="en"`) {
		t.Errorf("in English: %d", status)
	}
}

// The measures page shows what the engine says, the head teacher's end
// date replaces the rule's, and a delegation's badge is signed with the
// school's key and refused once revoked.
func TestMeasuresAndDelegations(t *testing.T) {
	o := newOffice(t)
	b := o.client(t)
	b.login("preside", headPassword)
	id, _ := addClass(o, "3A", "primaria", 22)
	b.Get("/cases")
	for _, d := range []string{"2022-02-07", "2022-02-08", "2022-02-10", "2022-02-12", "2022-02-14"} {
		if status, _ := b.Post(fmt.Sprintf("/classes/%d/cases", id), url.Values{"day": {d}}); status != http.StatusSeeOther {
			t.Fatalf("case %s: %d", d, status)
		}
	}
	_, body := b.Get("/measures")
	wantIn(t, body, `data-measure="daily_verification"`, "19/02/2022", "DL 5/2022 art. 6")
	_, body = b.Get("/measures?day=2022-02-21")
	wantIn(t, body, `data-measure="autosorveglianza"`, "24/02/2022")

	if status, _ := b.Post(fmt.Sprintf("/classes/%d/verify-until", id), url.Values{"until": {"2022-02-17"}, "back": {"2022-02-15"}}); status != http.StatusSeeOther {
		t.Fatalf("verify_until: %d", status)
	}
	_, body = b.Get("/measures?day=2022-02-15")
	wantIn(t, body, "17/02/2022", "decisa dal dirigente")

	b.Get("/delegations")
	if status, _ := b.Post("/delegations", url.Values{"name": {"Maria Rossi"}, "role": {"collaboratrice scolastica"}, "valid_until": {"2022-06-30"}}); status != http.StatusSeeOther {
		t.Fatalf("delegation: %d", status)
	}
	sc, _ := o.store.School(context.Background())
	block, _ := pem.Decode([]byte(sc.CertPEM))
	checker, err := badge.NewChecker(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	got, err := checker.Check(b.QR("/delegations/1/badge.png"), calendar.Date(2022, 2, 15))
	if err != nil || got.Name != "Maria Rossi" || got.DelegationID != "D0001" || got.ValidUntil != calendar.Date(2022, 6, 30) {
		t.Fatalf("badge: %+v %v", got, err)
	}

	if status, _ := b.Post("/delegations/1/revoke", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", status)
	}
	if status, _ := b.Get("/delegations/1/badge.png"); status != http.StatusConflict {
		t.Fatalf("badge of a revoked delegation: %d", status)
	}
	_, body = b.Get("/audit")
	wantIn(t, body, "delegation.revoke", "delegation.add", "verify_until.set", "case.add", "preside")
	if strings.Contains(body, "BEGIN") {
		t.Fatal("the audit shows key material")
	}
}

// The documents print the school's details: until they are complete the
// PDFs name what is missing; then the delegation's Allegato A and the
// privacy notice are served, the notice also as a public page.
func TestSchoolDocuments(t *testing.T) {
	o := newOffice(t)
	b := o.client(t)
	b.login("preside", headPassword)
	b.Get("/school")
	if status, _ := b.Post("/school", url.Values{"code": {"miee8ab01x"}, "name": {"Scuola primaria «Gianni Rodari»"}}); status != http.StatusSeeOther {
		t.Fatalf("school: %d", status)
	}
	status, body := b.Get("/school/informativa.pdf")
	if status != http.StatusConflict {
		t.Fatalf("notice of an incomplete school: %d", status)
	}
	wantIn(t, htmlText(body), "Completare prima questi dati nella pagina Scuola", "Dirigente scolastico (come firma): obbligatorio",
		"E-mail del RPD: obbligatorio", "Istituzione scolastica: obbligatorio")

	details := url.Values{"code": {"MIEE8AB01X"}, "name": {"Scuola primaria «Gianni Rodari»"},
		"institution": {"Istituto Comprensivo «Niccolò Tommaseo»"}, "address": {"Via Giosuè Carducci 12, 20123 Milano"},
		"city": {"Milano"}, "email": {"miic8ab00x@istruzione.it"}, "head_teacher": {"Prof.ssa Lucia Ferrè"},
		"dpo_name": {"Studio Privacy Scuole S.r.l."}, "dpo_email": {"dpo@privacyscuole.it"},
		"informativa_url": {"https://www.scuola.example/privacy"}}
	b.Get("/school")
	if status, _ := b.Post("/school", details); status != http.StatusSeeOther {
		t.Fatalf("school: %d", status)
	}
	_, body = b.Get("/school")
	for _, v := range details {
		wantIn(t, htmlText(body), v[0])
	}
	for _, path := range []string{"/school/informativa.pdf", "/delegations/1/allegato-a.pdf"} {
		if path == "/delegations/1/allegato-a.pdf" {
			b.Get("/delegations")
			if status, _ := b.Post("/delegations", url.Values{"name": {"Maria Rossi"}, "role": {"collaboratrice scolastica"}, "valid_until": {"2022-06-30"}}); status != http.StatusSeeOther {
				t.Fatalf("delegation: %d", status)
			}
		}
		resp, err := b.C.Get(o.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		pdf, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("%s: %d %s %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), htmlText(string(pdf)))
		}
	}
	// The public page needs no account, and speaks the family's language.
	resp, err := o.ts.Client().Get(o.ts.URL + "/informativa")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("public notice: %d", resp.StatusCode)
	}
	wantIn(t, htmlText(string(page)), "Istituto Comprensivo «Niccolò Tommaseo»", "dpo@privacyscuole.it", "Prof.ssa Lucia Ferrè")
	_, body = b.Get("/audit")
	wantIn(t, htmlText(body), "dpo@privacyscuole.it")
}

// Every key the templates name has its words.
func TestTemplateKeysExist(t *testing.T) {
	key := regexp.MustCompile(`\bt[f]? [$.A-Za-z]+ "(office\.[a-z_.]+[a-z_])"`)
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
	if n < 50 {
		t.Fatalf("only %d keys found in the templates: the pattern is wrong", n)
	}
}
