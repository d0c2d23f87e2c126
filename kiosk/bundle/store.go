package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/internal/atomicfile"
)

// ErrOlder refuses a bundle older than the one held: a replay, or an office
// restored from an old backup, must not bring back a revoked delegation.
var ErrOlder = errors.New("bundle: older than the one held")

// Store keeps the last good bundle in one file, so that a kiosk works on it
// offline, across reboots, and refuses any older one. It is safe for
// concurrent use.
type Store struct {
	path    string
	checker *badge.Checker

	mu  sync.Mutex
	cur *Bundle
	raw []byte
}

// OpenStore loads the bundle kept at path, if any. A file that does not
// verify (a school key changed, a disk fault) is an error naming it: the
// kiosk must not silently start without its school's data.
func OpenStore(path string, c *badge.Checker) (*Store, error) {
	s := &Store{path: path, checker: c}
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, err
	}
	if s.cur, err = Open(c, raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.raw = raw
	return s, nil
}

// Current is the bundle held, nil before the first.
func (s *Store) Current() *Bundle {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// Age is how old the held bundle is at now (0 with none).
func (s *Store) Age(now time.Time) time.Duration {
	cur := s.Current()
	if cur == nil {
		return 0
	}
	return now.Sub(cur.Signed)
}

// Accept verifies a bundle and keeps it when it is newer than the one
// held; it reports whether it was. The same bundle again is no change; a
// different one under the same sequence number is refused as forged
// history, since the office never signs two.
func (s *Store) Accept(raw []byte) (bool, error) {
	b, err := Open(s.checker, raw)
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		switch {
		case b.Seq < s.cur.Seq:
			return false, fmt.Errorf("%w: %d, holding %d", ErrOlder, b.Seq, s.cur.Seq)
		case b.Seq == s.cur.Seq && bytes.Equal(raw, s.raw):
			return false, nil
		case b.Seq == s.cur.Seq:
			return false, fmt.Errorf("%w: another bundle numbered %d", ErrOlder, b.Seq)
		}
	}
	if err := atomicfile.Write(s.path, raw, 0o600); err != nil {
		return false, fmt.Errorf("keeping the school bundle: %w", err)
	}
	s.cur, s.raw = b, raw
	return true, nil
}
