package scanner

import (
	"crypto/sha256"
	"time"
)

// DefaultGone is how long a code must stay out of view before showing it
// again counts as a new scan: longer than the frames a decoder misses while
// a phone wobbles in front of the camera, shorter than a pupil taking the
// phone away and showing it again.
const DefaultGone = 1500 * time.Millisecond

// Suppressor turns the codes read frame after frame into scans: a code held
// in view is reported once, not thirty times a second; a different code is
// reported at once; the same code again after it has been out of view for
// the gone interval is reported again.
//
// It remembers codes by their SHA-256, not their text, so that it holds no
// personal data between frames. It is not safe for concurrent use.
type Suppressor struct {
	gone time.Duration
	seen map[[sha256.Size]byte]time.Time // code → last time it was in view
}

// NewSuppressor returns a suppressor with the given gone interval (0 means
// DefaultGone).
func NewSuppressor(gone time.Duration) *Suppressor {
	if gone <= 0 {
		gone = DefaultGone
	}
	return &Suppressor{gone: gone, seen: map[[sha256.Size]byte]time.Time{}}
}

// Filter takes the results of the frame captured at now and returns those
// that are new scans, in their order. Frames must come in time order.
func (s *Suppressor) Filter(now time.Time, results []Result) []Result {
	for k, last := range s.seen {
		if now.Sub(last) >= s.gone {
			delete(s.seen, k)
		}
	}
	var fresh []Result
	for _, r := range results {
		k := sha256.Sum256([]byte(r.Text))
		if _, held := s.seen[k]; !held {
			fresh = append(fresh, r)
		}
		s.seen[k] = now
	}
	return fresh
}
