package verify

import (
	"errors"
	"fmt"
)

// base45Alphabet is the RFC 9285 alphabet: the characters of a QR code's
// alphanumeric mode, so that a certificate fits in the densest QR mode.
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// base45Values maps a byte to its value, or -1 when it is not in the alphabet.
var base45Values = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base45Alphabet); i++ {
		t[base45Alphabet[i]] = int8(i)
	}
	return t
}()

// ErrBase45Input marks malformed base45 text; the wrapping message says what
// and where.
var ErrBase45Input = errors.New("malformed base45")

// Base45DecodedLen is the length of the decoding of n base45 characters (for
// a valid n).
func Base45DecodedLen(n int) int { return n/3*2 + n%3/2 }

// AppendBase45Decode appends the decoding of s to dst. It rejects characters
// outside the alphabet, a dangling single character, and groups whose value
// does not fit in their bytes, naming the offset of the offending character.
func AppendBase45Decode(dst []byte, s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return dst, fmt.Errorf("%w: length %d leaves a dangling character at offset %d", ErrBase45Input, len(s), len(s)-1)
	}
	i := 0
	// Whole groups: three characters, two bytes. This loop is the hot path
	// of every scan, hence the single sign test for all three lookups.
	for ; i+3 <= len(s); i += 3 {
		a, b, c := base45Values[s[i]], base45Values[s[i+1]], base45Values[s[i+2]]
		if a|b|c < 0 {
			return dst, badBase45Char(s, i)
		}
		x := int(a) + int(b)*45 + int(c)*45*45
		if x > 0xffff {
			return dst, fmt.Errorf("%w: group at offset %d has value %d, over 65535", ErrBase45Input, i, x)
		}
		dst = append(dst, byte(x>>8), byte(x))
	}
	if i < len(s) { // a final pair: one byte
		a, b := base45Values[s[i]], base45Values[s[i+1]]
		if a|b < 0 {
			return dst, badBase45Char(s, i)
		}
		x := int(a) + int(b)*45
		if x > 0xff {
			return dst, fmt.Errorf("%w: final pair at offset %d has value %d, over 255", ErrBase45Input, i, x)
		}
		dst = append(dst, byte(x))
	}
	return dst, nil
}

// badBase45Char names the first character outside the alphabet at or after
// offset i.
func badBase45Char(s string, i int) error {
	for ; base45Values[s[i]] >= 0; i++ {
	}
	return fmt.Errorf("%w: character %q at offset %d is not in the alphabet", ErrBase45Input, s[i], i)
}

// Base45Decode decodes s.
func Base45Decode(s string) ([]byte, error) {
	return AppendBase45Decode(make([]byte, 0, Base45DecodedLen(len(s))), s)
}

// Base45Encode encodes b (the project's own certificates and badges are
// built with it).
func Base45Encode(b []byte) string {
	out := make([]byte, 0, (len(b)+1)/2*3)
	for i := 0; i+1 < len(b); i += 2 {
		x := int(b[i])<<8 | int(b[i+1])
		out = append(out, base45Alphabet[x%45], base45Alphabet[x/45%45], base45Alphabet[x/2025])
	}
	if len(b)%2 == 1 {
		x := int(b[len(b)-1])
		out = append(out, base45Alphabet[x%45], base45Alphabet[x/45])
	}
	return string(out)
}
