package verify_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/veraison/go-cose"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/issue"
)

// Every generated case, under every mode it states an expectation for.
func TestFixtureCases(t *testing.T) {
	set := fixtures.Load(t)
	v := set.Verifier()
	modes := map[verify.Mode]int{}
	for _, c := range set.Cases {
		for mode, want := range c.Expect {
			modes[mode]++
			got := v.Check(c.Text, mode, fixtures.Ref)
			if got.Status != want.Status || got.Stage != want.Stage {
				t.Errorf("%s (%s) in %s mode: got %s at stage %q (%s), want %s at stage %q",
					c.Name, c.About, mode, got.Status, got.Stage, got.Detail, want.Status, want.Stage)
			}
			if got.Admit != (got.Status == verify.StatusValid) {
				t.Errorf("%s: admit %v with status %s", c.Name, got.Admit, got.Status)
			}
			if (got.Status == verify.StatusValid) != (got.Stage == verify.StageNone && got.Detail == "") {
				t.Errorf("%s: status %s at stage %q with detail %q", c.Name, got.Status, got.Stage, got.Detail)
			}
			// The person is known whenever the content was read.
			readContent := got.Stage == verify.StageNone || got.Stage == verify.StageExpiry ||
				got.Stage == verify.StageKeyUsage || got.Stage == verify.StageRevoked || got.Stage == verify.StageRules
			id, ok := got.Person.Reveal()
			if readContent && (!ok || id.FamilyName != c.Person.FamilyName || id.GivenName != c.Person.GivenName || id.DateOfBirth != c.Person.DOB) {
				t.Errorf("%s: person not revealed after reading the content (stage %q)", c.Name, got.Stage)
			}
			if !readContent && ok {
				t.Errorf("%s: person revealed although the certificate was refused at %s", c.Name, got.Stage)
			}
			got.Person.Wipe()
		}
	}
	if modes[verify.ModeSchool] < 40 {
		t.Errorf("only %d school-mode cases", modes[verify.ModeSchool])
	}
}

// The reasons never carry the person's data.
func TestReasonsCarryNoPersonalData(t *testing.T) {
	set := fixtures.Load(t)
	v := set.Verifier()
	for _, c := range set.Cases {
		for _, mode := range []verify.Mode{verify.ModeSchool, verify.Mode3G, verify.Mode2G, verify.ModeBooster} {
			got := v.Check(c.Text, mode, fixtures.Ref)
			texts := []string{string(got.Reason), got.Detail}
			for _, s := range texts {
				for _, secret := range []string{c.Person.FamilyName, c.Person.GivenName, c.Person.DOB, c.UVCI, "PROVA", "GIULIA"} {
					if secret != "" && strings.Contains(strings.ToUpper(s), strings.ToUpper(secret)) {
						t.Errorf("%s/%s: %q contains personal data", c.Name, mode, s)
					}
				}
			}
		}
	}
}

// Stale trust data refuses everything, before any decoding.
func TestStaleTrustDataRefuses(t *testing.T) {
	set := fixtures.Load(t)
	v := verify.New(verify.Options{Trust: set.Trust, Fresh: func(time.Time) error { return errors.New("keys 30 hours old") }})
	got := v.Check(set.Case("booster-3of3").Text, verify.ModeSchool, fixtures.Ref)
	if got.Admit || got.Stage != verify.StageTrustData || got.Reason != verify.ReasonStaleData || got.Person != nil {
		t.Fatalf("stale data verdict: %+v", got)
	}
}

// A tampered payload (a byte of the DCC changed after signing) fails the
// signature, whatever the change.
func TestTamperedPayloadFailsSignature(t *testing.T) {
	set := fixtures.Load(t)
	sg := set.Signers["es256"]
	msg, err := issue.Sign1(sg, fixtures.Vaccination("EU/1/20/1528", 3, 3, -30, "IT"), fixtures.DefaultClaims(), issue.Encoding{})
	if err != nil {
		t.Fatal(err)
	}
	v := set.Verifier()
	for i := len(msg) - 64 - 40; i < len(msg)-64; i++ {
		m := append([]byte(nil), msg...)
		m[i] ^= 0x20
		got := v.Check("HC1:"+verify.Base45Encode(m), verify.ModeSchool, fixtures.Ref)
		if got.Admit {
			t.Fatalf("byte %d changed and still admitted", i)
		}
	}
}

// The protected alg chooses the hash and the key the curve (the cases
// es256-on-p384 and friends are admitted); an algorithm of the other
// family, a signature not of the curve's length, or an unprotected alg that
// is not the key's own is refused, and the detail says which.
func TestAlgorithmAndKey(t *testing.T) {
	set := fixtures.Load(t)
	for _, c := range []struct {
		name          string
		signWith, kid string // the key that signs, the signer whose kid is announced
		enc           issue.Encoding
		want          string
	}{
		{"PS256 on an EC key", "ps256", "es256", issue.Encoding{},
			"message says algorithm PS256, not ECDSA (ES256, ES384 or ES512), but the signer's key is ECDSA on P-256"},
		{"ES256 on an RSA key", "es256", "ps256", issue.Encoding{},
			"message says algorithm ES256, but the signer's key is RSA, which verifies only PS256"},
		{"a P-256 signature for a P-384 key", "es256", "p384", issue.Encoding{},
			"ECDSA signature is 64 bytes; on the signer's P-384 key r‖s is 96"},
		{"unprotected ES384 on a P-256 key", "es256", "es256", issue.Encoding{AlgUnprotected: true, Alg: cose.AlgorithmES384},
			"unprotected header says algorithm ES384; without alg in the protected header only the signer's own ES256 is accepted"},
	} {
		sg := *set.Signers[c.signWith]
		sg.CertDER = set.Signers[c.kid].CertDER
		text, err := issue.HC1(&sg, fixtures.Vaccination("EU/1/20/1528", 3, 3, -30, "IT"), fixtures.DefaultClaims(), c.enc)
		if err != nil {
			t.Fatal(err)
		}
		got := set.Verifier().Check(text, verify.ModeSchool, fixtures.Ref)
		if got.Admit || got.Stage != verify.StageSignature || !strings.Contains(got.Detail, c.want) {
			t.Errorf("%s: verdict %s at %s: %s", c.name, got.Status, got.Stage, got.Detail)
		}
	}
}
