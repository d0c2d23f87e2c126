package verify

import (
	"crypto/sha256"
	"strconv"
	"time"

	"github.com/scuola/kiosk/privacy"
)

// RevocationList answers whether a certificate identifier is revoked. The
// Italian list holds SHA-256 hashes of UVCIs, never the UVCIs themselves.
type RevocationList interface {
	RevokedHash(sum *[sha256.Size]byte) bool
}

// Options are the trust data a Verifier works from.
type Options struct {
	// Trust holds the signer certificates. Nil trusts nobody: every
	// certificate fails at the kid stage.
	Trust *TrustStore
	// Settings are the rules; nil means DefaultSettings.
	Settings *Settings
	// Revoked is the revocation list; nil means none.
	Revoked RevocationList
	// Fresh reports whether the trust data may still be used at an instant;
	// when it returns an error, every certificate is refused at
	// StageTrustData with "dati di verifica non aggiornati". Nil means the
	// data never goes stale (files given on the command line).
	Fresh func(instant time.Time) error
}

// Verifier checks certificates against one set of trust data. It is safe
// for concurrent use. To refresh the data, build a new Verifier.
type Verifier struct {
	o Options
}

// New returns a Verifier for the trust data.
func New(o Options) *Verifier {
	if o.Settings == nil {
		o.Settings = builtin
	}
	if o.Trust == nil {
		o.Trust = NewTrustStore()
	}
	return &Verifier{o: o}
}

// Settings returns the rules in use.
func (v *Verifier) Settings() *Settings { return v.o.Settings }

// Check verifies the text of a QR code at the given instant under a scan
// mode, and returns the verdict. It never panics and never reads the clock.
// The verdict's Person, when set, must be wiped by the caller when it is no
// longer displayed.
func (v *Verifier) Check(text string, mode Mode, instant time.Time) Verdict {
	if v.o.Fresh != nil {
		if err := v.o.Fresh(instant); err != nil {
			return verdictFromError(fail(StageTrustData, StatusNotValid, ReasonStaleData, err, "%v", err), nil, KindUnknown)
		}
	}
	sc := scratches.Get().(*scratch)
	defer scratches.Put(sc)
	r := v.check(text, mode, instant, sc)
	return r.verdict()
}

// result is what the pipeline learned, stage by stage; the conformance
// harness reads it to judge each stage on its own.
type result struct {
	passed     Stage // the last stage passed
	err        *refusal
	compressed bool
	kind       Kind
	person     *privacy.Person
	signer     *Signer
}

func (r *result) verdict() Verdict {
	if r.err != nil {
		return verdictFromError(r.err, r.person, r.kind)
	}
	return Verdict{Status: StatusValid, Admit: true, Reason: ReasonValid, Person: r.person, Kind: r.kind}
}

// check runs the pipeline. Every stage that succeeds is recorded in passed,
// so that a refusal says exactly how far the certificate got.
func (v *Verifier) check(text string, mode Mode, instant time.Time, sc *scratch) (r result) {
	u, err := unwrap(text, sc)
	if err != nil {
		r.err = err
		return r
	}
	r.compressed, r.passed = u.compressed, StageZlib

	msg, err := parseCOSE(u.cose)
	if err != nil {
		r.err = err
		return r
	}
	r.passed = StageCOSE

	signers, err := v.signersFor(msg)
	if err != nil {
		r.err = err
		return r
	}
	r.passed = StageKID

	r.signer, r.err = verifyWithAny(msg, signers)
	if r.err != nil {
		return r
	}
	r.passed = StageSignature

	claims, err := parseCWT(msg.sign1.Payload)
	if err != nil {
		r.err = err
		return r
	}
	if r.err = checkSignerAtIssue(claims, r.signer); r.err != nil {
		return r
	}
	r.passed = StageCBOR

	dcc, kind, err := parseDCC(claims.HCert.DCC)
	r.kind = kind
	if dcc != nil {
		r.person = personOf(dcc)
	}
	if err != nil {
		r.err = err
		return r
	}
	r.passed = StageSchema

	if r.err = checkExpiry(claims, instant); r.err != nil {
		return r
	}
	r.passed = StageExpiry

	if !r.signer.MaySign(kind) {
		r.err = fail(StageKeyUsage, StatusNotValid, ReasonKeyUsage, nil, "signer %s may not sign %s certificates", r.signer.KID, kind)
		return r
	}
	r.passed = StageKeyUsage

	if r.err = v.checkRevoked(dcc); r.err != nil {
		return r
	}
	r.passed = StageRevoked

	if r.err = applyRules(dcc, kind, r.signer, v.o.Settings, mode, instant); r.err != nil {
		return r
	}
	r.passed = StageRules
	return r
}

// signersFor resolves the message's kid to the trusted signers that carry
// it.
func (v *Verifier) signersFor(msg *message) ([]*Signer, *refusal) {
	kid, err := findKID(msg.sign1.Headers)
	if err != nil {
		return nil, err
	}
	signers := v.o.Trust.Lookup(kid)
	if len(signers) == 0 {
		return nil, fail(StageKID, StatusNotValid, ReasonUnknownSigner, nil, "no trusted signer has kid %s", kidString(kid))
	}
	return signers, nil
}

func kidString(kid []byte) string {
	if len(kid) == KIDLen {
		return KID(kid).String()
	}
	return "of " + strconv.Itoa(len(kid)) + " bytes"
}

// verifyWithAny tries every signer with the message's kid.
//
// The signer certificate's validity period is not compared with the instant
// of the check: signer certificates expire while the certificates they
// signed stay valid (the EU vectors verify against signers long expired).
// What is refused is a certificate issued after its signer had expired
// (see checkSignerAtIssue).
func verifyWithAny(msg *message, signers []*Signer) (*Signer, *refusal) {
	var lastErr error
	for _, s := range signers {
		err := verifySignature(msg, s)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	return nil, fail(StageSignature, StatusNotValid, ReasonBadSignature, lastErr, "signature does not verify: %v", lastErr)
}

// checkSignerAtIssue refuses a certificate whose issued-at lies after its
// signer certificate's expiry: a retired key must not sign. (An iat before
// the signer's notBefore is accepted: issuers backdate iat, and the EU
// vectors do.)
func checkSignerAtIssue(c *cwtClaims, s *Signer) *refusal {
	if c.IssuedAt.present && time.Unix(c.IssuedAt.sec, 0).After(s.Cert.NotAfter) {
		return fail(StageSignature, StatusNotValid, ReasonSignerExpired, nil,
			"issued after its signer certificate (kid %s) expired", s.KID)
	}
	return nil
}

// checkExpiry compares the instant with the CWT's issued-at and expiration.
func checkExpiry(c *cwtClaims, instant time.Time) *refusal {
	exp, hasExp := c.Expiry.sec, c.Expiry.present
	iat, hasIat := c.IssuedAt.sec, c.IssuedAt.present
	now := instant.Unix()
	if hasIat && now < iat {
		return fail(StageExpiry, StatusNotValidYet, ReasonCertNotYet, nil, "issued at %s, after the instant of the check",
			time.Unix(iat, 0).UTC().Format(time.RFC3339))
	}
	if !hasExp {
		return fail(StageExpiry, StatusNotValid, ReasonUnreadable, nil, "CWT has no expiration (claim 4)")
	}
	if now > exp {
		return fail(StageExpiry, StatusExpired, ReasonCertExpired, nil, "CWT expired at %s", time.Unix(exp, 0).UTC().Format(time.RFC3339))
	}
	return nil
}

// checkRevoked looks the UVCI up in the revocation list (by hash) and in the
// settings' plain blacklist.
func (v *Verifier) checkRevoked(d *DCC) *refusal {
	ci := d.UVCI()
	if ci == "" {
		return nil
	}
	if v.o.Settings.BlackListUVCI[ci] {
		return fail(StageRevoked, StatusRevoked, ReasonRevoked, nil, "certificate identifier is on the settings' blacklist")
	}
	if v.o.Revoked != nil {
		sum := sha256.Sum256([]byte(ci))
		if v.o.Revoked.RevokedHash(&sum) {
			return fail(StageRevoked, StatusRevoked, ReasonRevoked, nil, "certificate identifier is on the revocation list")
		}
	}
	return nil
}

// personOf copies the name and date of birth into a privacy holder. The
// national-character name is shown when present, else the standardised one.
func personOf(d *DCC) *privacy.Person {
	fam, giv := d.Nam.FN, d.Nam.GN
	if fam == "" && giv == "" {
		fam, giv = d.Nam.FNT, d.Nam.GNT
	}
	return privacy.NewPerson(fam, giv, d.DOB)
}
