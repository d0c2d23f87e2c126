package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/privacy/report"
	_ "modernc.org/sqlite"
)

// fakePortal is the receiving side as the protocol defines it, in
// memory: it checks each plesso's credential, decodes strictly, and
// keeps one report per plesso and day. answer may override the answer
// of a day; block, when set, holds the block-th request after storing
// it, as a portal whose answer is lost.
type fakePortal struct {
	mu                sync.Mutex
	stored            map[string]string // "school/day" → the report's JSON
	requests          int
	creates, replaces int
	answer            map[string]int // day → status to answer instead
	block             int
	blocked, release  chan struct{}
	blockedOnce       sync.Once
}

func newFakePortal() *fakePortal {
	return &fakePortal{stored: map[string]string{}, answer: map[string]int{},
		blocked: make(chan struct{}), release: make(chan struct{})}
}

func (f *fakePortal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	school, day, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/api/v1/schools/"), "/absences/")
	if !ok || r.Method != http.MethodPut {
		http.Error(w, `{"error": "not found"}`, http.StatusNotFound)
		return
	}
	if r.Header.Get("Authorization") != "Bearer tok-"+school {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	a, err := report.DecodeAbsences(r.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests++
	n := f.requests
	if status, ok := f.answer[day]; ok {
		f.mu.Unlock()
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(report.ErrorBody{Error: http.StatusText(status), Field: "absent"})
		return
	}
	body, _ := json.Marshal(a)
	key := school + "/" + day
	_, had := f.stored[key]
	f.stored[key] = string(body)
	status := http.StatusCreated
	if had {
		f.replaces++
		status = http.StatusOK
	} else {
		f.creates++
	}
	f.mu.Unlock()
	if n == f.block {
		f.blockedOnce.Do(func() { close(f.blocked) })
		select {
		case <-f.release:
		case <-r.Context().Done():
		}
	}
	w.WriteHeader(status)
}

func openDB(t testing.TB, path string) *sql.DB {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func portalsAt(url string) Portals {
	return func(school string) (Portal, error) {
		return report.NewClient(url, school, "tok-"+school, nil)
	}
}

// reportOf is the i-th report of the crash test: fixed by i, so that the
// parent knows what the child queued.
func reportOf(i int) (school, day string, a report.Absences) {
	school = fmt.Sprintf("MIEE%05dA", i%3)
	day = time.Date(2026, 1, 7, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/3).Format(time.DateOnly)
	return school, day, report.Absences{Enrolled: 200 + i, Absent: 5 + i%17, AbsentIllness: report.Int(i % 5),
		Classes: []report.Class{{Name: "1A", Enrolled: 20, Absent: i % 5}}}
}

func TestStatesAPageLists(t *testing.T) {
	ctx := context.Background()
	fake := newFakePortal()
	fake.answer["2026-03-02"] = http.StatusUnprocessableEntity
	fake.answer["2026-03-03"] = http.StatusServiceUnavailable
	srv := httptest.NewServer(fake)
	defer srv.Close()
	o, err := New(ctx, openDB(t, filepath.Join(t.TempDir(), "office.db")), portalsAt(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	o.Now = func() time.Time { return now }
	for _, day := range []string{"2026-03-02", "2026-03-03", "2026-03-04"} {
		if err := o.EnqueueAbsences(ctx, "S1", day, report.Absences{Enrolled: 10, Absent: 1}); err != nil {
			t.Fatal(err)
		}
	}
	// A newer report of a waiting day replaces it.
	if err := o.EnqueueAbsences(ctx, "S1", "2026-03-04", report.Absences{Enrolled: 10, Absent: 4}); err != nil {
		t.Fatal(err)
	}
	// What the portal would refuse is refused before it is queued.
	if err := o.EnqueueAbsences(ctx, "S1", "2026-03-04", report.Absences{Enrolled: 10, Absent: 11}); err == nil {
		t.Error("an impossible report was queued")
	}
	if n, err := o.SendDue(ctx); n != 1 || err != nil {
		t.Fatalf("SendDue: %d %v", n, err)
	}
	items, err := o.List(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Item{}
	for _, it := range items {
		got[it.Period] = it
	}
	if it := got["2026-03-04"]; it.State != Sent || it.Status != 201 || !it.Sent.Equal(now) || it.Body != `{"enrolled":10,"absent":4}` {
		t.Errorf("sent: %+v", it)
	}
	if it := got["2026-03-02"]; it.State != Refused || it.Status != 422 || it.Field != "absent" || it.Reason != "Unprocessable Entity" {
		t.Errorf("refused: %+v", it)
	}
	it := got["2026-03-03"]
	if it.State != Waiting || it.Status != 503 || it.Attempts != 1 || !strings.Contains(it.Reason, "503") ||
		it.NextAttempt.Before(now.Add(o.MinBackoff)) || it.NextAttempt.After(now.Add(o.MinBackoff*5/4)) {
		t.Errorf("waiting: %+v", it)
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
	if fake.stored["S1/2026-03-03"] == "" || fake.stored["S1/2026-03-02"] != "" {
		t.Errorf("portal holds %v", fake.stored)
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

// The child process of TestSurvivesSIGKILL: it does nothing unless the
// parent started it.
const childEnv = "OUTBOX_CRASH_CHILD"

const crashReports = 30

func TestCrashChild(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		return
	}
	ctx := context.Background()
	o, err := New(ctx, openDB(t, os.Getenv("OUTBOX_DB")), portalsAt(os.Getenv("OUTBOX_PORTAL")))
	if err != nil {
		t.Fatal(err)
	}
	if mode == "queue" {
		for i := range crashReports {
			school, day, a := reportOf(i)
			if err := o.EnqueueAbsences(ctx, school, day, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	for {
		if _, err := o.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		items, err := o.List(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		waiting := 0
		for _, it := range items {
			if it.State != Sent {
				waiting++
			}
		}
		if waiting == 0 {
			return
		}
	}
}

// A school office killed in the middle of a send (the portal has stored
// the report, its answer never arrives) loses nothing and makes no day
// twice: after a restart the portal holds exactly the reports queued.
func TestSurvivesSIGKILL(t *testing.T) {
	fake := newFakePortal()
	fake.block = 12
	srv := httptest.NewServer(fake)
	defer srv.Close()
	dbPath := filepath.Join(t.TempDir(), "office.db")
	child := func(mode string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+mode, "OUTBOX_DB="+dbPath, "OUTBOX_PORTAL="+srv.URL)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		return cmd
	}
	first := child("queue")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	select {
	case <-fake.blocked:
	case err := <-exited:
		t.Fatalf("the child ended before the blocked send: %v", err)
	case <-time.After(60 * time.Second):
		first.Process.Kill()
		t.Fatal("the child never reached the blocked send")
	}
	if err := first.Process.Kill(); err != nil { // SIGKILL: no deferred function, no clean close
		t.Fatal(err)
	}
	<-exited
	close(fake.release)

	o, err := New(context.Background(), openDB(t, dbPath), nil)
	if err != nil {
		t.Fatal(err)
	}
	items, err := o.List(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	waiting := 0
	for _, it := range items {
		if it.State == Waiting {
			waiting++
		}
	}
	if len(items) != crashReports || waiting != crashReports-fake.block+1 {
		t.Fatalf("after the kill the outbox holds %d reports, %d waiting; want %d, %d", len(items), waiting, crashReports, crashReports-fake.block+1)
	}

	if err := child("resume").Run(); err != nil {
		t.Fatalf("the restarted child: %v", err)
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.stored) != crashReports || fake.creates != crashReports || fake.replaces != 1 || fake.requests != crashReports+1 {
		t.Errorf("portal: %d reports, %d created, %d replaced, %d requests; want %d, %d, 1 (the one in flight), %d",
			len(fake.stored), fake.creates, fake.replaces, fake.requests, crashReports, crashReports, crashReports+1)
	}
	for i := range crashReports {
		school, day, a := reportOf(i)
		want, _ := json.Marshal(a)
		if got := fake.stored[school+"/"+day]; got != string(want) {
			t.Errorf("%s %s: portal holds %s, want %s", school, day, got, want)
		}
	}
}
