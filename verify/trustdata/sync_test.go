package trustdata

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
	"github.com/scuola/kiosk/verify/revocation"
)

// A first sync takes everything as a snapshot; the data then verifies the
// fixtures' certificates: valid, revoked.
func TestFirstSync(t *testing.T) {
	w := newWorld(t)
	rep := w.mustSync()
	if rep.Settings == nil || rep.Signers == nil || rep.Signers.Count != 3 || rep.DRL == nil ||
		rep.DRL.Version != 1 || rep.DRL.Count != 250 || rep.DRL.FromVersion != 0 || rep.DRL.Chunks != 3 {
		t.Fatalf("report %+v %+v %+v", rep.Settings, rep.Signers, rep.DRL)
	}
	d := w.load()
	if d.Trust.Len() != 3 || d.Revoked.Len() != 250 || d.RevokedInfo.Version != 1 || d.Pending != nil {
		t.Fatalf("loaded %d signers, %d hashes of version %d, pending %v", d.Trust.Len(), d.Revoked.Len(), d.RevokedInfo.Version, d.Pending)
	}
	for _, info := range []SetInfo{d.SignersInfo, d.SettingsInfo, d.RevokedInfo} {
		if !info.Confirmed.Equal(t0) {
			t.Errorf("confirmed %v, want %v", info.Confirmed, t0)
		}
	}
	v := verify.New(d.Options(DefaultMaxAge))
	for name, want := range map[string]verify.Status{"booster-3of3": verify.StatusValid, "revoked": verify.StatusRevoked, "blacklisted": verify.StatusRevoked} {
		// The fixtures are judged at their reference instant, which is
		// before the sync: data newer than the question is fresh.
		if got := v.Check(w.set.Case(name).Text, verify.ModeSchool, fixtures.Ref).Status; got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	// Only public keys, rules and hashes are on disk.
	onlyTrustData := regexp.MustCompile(`^(manifest\.json|LOCK|(signers|settings)-[0-9a-f]{16}\.json|drl-[0-9a-f]{16}\.bin)$`)
	got := files(t, w.dir)
	for _, f := range got {
		if !onlyTrustData.MatchString(f) {
			t.Errorf("unexpected file %s in the data folder", f)
		}
	}
	if len(got) != 5 {
		t.Errorf("data folder holds %v", got)
	}
}

// Later syncs confirm what has not changed and take deltas for what has.
func TestUnchangedThenDelta(t *testing.T) {
	w := newWorld(t)
	w.mustSync()
	before := files(t, w.dir)
	n := len(w.gw.Requests())
	w.now = t0.Add(time.Hour)
	rep := w.mustSync()
	if !rep.DRL.Unchanged || rep.DRL.Version != 1 {
		t.Fatalf("second sync: %+v", rep.DRL)
	}
	for _, r := range w.requestsSince(n) {
		if strings.HasPrefix(r, "drl?") {
			t.Errorf("an unchanged list was downloaded again: %s", r)
		}
	}
	if after := files(t, w.dir); !slices.Equal(before, after) {
		t.Errorf("files changed from %v to %v though nothing changed", before, after)
	}
	d := w.load()
	if !d.RevokedInfo.Confirmed.Equal(w.now) || !d.SignersInfo.Confirmed.Equal(w.now) {
		t.Errorf("confirmation not advanced: %v", d.RevokedInfo.Confirmed)
	}

	// Version 2: 40 hashes gone (the revoked case's among them), 60 new.
	v2 := w.hashes(40, 310)
	w.publish(2, v2)
	n = len(w.gw.Requests())
	rep = w.mustSync()
	if rep.DRL.FromVersion != 1 || rep.DRL.Version != 2 || rep.DRL.Count != 270 || rep.DRL.Chunks != 1 || rep.DRL.FellBack != "" {
		t.Fatalf("delta sync: %+v", rep.DRL)
	}
	if got := w.requestsSince(n); !slices.Contains(got, "drl?chunk=1&version=1") {
		t.Errorf("delta not asked from version 1: %v", got)
	}
	d = w.load()
	if want := revocation.NewSet(v2); !slices.Equal(d.Revoked.Hashes(), want.Hashes()) {
		t.Fatal("the list after the delta is not version 2")
	}
	revoked := revocation.HashUVCI(w.set.Case("revoked").UVCI)
	if d.Revoked.RevokedHash(&revoked) {
		t.Error("a deletion was not applied")
	}
	if len(files(t, w.dir)) != 5 {
		t.Errorf("replaced files were not removed: %v", files(t, w.dir))
	}
}

// A delta that does not fit the stored list (here the gateway rewrote
// version 1 after the kiosk stored it) is abandoned for a full snapshot.
func TestDeltaThatDoesNotApplyFallsBack(t *testing.T) {
	w := newWorld(t)
	w.mustSync()
	// The delta deletes 100 hashes the kiosk never had: the count alone
	// (250 + 50 - 100) would have agreed.
	w.gw.Update(func(d *gatewaytest.Data) { d.Lists[0].Hashes = w.hashes(1000, 1250) })
	w.publish(2, w.hashes(1100, 1300))
	rep := w.mustSync()
	if rep.DRL.FromVersion != 0 || rep.DRL.Version != 2 || rep.DRL.Count != 200 ||
		!strings.Contains(rep.DRL.FellBack, "delta does not apply: 0 insertions already listed, 100 deletions not listed") {
		t.Fatalf("report %+v", rep.DRL)
	}
	if !strings.Contains(strings.Join(rep.Lines(), "\n"), "downloaded a full snapshot instead") {
		t.Errorf("summary does not tell of the fallback: %q", rep.Lines())
	}
	if d := w.load(); d.Revoked.Len() != 200 || d.RevokedInfo.Version != 2 {
		t.Fatalf("after the fallback: version %d, %d hashes", d.RevokedInfo.Version, d.Revoked.Len())
	}
}

// A stored list whose count the gateway contradicts is replaced by a
// snapshot even when its version is current.
func TestStoredCountContradictedFallsBack(t *testing.T) {
	w := newWorld(t)
	w.mustSync()
	w.gw.Update(func(d *gatewaytest.Data) { d.Lists[0].Hashes = w.hashes(0, 260) })
	rep := w.mustSync()
	if rep.DRL.Unchanged || rep.DRL.Count != 260 || !strings.Contains(rep.DRL.FellBack, "the stored list of version 1 has 250 hashes, the gateway counts 260") {
		t.Fatalf("report %+v", rep.DRL)
	}
}

// A download broken off resumes at the chunk where it stopped; meanwhile
// the data is stale.
func TestResumeAtTheChunkWhereItStopped(t *testing.T) {
	w := newWorld(t)
	w.mustSync()
	w.gw.Update(func(d *gatewaytest.Data) {
		d.NoDeltas = true
		d.Fault = gatewaytest.OnChunk(3, gatewaytest.Times(1, gatewaytest.Drop()))
	})
	w.publish(2, w.hashes(100, 600)) // 5 chunks
	w.now = t0.Add(time.Hour)
	_, err := w.sync()
	if err == nil || !strings.Contains(err.Error(), "revocation list: chunk 3 of 5 (version 2): GET ") ||
		!strings.Contains(err.Error(), "unexpected EOF") {
		t.Fatalf("error %v", err)
	}
	d := w.load()
	if d.Pending == nil || d.Pending.Received != 2 || d.Pending.Chunks != 5 || d.RevokedInfo.Version != 1 {
		t.Fatalf("pending %+v, stored version %d", d.Pending, d.RevokedInfo.Version)
	}
	err = d.Stale(w.now, DefaultMaxAge)
	if err == nil || err.Error() != "revocation list download to version 2 incomplete: 2 of 5 chunks received" {
		t.Fatalf("Stale = %v", err)
	}
	n := len(w.gw.Requests())
	rep := w.mustSync()
	var chunks []string
	for _, r := range w.requestsSince(n) {
		if strings.HasPrefix(r, "drl?") {
			chunks = append(chunks, r)
		}
	}
	if want := []string{"drl?chunk=3&version=0", "drl?chunk=4&version=0", "drl?chunk=5&version=0"}; !slices.Equal(chunks, want) {
		t.Fatalf("resumed with %v, want %v", chunks, want)
	}
	if rep.DRL.ResumedAt != 3 || rep.DRL.Chunks != 3 || !strings.Contains(strings.Join(rep.Lines(), "\n"), "resumed at chunk 3") {
		t.Fatalf("report %+v", rep.DRL)
	}
	d = w.load()
	if d.Pending != nil || d.Revoked.Len() != 500 || d.Stale(w.now, DefaultMaxAge) != nil {
		t.Fatalf("after resuming: pending %v, %d hashes", d.Pending, d.Revoked.Len())
	}
	if slices.Contains(files(t, w.dir), filepath.Join(pendingDir, planName)) {
		t.Error("the finished download's leftovers remain")
	}
}

// Bad certificates are skipped and reported; a certificate not in the
// status list is dropped; none of it is fatal.
func TestSignersSkippedAndPruned(t *testing.T) {
	w := newWorld(t)
	good := w.certs("es256", "ps256")
	mismatch := gatewaytest.Cert(w.set.Signers["vacc-only"].CertDER)
	mismatch.KID = good[0].KID
	dropped := gatewaytest.Cert(w.set.Signers["test-only"].CertDER)
	w.gw.Update(func(d *gatewaytest.Data) {
		d.Signers = append(good, gatewaytest.Signer{KID: "AAAAAAAAAAA=", Body: []byte("bm90IGEgY2VydGlmaWNhdGU=")}, mismatch, dropped)
		d.Status = []string{good[0].KID, good[1].KID, "AAAAAAAAAAA="}
	})
	rep := w.mustSync()
	s := rep.Signers
	if s.Count != 2 || s.NotListed != 1 || len(s.Skipped) != 2 {
		t.Fatalf("report %+v", s)
	}
	if !strings.Contains(s.Skipped[0].Error(), "kid AAAAAAAAAAA=: signer certificate does not parse") ||
		!strings.Contains(s.Skipped[1].Error(), "does not match the certificate's kid") {
		t.Errorf("skipped: %v", s.Skipped)
	}
	lines := strings.Join(rep.Lines(), "\n")
	if !strings.Contains(lines, "signer keys: 2 (1 dropped as not in the status list, 2 skipped)") || !strings.Contains(lines, "  skipped kid AAAAAAAAAAA=") {
		t.Errorf("summary:\n%s", lines)
	}
	if d := w.load(); d.Trust.Len() != 2 {
		t.Errorf("%d signers stored", d.Trust.Len())
	}
}

func TestLoadRefuses(t *testing.T) {
	w := newWorld(t)
	if _, err := Load(w.dir); !errors.Is(err, ErrNoData) {
		t.Fatalf("empty folder: %v", err)
	}
	w.gw.Update(func(d *gatewaytest.Data) { d.Fault = gatewaytest.On("drl/check", gatewaytest.Status(500)) })
	w.sync()
	if _, err := Load(w.dir); !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "never synced: revocation list") {
		t.Fatalf("without a list: %v", err)
	}
	w.gw.Update(func(d *gatewaytest.Data) { d.Fault = nil })
	w.mustSync()
	m, _ := readManifest(w.dir)
	st := &store{dir: w.dir}
	damaged := m
	damaged.Signers = &setEntry{File: "../../etc/passwd"}
	st.commit(damaged)
	if _, err := Load(w.dir); err == nil || !strings.Contains(err.Error(), "not a signers file") {
		t.Errorf("manifest naming another file: %v", err)
	}
	damaged.Signers = &setEntry{File: m.Settings.File}
	st.commit(damaged)
	if _, err := Load(w.dir); err == nil || !strings.Contains(err.Error(), "not a signers file") {
		t.Errorf("manifest naming another set's file: %v", err)
	}
	st.commit(m)
	if err := os.WriteFile(filepath.Join(w.dir, m.Settings.File), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(w.dir); err == nil || !strings.Contains(err.Error(), "does not match its name") {
		t.Errorf("damaged file: %v", err)
	}
}

func TestOneSyncAtATime(t *testing.T) {
	w := newWorld(t)
	w.mustSync()
	unlock, err := lockDir(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.sync()
	unlock()
	if err == nil || !strings.Contains(err.Error(), "another sync is writing") {
		t.Fatalf("second sync: %v", err)
	}
	w.mustSync()
}

// Gateways differ in what they state: a check whose totalChunk disagrees
// with the chunks' lastChunk (as in the gateway's own fixtures) or is
// missing, chunks that state no version, number or count. The download
// follows the chunks, and the count decides.
func TestSparseAndContradictoryAnswers(t *testing.T) {
	for _, c := range []struct {
		name      string
		editCheck func(*gateway.CheckAnswer)
		editChunk func(*gateway.ChunkAnswer)
	}{
		{"totalChunk says 100", func(a *gateway.CheckAnswer) { a.TotalChunk = 100 }, nil},
		{"no totalChunk", func(a *gateway.CheckAnswer) { a.TotalChunk = 0 }, nil},
		{"chunks state nothing", nil, func(a *gateway.ChunkAnswer) { a.Version, a.Chunk, a.LastChunk = 0, 0, 0 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.gw.Update(func(d *gatewaytest.Data) { d.EditCheck, d.EditChunk = c.editCheck, c.editChunk })
			rep := w.mustSync()
			if rep.DRL.Count != 250 || rep.DRL.Chunks != 3 {
				t.Fatalf("report %+v", rep.DRL)
			}
		})
	}
	// A download whose count the first chunk corrected resumes all the
	// same, though the check still says otherwise.
	w := newWorld(t)
	w.gw.Update(func(d *gatewaytest.Data) {
		d.EditCheck = func(a *gateway.CheckAnswer) { a.TotalChunk = 100 }
		d.Fault = gatewaytest.OnChunk(2, gatewaytest.Times(1, gatewaytest.Status(503)))
	})
	if _, err := w.sync(); err == nil || !strings.Contains(err.Error(), "chunk 2 of 3 (version 1)") {
		t.Fatalf("first attempt: %v", err)
	}
	if rep := w.mustSync(); rep.DRL.ResumedAt != 2 || rep.DRL.Count != 250 {
		t.Fatalf("resumed: %+v", rep.DRL)
	}
}

// A reader needs no lock: Load, run while syncs replace every set, always
// finds a complete set.
func TestLoadWhileSyncing(t *testing.T) {
	w := newWorld(t)
	w.mustSync()
	done := make(chan struct{})
	errs := make(chan error, 1)
	go func() {
		defer close(errs)
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, err := Load(w.dir); err != nil {
				errs <- err
				return
			}
		}
	}()
	for v := uint64(2); v < 12; v++ {
		w.gw.Update(func(d *gatewaytest.Data) {
			d.Lists = append(d.Lists, gatewaytest.List{Version: v, Hashes: w.hashes(int(v), int(v)+250)})
			d.Signers = w.certs("es256", "ps256", []string{"vacc-only", "recovery-it"}[v%2])
		})
		w.now = w.now.Add(time.Minute)
		w.mustSync()
	}
	close(done)
	if err := <-errs; err != nil {
		t.Fatalf("Load during a sync: %v", err)
	}
}
