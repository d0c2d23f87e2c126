package revocation

import (
	"bytes"
	"testing"
)

// TestLookupAgreesWithScan checks the indexed lookup against a linear scan,
// at sizes around every bucket boundary and with hashes sharing prefixes.
func TestLookupAgreesWithScan(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 1000, 4097} {
		all := randomHashes(uint64(n), 2*n)
		in := NewSet(append([]Hash(nil), all[:n]...))
		for i, h := range all {
			want := i < n
			if got := in.RevokedHash(&h); got != want {
				t.Fatalf("n=%d: hash %d: RevokedHash = %v, want %v", n, i, got, want)
			}
		}
	}
	// Extremes: all-zero and all-0xff hashes, and neighbours differing in
	// the last byte only.
	var lo, hi, near Hash
	for i := range hi {
		hi[i] = 0xff
	}
	near = hi
	near[31] = 0xfe
	s := NewSet([]Hash{hi, lo})
	if !s.RevokedHash(&lo) || !s.RevokedHash(&hi) || s.RevokedHash(&near) {
		t.Fatal("extreme hashes answered wrong")
	}
}

func TestIndexBuckets(t *testing.T) {
	h := NewSet(randomHashes(1, 100000)).Hashes()
	ix := buildIndex(h)
	if got, want := len(ix.start), 1<<15+1; got != want {
		t.Fatalf("index of %d hashes has %d entries, want %d", len(h), got, want)
	}
	for p := 0; p+1 < len(ix.start); p++ {
		for j := ix.start[p]; j < ix.start[p+1]; j++ {
			if ix.prefix(&h[j]) != uint64(p) {
				t.Fatalf("hash %d is in bucket %d but has prefix %d", j, p, ix.prefix(&h[j]))
			}
		}
	}
	if !bytes.Equal(h[len(h)-1][:], h[ix.start[len(ix.start)-1]-1][:]) {
		t.Fatal("last bucket does not end at the last hash")
	}
}
