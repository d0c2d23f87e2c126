package verify

import (
	"bytes"
	"compress/zlib"
	"errors"
	"strings"
	"testing"
)

func zlibOf(b []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

func TestUnwrapPrefix(t *testing.T) {
	for text, want := range map[string]string{
		"":                  "empty text",
		"HC2:ABC":           `context identifier "HC2:" is not HC1:`,
		"HL0:ABC":           `"HL0:"`,
		"NCFOXN%TS3DH":      "no HC1: context identifier",
		"hc1:NCF":           `"hc1:"`,
		"https://x.example": "no HC1:",
	} {
		_, err := unwrap(text, new(scratch))
		if err == nil || err.Stage != StagePrefix || err.Status != StatusNotEUDCC || !strings.Contains(err.Detail, want) {
			t.Errorf("unwrap(%q) = %v, want a prefix error containing %q", text, err, want)
		}
	}
	_, err := unwrap("HC1:"+strings.Repeat("A", MaxTextLen), new(scratch))
	if err == nil || err.Stage != StagePrefix || !strings.Contains(err.Detail, "longer than any QR") {
		t.Errorf("oversized text: %v", err)
	}
}

func TestUnwrapBase45OffsetsCountFromTheTextStart(t *testing.T) {
	_, err := unwrap("HC1:BB8BB!", new(scratch))
	if err == nil || err.Stage != StageBase45 || !strings.Contains(err.Detail, "at offset 9") {
		t.Fatalf("got %v, want the '!' reported at offset 9 of the text", err)
	}
}

func TestUnwrapCompression(t *testing.T) {
	cose := []byte{0xd2, 0x84, 0x40, 0xa0, 0x41, 0x00, 0x41, 0x00}
	u, err := unwrap("HC1:"+Base45Encode(zlibOf(cose)), new(scratch))
	if err != nil || !u.compressed || !bytes.Equal(u.cose, cose) {
		t.Fatalf("compressed: %v %v %x", err, u.compressed, u.cose)
	}
	u, err = unwrap("HC1:"+Base45Encode(cose), new(scratch))
	if err != nil || u.compressed || !bytes.Equal(u.cose, cose) {
		t.Fatalf("uncompressed: %v %v %x", err, u.compressed, u.cose)
	}
	broken := zlibOf(cose)
	broken[len(broken)-1] ^= 0xff // checksum
	if _, err := unwrap("HC1:"+Base45Encode(broken), new(scratch)); err == nil || err.Stage != StageZlib {
		t.Fatalf("broken checksum: %v", err)
	}
	if _, err := unwrap("HC1:"+Base45Encode(zlibOf(cose)[:6]), new(scratch)); err == nil || err.Stage != StageZlib {
		t.Fatalf("truncated stream: %v", err)
	}
}

// A decompression bomb is a clear error, and memory stays bounded.
func TestUnwrapDecompressionBomb(t *testing.T) {
	bomb := zlibOf(make([]byte, 4<<20)) // 4 MiB of zeros in ~4 KB: it fits a QR
	if len(bomb)*3/2+4 > MaxTextLen {
		t.Fatalf("bomb is %d bytes", len(bomb))
	}
	sc := new(scratch)
	_, err := unwrap("HC1:"+Base45Encode(bomb), sc)
	if err == nil || err.Stage != StageZlib || !errors.Is(err, errInflateBound) || !strings.Contains(err.Detail, "decompression bomb") {
		t.Fatalf("got %v", err)
	}
	if sc.inflated.Cap() > 2*MaxInflatedLen+4096 {
		t.Fatalf("buffer grew to %d bytes", sc.inflated.Cap())
	}
	// Exactly at the bound is fine.
	if _, err := unwrap("HC1:"+Base45Encode(zlibOf(make([]byte, MaxInflatedLen))), new(scratch)); err != nil {
		t.Fatalf("payload at the bound refused: %v", err)
	}
}

func TestParseCOSEForms(t *testing.T) {
	// A minimal signed-looking message: protected {1: -7, 4: h'0102030405060708'}.
	protected := []byte{0x4d, 0xa2, 0x01, 0x26, 0x04, 0x48, 1, 2, 3, 4, 5, 6, 7, 8}
	body := append(append([]byte{0x84}, protected...), 0xa0, 0x41, 0x00, 0x41, 0x01)
	for name, b := range map[string][]byte{
		"tag 18":         append([]byte{0xd2}, body...),
		"untagged":       body,
		"tag 61, tag 18": append([]byte{0xd8, 0x3d, 0xd2}, body...),
	} {
		m, err := parseCOSE(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		kid, kerr := findKID(m.sign1.Headers)
		if kerr != nil || !bytes.Equal(kid, []byte{1, 2, 3, 4, 5, 6, 7, 8}) || !m.algPresent {
			t.Errorf("%s: kid %x %v alg %v", name, kid, kerr, m.algPresent)
		}
	}
	for name, b := range map[string][]byte{
		"empty":       nil,
		"a map":       {0xa0},
		"tag 17":      append([]byte{0xd1}, body...),
		"truncated":   append([]byte{0xd2}, body[:len(body)-2]...),
		"no payload":  {0xd2, 0x84, 0x40, 0xa0, 0xf6, 0x41, 0x01},
		"3 elements":  {0xd2, 0x83, 0x40, 0xa0, 0x41, 0x00},
		"wrong types": {0xd2, 0x84, 0x01, 0x02, 0x03, 0x04},
	} {
		if _, err := parseCOSE(b); err == nil || err.Stage != StageCOSE {
			t.Errorf("%s: got %v, want a cose-stage error", name, err)
		}
	}
}

func TestParseDCCStructure(t *testing.T) {
	for name, c := range map[string]struct {
		cbor []byte
		want string
	}{
		// {"nam": {"fnt": "X"}, "v": [{}], "t": [{}]}
		"two groups": {[]byte{0xa3, 0x63, 'n', 'a', 'm', 0xa1, 0x63, 'f', 'n', 't', 0x61, 'X', 0x61, 'v', 0x81, 0xa0, 0x61, 't', 0x81, 0xa0}, "2 groups"},
		// {"nam": {"fnt": "X"}}
		"no group": {[]byte{0xa1, 0x63, 'n', 'a', 'm', 0xa1, 0x63, 'f', 'n', 't', 0x61, 'X'}, "0 groups"},
		// {"nam": {"fnt": "X"}, "v": [{}, {}]}
		"two entries": {[]byte{0xa2, 0x63, 'n', 'a', 'm', 0xa1, 0x63, 'f', 'n', 't', 0x61, 'X', 0x61, 'v', 0x82, 0xa0, 0xa0}, "2 vaccination entries"},
		// {"v": [{}]}
		"no name": {[]byte{0xa1, 0x61, 'v', 0x81, 0xa0}, "no standardised name"},
		// {"v": [{"dn": "1"}], ...} dn as text
		"dn as text": {[]byte{0xa1, 0x61, 'v', 0x81, 0xa1, 0x62, 'd', 'n', 0x61, '1'}, "dose count"},
		// duplicate key {"dob": "a", "dob": "b"}
		"duplicate key": {[]byte{0xa2, 0x63, 'd', 'o', 'b', 0x61, 'a', 0x63, 'd', 'o', 'b', 0x61, 'b'}, "duplicate map key"},
	} {
		_, _, err := parseDCC(c.cbor)
		if err == nil || err.Stage != StageSchema || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want a schema error containing %q", name, err, c.want)
		}
	}
	if !isCBORMap([]byte{0xa0}) || !isCBORMap([]byte{0xd9, 0x03, 0xec, 0xa0}) || isCBORMap([]byte{0x40}) || isCBORMap([]byte{0xdb}) || isCBORMap(nil) {
		t.Error("isCBORMap misjudges")
	}
}

func TestNumericDate(t *testing.T) {
	for _, c := range []struct {
		cbor []byte
		want int64
	}{
		{[]byte{0x1a, 0x60, 0x90, 0x3a, 0x20}, 1620064800}, // uint32
		{[]byte{0x17}, 23}, // tiny
		{[]byte{0x20}, -1}, // negative
		{[]byte{0xc1, 0x1a, 0x60, 0x90, 0x3a, 0x20}, 1620064800},                   // tag 1
		{[]byte{0xfb, 0x41, 0xd8, 0x24, 0x0e, 0x88, 0x00, 0x00, 0x00}, 1620064800}, // float64
		{[]byte{0xfa, 0x4e, 0xc1, 0x20, 0x74}, 1620064768},                         // float32 (rounded)
		{[]byte{0xf9, 0x3c, 0x00}, 1},                                              // float16 1.0
	} {
		var n numericDate
		if err := n.UnmarshalCBOR(c.cbor); err != nil || !n.present || n.sec != c.want {
			t.Errorf("% x: %d %v %v, want %d", c.cbor, n.sec, n.present, err, c.want)
		}
	}
	for _, bad := range [][]byte{nil, {0x61, 'x'}, {0xf6}, {0xfb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0}, {0x1a, 0x60}, {0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {0x01, 0x02}} {
		var n numericDate
		if err := n.UnmarshalCBOR(bad); err == nil {
			t.Errorf("% x accepted as %d", bad, n.sec)
		}
	}
}
