package clock

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// fakeSync is the system's synchronisation state, as a test sets it.
type fakeSync struct{ synced bool }

func (f *fakeSync) Synchronized() (bool, error) { return f.synced, nil }

var monday = time.Date(2022, 2, 14, 18, 0, 0, 0, time.UTC)

func open(t *testing.T, path string, s Sync) *Guard {
	t.Helper()
	g, err := Open(path, s, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// Booted offline on Wednesday with the clock at Monday's shutdown: the
// last sync (Monday 17:00) is not ahead of it, but nothing has confirmed
// the clock since the start, so it is refused until NTP or a witness.
func TestBootedOfflineIsNotTrusted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clock")
	before := open(t, path, &fakeSync{synced: true})
	if err := before.Happened(monday.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	sys := &fakeSync{}
	g := open(t, path, sys) // the reboot
	if err := g.Check(monday); !errors.Is(err, ErrNeverConfirmed) {
		t.Fatalf("after an offline boot: %v", err)
	}
	sys.synced = true // the network is back and timesyncd has set the time
	if err := g.Check(monday.Add(38 * time.Hour)); err != nil {
		t.Fatalf("synchronised: %v", err)
	}
}

// A clock set back behind a time already witnessed is refused, even when
// the system claims to be synchronised, and the witnessed time survives a
// restart.
func TestBackwardsAtBoot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clock")
	g := open(t, path, &fakeSync{synced: true})
	if err := g.Happened(monday); err != nil {
		t.Fatal(err)
	}
	g = open(t, path, &fakeSync{synced: true})
	if err := g.Check(monday.Add(-24 * time.Hour)); !errors.Is(err, ErrBehindWitness) {
		t.Fatalf("a day behind the last sync: %v", err)
	}
	if err := g.Check(monday.Add(-time.Minute)); err != nil {
		t.Fatalf("a minute behind, within the tolerance: %v", err)
	}
	if err := g.Check(monday.Add(time.Hour)); err != nil {
		t.Fatalf("after the witness: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "2022-02-14T18:00:00Z\n" {
		t.Fatalf("kept as %q", data)
	}
}

// Never synchronised, but the gateway's Date agrees: confirmed for
// MaxUnsynced, then refused again until the next agreement.
func TestWitnessConfirmsForALimitedTime(t *testing.T) {
	g := open(t, "", nil)
	if err := g.Check(monday); !errors.Is(err, ErrNeverConfirmed) {
		t.Fatalf("never synchronised: %v", err)
	}
	g.Witness(monday, monday.Add(3*time.Second))
	if err := g.Check(monday.Add(time.Hour)); err != nil {
		t.Fatalf("confirmed an hour ago: %v", err)
	}
	if err := g.Check(monday.Add(25 * time.Hour)); !errors.Is(err, ErrUnconfirmed) {
		t.Fatalf("confirmed 25 hours ago: %v", err)
	}
	if err := g.Check(monday.Add(-time.Second)); !errors.Is(err, ErrUnconfirmed) {
		t.Fatalf("earlier than the confirmation: %v", err)
	}
}

// A drifting clock: the office's Date is ten minutes ahead. The clock is
// disputed (and may not fall behind the office's time) until it agrees
// again.
func TestDriftingClockIsDisputed(t *testing.T) {
	g := open(t, filepath.Join(t.TempDir(), "clock"), nil)
	g.Witness(monday, monday)
	later := monday.Add(6 * time.Hour)
	if err := g.Witness(later, later.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := g.Check(later); !errors.Is(err, ErrBehindWitness) {
		t.Fatalf("ten minutes behind the office: %v", err)
	}
	ahead := later.Add(20 * time.Minute)
	g.Witness(ahead, ahead.Add(-15*time.Minute)) // now fast by a quarter of an hour
	if err := g.Check(ahead); !errors.Is(err, ErrDisputed) {
		t.Fatalf("fast clock: %v", err)
	}
	g.Witness(ahead, ahead.Add(time.Second))
	if err := g.Check(ahead); err != nil {
		t.Fatalf("agreeing again: %v", err)
	}
}

// Synchronised late: refused while unsynchronised, trusted from the
// moment the system reports the sync.
func TestSynchronisedLate(t *testing.T) {
	sys := &fakeSync{}
	g := open(t, "", sys)
	for _, at := range []time.Duration{0, time.Minute, 10 * time.Minute} {
		if err := g.Check(monday.Add(at)); err == nil {
			t.Fatalf("trusted at +%s before any sync", at)
		}
	}
	sys.synced = true
	if err := g.Check(monday.Add(11 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	sys.synced = false // the network goes: the confirmation lasts
	if err := g.Check(monday.Add(23 * time.Hour)); err != nil {
		t.Fatalf("23 hours after the sync: %v", err)
	}
}

func TestBadFileIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clock")
	os.WriteFile(path, []byte("yesterday"), 0o600)
	if _, err := Open(path, nil, 0); err == nil {
		t.Fatal("a damaged file accepted")
	}
	os.WriteFile(path, make([]byte, 1000), 0o600)
	if _, err := Open(path, nil, 0); err == nil {
		t.Fatal("an oversized file accepted")
	}
}

// The real system's state can be read without privileges (its value
// depends on the machine).
func TestSystemState(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("adjtimex is Linux's")
	}
	synced, err := (System{}).Synchronized()
	if err != nil {
		t.Fatalf("adjtimex: %v", err)
	}
	t.Logf("this machine's clock synchronised: %v", synced)
}
