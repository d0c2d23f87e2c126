package revocation

import (
	"strings"
	"testing"
)

func TestSetLookup(t *testing.T) {
	a, b, c := HashUVCI("URN:UVCI:01:IT:A#1"), HashUVCI("URN:UVCI:01:IT:B#2"), HashUVCI("URN:UVCI:01:IT:C#3")
	s := NewSet([]Hash{c, a, c, a})
	if s.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (duplicates dropped)", s.Len())
	}
	if !s.RevokedHash(&a) || !s.RevokedHash(&c) || s.RevokedHash(&b) {
		t.Fatal("lookup answers wrong")
	}
	var empty *Set
	if empty.RevokedHash(&a) || empty.Len() != 0 {
		t.Fatal("nil set is not empty")
	}
}

func TestReadLines(t *testing.T) {
	a := HashUVCI("x")
	in := "# revoked\n\n" + EncodeHash(a) + "\r\n" + EncodeHash(HashUVCI("y")) + "\n"
	s, err := ReadLines(strings.NewReader(in))
	if err != nil || s.Len() != 2 || !s.RevokedHash(&a) {
		t.Fatalf("ReadLines = %v, %v", s.Len(), err)
	}
	for _, c := range []struct{ in, want string }{
		{EncodeHash(a) + "\nnot-base64-at-all-but-44-characters-long!!!!\n", "line 2: entry is not base64"},
		{"abc\n", "line 1: entry of 3 characters"},
		{strings.Repeat("A", 5000), "token too long"},
	} {
		if _, err := ReadLines(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadLines(%.20q) error = %v, want %q", c.in, err, c.want)
		}
	}
}

// 44 base64 characters without padding are 33 bytes: refused, not a panic
// (found by FuzzParseChunk).
func TestParseHashUnpadded(t *testing.T) {
	for _, in := range []string{strings.Repeat("0", 44), strings.Repeat("A", 42) + "=="} { // 33 and 31 bytes
		if _, err := ParseHash(in); err == nil {
			t.Errorf("ParseHash(%q) accepted", in)
		}
	}
	h := HashUVCI("x")
	if got, err := ParseHash(EncodeHash(h)); err != nil || got != h {
		t.Fatalf("round trip: %v", err)
	}
}
