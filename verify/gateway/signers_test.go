package gateway

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
)

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestParseSignerCertificateForms(t *testing.T) {
	der := fixtures.Load(t).Signers["es256"].CertDER
	kid := verify.ComputeKID(der)
	b64 := base64.StdEncoding.EncodeToString(der)
	wrapped := ""
	for i := 0; i < len(b64); i += 64 {
		wrapped += b64[i:min(i+64, len(b64))] + "\r\n"
	}
	for name, body := range map[string][]byte{
		"base64":         []byte(b64),
		"base64 wrapped": []byte(wrapped),
		"JSON string":    []byte(`"` + b64 + `"`),
		"PEM":            pemCert(der),
		"DER":            der,
	} {
		for _, announced := range []string{kid.String(), strings.TrimRight(kid.String(), "="), base64.URLEncoding.EncodeToString(kid[:]), ""} {
			s, err := ParseSignerCertificate(body, announced)
			if err != nil || s.KID != kid {
				t.Errorf("%s, kid %q: %v", name, announced, err)
			}
		}
	}
	other := verify.ComputeKID(fixtures.Load(t).Signers["ps256"].CertDER).String()
	for _, c := range []struct {
		body, kid, want string
	}{
		{b64, other, "announced kid " + other + " does not match the certificate's kid " + kid.String()},
		{b64, "abc", `announced kid "abc" is not base64 of 8 bytes`},
		{"", "", "empty certificate"},
		{"!!!!", "", "not base64 DER"},
		{base64.StdEncoding.EncodeToString([]byte("not DER")), "", "does not parse"},
		{"-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n", "", "no CERTIFICATE block"},
	} {
		if _, err := ParseSignerCertificate([]byte(c.body), c.kid); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseSignerCertificate(%.20q, %q) = %v, want %q", c.body, c.kid, err, c.want)
		}
	}
}

// A token that does not advance would loop for ever: an error. An answer
// with no token to continue from is the last.
func TestSignerLoopGuards(t *testing.T) {
	der := fixtures.Load(t).Signers["es256"].CertDER
	for _, token := range []string{"same", ""} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if token != "" {
				w.Header().Set("X-Resume-Token", token)
			}
			w.Write([]byte(base64.StdEncoding.EncodeToString(der)))
		}))
		signers, _, err := newClient(t, Config{BaseURL: srv.URL}).SignerCertificates(context.Background())
		switch {
		case token != "" && (err == nil || !strings.Contains(err.Error(), `x-resume-token "same" did not advance`)):
			t.Errorf("token that does not advance: %v", err)
		case token == "" && (err != nil || len(signers) != 1):
			t.Errorf("no token: %d signers, %v", len(signers), err)
		}
		srv.Close()
	}
}

func TestParseStatus(t *testing.T) {
	kids, err := ParseStatus([]byte(`["5EiHqluGAm4=", "NAyCKly+hCg", "not a kid", "AAAAAAAAAAAAAAAAAAAAAA=="]`))
	if err != nil || len(kids) != 2 {
		t.Fatalf("ParseStatus = %v, %v; want the two 8-byte kids", kids, err)
	}
	for _, bad := range []string{`{"kids":[]}`, `[1,2]`, ``, `["a"] x`} {
		if _, err := ParseStatus([]byte(bad)); err == nil {
			t.Errorf("ParseStatus(%q) accepted", bad)
		}
	}
}
