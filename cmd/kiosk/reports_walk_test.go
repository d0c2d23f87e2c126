package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scuola/kiosk/kiosk/office"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/privacy/access"
	"github.com/scuola/kiosk/privacy/report"
	"github.com/scuola/kiosk/testdata/browser"
	"github.com/scuola/kiosk/verify/calendar"
)

// waitState reloads the reports page until the report of period shows
// state (the office sends in the background), and returns what it says.
func waitState(t *testing.T, w *browser.Walk, period, state string) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		w.Open("/reports")
		got, err := chromedp.Run(w.Ctx, chromedp.Evaluate[string](`(document.querySelector('tr[data-period="`+period+`"]') || {dataset: {}}).dataset.state || ""`))
		if err == nil && got == state {
			return w.Says()
		}
	}
	t.Fatalf("the report of %s never became %s: the page says\n%s", period, state, w.Says())
	return ""
}

// The secretary's Thursday at the reports page, in a real browser, with
// the office's background sender and the real portal on loopback: the
// head teacher links the office to the portal, the profile is pre-filled
// and sent, a number typed wrong is named, a late Monday report is sent,
// and Thursday's, which the portal (its clock a day behind) refuses, is
// shown refused with the portal's reason. Each page is saved.
func TestReportsPageInABrowser(t *testing.T) {
	const code = "MIEE01234A"
	thursday := time.Date(2022, 2, 17, 10, 0, 0, 0, calendar.Rome)
	portal := startPortal(t, code, thursday.AddDate(0, 0, -1))
	dir := officeWithClasses(t, code)
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cost := access.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}
	if err := office.AddAccount(ctx, st, cost, "test", "preside", store.Dirigente, "preside-password-1"); err != nil {
		t.Fatal(err)
	}
	srv, err := office.New(ctx, office.Config{Store: st, Argon2: cost, Now: func() time.Time { return thursday }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv)
	sending := make(chan error, 1)
	go func() { sending <- srv.SendReports(ctx) }()
	defer func() {
		cancel()
		if err := <-sending; !errors.Is(err, context.Canceled) {
			t.Errorf("the background sender: %v", err)
		}
		ts.Close()
	}()

	w := &browser.Walk{T: t, Ctx: browser.Start(t, 1366, 768, browser.AcceptCertificates), Base: ts.URL, Shots: browser.NewShots(t, "reports")}
	w.Open("/login")
	w.Fill("#name", "preside", "#password", "preside-password-1")
	w.Submit("#login")
	w.Open("/reports")
	w.Says("Assenze di 17/02/2022", "Nessuna credenziale", "Nessun rapporto.")
	w.Shot("01-reports-first")

	token, err := os.ReadFile(portal.tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	w.Fill("#s-portal", portal.url, "#s-token", strings.TrimSpace(string(token)))
	w.Submit("#save-settings")
	w.Says("Collegamento con il portale salvato.", "Credenziale impostata (…")
	if strings.Contains(w.Says(), strings.TrimSpace(string(token))) {
		t.Error("the page shows the credential back")
	}

	w.Fill("#p-enrolled-6-19", "47")
	w.Submit("#queue-profile")
	w.Says("Rapporto salvato")
	waitState(t, w, "2021-22", store.Sent)

	w.Fill("#f-absent", "66")
	w.Submit("#queue-absences")
	w.Says("Alunni assenti oggi: non può superare 65")
	w.Shot("02-absences-refused-by-the-form")

	w.Open("/reports?day=2022-02-14")
	w.Says("Assenze di 14/02/2022")
	w.Fill("#f-absent", "9", "#f-absent-illness", "3", `input[name="class_absent_0"]`, "4", `input[name="class_absent_1"]`, "3", `input[name="class_absent_2"]`, "0")
	w.Submit("#queue-absences")
	waitState(t, w, "2022-02-14", store.Sent)

	w.Fill("#f-absent", "6")
	w.Submit("#queue-absences")
	shown := waitState(t, w, "2022-02-17", store.Refused)
	for _, want := range []string{"Il portale lo rifiuta (422)", "date: 2022-02-17 is in the future (today is 2022-02-16)", "ricevuto dal portale il"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the outbox does not say %q:\n%s", want, shown)
		}
	}
	w.Shot("03-outbox-sent-and-refused")

	got := portal.absences(t, "2022-02-01", "2022-02-28")
	if len(got) != 1 || got["2022-02-14"] != `{"enrolled":65,"absent":9,"absent_illness":3,"classes_under_measure":2,"classes":[{"name":"3A","enrolled":22,"absent":4},{"name":"2B","enrolled":25,"absent":3},{"name":"Sez. A","enrolled":18,"absent":0}]}` {
		t.Errorf("the portal holds %v", got)
	}
	if p, err := portal.store.Profile(ctx, code, "2021-22"); err != nil || p != (report.Profile{Enrolled: 65, Classes: 3, Enrolled619: 47}) {
		t.Errorf("the portal's profile: %+v %v", p, err)
	}

	w.Open("/lang/en?back=/reports")
	w.Says("Reports to the ATS", "refused", "sent")
	w.Shot("04-reports-english")
}
