package web

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/testdata/browser"
)

// An ATS operator's morning with the registry, in a real browser at an
// office screen's size: a wrong password, the registry of its ATS, a
// school added (its credential shown once, then never again), the
// region's CSV with a bad line then imported, a credential reissued and
// revoked, another ATS's school refused, the audit, English; then the
// regional user, and a tablet. Each page is saved as a screenshot.
func TestPortalInABrowser(t *testing.T) {
	ctx := context.Background()
	p := newPortal(t, sqlite(t))
	w := &browser.Walk{T: t, Ctx: browser.Start(t, 1366, 768, browser.AcceptCertificates), Base: p.ts.URL, Shots: browser.NewShots(t, "portal")}
	token := func() string {
		t.Helper()
		tok, err := chromedp.Run(w.Ctx, chromedp.Evaluate[string](`document.querySelector("code.token").innerText`))
		if err != nil || len(tok) != 43 {
			t.Fatalf("no credential on the page: %q %v", tok, err)
		}
		return tok
	}

	w.Open("/")
	w.Fill("#name", "rossi", "#password", "non-la-password")
	w.Submit("#login")
	w.Says("Nome o password errati.")
	w.Shot("01-login-refused")
	w.Fill("#name", "rossi", "#password", opPassword)
	w.Submit("#login")
	w.Says("Registro dei plessi", "I plessi di ATS Milano", "MIEE00100A", "rossi · ATS Milano")
	w.Shot("02-registry")

	w.Fill("#code", "MI 3", "#sname", "Scuola media «Alessandro Manzoni»", "#pupils", "410")
	w.Submit("#add-school")
	w.Says("Codice: lettere maiuscole e cifre")
	w.Shot("03-add-refused")
	w.Fill("#code", "MIMM00300C")
	w.Submit("#add-school")
	w.Says("Credenziale del plesso", "mostrata solo questa volta", "MIMM00300C")
	if code, _ := p.st.Authenticate(ctx, store.HashToken(token())); code != "MIMM00300C" {
		t.Error("the credential shown does not authenticate the new school")
	}
	w.Shot("04-credential-once")
	w.Open("/schools/MIMM00300C")
	if shown := w.Says("Scuola media «Alessandro Manzoni»", "attiva"); len(shown) == 0 {
		t.Error("empty school page")
	}
	w.Shot("05-school")

	dir := t.TempDir()
	upload := func(name, text string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		w.Open("/schools/import")
		if err := chromedp.Do(w.Ctx, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path})); err != nil {
			t.Fatal(err)
		}
		w.Submit("#preview")
	}
	upload("bad.csv", "code;name;ats;sentinel;pupils_6_19\nMIEE00400D;Primaria «Gianni Rodari»;ATS Milano;sì;180\nMIEE00500E;Primaria Verdi;ATS Milano;forse;120\nMIEE00400D;Doppione;ATS Milano;no;1\n")
	w.Says("Riga 3: Sentinella: sì o no", "Riga 4: Codice: MIEE00400D compare anche alla riga 2")
	w.Shot("06-import-errors")
	upload("plessi.csv", "code;name;ats;sentinel;pupils_6_19\nMIEE00400D;Primaria «Gianni Rodari»;ATS Milano;sì;180\nMIEE00100A;Primaria MIEE00100A;ATS Milano;sì;260\n")
	w.Says("Anteprima", "nuovo", "aggiornato", "Importa (nuovi: 1, aggiornati: 1)")
	w.Shot("07-import-preview")
	w.Submit("#confirm")
	w.Says("Importazione eseguita (nuovi: 1, aggiornati: 1).", "MIEE00400D")
	if code, _ := p.st.Authenticate(ctx, store.HashToken(token())); code != "MIEE00400D" {
		t.Error("the imported school's credential does not work")
	}
	w.Shot("08-import-credentials")

	w.Open("/schools/MIEE00100A")
	w.Submit("#reissue")
	fresh := token()
	w.Shot("09-reissued")
	if code, _ := p.st.Authenticate(ctx, store.HashToken(fresh)); code != "MIEE00100A" {
		t.Error("the reissued credential does not work")
	}
	w.Open("/schools/MIEE00100A")
	w.Submit("#revoke")
	w.Says("Credenziale revocata.", "revocata")
	w.Shot("10-revoked")
	if _, err := p.st.Authenticate(ctx, store.HashToken(fresh)); err == nil {
		t.Error("a revoked credential works")
	}

	w.Open("/schools/MBEE00200B")
	w.Says("Questo plesso è di un'altra ATS")
	w.Shot("11-other-ats-refused")
	w.Open("/audit")
	w.Says("school.add", "school.import", "school.token", "school.revoke")
	w.Shot("12-audit")

	w.Open("/schools")
	w.Submit("#lang")
	w.Says("Registry of schools", "The schools of ATS Milano", "Add a school")
	w.Shot("13-registry-en")
	w.Submit("#lang")

	w.Submit("#logout")
	w.Fill("#name", "verdi", "#password", regPassword)
	w.Submit("#login")
	w.Says("Tutti i plessi della regione", "MBEE00200B", "ATS Brianza", "MIEE00400D")
	w.Shot("14-registry-regional")

	if err := chromedp.Do(w.Ctx, chromedp.EmulateViewport(800, 1280)); err != nil {
		t.Fatal(err)
	}
	w.Open("/schools")
	w.Shot("15-registry-tablet")
	w.Open("/schools/MIEE00400D")
	w.Shot("16-school-tablet")
}
