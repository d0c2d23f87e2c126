package trustdata

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
	"github.com/scuola/kiosk/verify/revocation"
)

// world is a fake gateway, a data folder and a clock the test moves.
type world struct {
	t      testing.TB
	set    *fixtures.Set
	gw     *gatewaytest.Gateway
	client *gateway.Client
	dir    string
	now    time.Time
	fault  func(step string) error
}

// t0 is when the tests' first sync happens.
var t0 = time.Date(2022, 2, 15, 6, 0, 0, 0, time.UTC)

// newWorld serves three signers, the fixtures' settings and version 1 of
// a revocation list of 250 hashes (one of them the "revoked" case's) in
// chunks of 100.
func newWorld(t testing.TB) *world {
	set := fixtures.Load(t)
	w := &world{t: t, set: set, dir: filepath.Join(tempDir(t), "data"), now: t0}
	w.gw = gatewaytest.Start(t, gatewaytest.Data{
		Signers:   w.certs("es256", "ps256", "vacc-only"),
		Settings:  []byte(fixtures.SettingsJSON(set)),
		Lists:     []gatewaytest.List{{Version: 1, Hashes: w.hashes(0, 250)}},
		ChunkSize: 100,
	})
	w.client = w.newClient(gateway.Config{})
	return w
}

func (w *world) newClient(cfg gateway.Config) *gateway.Client {
	cfg.BaseURL = w.gw.URL()
	c, err := gateway.New(cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *world) certs(names ...string) []gatewaytest.Signer {
	var out []gatewaytest.Signer
	for _, n := range names {
		out = append(out, gatewaytest.Cert(w.set.Signers[n].CertDER))
	}
	return out
}

// hashes are the list entries numbered from..to-1; entry 0 is the
// "revoked" fixture case.
func (w *world) hashes(from, to int) []revocation.Hash {
	var out []revocation.Hash
	for i := from; i < to; i++ {
		uvci := fmt.Sprintf("URN:UVCI:01:IT:TRUSTDATA%06d#1", i)
		if i == 0 {
			uvci = w.set.Case("revoked").UVCI
		}
		out = append(out, revocation.HashUVCI(uvci))
	}
	return out
}

// publish makes a new version of the list current.
func (w *world) publish(version uint64, hashes []revocation.Hash) {
	w.gw.Update(func(d *gatewaytest.Data) {
		d.Lists = append(d.Lists, gatewaytest.List{Version: version, Hashes: hashes})
	})
}

func (w *world) syncer() *Syncer {
	return &Syncer{Client: w.client, Dir: w.dir, Now: func() time.Time { return w.now }, fault: w.fault}
}

func (w *world) sync() (Report, error) { return w.syncer().Sync(context.Background()) }

func (w *world) mustSync() Report {
	w.t.Helper()
	rep, err := w.sync()
	if err != nil {
		w.t.Fatalf("sync: %v", err)
	}
	return rep
}

func (w *world) load() *Data {
	w.t.Helper()
	d, err := Load(w.dir)
	if err != nil {
		w.t.Fatalf("Load: %v", err)
	}
	return d
}

// tempDir is a temporary folder on tmpfs when the machine has one: the
// tests exercise the commit logic, not the disk, and the thousands of
// fsyncs of the interruption tests cost 1.5 ms each on a real disk.
func tempDir(t testing.TB) string {
	dir, err := os.MkdirTemp("/dev/shm", "trustdata-test-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// requestsSince are the gateway's requests after the first n.
func (w *world) requestsSince(n int) []string { return w.gw.Requests()[n:] }

// state is what a test compares of one loaded set: its content and when
// it was confirmed.
type state struct {
	content   string
	confirmed time.Time
}

// states describes each set of the data, by name.
func states(d *Data) map[string]state {
	var kids []string
	for _, s := range d.Trust.Signers() {
		kids = append(kids, s.KID.String())
	}
	slices.Sort(kids)
	sum := sha256.New()
	for _, h := range d.Revoked.Hashes() {
		sum.Write(h[:])
	}
	return map[string]state{
		"signers":  {fmt.Sprint(kids), d.SignersInfo.Confirmed},
		"settings": {fmt.Sprint(d.SettingsInfo.Count, d.Settings.BlackListUVCI), d.SettingsInfo.Confirmed},
		"drl":      {fmt.Sprintf("v%d %d %x", d.RevokedInfo.Version, d.Revoked.Len(), sum.Sum(nil)), d.RevokedInfo.Confirmed},
	}
}

// files lists the data folder, pending download included.
func files(t testing.TB, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}
