// Package revocation holds a revocation list compactly: the SHA-256 hashes
// of revoked certificate identifiers (UVCIs), sorted, 32 bytes each, so that
// a million entries take 32 MB, load from disk in one sequential read and
// are looked up in a fraction of a microsecond. It also applies the
// gateway's deltas exactly and checks them, and stays free of networking:
// the download belongs to the gateway and trustdata packages.
//
// The list holds hashes of all revoked certificates, published by the
// health ministry; it says nothing about the pupils scanned.
package revocation

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
)

// Hash is the SHA-256 of a UVCI.
type Hash = [sha256.Size]byte

// Set is an immutable sorted set of hashes. The zero value is empty. A Set
// is safe for concurrent readers.
type Set struct {
	h   []Hash // sorted, unique
	idx index
}

// NewSet builds a set from hashes in any order, dropping duplicates. It
// takes ownership of the slice.
func NewSet(hashes []Hash) *Set {
	slices.SortFunc(hashes, compareHashes)
	return newSorted(slices.Compact(hashes))
}

// newSorted wraps hashes already sorted and unique.
func newSorted(hashes []Hash) *Set {
	return &Set{h: hashes, idx: buildIndex(hashes)}
}

// compareHashes orders hashes as bytes.Compare does. For sorting.
func compareHashes(a, b Hash) int { return compare(&a, &b) }

// compare orders hashes as bytes.Compare does, deciding on the first eight
// bytes as one number where it can: for SHA-256 values nearly always,
// which sorts a million hashes a third faster.
func compare(a, b *Hash) int {
	x, y := binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(b[:8])
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return bytes.Compare(a[8:], b[8:])
}

// Len is the number of hashes.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.h)
}

// RevokedHash reports whether the hash is in the set (it implements
// verify.RevocationList).
func (s *Set) RevokedHash(sum *Hash) bool {
	if s == nil || len(s.h) == 0 {
		return false
	}
	lo, hi := s.idx.bucket(sum)
	h := s.h[lo:hi]
	for len(h) > 0 {
		mid := len(h) / 2
		switch c := compare(&h[mid], sum); {
		case c == 0:
			return true
		case c < 0:
			h = h[mid+1:]
		default:
			h = h[:mid]
		}
	}
	return false
}

// Hashes returns the sorted hashes; the caller must not modify them.
func (s *Set) Hashes() []Hash {
	if s == nil {
		return nil
	}
	return s.h
}

// ParseHash decodes one entry as the Italian gateway writes it: base64 of
// the 32-byte SHA-256 (44 characters).
func ParseHash(s string) (Hash, error) {
	var h Hash
	err := DecodeHash(&h, []byte(s))
	return h, err
}

// DecodeHash is ParseHash into a caller's hash, without allocating: the
// gateway's answers carry a million of them.
func DecodeHash(h *Hash, text []byte) error {
	if len(text) != base64.StdEncoding.EncodedLen(sha256.Size) {
		return fmt.Errorf("entry of %d characters, want %d (base64 of a SHA-256)", len(text), base64.StdEncoding.EncodedLen(sha256.Size))
	}
	// 44 characters without padding decode to 33 bytes: decode into room
	// for them, then refuse.
	var buf [sha256.Size + 1]byte
	n, err := base64.StdEncoding.Decode(buf[:], text)
	if err != nil || n != sha256.Size {
		return fmt.Errorf("entry is not base64 of 32 bytes")
	}
	copy(h[:], buf[:n])
	return nil
}

// EncodeHash is the inverse of ParseHash.
func EncodeHash(h Hash) string { return base64.StdEncoding.EncodeToString(h[:]) }

// HashUVCI is the hash under which a UVCI is listed.
func HashUVCI(uvci string) Hash { return sha256.Sum256([]byte(uvci)) }

// maxLineLen bounds one line of a hash file.
const maxLineLen = 1024

// ReadLines reads a file of base64 hashes, one per line (blank lines and
// lines starting with # are skipped). An entry that does not parse is an
// error naming its line.
func ReadLines(r io.Reader) (*Set, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 128), maxLineLen)
	var hashes []Hash
	for line := 1; sc.Scan(); line++ {
		t := bytes.TrimSpace(sc.Bytes())
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		h, err := ParseHash(string(t))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		hashes = append(hashes, h)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading hashes: %w", err)
	}
	return NewSet(hashes), nil
}
