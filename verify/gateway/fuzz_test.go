package gateway

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
)

// seedFixtures adds the gateway's real answers of the given names, when the
// shared fixtures are there (fuzzing goes on from the inline seeds if not).
func seedFixtures(f *testing.F, names ...string) {
	dir := filepath.Join("..", "..", "shared", "fixtures", "it-gateway")
	for _, n := range names {
		if data, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			f.Add(data)
		}
	}
}

// FuzzParseChunk: any answer is refused or parsed into a consistent chunk,
// without a panic.
func FuzzParseChunk(f *testing.F) {
	seedFixtures(f, "CRL-v1-c1.json", "CRL-v1-c2.json", "CRL-v2-c1.json", "CRL-v3-c1.json")
	f.Add([]byte(`{"version":1,"revokedUcvi":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := ParseChunk(body)
		if err != nil {
			return
		}
		if c.Snapshot && len(c.Deletions) > 0 {
			t.Fatal("a snapshot chunk with deletions")
		}
		if c.Chunk < 0 || c.LastChunk < 0 || c.Chunk > MaxChunks || c.LastChunk > MaxChunks {
			t.Fatalf("chunk %d of %d out of bounds", c.Chunk, c.LastChunk)
		}
	})
}

// FuzzParseCheck: any answer is refused or parsed within the bounds.
func FuzzParseCheck(f *testing.F) {
	seedFixtures(f, "CRL-check-v1.json", "CRL-check-v2.json", "CRL-check-v3.json")
	f.Add([]byte(`{"version":3,"fromVersion":2,"totalChunk":1,"totalNumberUCVI":40}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := ParseCheck(body)
		if err != nil {
			return
		}
		if c.TotalChunk < 0 || c.TotalChunk > MaxChunks || c.TotalNumberUCVI < 0 {
			t.Fatalf("check out of bounds: %+v", c)
		}
	})
}

// FuzzParseStatus: any answer is refused or gives kids of 8 bytes.
func FuzzParseStatus(f *testing.F) {
	f.Add([]byte(`["5EiHqluGAm4=","NAyCKly+hCg"]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = ParseStatus(body)
	})
}

// FuzzParseSignerCertificate: any answer of the update loop is refused or
// gives a signer whose kid is the one announced.
func FuzzParseSignerCertificate(f *testing.F) {
	der := fixtures.Load(f).Signers["es256"].CertDER
	kid := verify.ComputeKID(der).String()
	f.Add([]byte(base64.StdEncoding.EncodeToString(der)), kid)
	f.Add(der, "")
	f.Add(pemCert(der), kid)
	f.Fuzz(func(t *testing.T, body []byte, announced string) {
		s, err := ParseSignerCertificate(body, announced)
		if err != nil {
			return
		}
		if k, ok := decodeKID(announced); announced != "" && (!ok || k != s.KID) {
			t.Fatalf("accepted a certificate of kid %s announced as %q", s.KID, announced)
		}
	})
}
