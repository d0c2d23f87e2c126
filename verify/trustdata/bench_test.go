package trustdata

import (
	"encoding/binary"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
	"github.com/scuola/kiosk/verify/revocation"
)

// The sync of a revocation list the size of the real one (a million
// hashes in 100 chunks of 10,000) from the fake gateway on the loopback,
// onto the real disk, and the load of the result.

const benchHashes = 1_000_000

func millionWorld(b *testing.B) *world {
	w := newWorld(b)
	w.dir = filepath.Join(b.TempDir(), "data") // the real disk, fsyncs and all
	hashes := make([]revocation.Hash, benchHashes)
	for i := range hashes {
		binary.BigEndian.PutUint64(hashes[i][:], uint64(i)*0x9e3779b97f4a7c15)
		binary.BigEndian.PutUint64(hashes[i][24:], uint64(i))
	}
	w.gw.Update(func(d *gatewaytest.Data) {
		d.Lists = []gatewaytest.List{{Version: 1, Hashes: hashes}}
		d.ChunkSize = 10_000
	})
	return w
}

// BenchmarkSyncMillion reports the time of a full first sync into an
// empty folder, and the peak of the heap in use above what the fake gateway
// itself holds (its list and its answers, rendered before the measure).
// The peak is mostly garbage the collector has not reclaimed yet: the data
// alive at any moment is at most the new list (32 MB) and one chunk.
func BenchmarkSyncMillion(b *testing.B) {
	w := millionWorld(b)
	w.mustSync() // the fake renders its answers once, outside the measure
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		w.dir = filepath.Join(b.TempDir(), "data")
		stop := sampleHeap(&peak)
		b.StartTimer()
		rep := w.mustSync()
		b.StopTimer()
		stop()
		if rep.DRL.Count != benchHashes {
			b.Fatalf("synced %d hashes", rep.DRL.Count)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
}

// BenchmarkLoadMillion loads the whole synced set: keys, settings and the
// million hashes.
func BenchmarkLoadMillion(b *testing.B) {
	w := millionWorld(b)
	w.mustSync()
	var peak uint64
	for b.Loop() {
		runtime.GC()
		base := heapInuse()
		d := w.load()
		peak = max(peak, heapInuse()-base)
		runtime.KeepAlive(d)
	}
	b.ReportMetric(float64(peak)/1e6, "heap-MB")
}

func heapInuse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// sampleHeap records into peak the highest heap in use seen above its
// value when sampling started, every millisecond until stopped.
func sampleHeap(peak *uint64) (stop func()) {
	runtime.GC()
	base := heapInuse()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if h := heapInuse(); h > base {
				*peak = max(*peak, h-base)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
