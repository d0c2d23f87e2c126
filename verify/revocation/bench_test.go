package revocation

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// The figures that matter on a Raspberry Pi: a million hashes load from disk in well
// under a second into under 64 MB, and a lookup costs well under a
// microsecond.

const benchLen = 1_000_000

func BenchmarkLoadMillion(b *testing.B) {
	path := filepath.Join(b.TempDir(), "drl.bin")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := NewSet(randomHashes(1, benchLen)).WriteBinary(f, 1); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.SetBytes(BinaryLen(benchLen))
	var heap uint64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s, _ := loadFile(b, path)
		runtime.ReadMemStats(&after)
		heap = max(heap, after.HeapInuse-before.HeapInuse)
		runtime.KeepAlive(s)
	}
	b.ReportMetric(float64(heap)/1e6, "heap-MB")
}

func BenchmarkLookupMillion(b *testing.B) {
	hashes := randomHashes(2, 2*benchLen)
	s := NewSet(append([]Hash(nil), hashes[:benchLen]...))
	// Half the probes are listed, half are not, in an order that defeats
	// the cache as real scans do.
	probes := hashes[benchLen/2 : benchLen/2+benchLen]
	i := 0
	for b.Loop() {
		s.RevokedHash(&probes[i])
		i++
		if i == len(probes) {
			i = 0
		}
	}
}
