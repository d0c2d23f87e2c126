package kiosk

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/trustdata"
)

// LiveTrust is the kiosk's trust data: the verifier over the last complete
// set in the data folder, replaced after every sync, and its freshness for
// the screen. It is safe for concurrent use (the refresher reloads it while
// the session verifies).
type LiveTrust struct {
	dir    string
	maxAge time.Duration

	mu   sync.RWMutex
	data *trustdata.Data // nil when the folder holds no complete set
	v    *verify.Verifier
}

// NewLiveTrust loads the data folder. A folder with no complete set yet is
// not an error: the kiosk starts, refuses everyone with "dati di verifica
// non aggiornati", and admits once the first sync completes.
func NewLiveTrust(dir string, maxAge time.Duration) (*LiveTrust, error) {
	t := &LiveTrust{dir: dir, maxAge: maxAge}
	if err := t.Reload(); err != nil && !errors.Is(err, trustdata.ErrNoData) {
		return nil, err
	}
	return t, nil
}

// Reload reads the folder again (after a sync) and swaps the verifier.
func (t *LiveTrust) Reload() error {
	d, err := trustdata.Load(t.dir)
	if err != nil {
		t.mu.Lock()
		if t.v == nil {
			t.v = verify.New(verify.Options{Fresh: func(time.Time) error { return fmt.Errorf("no verification data yet in %s", t.dir) }})
		}
		t.mu.Unlock()
		return err
	}
	v := verify.New(d.Options(t.maxAge))
	t.mu.Lock()
	t.data, t.v = d, v
	t.mu.Unlock()
	return nil
}

// Verifier implements Trust.
func (t *LiveTrust) Verifier() *verify.Verifier {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.v
}

// Health implements Trust: up to date, or why not.
func (t *LiveTrust) Health(at time.Time, lang string) Health {
	t.mu.RLock()
	d := t.data
	t.mu.RUnlock()
	if d == nil {
		return Health{OK: false, Message: txtNoTrustData.in(lang)}
	}
	if err := d.Stale(at, t.maxAge); err != nil {
		return Health{OK: false, Message: txtStaleTrustData.in(lang)}
	}
	return Health{OK: true, Message: txtTrustDataOK.in(lang)}
}
