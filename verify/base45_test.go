package verify

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/scuola/kiosk/testdata/dgcvectors"
)

// The examples of RFC 9285 section 4.
func TestBase45RFCExamples(t *testing.T) {
	for _, c := range []struct{ plain, enc string }{
		{"AB", "BB8"},
		{"Hello!!", "%69 VD92EX0"},
		{"base-45", "UJCLQE7W581"},
		{"ietf!", "QED8WEX0"},
		{"", ""},
	} {
		if got := Base45Encode([]byte(c.plain)); got != c.enc {
			t.Errorf("Encode(%q) = %q, want %q", c.plain, got, c.enc)
		}
		got, err := Base45Decode(c.enc)
		if err != nil || string(got) != c.plain {
			t.Errorf("Decode(%q) = %q, %v, want %q", c.enc, got, err, c.plain)
		}
	}
}

func TestBase45RoundTripAllBytes(t *testing.T) {
	var b []byte
	for i := 0; i < 256; i++ {
		b = append(b, byte(i), byte(255-i))
	}
	for n := 0; n <= len(b); n += 37 {
		got, err := Base45Decode(Base45Encode(b[:n]))
		if err != nil || !bytes.Equal(got, b[:n]) {
			t.Fatalf("round trip of %d bytes failed: %v", n, err)
		}
	}
	// Extremes of each group.
	for _, b := range [][]byte{{0xff, 0xff}, {0, 0}, {0xff}, {0}} {
		got, err := Base45Decode(Base45Encode(b))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip of %x failed: %x %v", b, got, err)
		}
	}
}

func TestBase45Errors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"GGW", "value 65536"}, // 65536 does not fit two bytes
		{"::", "value 2024"},   // pair over 255
		{"BB8A", "dangling character at offset 3"},
		{"BB8a", "dangling"}, // length checked first
		{"BB8ab", "character 'a' at offset 3"},
		{"BB\x00", "character '\\x00' at offset 2"},
		{"BB8BB!", "character '!' at offset 5"},
	} {
		_, err := Base45Decode(c.in)
		if err == nil || !errors.Is(err, ErrBase45Input) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%q) error = %v, want one containing %q", c.in, err, c.want)
		}
	}
}

func FuzzBase45(f *testing.F) {
	for _, s := range []string{"", "BB8", "%69 VD92EX0", "GGW", "::", "A", "NCFOXN%TS3DH"} {
		f.Add(s)
	}
	for _, s := range dgcvectors.Prefixes(f) {
		f.Add(strings.TrimPrefix(s, "HC1:"))
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Base45Decode(s)
		if err != nil {
			if !errors.Is(err, ErrBase45Input) {
				t.Fatalf("error without ErrBase45Input: %v", err)
			}
			return
		}
		if len(b) != Base45DecodedLen(len(s)) {
			t.Fatalf("decoded %d bytes from %d characters", len(b), len(s))
		}
		if again := Base45Encode(b); again != s {
			t.Fatalf("re-encoding %q gives %q", s, again)
		}
	})
}
