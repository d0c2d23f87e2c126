package revocation

import (
	"encoding/binary"
	"math/rand/v2"
)

// randomHashes makes n distinct-enough pseudo-random hashes from a seed, as
// uniform as real SHA-256 values.
func randomHashes(seed uint64, n int) []Hash {
	r := rand.New(rand.NewPCG(seed, 0x6b696f736b))
	out := make([]Hash, n)
	for i := range out {
		for k := 0; k < 32; k += 8 {
			binary.LittleEndian.PutUint64(out[i][k:], r.Uint64())
		}
	}
	return out
}
