package office

import (
	"context"
	"github.com/scuola/kiosk/testdata/formclient"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
)

// reportClasses gives the office the classes the reports are pre-filled
// from: 3A suspended on 14 February 2022 (five cases), 2B not, Sez. A an
// infanzia section (not aged 6–19).
func reportClasses(t *testing.T, o *office, code string) {
	t.Helper()
	ctx := context.Background()
	err := o.store.Update(ctx, "test", func(tx *store.Tx) error {
		if err := tx.SetSchool(ctx, store.School{Code: code, Name: "Scuola primaria «Rodari»"}); err != nil {
			return err
		}
		id, err := tx.AddClass(ctx, "3A", school.Primaria, 22)
		for _, d := range []int{7, 8, 10, 12, 14} {
			if err == nil {
				err = tx.AddCase(ctx, id, calendar.Date(2022, 2, d))
			}
		}
		if err == nil {
			_, err = tx.AddClass(ctx, "2B", school.Secondaria1, 25)
		}
		if err == nil {
			_, err = tx.AddClass(ctx, "Sez. A", school.Infanzia, 18)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The reports page: pre-filled from the classes, the day's form on a
// sentinel day or a late one, each bad field named, the report queued with
// the classes under a measure and audited; the portal's settings are the
// head teacher's, and the credential is never shown back.
func TestReportsPage(t *testing.T) {
	o := newOffice(t)
	staff := o.client(t)
	staff.login("segreteria", staffPassword)

	// No code yet: a report cannot be queued, and the page says why.
	status, body := staff.Post("/reports/profile", url.Values{"year": {"2021-22"}, "enrolled": {"0"}, "classes": {"0"}, "enrolled_6_19": {"0"}})
	if status != http.StatusBadRequest || !strings.Contains(body, htmlText("manca il codice meccanografico")) {
		t.Errorf("no code: %d", status)
	}
	reportClasses(t, o, "MIEE01234A")

	// 15 February 2022 is a Tuesday: no form, the next sentinel day, and
	// a late report of Monday.
	status, body = staff.Get("/reports")
	if status != 200 || strings.Contains(body, `id="absences-form"`) {
		t.Fatalf("on a Tuesday: %d, the form is shown", status)
	}
	wantIn(t, body, htmlText("il prossimo è giovedì 17/02/2022"), `href="/reports?day=2022-02-14"`,
		`id="p-enrolled" name="enrolled" type="number" min="0" value="65"`, `name="classes" type="number" min="0" value="3"`,
		`name="enrolled_6_19" type="number" min="0" value="47"`, `value="2021-22"`)
	if strings.Contains(body, `id="settings-form"`) {
		t.Error("the secretary sees the portal's settings")
	}
	status, body = staff.Get("/reports?day=2022-02-14")
	if status != 200 || !strings.Contains(body, `id="absences-form"`) {
		t.Fatalf("the late form: %d", status)
	}
	wantIn(t, body, `name="date" type="date" value="2022-02-14"`, `id="f-under" type="text" value="1"`, `name="class_absent_2"`)

	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"date": {"2022-02-14"}, "enrolled": {"65"}, "absent": {"66"}}, "Alunni assenti oggi: non può superare 65"},
		{url.Values{"date": {"2022-02-14"}, "enrolled": {"65"}, "absent": {"6"}, "absent_illness": {"7"}}, "di cui assenti per malattia: non può superare 6"},
		{url.Values{"date": {"2022-02-16"}, "enrolled": {"65"}, "absent": {"6"}}, "Giorno: "},
		{url.Values{"date": {"2022-02-14"}, "enrolled": {"65"}, "absent": {""}}, "Alunni assenti oggi: un numero intero"},
		{url.Values{"date": {"2022-02-14"}, "enrolled": {"65"}, "absent": {"6"}, "class_absent_0": {"0"}, "class_absent_1": {"26"}, "class_absent_2": {"0"}}, "2B – Alunni assenti oggi: un numero intero da 0 a 25"},
		{url.Values{"date": {"2022-02-14"}, "enrolled": {"65"}, "absent": {"6"}, "class_absent_0": {"4"}, "class_absent_1": {"3"}, "class_absent_2": {"0"}}, "Assenti delle classi, sommati: non può superare 6"},
		{url.Values{"date": {"2022-02-14"}, "enrolled": {"65"}, "absent": {"6"}, "class_absent_0": {"1"}, "class_illness_1": {"1"}}, "2B – Alunni assenti oggi: un numero intero"},
	} {
		status, body := staff.Post("/reports/absences", tc.form)
		if status != http.StatusBadRequest || !strings.Contains(body, htmlText(tc.want)) {
			t.Errorf("%v: %d, want 400 naming %q", tc.form, status, tc.want)
		}
	}
	if items, _ := o.store.Reports(context.Background(), 10); len(items) != 0 {
		t.Fatalf("a refused form queued %v", items)
	}
	status, _ = staff.Post("/reports/absences", url.Values{"date": {"2022-02-14"}, "enrolled": {"65"}, "absent": {"6"},
		"absent_illness": {"2"}, "class_absent_0": {"4"}, "class_illness_0": {"2"}, "class_absent_1": {"0"}, "class_absent_2": {"1"}})
	if status != http.StatusSeeOther {
		t.Fatalf("queue: %d", status)
	}
	status, _ = staff.Post("/reports/profile", url.Values{"year": {"2021-22"}, "enrolled": {"65"}, "classes": {"3"}, "enrolled_6_19": {"47"}})
	if status != http.StatusSeeOther {
		t.Fatalf("profile: %d", status)
	}
	items, err := o.store.Reports(context.Background(), 10)
	if err != nil || len(items) != 2 {
		t.Fatalf("outbox: %v %v", items, err)
	}
	if it := items[0]; it.Period != "2022-02-14" || it.State != store.Waiting || it.School != "MIEE01234A" ||
		it.Body != `{"enrolled":65,"absent":6,"absent_illness":2,"classes_under_measure":1,"classes":[{"name":"3A","enrolled":22,"absent":4,"absent_illness":2},{"name":"2B","enrolled":25,"absent":0},{"name":"Sez. A","enrolled":18,"absent":1}]}` {
		t.Errorf("absences queued: %+v", it)
	}
	if it := items[1]; it.Period != "2021-22" || it.Body != `{"enrolled":65,"classes":3,"enrolled_6_19":47}` {
		t.Errorf("profile queued: %+v", it)
	}
	_, body = staff.Get("/reports?done=report_queued")
	wantIn(t, body, `data-period="2022-02-14" data-state="waiting"`, "non ancora inviato", "Rapporto salvato")
	// With no portal set yet, a send leaves them waiting and says why.
	if n, err := o.srv.outbox.SendDue(context.Background()); n != 0 || err != nil {
		t.Fatalf("sending with no portal: %d %v", n, err)
	}
	_, body = staff.Get("/reports")
	wantIn(t, body, "Nessuna risposta dal portale", htmlText("the portal's address or the school's credential is not set"), "Tentativi: 1")

	// The settings: the head teacher's only, checked, the credential kept
	// and never shown back, the change audited without it.
	const token = "s3cr3t-token-of-the-plesso-0123456789abcdef"
	settings := url.Values{"portal_url": {"https://ats.example/"}, "token": {token}, "sentinel_1": {"1"}, "sentinel_2": {"4"}}
	if status, _ := staff.Post("/reports/settings", settings); status != http.StatusForbidden {
		t.Errorf("the secretary changed the settings: %d", status)
	}
	head := o.client(t)
	head.login("preside", headPassword)
	head.Get("/reports")
	for field, bad := range map[string]string{"portal_url": "http://192.0.2.7/", "sentinel_2": "1", "token": "two words"} {
		form := formclient.Clone(settings)
		form.Set(field, bad)
		if status, body := head.Post("/reports/settings", form); status != http.StatusBadRequest || !strings.Contains(body, `name="`+field+`"`) {
			t.Errorf("%s=%q: %d", field, bad, status)
		}
	}
	if status, _ := head.Post("/reports/settings", url.Values{"csrf": {"forged"}, "portal_url": {"https://evil.example/"}}); status != http.StatusForbidden {
		t.Errorf("a forged form: %d", status)
	}
	settings.Set("sentinel_2", "5")
	if status, _ := head.Post("/reports/settings", settings); status != http.StatusSeeOther {
		t.Fatalf("settings: %d", status)
	}
	settings.Set("token", "") // kept
	if status, _ := head.Post("/reports/settings", settings); status != http.StatusSeeOther {
		t.Fatalf("settings again: %d", status)
	}
	rs, err := o.store.ReportSettings(context.Background())
	if err != nil || rs.PortalURL != "https://ats.example/" || rs.Token != token || len(rs.SentinelDays) != 2 || rs.SentinelDays[1] != 5 {
		t.Errorf("settings stored: %+v %v", rs, err)
	}
	_, body = head.Get("/reports")
	if strings.Contains(body, token) || !strings.Contains(body, "…cdef") {
		t.Error("the credential is shown back, or not hinted")
	}
	_, audit := head.Get("/audit")
	if strings.Contains(audit, token) || !strings.Contains(audit, "report.portal") || !strings.Contains(audit, "report.queue") {
		t.Error("the audit misses a change, or shows the credential")
	}
	// Friday is a sentinel day now: not Tuesday still.
	if _, body := staff.Get("/reports"); !strings.Contains(body, htmlText("il prossimo è venerdì 18/02/2022")) {
		t.Error("the changed sentinel days are not the page's")
	}
}
