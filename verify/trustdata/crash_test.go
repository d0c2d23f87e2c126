package trustdata

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
)

// The interruption tests stop a sync at every point they can reach (a
// failing write, a cancelled context, a killed process), then check that
// the folder still loads, that each set is wholly the old one or wholly
// the new one, and that the next sync completes the new one.

// interrupted is a world with a complete old set on disk and a gateway
// serving a new one (every set changed), and the states of both.
type interrupted struct {
	*world
	template string
	old, new map[string]state
}

func newInterrupted(t *testing.T) *interrupted {
	w := newWorld(t)
	w.mustSync()
	old := states(w.load())
	w.gw.Update(func(d *gatewaytest.Data) {
		d.Signers = w.certs("es256", "ps256", "recovery-it")
		d.Settings = []byte(strings.Replace(fixtures.SettingsJSON(w.set), "[", `[{"name":"MAX_RETRY","type":"GENERIC","value":"3"},`, 1))
		d.Lists = append(d.Lists, gatewaytest.List{Version: 2, Hashes: w.hashes(30, 300)})
		d.NoDeltas = true // three chunks to interrupt
	})
	w.now = t0.Add(time.Hour)
	it := &interrupted{world: w, template: w.dir, old: old}
	// The new states, from an uninterrupted sync of a copy.
	it.fresh()
	w.mustSync()
	it.new = states(w.load())
	for set := range old {
		if old[set].content == it.new[set].content {
			t.Fatalf("the new %s is the old one: the test would prove nothing", set)
		}
	}
	return it
}

// fresh points the world at a new copy of the old folder.
func (it *interrupted) fresh() {
	it.dir = filepath.Join(tempDir(it.t), "data")
	copyDir(it.t, it.template, it.dir)
}

// check asserts that the folder holds, set by set, the old or the new
// data, and that a sync then completes the new.
func (it *interrupted) check(at string) {
	it.t.Helper()
	d, err := Load(it.dir)
	if err != nil {
		it.t.Fatalf("%s: the folder does not load: %v", at, err)
	}
	for set, s := range states(d) {
		if s != it.old[set] && s != it.new[set] {
			it.t.Fatalf("%s: %s is neither the old nor the new: %v", at, set, s)
		}
	}
	it.fault = nil
	if _, err := it.sync(); err != nil {
		it.t.Fatalf("%s: the sync after the interruption: %v", at, err)
	}
	d = it.load()
	for set, s := range states(d) {
		if s != it.new[set] {
			it.t.Fatalf("%s: after the next sync, %s is %v, want %v", at, set, s, it.new[set])
		}
	}
	if d.Pending != nil {
		it.t.Fatalf("%s: a download is still pending: %+v", at, d.Pending)
	}
}

// A write that fails at any step (as a power cut would stop it) leaves a
// loadable folder, old or new set by set.
func TestInterruptedAtEveryWriteStep(t *testing.T) {
	it := newInterrupted(t)
	var steps []string
	it.fresh()
	it.fault = func(step string) error { steps = append(steps, step); return nil }
	if _, err := it.sync(); err != nil {
		t.Fatal(err)
	}
	crash := errors.New("simulated crash")
	for n := range steps {
		it.fresh()
		i := 0
		it.fault = func(string) error {
			if i++; i > n {
				return crash
			}
			return nil
		}
		_, err := it.sync()
		if err == nil && !strings.HasPrefix(steps[n], "remove ") {
			t.Fatalf("step %d (%s): the sync did not fail", n, steps[n])
		}
		it.check(fmt.Sprintf("crash at step %d (%s)", n, steps[n]))
	}
	t.Logf("interrupted at each of %d write steps", len(steps))
}

// A sync cancelled at any request leaves a loadable folder, old or new set
// by set.
func TestCancelledAtEveryRequest(t *testing.T) {
	it := newInterrupted(t)
	n := len(it.gw.Requests())
	it.fresh()
	it.mustSync()
	total := len(it.gw.Requests()) - n
	for k := 1; k <= total; k++ {
		it.fresh()
		ctx, cancel := context.WithCancel(context.Background())
		it.gw.Update(func(d *gatewaytest.Data) { d.Fault = atRequest(k, cancel) })
		_, err := it.syncer().Sync(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at request %d: %v", k, err)
		}
		it.gw.Update(func(d *gatewaytest.Data) { d.Fault = nil })
		it.check(fmt.Sprintf("cancelled at request %d", k))
	}
}

// atRequest calls f when the k-th request arrives, and hangs that request
// until its client gives up.
func atRequest(k int, f func()) gatewaytest.Fault {
	var mu sync.Mutex
	seen := 0
	return func(w http.ResponseWriter, r *http.Request, real gatewaytest.Response) bool {
		mu.Lock()
		seen++
		hit := seen == k
		mu.Unlock()
		if !hit {
			return false
		}
		f()
		return gatewaytest.Hang()(w, r, real)
	}
}

// A sync process killed (SIGKILL) while it waits for any answer leaves a
// loadable folder, old or new set by set.
func TestKilledAtEveryRequest(t *testing.T) {
	if dir := os.Getenv("TRUSTDATA_KILL_DIR"); dir != "" {
		syncAndExit(dir)
	}
	it := newInterrupted(t)
	n := len(it.gw.Requests())
	it.fresh()
	it.mustSync()
	total := len(it.gw.Requests()) - n
	for k := 1; k <= total; k++ {
		it.fresh()
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledAtEveryRequest$")
		cmd.Env = append(os.Environ(), "TRUSTDATA_KILL_DIR="+it.dir, "TRUSTDATA_KILL_URL="+it.gw.URL(),
			"TRUSTDATA_KILL_NOW="+it.now.Format(time.RFC3339Nano))
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		it.gw.Update(func(d *gatewaytest.Data) { d.Fault = atRequest(k, func() { cmd.Process.Kill() }) })
		err := cmd.Wait()
		if err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("request %d: the sync process was not killed: %v", k, err)
		}
		it.gw.Update(func(d *gatewaytest.Data) { d.Fault = nil })
		it.check(fmt.Sprintf("killed at request %d", k))
	}
}

// syncAndExit is the child of TestKilledAtEveryRequest: one sync, then
// exit.
func syncAndExit(dir string) {
	now, _ := time.Parse(time.RFC3339Nano, os.Getenv("TRUSTDATA_KILL_NOW"))
	c, err := gateway.New(gateway.Config{BaseURL: os.Getenv("TRUSTDATA_KILL_URL")})
	if err == nil {
		_, err = (&Syncer{Client: c, Dir: dir, Now: func() time.Time { return now }}).Sync(context.Background())
	}
	if err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}

func copyDir(t testing.TB, from, to string) {
	err := filepath.WalkDir(from, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
