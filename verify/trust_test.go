package verify

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scuola/kiosk/testdata/shared"
)

func gatewayDSCs(t *testing.T) []byte {
	data, err := os.ReadFile(filepath.Join(shared.Dir(t, "fixtures/it-gateway"), "DSC-validation.json"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The gateway's list of 102 real signer certificates: all parse; the four
// UK entries announce kids that are not their certificates' (wprdkey1…) and
// are skipped and reported; the key usages are read.
func TestParseTrustFileGatewayJSON(t *testing.T) {
	signers, skipped, err := ParseTrustFile(gatewayDSCs(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(signers) != 98 || len(skipped) != 4 {
		t.Fatalf("%d signers and %d skipped, want 98 and 4", len(signers), len(skipped))
	}
	if !strings.Contains(skipped[0].Error(), "entry 78 (kid d3ByZGtleTI=): announced kid d3ByZGtleTI= does not match the certificate's kid") {
		t.Errorf("skip report: %v", skipped[0])
	}
	store := NewTrustStore()
	restricted, recovery := 0, 0
	for _, s := range signers {
		store.Add(s)
		if s.restricted {
			restricted++
		}
		if s.listsRecoveryOID() && !s.MaySign(KindVaccination) {
			recovery++
		}
	}
	if restricted == 0 || recovery == 0 {
		t.Errorf("key usages not read: %d restricted, %d recovery-only", restricted, recovery)
	}
	kid, _ := base64.StdEncoding.DecodeString("jnFYIu1y3ic=") // the Italian recovery-after-vaccination signer
	if got := store.Lookup(kid); len(got) != 1 || !got[0].listsRecoveryOID() || got[0].MaySign(KindExemption) {
		t.Errorf("Italian recovery signer: %v", got)
	}
}

func TestParseTrustFileForms(t *testing.T) {
	var entries []TrustEntry
	if err := json.Unmarshal(gatewayDSCs(t), &entries); err != nil {
		t.Fatal(err)
	}
	der0, _ := base64.StdEncoding.DecodeString(entries[0].RawData)
	der1, _ := base64.StdEncoding.DecodeString(entries[1].RawData)
	var pemBoth bytes.Buffer
	pem.Encode(&pemBoth, &pem.Block{Type: "CERTIFICATE", Bytes: der0})
	pem.Encode(&pemBoth, &pem.Block{Type: "CERTIFICATE", Bytes: der1})
	for name, c := range map[string]struct {
		data []byte
		n    int
	}{
		"DER":          {der0, 1},
		"PEM, two":     {pemBoth.Bytes(), 2},
		"base64 lines": {[]byte(entries[0].RawData + "\n\n" + entries[1].RawData + "\n"), 2},
	} {
		s, _, err := ParseTrustFile(c.data)
		if err != nil || len(s) != c.n || s[0].KID.String() != entries[0].KID {
			t.Errorf("%s: %d signers, %v", name, len(s), err)
		}
	}
	wrongKID, _ := json.Marshal([]TrustEntry{{KID: entries[1].KID, RawData: entries[0].RawData}})
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"garbage line":   {[]byte(entries[0].RawData + "\n%%%\n"), "line 2: not DER, PEM, JSON or base64"},
		"not a cert":     {[]byte(base64.StdEncoding.EncodeToString([]byte("hello"))), "line 1: signer certificate does not parse"},
		"empty":          {[]byte("  \n"), "empty trust file"},
		"PEM key":        {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}), `PEM block 1 is "PRIVATE KEY"`},
		"PEM trailing":   {append(pemBoth.Bytes(), "junk"...), "text after the last PEM block"},
		"JSON malformed": {[]byte(`[{"kid": 1}]`), "JSON trust list"},
		"oversized":      {make([]byte, MaxTrustFileLen+1), "bound"},
	} {
		if _, _, err := ParseTrustFile(c.data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
	s, skipped, err := ParseTrustFile(wrongKID)
	if err != nil || len(s) != 0 || len(skipped) != 1 || !strings.Contains(skipped[0].Error(), "entry 0 (kid "+entries[1].KID+"): announced kid") {
		t.Errorf("kid mismatch: %v %v %v", s, skipped, err)
	}
}
