package revocation

import (
	"bytes"
	"testing"
)

// FuzzReadBinary feeds arbitrary bytes to the stored-format reader: it must
// refuse or return a set that is sorted, answers its own hashes, and
// encodes back to the very same bytes.
func FuzzReadBinary(f *testing.F) {
	for _, n := range []int{0, 1, 3} {
		var b bytes.Buffer
		if err := NewSet(randomHashes(uint64(n), n)).WriteBinary(&b, uint64(n)); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte(binaryMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, v, err := ReadBinary(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for i, h := range s.Hashes() {
			if !s.RevokedHash(&h) {
				t.Fatalf("hash %d not found in its own set", i)
			}
		}
		var b bytes.Buffer
		if err := s.WriteBinary(&b, v); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), data) {
			t.Fatal("accepted input does not encode back to itself")
		}
	})
}
