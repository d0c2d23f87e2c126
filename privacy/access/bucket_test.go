package access

import (
	"fmt"
	"testing"
	"time"
)

func TestBuckets(t *testing.T) {
	l := NewBuckets(time.Second, 3)
	now := time.Unix(1_700_000_000, 0)
	for i := range 3 {
		if ok, _ := l.Allow("a", now); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if ok, wait := l.Allow("a", now); ok || wait != time.Second {
		t.Errorf("past the burst: allowed %v, wait %v, want refused for 1s", ok, wait)
	}
	if ok, _ := l.Allow("b", now); !ok {
		t.Error("another key shares the first one's bucket")
	}
	if ok, _ := l.Allow("a", now.Add(1500*time.Millisecond)); !ok {
		t.Error("a second and a half later: still refused")
	}
	if ok, wait := l.Allow("a", now.Add(1500*time.Millisecond)); ok || wait != 500*time.Millisecond {
		t.Errorf("half a token left: allowed %v, wait %v", ok, wait)
	}
	// A flood of new keys does not grow the map without bound; keys idle
	// long enough to be full again go first.
	for i := range 3 * maxBuckets {
		l.Allow(fmt.Sprint("flood", i), now.Add(time.Hour))
	}
	if n := len(l.buckets); n > maxBuckets {
		t.Errorf("%d buckets kept, want at most %d", n, maxBuckets)
	}
	l = NewBuckets(time.Second, 3)
	for i := range maxBuckets - 1 {
		l.Allow(fmt.Sprint("idle", i), now)
	}
	l.Allow("busy", now.Add(time.Minute))
	l.Allow("busy", now.Add(time.Minute))
	l.Allow("new", now.Add(time.Minute))
	if _, ok := l.buckets["busy"]; !ok || len(l.buckets) != 2 {
		t.Errorf("after the idle keys refilled: %d buckets, busy kept %v; want busy and new", len(l.buckets), ok)
	}
}
