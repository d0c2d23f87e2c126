package trustdata

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// The refresher syncs at once, retries sooner after failures with a
// doubling, jittered delay, and returns to its interval after a success.
func TestRefresherBacksOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		outcomes := []error{errors.New("down"), errors.New("down"), errors.New("down"), nil, nil}
		var at []time.Time
		ctx, cancel := context.WithCancel(t.Context())
		var reported []error
		r := &Refresher{
			MinRetry: 30 * time.Second, MaxRetry: 90 * time.Second, Interval: time.Hour,
			OnSync: func(_ Report, err error) { reported = append(reported, err) },
			sync: func(context.Context) (Report, error) {
				at = append(at, time.Now())
				if len(at) == len(outcomes) {
					cancel()
				}
				return Report{}, outcomes[len(at)-1]
			},
		}
		if err := r.Run(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v", err)
		}
		// Waits after failures 1, 2, 3 (30 s, 60 s, then capped at 90 s,
		// each jittered to its upper half), then the interval ±10%.
		bounds := [][2]time.Duration{{15 * time.Second, 30 * time.Second}, {30 * time.Second, 60 * time.Second},
			{45 * time.Second, 90 * time.Second}, {54 * time.Minute, 66 * time.Minute}}
		for i, b := range bounds {
			if d := at[i+1].Sub(at[i]); d < b[0] || d > b[1] {
				t.Errorf("wait %d: %v, want %v…%v", i+1, d, b[0], b[1])
			}
		}
		if len(reported) != 4 || reported[0] == nil || reported[3] != nil {
			t.Errorf("OnSync saw %v", reported)
		}
	})
}

func TestRefresherDelayBounds(t *testing.T) {
	r := &Refresher{}
	for failures := range 100 {
		d := r.delay(failures)
		if d <= 0 || d > DefaultInterval+DefaultInterval/10 {
			t.Fatalf("delay after %d failures: %v", failures, d)
		}
		if failures > 10 && d < DefaultMaxRetry/2 {
			t.Fatalf("delay after %d failures: %v, below half the maximum", failures, d)
		}
	}
}
