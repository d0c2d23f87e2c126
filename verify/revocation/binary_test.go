package revocation

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func encode(t testing.TB, s *Set, version uint64) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := s.WriteBinary(&b, version); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestBinaryRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 5000} {
		s := NewSet(randomHashes(7, n))
		data := encode(t, s, 42)
		if int64(len(data)) != BinaryLen(s.Len()) {
			t.Fatalf("%d hashes encode to %d bytes, BinaryLen says %d", s.Len(), len(data), BinaryLen(s.Len()))
		}
		got, v, err := ReadBinary(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		if v != 42 || got.Len() != s.Len() {
			t.Fatalf("read version %d, %d hashes; want 42, %d", v, got.Len(), s.Len())
		}
		for i, h := range s.Hashes() {
			if !got.RevokedHash(&h) {
				t.Fatalf("hash %d lost", i)
			}
		}
	}
}

func TestBinaryRefusesDamage(t *testing.T) {
	s := NewSet(randomHashes(8, 10))
	good := encode(t, s, 3)
	mutate := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	swapped := mutate(func(b []byte) []byte {
		// Swap two hashes and fix the checksum: only the order is wrong.
		var tmp Hash
		copy(tmp[:], b[headerLen:])
		copy(b[headerLen:], b[headerLen+32:headerLen+64])
		copy(b[headerLen+32:], tmp[:])
		binary.BigEndian.PutUint32(b[len(b)-4:], crc32c(b[:len(b)-4]))
		return b
	})
	for _, c := range []struct {
		name string
		data []byte
		size int64
		want string
	}{
		{"empty", nil, 0, "header: unexpected EOF"},
		{"magic", mutate(func(b []byte) []byte { b[0] = 'X'; return b }), int64(len(good)), "bad magic"},
		{"truncated", good[:len(good)-10], int64(len(good) - 10), "announces 10 hashes"},
		{"size lies", good[:len(good)-10], int64(len(good)), "unexpected EOF"},
		{"flipped bit", mutate(func(b []byte) []byte { b[headerLen+40] ^= 1; return b }), int64(len(good)), "damaged: checksum"},
		{"huge count", mutate(func(b []byte) []byte { binary.BigEndian.PutUint64(b[16:], 1<<40); return b }), int64(len(good)), "over the bound"},
		{"out of order", swapped, int64(len(swapped)), "out of order at hash 1"},
	} {
		_, _, err := ReadBinary(bytes.NewReader(c.data), c.size)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func crc32c(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// TestLoadMillion checks the stated budget: one million hashes load from a
// file into less than 64 MB of heap. (Time is measured by
// BenchmarkLoadMillion.)
func TestLoadMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 32 MB")
	}
	path := filepath.Join(t.TempDir(), "drl.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := NewSet(randomHashes(9, 1_000_000)).WriteBinary(f, 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	s, _ := loadFile(t, path)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapInuse) - int64(before.HeapInuse)
	t.Logf("1M hashes: loaded in %v, heap grew by %.1f MB", took, float64(grew)/1e6)
	if grew > 64<<20 {
		t.Errorf("heap grew by %d bytes loading 1M hashes, over 64 MB", grew)
	}
	runtime.KeepAlive(s)
}

func loadFile(t testing.TB, path string) (*Set, uint64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	s, v, err := ReadBinary(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}
