package verify_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/dgcvectors"
	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/testdata/shared"
	"github.com/scuola/kiosk/verify"
)

// FuzzCheck drives the whole pipeline with arbitrary text. Every input must
// end in a verdict that is consistent (admit exactly when VALID, a stage and
// an error exactly when refused), quickly, without a panic.
func FuzzCheck(f *testing.F) {
	set := fixtures.Load(f)
	for _, c := range set.Cases {
		f.Add(c.Text)
	}
	for _, p := range dgcvectors.Prefixes(f) {
		f.Add(p)
	}
	f.Add("")
	f.Add("HC1:")
	f.Add("HC1:" + strings.Repeat("0", verify.MaxTextLen))
	v := set.Verifier()
	f.Fuzz(func(t *testing.T, text string) {
		start := time.Now()
		got := v.Check(text, verify.ModeSchool, fixtures.Ref)
		defer got.Person.Wipe()
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("check took %v", d)
		}
		switch {
		case got.Status == verify.StatusValid:
			if !got.Admit || got.Detail != "" || got.Stage != verify.StageNone {
				t.Fatalf("VALID verdict inconsistent: %+v", got)
			}
		default:
			if got.Admit || got.Detail == "" || got.Stage == verify.StageNone || got.Status == "" || got.Reason == "" {
				t.Fatalf("refusal inconsistent: status %q stage %q detail %q", got.Status, got.Stage, got.Detail)
			}
		}
	})
}

// FuzzCheckPayload fuzzes below base45: the bytes are sent as an
// uncompressed payload, so that mutations reach COSE, CBOR and the DCC.
func FuzzCheckPayload(f *testing.F) {
	set := fixtures.Load(f)
	for _, c := range set.Cases {
		if raw, err := payloadOf(c.Text); err == nil {
			f.Add(raw)
		}
	}
	for _, p := range dgcvectors.Prefixes(f) {
		if raw, err := payloadOf(p); err == nil {
			f.Add(raw)
		}
	}
	v := set.Verifier()
	f.Fuzz(func(t *testing.T, raw []byte) {
		got := v.Check("HC1:"+verify.Base45Encode(raw), verify.ModeSchool, fixtures.Ref)
		defer got.Person.Wipe()
		if got.Admit != (got.Status == verify.StatusValid) || (got.Detail == "") != got.Admit {
			t.Fatalf("inconsistent verdict: %s at %q, detail %q", got.Status, got.Stage, got.Detail)
		}
	})
}

// payloadOf returns the COSE bytes inside a QR text.
func payloadOf(text string) ([]byte, error) {
	raw, err := verify.Base45Decode(strings.TrimPrefix(text, "HC1:"))
	if err != nil {
		return nil, err
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return raw, nil
	}
	return io.ReadAll(io.LimitReader(zr, verify.MaxInflatedLen))
}

// FuzzParseSettings: a settings document from the network either parses or
// is refused with an error; never a panic.
func FuzzParseSettings(f *testing.F) {
	f.Add([]byte(`[{"name":"vaccine_end_day_school","type":"GENERIC","value":"120"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{}`))
	if root := filepath.Join(shared.Root(), "..", "shared", "fixtures", "it-gateway", "settings.json"); fileExists(root) {
		data, _ := os.ReadFile(root)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := verify.ParseSettings(data)
		if (s == nil) == (err == nil) {
			t.Fatalf("ParseSettings returned %v and %v", s, err)
		}
		if err == nil && (s.VaccineEndDaySchool < 0 || s.RecoveryEndDaySchool < 0) {
			t.Fatal("negative day count accepted")
		}
	})
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
