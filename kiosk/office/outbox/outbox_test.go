package outbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/privacy/report"
)

// protocolPortal is the receiving side as the protocol defines it, in
// memory (the real portal, cmd/portal, is met by cmd/kiosk's tests): it
// checks the credential, decodes strictly, keeps one report per day, and
// answers the days of answer with that status instead.
type protocolPortal struct {
	mu       sync.Mutex
	stored   map[string]string // day → the report's JSON
	requests int
	answer   map[string]int
}

func (f *protocolPortal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	day, ok := strings.CutPrefix(r.URL.Path, "/api/v1/schools/S1/absences/")
	if !ok || r.Method != http.MethodPut || r.Header.Get("Authorization") != "Bearer tok" {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	a, err := report.DecodeAbsences(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	if status, ok := f.answer[day]; ok {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(report.ErrorBody{Error: http.StatusText(status), Field: "absent"})
		return
	}
	body, _ := json.Marshal(a)
	_, had := f.stored[day]
	f.stored[day] = string(body)
	if had {
		w.WriteHeader(http.StatusOK)
	} else {
		w.WriteHeader(http.StatusCreated)
	}
}

func TestStatesAPageLists(t *testing.T) {
	ctx := context.Background()
	fake := &protocolPortal{stored: map[string]string{}, answer: map[string]int{
		"2026-03-02": http.StatusUnprocessableEntity, "2026-03-03": http.StatusServiceUnavailable}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o := New(st, func(school string) (Portal, error) { return report.NewClient(srv.URL, school, "tok", nil) })
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	o.Now = func() time.Time { return now }
	for _, day := range []string{"2026-03-02", "2026-03-03", "2026-03-04"} {
		if err := o.EnqueueAbsences(ctx, "test", "S1", day, report.Absences{Enrolled: 10, Absent: 1}); err != nil {
			t.Fatal(err)
		}
	}
	// A newer report of a waiting day replaces it.
	if err := o.EnqueueAbsences(ctx, "test", "S1", "2026-03-04", report.Absences{Enrolled: 10, Absent: 4}); err != nil {
		t.Fatal(err)
	}
	// What the portal would refuse is refused before it is queued.
	if err := o.EnqueueAbsences(ctx, "test", "S1", "2026-03-04", report.Absences{Enrolled: 10, Absent: 11}); err == nil {
		t.Error("an impossible report was queued")
	}
	if err := o.EnqueueAbsences(ctx, "test", "S1", "2026-03-05", report.Absences{Enrolled: 10, Absent: 1}); err == nil {
		t.Error("tomorrow's report was queued")
	}
	if n, err := o.SendDue(ctx); n != 1 || err != nil {
		t.Fatalf("SendDue: %d %v", n, err)
	}
	items, err := st.Reports(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.Report{}
	for _, it := range items {
		got[it.Period] = it
	}
	if it := got["2026-03-04"]; it.State != store.Sent || it.Status != 201 || it.Sent.IsZero() || it.Body != `{"enrolled":10,"absent":4}` || it.Version != 2 {
		t.Errorf("sent: %+v", it)
	}
	if it := got["2026-03-02"]; it.State != store.Refused || it.Status != 422 || it.Field != "absent" || it.Reason != "Unprocessable Entity" {
		t.Errorf("refused: %+v", it)
	}
	it := got["2026-03-03"]
	if it.State != store.Waiting || it.Status != 503 || it.Attempts != 1 || !strings.Contains(it.Reason, "503") ||
		it.NextAttempt.Before(now.Add(o.MinBackoff)) || it.NextAttempt.After(now.Add(o.MinBackoff*5/4)) {
		t.Errorf("waiting: %+v", it)
	}
	if wait, ok, err := o.Wait(ctx); !ok || err != nil || wait != it.NextAttempt.Sub(now) {
		t.Errorf("Wait: %v %v %v, want %v", wait, ok, err, it.NextAttempt.Sub(now))
	}
	// Not due yet: nothing is sent; once due and the portal is back, it is.
	if n, _ := o.SendDue(ctx); n != 0 || fake.requests != 3 {
		t.Errorf("sent %d before its time (%d requests)", n, fake.requests)
	}
	delete(fake.answer, "2026-03-03")
	now = it.NextAttempt
	if n, err := o.SendDue(ctx); n != 1 || err != nil {
		t.Errorf("after the backoff: %d %v", n, err)
	}
	if fake.stored["2026-03-03"] == "" || fake.stored["2026-03-02"] != "" {
		t.Errorf("portal holds %v", fake.stored)
	}
	// A corrected report replaces the refused one, and is sent.
	delete(fake.answer, "2026-03-02")
	if err := o.EnqueueAbsences(ctx, "test", "S1", "2026-03-02", report.Absences{Enrolled: 10, Absent: 2}); err != nil {
		t.Fatal(err)
	}
	if n, err := o.SendDue(ctx); n != 1 || err != nil || fake.stored["2026-03-02"] != `{"enrolled":10,"absent":2}` {
		t.Errorf("the corrected report: %d %v, portal holds %q", n, err, fake.stored["2026-03-02"])
	}
	// Every queuing and every outcome but the retry is in the audit.
	audit, err := st.Audit(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range audit {
		actions[e.Action]++
	}
	if actions["report.queue"] != 5 || actions["report.sent"] != 3 || actions["report.refused"] != 1 {
		t.Errorf("audit: %v", actions)
	}
}

// A send that settles after its report was queued again leaves the newer
// version waiting: it is the one the portal must end with.
func TestReplacedWhileSendingStaysWaiting(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o := New(st, nil)
	o.Now = func() time.Time { return time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC) }
	if err := o.EnqueueAbsences(ctx, "test", "S1", "2026-03-04", report.Absences{Enrolled: 10, Absent: 1}); err != nil {
		t.Fatal(err)
	}
	due, err := st.DueReports(ctx, o.Now())
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v %v", due, err)
	}
	if err := o.EnqueueAbsences(ctx, "test", "S1", "2026-03-04", report.Absences{Enrolled: 10, Absent: 3}); err != nil {
		t.Fatal(err)
	}
	if err := o.settle(ctx, due[0], http.StatusCreated, nil); err != nil {
		t.Fatal(err)
	}
	items, _ := st.Reports(ctx, 10)
	if len(items) != 1 || items[0].State != store.Waiting || items[0].Body != `{"enrolled":10,"absent":3}` {
		t.Errorf("after the older version's answer: %+v", items)
	}
}

func TestBackoffDoublesUpToMax(t *testing.T) {
	o := &Outbox{MinBackoff: time.Second, MaxBackoff: 10 * time.Second}
	for attempt, base := range map[int]time.Duration{1: 1, 2: 2, 3: 4, 4: 8, 5: 10, 40: 10} {
		base *= time.Second
		if w := o.backoff(attempt); w < base || w > base*5/4 {
			t.Errorf("attempt %d: waits %v, want %v to %v", attempt, w, base, base*5/4)
		}
	}
}
