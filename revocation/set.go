// Package revocation holds a revocation list compactly: the SHA-256 hashes
// of revoked certificate identifiers (UVCIs), sorted, 32 bytes each, so that
// a million entries take 32 MB and a lookup is a binary search.
//
// The list holds hashes of all revoked certificates, published by the
// health ministry; it says nothing about the pupils scanned.
package revocation

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
)

// Hash is the SHA-256 of a UVCI.
type Hash = [sha256.Size]byte

// Set is an immutable sorted set of hashes. The zero value is empty. A Set
// is safe for concurrent readers.
type Set struct {
	h []Hash // sorted, unique
}

// NewSet builds a set from hashes in any order, dropping duplicates. It
// takes ownership of the slice.
func NewSet(hashes []Hash) *Set {
	slices.SortFunc(hashes, func(a, b Hash) int { return bytes.Compare(a[:], b[:]) })
	return &Set{h: slices.Compact(hashes)}
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
	if s == nil {
		return false
	}
	_, found := slices.BinarySearchFunc(s.h, sum, func(e Hash, t *Hash) int { return bytes.Compare(e[:], t[:]) })
	return found
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
	if len(s) != base64.StdEncoding.EncodedLen(sha256.Size) {
		return h, fmt.Errorf("entry of %d characters, want %d (base64 of a SHA-256)", len(s), base64.StdEncoding.EncodedLen(sha256.Size))
	}
	n, err := base64.StdEncoding.Decode(h[:], []byte(s))
	if err != nil || n != sha256.Size {
		return h, fmt.Errorf("entry is not base64 of 32 bytes")
	}
	return h, nil
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
