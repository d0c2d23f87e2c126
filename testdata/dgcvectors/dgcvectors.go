// Package dgcvectors reads the EU DCC conformance vectors (dgc-testdata)
// from the shared folder, or from $DGC_TESTDATA when set (a full clone of
// the repository, to measure the countries that the shared folder lacks).
//
// Quirks of the data are handled here, never in the product:
//   - The data's README spells the expiry flag EXPTECTEDEXPIRED in places;
//     it is read as EXPECTEDEXPIRATIONCHECK (the same step of its table)
//     when the latter is absent.
//   - Some files carry the signer as TESTCTX.JWK.x5c instead of
//     TESTCTX.CERTIFICATE, as base64 with line breaks.
//   - VALIDATIONCLOCK comes with and without a zone; without one it is UTC.
//   - The picture is sometimes under "_2DCODE" instead of "2DCODE".
package dgcvectors

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/shared"
)

// Vector is one test file.
type Vector struct {
	Path     string          // relative to the root, e.g. common/2DCode/raw/CO1.json
	Country  string          // the first path element (common for the shared cases)
	Prefix   string          `json:"PREFIX"`
	COSE     string          `json:"COSE"`
	PNG      string          `json:"2DCODE"`
	PNGAlt   string          `json:"_2DCODE"`
	Expected map[string]bool `json:"EXPECTEDRESULTS"`
	Ctx      struct {
		Certificate string `json:"CERTIFICATE"`
		JWK         struct {
			X5C json.RawMessage `json:"x5c"`
		} `json:"JWK"`
		Clock       string `json:"VALIDATIONCLOCK"`
		Description string `json:"DESCRIPTION"`
	} `json:"TESTCTX"`
}

// Root is the folder of the vectors; the test is skipped (or failed under
// CI=true) when the shared material is missing.
func Root(tb testing.TB) string {
	tb.Helper()
	if r := os.Getenv("DGC_TESTDATA"); r != "" {
		return r
	}
	return shared.Dir(tb, "conformance/dgc-testdata")
}

// Load reads every */2DCode/raw/*.json under Root. A file that is not valid
// JSON is reported as a test error (the file is wrong, not the product).
func Load(tb testing.TB) []*Vector {
	tb.Helper()
	root := Root(tb)
	var out []*Vector
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".json") || filepath.Base(filepath.Dir(p)) != "raw" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		v := &Vector{Path: strings.TrimPrefix(p, root+string(filepath.Separator))}
		v.Country = strings.SplitN(v.Path, string(filepath.Separator), 2)[0]
		if err := json.Unmarshal(data, v); err != nil {
			tb.Errorf("%s: the test file itself is not valid JSON: %v", v.Path, err)
			return nil
		}
		if v.Expected == nil {
			v.Expected = map[string]bool{}
		}
		if _, ok := v.Expected["EXPECTEDEXPIRATIONCHECK"]; !ok {
			for _, alias := range []string{"EXPTECTEDEXPIRED", "EXPECTEDEXPIRED"} {
				if b, ok := v.Expected[alias]; ok {
					v.Expected["EXPECTEDEXPIRATIONCHECK"] = b
				}
			}
		}
		if v.PNG == "" {
			v.PNG = v.PNGAlt
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(out) == 0 {
		tb.Fatalf("no conformance vectors under %s", root)
	}
	return out
}

// Prefixes returns the QR texts of the vectors, to seed fuzzers; nil when
// the shared material is absent (fuzzing still runs on its other seeds).
func Prefixes(tb testing.TB) []string {
	if os.Getenv("DGC_TESTDATA") == "" {
		if _, err := os.Stat(filepath.Join(shared.Root(), "..", "shared", "conformance", "dgc-testdata")); err != nil {
			return nil
		}
	}
	var out []string
	for _, v := range Load(tb) {
		out = append(out, v.Prefix)
	}
	return out
}

// Clock is the vector's validation instant.
func (v *Vector) Clock() (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, v.Ctx.Clock); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("VALIDATIONCLOCK %q is not a timestamp", v.Ctx.Clock)
}

// SignerDER is the DER of the vector's signer certificate.
func (v *Vector) SignerDER() ([]byte, error) {
	b64 := v.Ctx.Certificate
	if b64 == "" && len(v.Ctx.JWK.X5C) > 0 {
		var one string
		var many []string
		if json.Unmarshal(v.Ctx.JWK.X5C, &one) == nil {
			b64 = one
		} else if json.Unmarshal(v.Ctx.JWK.X5C, &many) == nil && len(many) > 0 {
			b64 = many[0]
		}
	}
	b64 = strings.Join(strings.Fields(b64), "")
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("signer certificate is not base64: %w", err)
	}
	return der, nil
}

// PNGBytes decodes the vector's picture of the QR code, if any.
func (v *Vector) PNGBytes() ([]byte, error) {
	if v.PNG == "" {
		return nil, nil
	}
	return base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v.PNG), ""))
}
