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
	at := o.clock.Now()
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
	w := &browser.Walk{T: t, Ctx: browser.Start(t, 1366, 768, browser.AcceptCertificates), Base: o.ts.URL, Shots: browser.NewShots(t, "office")}

	w.Open("/")
	if loc := w.Location(); !strings.HasSuffix(loc, "/login") {
		t.Fatalf("a first visit lands on %s, want the login", loc)
	}
	w.Fill("#name", "preside", "#password", "not-the-password")
	w.Submit("#login")
	w.Says("Nome utente o password errati.")
	w.Shot("01-login-refused")
	w.Fill("#name", "preside", "#password", headPassword)
	w.Submit("#login")
	w.Says("Misure", "preside")
	w.Shot("02-measures-empty")

	w.Open("/school")
	w.Fill("#f-code", "MIEE8AB01X", "#f-name", "Scuola primaria «Gianni Rodari»", "#f-address", "Via Giosuè Carducci 12, 20123 Milano",
		"#f-institution", "Istituto Comprensivo «Niccolò Tommaseo»", "#f-city", "Milano", "#f-email", "segreteria",
		"#f-head_teacher", "Prof.ssa Lucia Ferrè", "#f-dpo_name", "Studio Privacy Scuole S.r.l.", "#f-dpo_email", "dpo@privacyscuole.it")
	w.Submit("#save-school")
	w.Says("E-mail della scuola (PEO o PEC): non è un indirizzo e-mail")
	w.Shot("03-school-refused")
	w.Fill("#f-email", "miic8ab00x@istruzione.it")
	w.Submit("#save-school")
	w.Says("Dati della scuola salvati.")
	w.Shot("04-school")

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
		w.Open("/classes/import")
		if err := chromedp.Do(w.Ctx, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path})); err != nil {
			t.Fatal(err)
		}
		w.Submit("#preview")
	}
	upload(csvFile("big.csv", "name,level,enrolled\n"+strings.Repeat("3A,primaria,22\n", MaxCSVBytes/15+1)))
	w.Says("File CSV")
	w.Shot("05-import-too-large")
	upload(csvFile("bad.csv", "name,level,enrolled\n3A,primaria,22\n3B,asilo,20\n2C,secondaria1,250\n"))
	w.Says("riga 3", "riga 4")
	w.Shot("06-import-errors")
	upload(csvFile("classes.csv", "name,level,enrolled\n3A,primaria,22\n2B,secondaria1,25\n"))
	w.Shot("07-import-preview")
	w.Submit("#confirm")
	w.Says("Classi importate.")
	w.Shot("08-classes")

	w.Open("/cases")
	w.Says("nessun nome", "3A", "2B")
	for _, day := range []string{"2022-02-07", "2022-02-08", "2022-02-10", "2022-02-12", "2022-02-14"} {
		w.Fill("#class-1 input[name=day]", day)
		w.Submit("#class-1 form.inline button")
	}
	w.Fill("#class-2 input[name=day]", "2022-02-16")
	w.Submit("#class-2 form.inline button")
	w.Says("Data del caso: una data dal 01/01/2020 al 15/02/2022")
	w.Shot("09-cases")

	w.Open("/measures")
	shown := w.Says("verifica quotidiana", "19/02/2022")
	if !strings.Contains(shown, "2B") {
		t.Errorf("the measures page does not list 2B:\n%s", shown)
	}
	w.Shot("10-measures")
	w.Open("/rules")
	w.Says("DL 5/2022", "DL 24/2022")
	w.Shot("11-rules")

	w.Open("/delegations")
	w.Fill("#dname", "Maria Rossi", "#drole", "collaboratrice scolastica", "#duntil", "2022-06-30")
	w.Submit("#add-delegation")
	w.Says("Delega creata.", "D0001", "Maria Rossi")
	w.Shot("12-delegations")
	pdf := browser.Download(t, w.Ctx, `tr[data-delegation="D0001"] a[href$="allegato-a.pdf"]`)
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

	w.Submit(`tr[data-delegation="D0001"] button.danger`)
	w.Says("Delega revocata.")
	w.Shot("13-delegation-revoked")
	if sc := kioskShown(t, o, printed); sc.State != kiosk.StateLocked || sc.Operator != nil || sc.Notice != lang.IT.Text(lang.BadgeRevoked) {
		t.Fatalf("a revoked badge at the entrance: %s %+v %q", sc.State, sc.Operator, sc.Notice)
	}
	if pdf := w.Says(); strings.Contains(pdf, "Delega (Allegato A)") {
		t.Error("a revoked delegation still offers its document")
	}

	// The kiosks: a pairing QR on screen; a kiosk paired (by a code made
	// for it) and its counts, per class and entrance.
	w.Open("/kiosks")
	w.Says("Nessuna postazione abbinata.")
	w.Submit("#pair-kiosk")
	w.Says("Mostra questo codice alla telecamera")
	w.Shot("13a-kiosks-pairing")
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
	w.Open("/kiosks")
	w.Says("Ingresso A", "via Roma", "1.0.0")
	w.Shot("13b-kiosks")
	w.Open("/counts")
	w.Says("18 / 2", "39")
	w.Shot("13c-counts")

	// A form whose token is not the session's changes nothing.
	w.Open("/classes")
	w.Fill("#new-name", "5C", "#new-enrolled", "20", `form[action="/classes"] input[name=csrf]`, "forged")
	w.Submit(`form[action="/classes"] button[type=submit]`)
	w.Says("Il modulo è scaduto")
	w.Shot("14-csrf-refused")
	w.Open("/classes")
	w.Fill("#new-name", "5C", "#new-enrolled", "101")
	w.Submit(`form[action="/classes"] button[type=submit]`)
	w.Says("Iscritti: un numero intero da 0 a 100")
	w.Shot("15-class-refused")
	if cs, _ := o.store.Classes(context.Background()); len(cs) != 2 {
		t.Fatalf("refused forms added a class: %d classes", len(cs))
	}
	w.Open("/audit")
	w.Says("delegation.revoke", "class.put", "case.add", "school")
	w.Shot("16-audit")

	// The privacy notice's public page, styled by itself.
	w.Open("/informativa")
	w.Says("Prof.ssa Lucia Ferrè", "dpo@privacyscuole.it")
	if size, err := chromedp.Run(w.Ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).fontSize`)); err != nil || size != "17px" {
		t.Errorf("the notice's page is not styled: font %q %v", size, err)
	}
	w.Shot("17-informativa")

	w.Open("/lang/en?back=/measures")
	w.Says("Measures", "daily verification")
	w.Shot("18-measures-en")
	w.Open("/lang/it?back=/measures")

	w.Submit("#logout")
	w.Fill("#name", "segreteria", "#password", staffPassword)
	w.Submit("#login")
	w.Open("/delegations")
	w.Says("riservata al dirigente")
	w.Shot("19-segreteria-refused")

	if err := chromedp.Do(w.Ctx, chromedp.EmulateViewport(800, 1280)); err != nil {
		t.Fatal(err)
	}
	w.Open("/cases")
	w.Shot("20-cases-tablet")
	w.Open("/measures?day=" + url.QueryEscape(calendar.Date(2022, 2, 21).String()))
	w.Says("autosorveglianza", "24/02/2022")
	w.Shot("21-measures-tablet")
}
