package kiosk

import (
	"slices"
	"sync"
	"time"
)

// Latency keeps the last scans' latencies (from the frame's capture to the
// light and the screen), for the daemon's periodic report and the
// benchmarks. Timings only: nothing about whose scan it was.
type Latency struct {
	mu    sync.Mutex
	ring  []time.Duration
	next  int
	count int
}

// latencyWindow is how many recent scans the quantiles cover.
const latencyWindow = 4096

// Observe records one scan's latency.
func (l *Latency) Observe(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ring == nil {
		l.ring = make([]time.Duration, latencyWindow)
	}
	l.ring[l.next] = d
	l.next = (l.next + 1) % latencyWindow
	l.count++
}

// Quantiles returns the median and the 99th percentile of the recent
// scans, and how many scans were observed in all.
func (l *Latency) Quantiles() (p50, p99 time.Duration, count int) {
	l.mu.Lock()
	n := min(l.count, latencyWindow)
	s := slices.Clone(l.ring[:n])
	count = l.count
	l.mu.Unlock()
	if n == 0 {
		return 0, 0, count
	}
	slices.Sort(s)
	return s[n/2], s[min(n-1, n*99/100)], count
}
