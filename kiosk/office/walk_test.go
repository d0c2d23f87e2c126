package office

import (
	"context"
	"encoding/pem"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/testdata/browser"
	"github.com/scuola/kiosk/testdata/poppler"
	"github.com/scuola/kiosk/verify/calendar"
)

// walk is a person at the office's pages in a real Chromium
// (browser.Walk), with the office it walks.
type walk struct {
	*browser.Walk
	t   *testing.T
	o   *office
	ctx context.Context
}

func newWalk(t *testing.T, o *office, width, height int) *walk {
	ctx := browser.Start(t, width, height, browser.AcceptCertificates)
	return &walk{Walk: &browser.Walk{T: t, Ctx: ctx, Base: o.ts.URL, Shots: browser.NewShots(t, "office")}, t: t, o: o, ctx: ctx}
}

// The walk's steps under the names its tests use.
func (w *walk) open(path string)       { w.t.Helper(); w.Open(path) }
func (w *walk) fill(values ...string)  { w.t.Helper(); w.Fill(values...) }
func (w *walk) submit(selector string) { w.t.Helper(); w.Submit(selector) }
func (w *walk) says(texts ...string) string {
	w.t.Helper()
	return w.Says(texts...)
}
func (w *walk) location() string { return w.Location() }
func (w *walk) shot(name string) { w.t.Helper(); w.Shot(name) }

// kioskShown shows a badge's text to an entrance session that holds the
// office's delegations as they are now (what the kiosks receive from the
// office), and returns the session's screen.
func kioskShown(t *testing.T, o *office, text string) kiosk.Screen {
	t.Helper()
	ctx := context.Background()
	sc, err := o.store.School(ctx)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(sc.CertPEM))
	checker, err := badge.NewChecker(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := o.store.Delegations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list := kiosk.DelegationList{}
	for _, d := range ds {
		list[d.BadgeID()] = kiosk.Delegation{Name: d.Name, Role: d.Role, ValidUntil: d.ValidUntil, Revoked: d.Revoked}
	}
	s := kiosk.New(kiosk.Options{SchoolName: sc.Name, Delegations: list, Badges: checker})
	at := o.clock.now()
	s.Start(at)
	s.QR(text, at.Add(time.Second))
	return s.Screen()
}

// A head teacher's first morning with the office, in a real browser at an
// office screen's size: the first login (after a wrong password), the
// school's details, classes imported from the register's CSV (after a
// file with errors and one too large), cases, the measures they bring, a
// delegation whose PDF is downloaded and read, its printed badge unlocking
// an entrance session, then revoked and refused; a forged form, the
// secretary at the head teacher's page, English, and a tablet. Each page
// is saved as a screenshot.
func TestOfficeInABrowser(t *testing.T) {
	o := newOffice(t)
	w := newWalk(t, o, 1366, 768)

	w.open("/")
	if loc := w.location(); !strings.HasSuffix(loc, "/login") {
		t.Fatalf("a first visit lands on %s, want the login", loc)
	}
	w.fill("#name", "preside", "#password", "not-the-password")
	w.submit("#login")
	w.says("Nome utente o password errati.")
	w.shot("01-login-refused")
	w.fill("#name", "preside", "#password", headPassword)
	w.submit("#login")
	w.says("Misure", "preside")
	w.shot("02-measures-empty")

	w.open("/school")
	w.fill("#f-code", "MIEE8AB01X", "#f-name", "Scuola primaria «Gianni Rodari»", "#f-address", "Via Giosuè Carducci 12, 20123 Milano",
		"#f-institution", "Istituto Comprensivo «Niccolò Tommaseo»", "#f-city", "Milano", "#f-email", "segreteria",
		"#f-head_teacher", "Prof.ssa Lucia Ferrè", "#f-dpo_name", "Studio Privacy Scuole S.r.l.", "#f-dpo_email", "dpo@privacyscuole.it")
	w.submit("#save-school")
	w.says("E-mail della scuola (PEO o PEC): non è un indirizzo e-mail")
	w.shot("03-school-refused")
	w.fill("#f-email", "miic8ab00x@istruzione.it")
	w.submit("#save-school")
	w.says("Dati della scuola salvati.")
	w.shot("04-school")

	dir := t.TempDir()
	csvFile := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	upload := func(path string) {
		t.Helper()
		w.open("/classes/import")
		if err := chromedp.Do(w.ctx, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path})); err != nil {
			t.Fatal(err)
		}
		w.submit("#preview")
	}
	upload(csvFile("big.csv", "name,level,enrolled\n"+strings.Repeat("3A,primaria,22\n", MaxCSVBytes/15+1)))
	w.says("File CSV")
	w.shot("05-import-too-large")
	upload(csvFile("bad.csv", "name,level,enrolled\n3A,primaria,22\n3B,asilo,20\n2C,secondaria1,250\n"))
	w.says("riga 3", "riga 4")
	w.shot("06-import-errors")
	upload(csvFile("classes.csv", "name,level,enrolled\n3A,primaria,22\n2B,secondaria1,25\n"))
	w.shot("07-import-preview")
	w.submit("#confirm")
	w.says("Classi importate.")
	w.shot("08-classes")

	w.open("/cases")
	w.says("nessun nome", "3A", "2B")
	for _, day := range []string{"2022-02-07", "2022-02-08", "2022-02-10", "2022-02-12", "2022-02-14"} {
		w.fill("#class-1 input[name=day]", day)
		w.submit("#class-1 form.inline button")
	}
	w.fill("#class-2 input[name=day]", "2022-02-16")
	w.submit("#class-2 form.inline button")
	w.says("Data del caso: una data dal 01/01/2020 al 15/02/2022")
	w.shot("09-cases")

	w.open("/measures")
	shown := w.says("verifica quotidiana", "19/02/2022")
	if !strings.Contains(shown, "2B") {
		t.Errorf("the measures page does not list 2B:\n%s", shown)
	}
	w.shot("10-measures")
	w.open("/rules")
	w.says("DL 5/2022", "DL 24/2022")
	w.shot("11-rules")

	w.open("/delegations")
	w.fill("#dname", "Maria Rossi", "#drole", "collaboratrice scolastica", "#duntil", "2022-06-30")
	w.submit("#add-delegation")
	w.says("Delega creata.", "D0001", "Maria Rossi")
	w.shot("12-delegations")
	pdf := browser.Download(t, w.ctx, `tr[data-delegation="D0001"] a[href$="allegato-a.pdf"]`)
	text := poppler.OneLine(poppler.Text(t, pdf, 0))
	for _, want := range []string{"Maria Rossi", "collaboratrice scolastica", "30/06/2022", "Prof.ssa Lucia Ferrè",
		"Istituto Comprensivo «Niccolò Tommaseo»", "Scuola primaria «Gianni Rodari»", "MIEE8AB01X", "Milano, 15/02/2022"} {
		if !strings.Contains(text, want) {
			t.Errorf("the delegation's PDF does not say %q:\n%s", want, text)
		}
	}
	// The badge as printed, read by the kiosk's own decoder.
	rs := scanner.NewDecoder(scanner.Options{Budget: time.Second}).Decode(poppler.Page(t, pdf, 2, 150))
	if len(rs) != 1 || !badge.IsBadge(rs[0].Text) {
		t.Fatalf("the printed badge reads as %d codes", len(rs))
	}
	printed := rs[0].Text
	if sc := kioskShown(t, o, printed); sc.State != kiosk.StateChooseClass || sc.Operator == nil || sc.Operator.Name != "Maria Rossi" {
		t.Fatalf("the printed badge at the entrance: %s %+v %q", sc.State, sc.Operator, sc.Notice)
	}

	w.submit(`tr[data-delegation="D0001"] button.danger`)
	w.says("Delega revocata.")
	w.shot("13-delegation-revoked")
	if sc := kioskShown(t, o, printed); sc.State != kiosk.StateLocked || sc.Operator != nil || sc.Notice != lang.IT.Text(lang.BadgeRevoked) {
		t.Fatalf("a revoked badge at the entrance: %s %+v %q", sc.State, sc.Operator, sc.Notice)
	}
	if pdf := w.says(); strings.Contains(pdf, "Delega (Allegato A)") {
		t.Error("a revoked delegation still offers its document")
	}

	// The kiosks: a pairing QR on screen; a kiosk paired (by a code made
	// for it) and its counts, per class and entrance.
	w.open("/kiosks")
	w.says("Nessuna postazione abbinata.")
	w.submit("#pair-kiosk")
	w.says("Mostra questo codice alla telecamera")
	w.shot("13a-kiosks-pairing")
	head := o.client(t)
	head.login("preside", headPassword)
	p, err := link.Pair(context.Background(), head.pairingCode(), "Ingresso A", "via Roma", "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	kc, _ := link.NewClient(p, "1.0.0")
	if err := kc.SendCounts(context.Background(), 0, link.Counts{Days: []link.DayCounts{{Day: calendar.Date(2022, 2, 15),
		Classes: []link.ClassCounts{{Class: "3A", Admitted: 18, Refused: 2}, {Class: "2B", Admitted: 21}}}}}); err != nil {
		t.Fatal(err)
	}
	w.open("/kiosks")
	w.says("Ingresso A", "via Roma", "1.0.0")
	w.shot("13b-kiosks")
	w.open("/counts")
	w.says("18 / 2", "39")
	w.shot("13c-counts")

	// A form whose token is not the session's changes nothing.
	w.open("/classes")
	w.fill("#new-name", "5C", "#new-enrolled", "20", `form[action="/classes"] input[name=csrf]`, "forged")
	w.submit(`form[action="/classes"] button[type=submit]`)
	w.says("Il modulo è scaduto")
	w.shot("14-csrf-refused")
	w.open("/classes")
	w.fill("#new-name", "5C", "#new-enrolled", "101")
	w.submit(`form[action="/classes"] button[type=submit]`)
	w.says("Iscritti: un numero intero da 0 a 100")
	w.shot("15-class-refused")
	if cs, _ := o.store.Classes(context.Background()); len(cs) != 2 {
		t.Fatalf("refused forms added a class: %d classes", len(cs))
	}
	w.open("/audit")
	w.says("delegation.revoke", "class.put", "case.add", "school")
	w.shot("16-audit")

	// The privacy notice's public page, styled by itself.
	w.open("/informativa")
	w.says("Prof.ssa Lucia Ferrè", "dpo@privacyscuole.it")
	if size, err := chromedp.Run(w.ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).fontSize`)); err != nil || size != "17px" {
		t.Errorf("the notice's page is not styled: font %q %v", size, err)
	}
	w.shot("17-informativa")

	w.open("/lang/en?back=/measures")
	w.says("Measures", "daily verification")
	w.shot("18-measures-en")
	w.open("/lang/it?back=/measures")

	w.submit("#logout")
	w.fill("#name", "segreteria", "#password", staffPassword)
	w.submit("#login")
	w.open("/delegations")
	w.says("riservata al dirigente")
	w.shot("19-segreteria-refused")

	if err := chromedp.Do(w.ctx, chromedp.EmulateViewport(800, 1280)); err != nil {
		t.Fatal(err)
	}
	w.open("/cases")
	w.shot("20-cases-tablet")
	w.open("/measures?day=" + url.QueryEscape(calendar.Date(2022, 2, 21).String()))
	w.says("autosorveglianza", "24/02/2022")
	w.shot("21-measures-tablet")
}
