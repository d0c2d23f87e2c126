package verify_test

import (
	"errors"
	"strings"
	"testing"
	"time"

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
					c.Name, c.About, mode, got.Status, got.Stage, got.Detail(), want.Status, want.Stage)
			}
			if got.Admit != (got.Status == verify.StatusValid) {
				t.Errorf("%s: admit %v with status %s", c.Name, got.Admit, got.Status)
			}
			if (got.Status == verify.StatusValid) != (got.Err == nil) {
				t.Errorf("%s: status %s with error %v", c.Name, got.Status, got.Err)
			}
			if got.Err != nil && !errors.Is(got.Err, &verify.Error{Stage: got.Stage}) {
				t.Errorf("%s: errors.Is does not match the stage %s", c.Name, got.Stage)
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
			texts := []string{string(got.Reason), got.Detail()}
			if got.Err != nil {
				texts = append(texts, got.Err.Error())
			}
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

// A key from the trust store refuses a message that claims another
// algorithm in its header.
func TestAlgorithmMustMatchTheKey(t *testing.T) {
	set := fixtures.Load(t)
	// Sign with the RSA key but announce the EC signer's kid: the kid finds
	// the EC key, whose algorithm the header contradicts.
	rsa := *set.Signers["ps256"]
	rsa.CertDER = set.Signers["es256"].CertDER
	text, err := issue.HC1(&rsa, fixtures.Vaccination("EU/1/20/1528", 3, 3, -30, "IT"), fixtures.DefaultClaims(), issue.Encoding{})
	if err != nil {
		t.Fatal(err)
	}
	got := set.Verifier().Check(text, verify.ModeSchool, fixtures.Ref)
	if got.Admit || got.Stage != verify.StageSignature || !strings.Contains(got.Detail(), "algorithm") {
		t.Fatalf("verdict %s at %s: %s", got.Status, got.Stage, got.Detail())
	}
}
