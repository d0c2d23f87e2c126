package trustdata

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/revocation"
)

// Data is the current complete set of trust data, as loaded from the data
// folder.
type Data struct {
	Trust    *verify.TrustStore
	Settings *verify.Settings
	Revoked  *revocation.Set

	// What each set is and when the gateway last confirmed it.
	SignersInfo, SettingsInfo, RevokedInfo SetInfo
	// Pending describes an unfinished revocation-list download, which
	// makes the data stale; nil when there is none.
	Pending *Pending
}

// SetInfo describes one stored set.
type SetInfo struct {
	Confirmed time.Time
	Count     int    // certificates, settings entries or hashes
	Version   uint64 // the revocation list's version at the gateway
}

// Pending is an unfinished revocation-list download.
type Pending struct {
	FromVersion uint64 // 0 for a snapshot
	Version     uint64
	Received    int // chunks received
	Chunks      int // chunks in all
}

// ErrNoData is returned by Load when the folder does not hold a complete
// set: one of the three was never synced.
var ErrNoData = errors.New("no complete set of trust data")

// Load reads the current complete set from the data folder. It takes no
// lock: if a sync replaces a set while it reads, it reads again.
func Load(dir string) (*Data, error) {
	for attempt := 1; ; attempt++ {
		d, err := load(dir)
		if err != nil && errors.Is(err, fs.ErrNotExist) && attempt < 3 {
			continue
		}
		return d, err
	}
}

func load(dir string) (*Data, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, s := range []struct {
		e    *setEntry
		name string
	}{{m.Signers, "signer keys"}, {m.Settings, "settings"}, {m.DRL, "revocation list"}} {
		if s.e == nil {
			missing = append(missing, s.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w in %s (never synced: %s)", ErrNoData, dir, strings.Join(missing, ", "))
	}
	d := &Data{
		SignersInfo:  info(m.Signers),
		SettingsInfo: info(m.Settings),
		RevokedInfo:  info(m.DRL),
	}
	if d.Trust, err = loadSigners(dir, m.Signers); err != nil {
		return nil, err
	}
	if d.Settings, err = loadSettings(dir, m.Settings); err != nil {
		return nil, err
	}
	if d.Revoked, err = loadDRL(dir, m.DRL); err != nil {
		return nil, err
	}
	if d.Pending, err = readPending(dir, m.DRL.Version); err != nil {
		return nil, err
	}
	return d, nil
}

func info(e *setEntry) SetInfo {
	return SetInfo{Confirmed: e.Confirmed, Count: e.Count, Version: e.Version}
}

// readSetFile reads a JSON set's file and checks it against its name, which
// is the start of its SHA-256.
func readSetFile(dir, name string, limit int64) ([]byte, error) {
	data, err := ReadBounded(filepath.Join(dir, name), limit)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	if want := fmt.Sprintf("-%x.", sum[:8]); !strings.Contains(name, want) {
		return nil, fmt.Errorf("%s is damaged: its content does not match its name", name)
	}
	return data, nil
}

func loadSigners(dir string, e *setEntry) (*verify.TrustStore, error) {
	data, err := readSetFile(dir, e.File, verify.MaxTrustFileLen)
	if err != nil {
		return nil, fmt.Errorf("signer keys: %w", err)
	}
	signers, skipped, err := verify.ParseTrustFile(data)
	if err == nil && len(skipped) > 0 {
		err = skipped[0]
	}
	if err != nil {
		return nil, fmt.Errorf("signer keys in %s: %w", e.File, err)
	}
	t := verify.NewTrustStore()
	for _, s := range signers {
		t.Add(s)
	}
	return t, nil
}

func loadSettings(dir string, e *setEntry) (*verify.Settings, error) {
	data, err := readSetFile(dir, e.File, verify.MaxSettingsLen)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	s, err := verify.ParseSettings(data)
	if err != nil {
		return nil, fmt.Errorf("settings in %s: %w", e.File, err)
	}
	return s, nil
}

func loadDRL(dir string, e *setEntry) (*revocation.Set, error) {
	s, version, err := readHashFile(filepath.Join(dir, e.File))
	if err != nil {
		return nil, fmt.Errorf("revocation list: %w", err)
	}
	if version != e.Version || s.Len() != e.Count {
		return nil, fmt.Errorf("revocation list in %s is version %d with %d hashes, the manifest says version %d with %d",
			e.File, version, s.Len(), e.Version, e.Count)
	}
	return s, nil
}

// readHashFile reads a file in revocation's binary form.
func readHashFile(path string) (*revocation.Set, uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	s, v, err := revocation.ReadBinary(f, fi.Size())
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return s, v, nil
}

// Options are the verifier's options for this data: its keys, rules and
// list, and the freshness rule at maxAge.
func (d *Data) Options(maxAge time.Duration) verify.Options {
	return verify.Options{
		Trust:    d.Trust,
		Settings: d.Settings,
		Revoked:  d.Revoked,
		Fresh:    func(instant time.Time) error { return d.Stale(instant, maxAge) },
	}
}
