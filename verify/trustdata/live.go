package trustdata

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/scuola/kiosk/verify"
)

// Live is the kiosk's trust data: the verifier over the last complete
// set in the data folder, replaced after every sync, and its freshness for
// the screen. It is safe for concurrent use (the refresher reloads it while
// the session verifies).
type Live struct {
	dir    string
	maxAge time.Duration

	mu   sync.RWMutex
	data *Data // nil when the folder holds no complete set
	v    *verify.Verifier
}

// NewLive loads the data folder. A folder with no complete set yet is
// not an error: the kiosk starts, refuses everyone with "dati di verifica
// non aggiornati", and admits once the first sync completes.
func NewLive(dir string, maxAge time.Duration) (*Live, error) {
	t := &Live{dir: dir, maxAge: maxAge}
	if err := t.Reload(); err != nil && !errors.Is(err, ErrNoData) {
		return nil, err
	}
	return t, nil
}

// Reload reads the folder again (after a sync) and swaps the verifier.
func (t *Live) Reload() error {
	d, err := Load(t.dir)
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
func (t *Live) Verifier() *verify.Verifier {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.v
}

// Status says whether a complete set is loaded and, if it is, why it is
// too old to admit anyone at the instant (nil when it is fresh).
func (t *Live) Status(at time.Time) (loaded bool, stale error) {
	t.mu.RLock()
	d := t.data
	t.mu.RUnlock()
	if d == nil {
		return false, nil
	}
	return true, d.Stale(at, t.maxAge)
}
