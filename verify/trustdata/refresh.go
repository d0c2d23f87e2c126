package trustdata

import (
	"context"
	"math/rand/v2"
	"time"
)

// Defaults of the Refresher: a sync an hour keeps the data well inside its
// 24 hours; after a failure the first retry comes within 30 s, and later
// ones no more than 30 minutes apart.
const (
	DefaultInterval = time.Hour
	DefaultMinRetry = 30 * time.Second
	DefaultMaxRetry = 30 * time.Minute
)

// Refresher keeps the data folder fresh while the kiosk runs: a sync at
// once, then one every Interval; after a failure, sooner, backing off
// exponentially with random jitter so that many kiosks do not hammer a
// gateway that is down all at the same instant. The kiosk verifies
// throughout on the last complete set, network or not.
type Refresher struct {
	Syncer             *Syncer
	Interval           time.Duration // between syncs that succeed; 0: DefaultInterval
	MinRetry, MaxRetry time.Duration // the backoff's bounds; 0: the defaults
	// OnSync, when set, is called after every attempt: the kiosk reloads
	// the data (Load) and builds a new verifier, and logs the counts.
	OnSync func(Report, error)

	// sync is the attempt: Syncer.Sync, unless a test replaces it.
	sync func(context.Context) (Report, error)
}

// Run syncs until ctx is done, and returns its cause.
func (r *Refresher) Run(ctx context.Context) error {
	attempt := r.sync
	if attempt == nil {
		attempt = r.Syncer.Sync
	}
	failures := 0
	for {
		rep, err := attempt(ctx)
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if r.OnSync != nil {
			r.OnSync(rep, err)
		}
		if err != nil {
			failures++
		} else {
			failures = 0
		}
		t := time.NewTimer(r.delay(failures))
		select {
		case <-ctx.Done():
			t.Stop()
			return context.Cause(ctx)
		case <-t.C:
		}
	}
}

// delay is the wait before the next attempt: the interval ±10% after a
// success; after the n-th failure in a row, MinRetry·2ⁿ⁻¹ capped at
// MaxRetry, of which a random half ("equal jitter").
func (r *Refresher) delay(failures int) time.Duration {
	if failures == 0 {
		d := orDefault(r.Interval, DefaultInterval)
		return d - d/10 + rand.N(d/5+1)
	}
	d, hi := orDefault(r.MinRetry, DefaultMinRetry), orDefault(r.MaxRetry, DefaultMaxRetry)
	for i := 1; i < failures && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + rand.N(d/2+1)
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
