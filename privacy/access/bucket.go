package access

import (
	"sync"
	"time"
)

// Buckets is a token bucket per key (a credential, a person): burst
// requests at once, then one per every on average. It bounds what one
// caller can make a server compute, where Limiter bounds guessing.
type Buckets struct {
	mu      sync.Mutex
	every   time.Duration
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the keys kept. Past it the full buckets (keys idle
// long enough to have refilled) are forgotten, which changes nothing, as
// a new key starts full; if that frees less than half, all are. Keys are
// meant to be bounded (the region's plessi, the portal's users), so only
// a flood no real caller makes loses a bucket that was limiting.
const maxBuckets = 10000

// NewBuckets allows burst requests at once and one per every after.
func NewBuckets(every time.Duration, burst int) *Buckets {
	return &Buckets{every: every, burst: float64(burst), buckets: map[string]*bucket{}}
}

// Allow takes a token of key's bucket, or says how long until there is one.
func (l *Buckets) Allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			for k, o := range l.buckets {
				if l.refill(o, now) >= l.burst {
					delete(l.buckets, k)
				}
			}
			if len(l.buckets) >= maxBuckets/2 {
				clear(l.buckets)
			}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if l.refill(b, now) < 1 {
		return false, time.Duration((1 - b.tokens) * float64(l.every))
	}
	b.tokens--
	return true, 0
}

// refill adds the tokens earned since b's last use; the caller holds mu.
func (l *Buckets) refill(b *bucket, now time.Time) float64 {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+float64(elapsed)/float64(l.every))
		b.last = now
	}
	return b.tokens
}
