package watch

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scuola/kiosk/testdata/browser"
	"github.com/scuola/kiosk/testdata/poppler"
)

// walk is a person at the ATS's pages in a real Chromium; the outer
// handler's session is played by a cookie naming the viewer.
type walk struct {
	t     *testing.T
	f     *fixture
	ctx   context.Context
	shots *browser.Shots
}

func (w *walk) as(who string) {
	w.t.Helper()
	w.open("/ats/")
	if err := chromedp.Do(w.ctx, chromedp.Evaluate[chromedp.Void](`document.cookie = "viewer=`+who+`; path=/"`)); err != nil {
		w.t.Fatal(err)
	}
}

func (w *walk) open(path string) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, chromedp.Navigate(w.f.ts.URL+path)); err != nil {
		w.t.Fatalf("opening %s: %v", path, err)
	}
}

// submit clicks a button and waits for the page it leads to.
func (w *walk) submit(selector string) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx,
		chromedp.Evaluate[chromedp.Void](`window.leaving = true`),
		chromedp.Click(chromedp.CSS(selector)),
	); err != nil {
		w.t.Fatalf("submitting %s: %v", selector, err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if arrived, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`!window.leaving && document.readyState === "complete"`)); err == nil && arrived {
			return
		}
	}
	w.t.Fatalf("submitting %s: no new page after 10 s", selector)
}

func (w *walk) fill(values ...string) {
	w.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for i := 0; i < len(values); i += 2 {
		steps = append(steps, chromedp.SetValue(chromedp.CSS(values[i]), values[i+1]))
	}
	if err := chromedp.Do(w.ctx, steps...); err != nil {
		w.t.Fatalf("filling %v: %v", values, err)
	}
}

// says checks that the page shows each text, and that it fits the
// window's width.
func (w *walk) says(texts ...string) {
	w.t.Helper()
	shown, err := chromedp.Run(w.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		w.t.Fatal(err)
	}
	for _, x := range texts {
		if !strings.Contains(shown, x) {
			w.t.Errorf("the page does not say %q:\n%s", x, shown)
		}
	}
	if fits, _ := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)); !fits {
		w.t.Error("the page is wider than the window")
	}
}

func (w *walk) shot(name string) { w.shots.Take(w.t, w.ctx, name, true) }

// A walk through every page: an operator's dashboard, a plesso, the
// alarms and a dismissal, the settings with a mistake then saved, the
// weekly summary and its PDF, the same in English, then the Region's
// view of two ATSs. A screenshot of each page.
func TestWalk(t *testing.T) {
	w := &walk{t: t, f: newFixture(t), ctx: browser.Start(t, 1280, 900), shots: browser.NewShots(t, "watch")}
	w.as("rossi")
	w.open("/ats/")
	w.says("Copertura dei plessi sentinella", "2650 su 42650", "Obiettivo raggiunto", "Primaria «Gianni Rodari»", "soglia di allarme", "Allarmi da esaminare")
	w.shot("01-dashboard")
	w.open("/ats/schools/InEE00000")
	w.says("Primaria n. 1", "InEE00000", "600 alunni di 6–19 anni", "22/02/2027")
	w.shot("02-school")
	w.open("/ats/alarms")
	w.says("Metodo EARS C2", "Tutta l'ATS", "18/02/2027", "nuovo")
	w.shot("03-alarms")
	// The first row is the newest: dismissed without a note, refused.
	w.fill("#alarm-list tbody tr:first-child select[name=state]", "dismissed")
	w.submit("#alarm-list tbody tr:first-child button")
	w.says("scrivete il motivo nella nota")
	w.shot("04-alarms-no-note")
	w.fill("#alarm-list tbody tr:first-child select[name=state]", "dismissed", "#alarm-list tbody tr:first-child input[name=note]", "gita scolastica")
	w.submit("#alarm-list tbody tr:first-child button")
	w.says("Revisione salvata", "archiviato", "«gita scolastica»", "Dr. Anna Rossi")
	w.shot("05-alarms-dismissed")
	w.open("/ats/settings")
	w.says("L'ATS usa le impostazioni predefinite", "Assenti minimi")
	w.shot("06-settings")
	w.fill("#method", "ewma", "#baseline", "28", "#min_sigma", "0.005", "#alpha", "0.01")
	w.submit("#save")
	w.says("Deviazione standard minima: valore non valido (sul tasso")
	w.shot("07-settings-error")
	w.fill("#min_sigma", "0")
	w.submit("#save")
	w.says("Impostazioni salvate", "Impostate da Dr. Anna Rossi")
	w.shot("08-settings-saved")
	w.open("/ats/summary?week=2027-02-15")
	w.says("ATS Insubria: settimana dal 15/02/2027 al 21/02/2027", "Tutta l'ATS", "Scarica PDF da stampare")
	w.shot("09-summary")
	pdf := browser.Download(t, w.ctx, "#summary-pdf")
	if text := poppler.OneLine(poppler.Text(t, pdf, 1)); !strings.Contains(text, "ATS Insubria: settimana dal 15/02/2027") || !strings.Contains(text, "Primaria n. 4") {
		t.Errorf("the downloaded summary: %s", text)
	}
	w.open("/ats/")
	csv := string(browser.Download(t, w.ctx, "#export"))
	if !strings.HasPrefix(csv, "ats,day,schools,") || !strings.Contains(csv, "ATS Insubria,2027-02-18,4,2400,") {
		t.Errorf("the downloaded export: %.300s", csv)
	}

	w.as("smith")
	w.open("/ats/")
	w.says("Coverage of the sentinel schools", "Target met", "alarm threshold", "No report on the last sentinel day")
	w.shot("10-dashboard-en")
	w.open("/ats/alarms")
	w.says("EWMA (ESSENCE)", "The whole ATS", "new") // a review is of its method's alarm: C2's stays with C2
	w.shot("11-alarms-en")

	w.as("regione")
	w.open("/ats/")
	w.says("La Regione vede solo dati aggregati", "ATS Insubria", "I dati di assenza per plesso sono visibili solo all'ATS")
	w.shot("12-regional")
	w.fill("#ats-pick", "ATS Montagna")
	w.submit("#pick button")
	w.says("Plessi sentinella (4)", "MoEE00000", "Tutti i plessi sentinella hanno segnalato")
	w.shot("13-regional-montagna")
	w.open("/ats/summary?ats=ATS+Montagna&week=2027-02-15")
	w.says("Solo dati aggregati dell'ATS", "Tutta l'ATS")
	w.shot("14-regional-summary")
}
