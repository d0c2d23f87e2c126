package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/api"
	portalstore "github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/office/outbox"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/privacy/report"
	"github.com/scuola/kiosk/verify/calendar"
)

// realPortal is the ATS portal's protocol handler (cmd/portal/api) over
// a SQLite store, on loopback, with one sentinel plesso and its token in
// a file. Its clock is today; hold, when set, holds the hold-th PUT after
// the portal has stored it, as an answer that never arrives.
type realPortal struct {
	url, code, tokenFile string
	store                portalstore.Store

	mu               sync.Mutex
	puts             int
	hold             int
	holding, release chan struct{}
}

func startPortal(t *testing.T, code string, today time.Time) *realPortal {
	t.Helper()
	ctx := context.Background()
	ps, err := portalstore.Open(ctx, filepath.Join(t.TempDir(), "portal.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ps.Close() })
	token, hash := portalstore.NewToken()
	if err := ps.AddSchool(ctx, portalstore.School{Code: code, Name: "Scuola", ATS: "ATS Milano", Sentinel: true}, hash); err != nil {
		t.Fatal(err)
	}
	p := &realPortal{code: code, store: ps, holding: make(chan struct{}), release: make(chan struct{}),
		tokenFile: filepath.Join(t.TempDir(), "token")}
	os.WriteFile(p.tokenFile, []byte(token+"\n"), 0o600)
	h := api.New(ps, api.Options{Now: func() time.Time { return today }, Every: time.Millisecond, Burst: 1000})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		if r.Method == http.MethodPut {
			p.puts++
		}
		held := r.Method == http.MethodPut && p.puts == p.hold
		p.mu.Unlock()
		if !held {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r) // stored: its answer is what is lost
		close(p.holding)
		select {
		case <-p.release:
		case <-r.Context().Done():
		}
		w.WriteHeader(rec.Code)
	}))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

func (p *realPortal) absences(t *testing.T, from, to string) map[string]string {
	t.Helper()
	list, err := p.store.Absences(context.Background(), p.code, from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range list {
		b, _ := json.Marshal(d.Absences)
		out[d.Date] = string(b)
	}
	return out
}

// officeWithClasses makes an office database with the school's code and
// the classes of TestOfficeCommands: on 15 February 2022 3A is
// suspended and 2B under daily verification.
func officeWithClasses(t *testing.T, code string) string {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	d := calendar.Date
	err = st.Update(ctx, "test", func(tx *store.Tx) error {
		if err := tx.SetSchool(ctx, store.School{Code: code, Name: "Scuola primaria"}); err != nil {
			return err
		}
		a, err := tx.AddClass(ctx, "3A", school.Primaria, 22)
		for _, day := range []calendar.Day{d(2022, 2, 7), d(2022, 2, 8), d(2022, 2, 10), d(2022, 2, 12), d(2022, 2, 14)} {
			if err == nil {
				err = tx.AddCase(ctx, a, day)
			}
		}
		if err != nil {
			return err
		}
		b, err := tx.AddClass(ctx, "2B", school.Secondaria2, 25)
		if err == nil {
			err = tx.AddCase(ctx, b, d(2022, 2, 14))
		}
		if err != nil {
			return err
		}
		until := d(2022, 2, 16)
		if err := tx.SetVerifyUntil(ctx, b, &until); err != nil {
			return err
		}
		_, err = tx.AddClass(ctx, "Sez. A", school.Infanzia, 18)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// The report commands against the real portal: a day's absences queued
// with the office's enrolled, code and classes under a measure, the
// profile, both delivered; a day the portal refuses named with its
// reason; a portal that does not answer named when the timeout ends.
func TestReportCommandsAgainstThePortal(t *testing.T) {
	const code = "MIEE00001A"
	portal := startPortal(t, code, time.Date(2022, 2, 17, 9, 0, 0, 0, time.UTC))
	dir := officeWithClasses(t, code)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "absences", "--data", dir, "--date", "2022-02-15"}, "--absent N is required"},
		{[]string{"report", "absences", "--data", dir, "--date", "15/02/2022", "--absent", "3"}, "--date"},
		{[]string{"report", "absences", "--data", dir, "--date", "2022-02-15", "--absent", "70"}, "--absent: 70 absent is more than the 65 enrolled"},
		{[]string{"report", "absences", "--data", dir, "--date", "2022-02-15", "--absent", "7", "--illness", "8"}, "--illness"},
		{[]string{"report", "absences", "--data", t.TempDir(), "--date", "2022-02-15", "--absent", "0"}, "--school CODE is required"},
		{[]string{"report", "send", "--data", dir, "--portal", "http://192.0.2.1/", "--token-file", portal.tokenFile}, "--portal"},
		{[]string{"report", "send", "--data", t.TempDir(), "--portal", portal.url, "--token-file", portal.tokenFile}, "no office database"},
		{[]string{"report", "profile", "--data", dir}, "--enrolled-6-19 N is required"},
		{[]string{"report"}, "usage:"},
	} {
		if status, out, errs := runCmd(t, "", tc.args...); status != 2 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: %d %q %q, want 2 and %q", tc.args, status, out, errs, tc.want)
		}
	}

	// The classes under a measure are the ones kiosk measures names.
	_, lines, _ := runCmd(t, "", "measures", "--data", dir, "--at", "2022-02-15")
	under := strings.Count(lines, `"measure":"daily_verification"`) + strings.Count(lines, `"measure":"suspended"`)
	if under != 2 {
		t.Fatalf("the fixture's measures changed: %s", lines)
	}
	for _, args := range [][]string{
		{"report", "absences", "--data", dir, "--date", "2022-02-14", "--absent", "9"},
		{"report", "absences", "--data", dir, "--date", "2022-02-15", "--absent", "7", "--illness", "4"},
		{"report", "absences", "--data", dir, "--date", "2022-02-16", "--absent", "5", "--enrolled", "70"},
		{"report", "profile", "--data", dir, "--year", "2021-22", "--enrolled-6-19", "47"},
	} {
		if status, out, errs := runCmd(t, "", args...); status != 0 || out != "" || errs != "" {
			t.Fatalf("%v: %d %q %q", args, status, out, errs)
		}
	}
	send := []string{"report", "send", "--data", dir, "--portal", portal.url, "--token-file", portal.tokenFile, "--timeout", "20s"}
	if status, out, errs := runCmd(t, "", send...); status != 0 || out != "" || errs != "" {
		t.Fatalf("send: %d %q %q", status, out, errs)
	}
	got := portal.absences(t, "2022-02-01", "2022-02-28")
	want := map[string]string{
		"2022-02-14": `{"enrolled":65,"absent":9,"classes_under_measure":2}`,
		"2022-02-15": `{"enrolled":65,"absent":7,"absent_illness":4,"classes_under_measure":2}`,
		"2022-02-16": `{"enrolled":70,"absent":5,"classes_under_measure":2}`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("portal holds\n%v\nwant\n%v", got, want)
	}
	if p, err := portal.store.Profile(context.Background(), code, "2021-22"); err != nil || p != (report.Profile{Enrolled: 65, Classes: 3, Enrolled619: 47}) {
		t.Errorf("profile: %+v %v", p, err)
	}

	// A day after the portal's today (its clock is behind the office's)
	// is refused, and named with the portal's reason; it stays refused.
	if status, _, errs := runCmd(t, "", "report", "absences", "--data", dir, "--date", "2022-02-21", "--absent", "3"); status != 0 {
		t.Fatal(errs)
	}
	for range 2 {
		status, out, errs := runCmd(t, "", send...)
		if status != 1 || out != "" || !strings.Contains(errs, "the portal refused the absences 2022-02-21 of MIEE00001A (422): date ") || !strings.Contains(errs, "future") {
			t.Errorf("refused: %d %q %q", status, out, errs)
		}
	}

	// A portal that does not answer: the report waits, and says why.
	if status, _, errs := runCmd(t, "", "report", "absences", "--data", dir, "--date", "2022-02-17", "--absent", "3"); status != 0 {
		t.Fatal(errs)
	}
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	start := time.Now()
	status, _, errs := runCmd(t, "", "report", "send", "--data", dir, "--portal", down.URL, "--token-file", portal.tokenFile, "--timeout", "2s")
	if status != 1 || !strings.Contains(errs, "the absences 2022-02-17 of MIEE00001A still waits: portal unreachable") || time.Since(start) > 10*time.Second {
		t.Errorf("portal down: %d %q after %v", status, errs, time.Since(start))
	}

	// A portal whose storage fails answers 500: the report waits, and says so.
	portal.store.Close()
	status, _, errs = runCmd(t, "", "report", "send", "--data", dir, "--portal", portal.url, "--token-file", portal.tokenFile, "--timeout", "2s")
	if status != 1 || !strings.Contains(errs, "the absences 2022-02-17 of MIEE00001A still waits: portal answered 500") {
		t.Errorf("portal failing: %d %q", status, errs)
	}
}

// The child of TestSendSurvivesSIGKILL queues nothing: the parent queued
// crashReports days, each fixed by its index.
const crashReports = 30

func crashReport(i int) (string, report.Absences) {
	return (calendar.Date(2022, 1, 10) + calendar.Day(i)).String(), report.Absences{Enrolled: 65, Absent: 5 + i%13, AbsentIllness: report.Int(i % 5)}
}

// kiosk report send killed (SIGKILL) in the middle of a send — the portal
// has stored the report, its answer never arrives — loses nothing and
// makes no day twice: after a restart the portal holds exactly the
// reports queued, the one in flight sent again and replaced, not added.
func TestSendSurvivesSIGKILL(t *testing.T) {
	const code = "MIEE00001A"
	portal := startPortal(t, code, time.Date(2022, 3, 1, 9, 0, 0, 0, time.UTC))
	portal.hold = 12
	dir := officeWithClasses(t, code)
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := outbox.New(st, nil)
	for i := range crashReports {
		day, a := crashReport(i)
		if err := o.EnqueueAbsences(context.Background(), "test", code, day, a); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	var stderr bytes.Buffer
	first := kioskCommand("report", "send", "--data", dir, "--portal", portal.url, "--token-file", portal.tokenFile)
	first.Stderr = &stderr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	select {
	case <-portal.holding:
	case err := <-exited:
		t.Fatalf("the send ended before the held answer: %v %s", err, stderr.String())
	case <-time.After(60 * time.Second):
		first.Process.Kill()
		t.Fatal("the send never reached the held answer")
	}
	if err := first.Process.Kill(); err != nil { // SIGKILL: no deferred function, no clean close
		t.Fatal(err)
	}
	<-exited
	close(portal.release)

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	items, err := st.Reports(context.Background(), 1000)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	waiting := 0
	for _, it := range items {
		if it.State == store.Waiting {
			waiting++
		}
	}
	if len(items) != crashReports || waiting != crashReports-portal.hold+1 {
		t.Fatalf("after the kill the outbox holds %d reports, %d waiting; want %d, %d", len(items), waiting, crashReports, crashReports-portal.hold+1)
	}

	again := kioskCommand("report", "send", "--data", dir, "--portal", portal.url, "--token-file", portal.tokenFile, "--timeout", "60s")
	if out, err := again.CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("the restarted send: %v %s", err, out)
	}
	got := portal.absences(t, "2022-01-01", "2022-03-01")
	if len(got) != crashReports || portal.puts != crashReports+1 {
		t.Errorf("portal: %d days after %d PUTs; want %d days, %d PUTs (the one in flight twice)", len(got), portal.puts, crashReports, crashReports+1)
	}
	for i := range crashReports {
		day, a := crashReport(i)
		a.ClassesUnderMeasure = nil
		want, _ := json.Marshal(a)
		if got[day] != string(want) {
			t.Errorf("%s: portal holds %s, want %s", day, got[day], want)
		}
	}
}
