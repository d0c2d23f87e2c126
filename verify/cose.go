package verify

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/veraison/go-cose"
)

// KIDLen is the length of a DCC key identifier: the first 8 bytes of the
// SHA-256 of the signer certificate's DER.
const KIDLen = 8

// KID identifies a signer certificate.
type KID [KIDLen]byte

// cwtTagPrefix is CBOR tag 61 (CWT), which some issuers wrap around the
// COSE_Sign1 tag 18.
var cwtTagPrefix = []byte{0xd8, 0x3d}

// message is a parsed COSE_Sign1.
type message struct {
	sign1 cose.Sign1Message
	// alg is the header's algorithm, from the protected header or, failing
	// that, the unprotected one (see verifySignature for the policy).
	alg        cose.Algorithm
	algPresent bool
	// algProtected is true when alg came from the protected header, which
	// the signature covers.
	algProtected bool
}

// parseCOSE reads a COSE_Sign1 message in any of the three encodings seen in
// the wild: tag 18 (d2 84 …), untagged (84 …), and tag 61 around tag 18
// (d8 3d d2 …).
func parseCOSE(b []byte) (*message, *refusal) {
	if bytes.HasPrefix(b, cwtTagPrefix) {
		b = b[len(cwtTagPrefix):]
	}
	m := &message{}
	var err error
	switch {
	case len(b) > 0 && b[0] == 0xd2:
		err = m.sign1.UnmarshalCBOR(b)
	case len(b) > 0 && b[0] == 0x84:
		var u cose.UntaggedSign1Message
		err = u.UnmarshalCBOR(b)
		m.sign1 = cose.Sign1Message(u)
	default:
		return nil, fail(StageCOSE, StatusNotEUDCC, ReasonUnreadable, nil,
			"not a COSE_Sign1 message (first byte 0x%02x; want tag 18, 61 or an array of 4)", firstByte(b))
	}
	if err != nil {
		return nil, fail(StageCOSE, StatusNotEUDCC, ReasonUnreadable, err, "malformed COSE_Sign1: %v", err)
	}
	if m.sign1.Payload == nil {
		return nil, fail(StageCOSE, StatusNotEUDCC, ReasonUnreadable, nil, "COSE_Sign1 has no payload")
	}
	m.alg, m.algPresent, m.algProtected = findAlgorithm(m.sign1.Headers)
	return m, nil
}

func firstByte(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// findKID returns the kid of the protected header, else the unprotected one.
// A wrong unprotected kid is thus ignored when the protected one is right,
// and a wrong protected kid is never rescued by the unprotected one (EU
// conformance vectors CO21 and CO22).
func findKID(h cose.Headers) ([]byte, *refusal) {
	for _, bucket := range []struct {
		name   string
		params map[any]any
	}{{"protected", h.Protected}, {"unprotected", h.Unprotected}} {
		v, ok := bucket.params[cose.HeaderLabelKeyID]
		if !ok {
			continue
		}
		kid, ok := v.([]byte)
		if !ok {
			return nil, fail(StageKID, StatusNotValid, ReasonUnknownSigner, nil,
				"kid in the %s header is a %T, not a byte string", bucket.name, v)
		}
		if len(kid) == 0 {
			return nil, fail(StageKID, StatusNotValid, ReasonUnknownSigner, nil, "kid in the %s header is empty", bucket.name)
		}
		return kid, nil
	}
	return nil, fail(StageKID, StatusNotValid, ReasonUnknownSigner, nil, "no kid in either header")
}

// findAlgorithm returns alg from the protected header, else the unprotected
// one, and whether it was found and whether it was the protected one.
func findAlgorithm(h cose.Headers) (alg cose.Algorithm, present, protected bool) {
	if alg, err := h.Protected.Algorithm(); err == nil {
		return alg, true, true
	}
	v, ok := h.Unprotected[cose.HeaderLabelAlgorithm]
	if !ok {
		return 0, false, false
	}
	switch a := v.(type) {
	case int64:
		return cose.Algorithm(a), true, false
	case uint64:
		if a <= 1<<62 {
			return cose.Algorithm(a), true, false
		}
	}
	return 0, false, false
}

// verifySignature checks the message against one signer.
//
// Policy on alg, as the EU reference verifier (dgca-app-core-android) has
// it: the hash comes from the message's alg and the curve from the key, so
// an ES256 signature made with a P-384 key (SHA-256, raw r‖s of 96 bytes)
// verifies, and so does ES384 or ES512 on any of the three curves. That is
// safe only when alg is in the protected header, which the signature
// covers: nobody can change it without breaking the signature. An
// algorithm of the other family (ES* on an RSA key, PS* or RS* on an EC
// key) is refused.
//
// go-cose refuses a message whose protected header lacks alg; one EU test
// vector (and some early issuers) put alg only in the unprotected header,
// which anyone can edit. We accept that case only when the unprotected alg
// names exactly the algorithm the trusted key dictates (Signer.Algorithm):
// an attacker who edits it gains nothing, because the key, not the header,
// then decides how the signature is checked, and the signed bytes
// (protected header and payload) are verified unchanged.
func verifySignature(m *message, s *Signer) error {
	if !m.algPresent {
		return errors.New("no algorithm in either header")
	}
	msg := &m.sign1
	if !m.algProtected {
		if m.alg != s.alg {
			return fmt.Errorf("unprotected header says algorithm %v; without alg in the protected header only the signer's own %v is accepted", m.alg, s.alg)
		}
		// Tell go-cose which algorithm the key dictates; the raw protected
		// bytes, which are what the signature covers, stay exactly as
		// received.
		copyMsg := *msg
		copyMsg.Headers.Protected = cose.ProtectedHeader{cose.HeaderLabelAlgorithm: s.alg}
		msg = &copyMsg
	}
	v, err := s.verifierFor(m.alg)
	if err != nil {
		return err
	}
	if s.sigLen != 0 && len(msg.Signature) != s.sigLen {
		return fmt.Errorf("ECDSA signature is %d bytes; on the signer's %s key r‖s is %d", len(msg.Signature), s.keyName, s.sigLen)
	}
	return msg.Verify(nil, v)
}
