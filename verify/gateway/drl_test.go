package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scuola/kiosk/testdata/shared"
	"github.com/scuola/kiosk/verify/revocation"
)

// The gateway's real answers parse into what they say.
func TestParseRealAnswers(t *testing.T) {
	dir := shared.Dir(t, "fixtures/it-gateway")
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	c1, err := ParseCheck(read("CRL-check-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !c1.Snapshot() || c1.Version != 1 || c1.TotalChunk != 100 || c1.TotalNumberUCVI != 1000000 || c1.ID != "619cb579676ca211606c3316" {
		t.Errorf("CRL-check-v1 = %+v", c1)
	}
	c2, err := ParseCheck(read("CRL-check-v2.json"))
	if err != nil || c2.Snapshot() || c2.FromVersion != 1 || c2.Version != 2 {
		t.Errorf("CRL-check-v2 = %+v, %v", c2, err)
	}
	for _, c := range []struct {
		file              string
		snapshot          bool
		version           uint64
		chunk, last, n, d int
	}{
		{"CRL-v1-c1.json", true, 2, 1, 2, 5, 0},
		{"CRL-v1-c2.json", true, 2, 2, 2, 4, 0},
		{"CRL-v2-c1.json", false, 3, 1, 1, 4, 0},
		{"CRL-v3-c1.json", false, 4, 1, 1, 0, 2},
	} {
		ch, err := ParseChunk(read(c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if ch.Snapshot != c.snapshot || ch.Version != c.version || ch.Chunk != c.chunk || ch.LastChunk != c.last ||
			len(ch.Hashes) != c.n || len(ch.Deletions) != c.d {
			t.Errorf("%s = snapshot %v, version %d, chunk %d/%d, %d hashes, %d deletions", c.file,
				ch.Snapshot, ch.Version, ch.Chunk, ch.LastChunk, len(ch.Hashes), len(ch.Deletions))
		}
	}
	ch, _ := ParseChunk(read("CRL-v1-c1.json"))
	if got := revocation.EncodeHash(ch.Hashes[0]); got != "mhvb+vjCW/icnYU9m4typR/d9BhQYQgHcFwilWABLB4=" {
		t.Errorf("first hash decodes to %s", got)
	}
}

func TestParseCheckRefuses(t *testing.T) {
	for body, want := range map[string]string{
		`{"fromVersion":1,"totalNumberUCVI":3}`:                  "no version",
		`{"version":2}`:                                          "no totalNumberUCVI",
		`{"version":-2,"totalNumberUCVI":3}`:                     "version -2 is negative",
		`{"version":2,"totalNumberUCVI":3,"totalChunk":-1}`:      "totalChunk -1 is outside",
		`{"version":2,"totalNumberUCVI":100000000}`:              "totalNumberUCVI 100000000 is outside",
		`{"version":"2","totalNumberUCVI":3}`:                    "not the expected JSON",
		`[]`:                                                     "not the expected JSON",
		`{"version":2,"totalNumberUCVI":3,"fromVersion":-1}`:     "fromVersion -1 is negative",
		`{"version":2.5,"totalNumberUCVI":3}`:                    "not the expected JSON",
		`{"version":2,"totalNumberUCVI":3} {"version":3}`:        "not the expected JSON",
		`{"version":2,"totalNumberUCVI":3,"totalChunk":1000000}`: "totalChunk 1000000 is outside",
	} {
		if _, err := ParseCheck([]byte(body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCheck(%s) = %v, want %q", body, err, want)
		}
	}
}

func TestParseChunkRefuses(t *testing.T) {
	h := `"mhvb+vjCW/icnYU9m4typR/d9BhQYQgHcFwilWABLB4="`
	for body, want := range map[string]string{
		`{"version":1}`:                                                    "neither revokedUcvi nor delta",
		`{"version":1,"revokedUcvi":null}`:                                 "neither revokedUcvi nor delta",
		`{"version":1,"revokedUcvi":[` + h + `],"delta":{}}`:               "both revokedUcvi and delta",
		`{"version":1,"revokedUcvi":["abc"]}`:                              "entry of 3 characters",
		`{"version":1,"revokedUcvi":["` + strings.Repeat("!", 44) + `"]}`:  "not base64",
		`{"version":1,"revokedUcvi":[42]}`:                                 "not the expected JSON",
		`{"version":1,"chunk":-3,"revokedUcvi":[]}`:                        "chunk -3 is outside",
		`{"version":1,"delta":{"insertions":[` + h + `]},"lastChunk":1e9}`: "not the expected JSON",
	} {
		if _, err := ParseChunk([]byte(body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseChunk(%s) = %v, want %q", body, err, want)
		}
	}
	// Liberal where the shape allows: an escaped slash, an empty snapshot
	// chunk, a delta with no deletions, no version.
	esc := strings.ReplaceAll(h, "/", `\/`)
	for _, body := range []string{
		`{"revokedUcvi":[` + h + `]}`,
		`{"version":1,"revokedUcvi":[` + esc + `]}`,
		`{"version":1,"revokedUcvi":[]}`,
		`{"version":1,"revokedUcvi":[],"delta":null}`,
		`{"version":1,"delta":{"insertions":[` + h + `]}}`,
	} {
		if _, err := ParseChunk([]byte(body)); err != nil {
			t.Errorf("ParseChunk(%s) = %v", body, err)
		}
	}
}
