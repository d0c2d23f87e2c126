package verify

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/scuola/kiosk/testdata/dgcvectors"
)

// The EU conformance vectors (dgc-testdata): every */2DCode/raw/*.json is
// run at its VALIDATIONCLOCK, and every EXPECTED* flag it carries for a
// stage of this package is compared with what the pipeline does at that
// stage. A flag that is absent is not tested; false means the stage must
// fail.
//
// Quirks of the file format are handled in testdata/dgcvectors. Two files
// need a word here:
//   - common/CO11's DESCRIPTION says "VALID" for a test certificate signed
//     by a recovery-only signer; its EXPECTEDKEYUSAGE false is what the key
//     usage rules give, and what the harness checks.
//   - common/Z2 ("Not compressed") expects the compression step to fail.
//     The product deliberately accepts uncompressed payloads (some issuers
//     omit zlib; certificates.md), so the compression flag is judged on
//     "the payload was a valid zlib stream", which Z2's is not.

// conformanceFlags are the flags of this package's stages, in pipeline order.
var conformanceFlags = []string{
	"EXPECTEDUNPREFIX", "EXPECTEDB45DECODE", "EXPECTEDCOMPRESSION", "EXPECTEDDECODE",
	"EXPECTEDVERIFY", "EXPECTEDEXPIRATIONCHECK", "EXPECTEDKEYUSAGE",
}

// stageOutcome runs the pipeline on a vector and reports, per flag, whether
// that stage passed.
func stageOutcome(v *dgcvectors.Vector) (map[string]bool, string) {
	got := map[string]bool{}
	var notes []string
	at, err := v.Clock()
	if err != nil {
		return got, err.Error()
	}
	trust := NewTrustStore()
	var signer *Signer
	der, err := v.SignerDER()
	if err == nil {
		signer, err = NewSigner(der)
	}
	if err != nil {
		notes = append(notes, "signer: "+err.Error())
	} else {
		trust.Add(signer)
	}
	ver := New(Options{Trust: trust})

	// The first stages come from the real unwrap of the QR text.
	u, uerr := unwrap(v.Prefix, new(scratch))
	got["EXPECTEDUNPREFIX"] = uerr == nil || uerr.Stage != StagePrefix
	got["EXPECTEDB45DECODE"] = uerr == nil || (uerr.Stage != StagePrefix && uerr.Stage != StageBase45)
	got["EXPECTEDCOMPRESSION"] = uerr == nil && u.compressed
	if uerr != nil {
		notes = append(notes, uerr.Error())
	}

	// The later stages run on the COSE bytes: from the QR text when it
	// unwraps, else from the file's COSE field (files that test only a
	// later stage may carry a broken or absent prefix).
	coseBytes := u.cose
	if uerr != nil {
		coseBytes, _ = hex.DecodeString(v.COSE)
	}
	msg, cerr := parseCOSE(coseBytes)
	var claims *cwtClaims
	if cerr == nil {
		claims, cerr = parseCWT(msg.sign1.Payload)
	}
	got["EXPECTEDDECODE"] = cerr == nil
	if cerr != nil {
		// Nothing later can pass on a message that does not decode.
		for _, f := range []string{"EXPECTEDVERIFY", "EXPECTEDEXPIRATIONCHECK", "EXPECTEDKEYUSAGE"} {
			got[f] = false
		}
		notes = append(notes, cerr.Error())
		return got, strings.Join(notes, "; ")
	}

	verified := false
	if signers, err := ver.signersFor(msg); err != nil {
		notes = append(notes, err.Error())
	} else if s, err := verifyWithAny(msg, signers); err != nil {
		notes = append(notes, err.Error())
	} else if err := checkSignerAtIssue(claims, s); err != nil {
		notes = append(notes, err.Error())
	} else {
		verified = true
	}
	got["EXPECTEDVERIFY"] = verified

	eerr := checkExpiry(claims, at)
	got["EXPECTEDEXPIRATIONCHECK"] = eerr == nil
	if eerr != nil {
		notes = append(notes, eerr.Error())
	}

	_, kind, derr := parseDCC(claims.HCert.DCC)
	switch {
	case kind == KindUnknown:
		notes = append(notes, "no certificate group for the key-usage check")
	case signer == nil:
	default:
		got["EXPECTEDKEYUSAGE"] = signer.MaySign(kind)
	}
	if derr != nil {
		notes = append(notes, derr.Error())
	}
	return got, strings.Join(notes, "; ")
}

func TestConformance(t *testing.T) {
	vectors := dgcvectors.Load(t)
	type tally struct{ files, agree, disagree int }
	byCountry := map[string]*tally{}
	for _, v := range vectors {
		c := byCountry[v.Country]
		if c == nil {
			c = &tally{}
			byCountry[v.Country] = c
		}
		c.files++
		got, notes := stageOutcome(v)
		var bad []string
		for _, f := range conformanceFlags {
			want, ok := v.Expected[f]
			if !ok {
				continue
			}
			if g, ok := got[f]; !ok || g != want {
				bad = append(bad, fmt.Sprintf("%s want %v got %v", strings.TrimPrefix(f, "EXPECTED"), want, g))
			}
		}
		if len(bad) > 0 {
			c.disagree++
			t.Errorf("%s (%s): %s [%s]", v.Path, v.Ctx.Description, strings.Join(bad, ", "), notes)
		} else {
			c.agree++
		}
	}
	countries := make([]string, 0, len(byCountry))
	for c := range byCountry {
		countries = append(countries, c)
	}
	sort.Strings(countries)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-8s %6s %8s %11s\n", "country", "files", "agreeing", "disagreeing")
	var total tally
	for _, c := range countries {
		x := byCountry[c]
		fmt.Fprintf(&b, "%-8s %6d %8d %11d\n", c, x.files, x.agree, x.disagree)
		total.files += x.files
		total.agree += x.agree
		total.disagree += x.disagree
	}
	fmt.Fprintf(&b, "%-8s %6d %8d %11d\n", "total", total.files, total.agree, total.disagree)
	t.Log(b.String())
}
