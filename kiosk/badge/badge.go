// Package badge makes and checks the delegates' badges: a QR code that the
// head teacher prints for each delegation (Allegato A) and that unlocks the
// kiosk. A badge is a COSE_Sign1 message signed with the school's own key
// and carrying the delegation's id, the delegate's name and role and the
// delegation's end date; it is staff data, never a pupil's.
package badge

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/veraison/go-cose"

	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/issue"
)

// Prefix starts every badge's QR text, so that the kiosk tells a badge from
// a certificate ("HC1:") before anything else.
const Prefix = "KB1:"

// MaxTextLen bounds a badge text; a real one is about 300 characters.
const MaxTextLen = 2048

// Badge is the content of a delegation badge.
type Badge struct {
	DelegationID string       `cbor:"1,keyasint"`
	Name         string       `cbor:"2,keyasint"`
	Role         string       `cbor:"3,keyasint"`
	ValidUntil   calendar.Day `cbor:"4,keyasint"`
	SchoolCode   string       `cbor:"5,keyasint"`
}

// IsBadge reports whether a QR text is a badge (by its prefix).
func IsBadge(text string) bool { return strings.HasPrefix(text, Prefix) }

// Issue signs a badge with the school's key and returns its QR text.
func Issue(school *issue.Signer, b Badge) (string, error) {
	if b.DelegationID == "" || b.Name == "" {
		return "", errors.New("a badge needs a delegation id and a name")
	}
	payload, err := cbor.Marshal(b)
	if err != nil {
		return "", err
	}
	msg, err := issue.SignPayload(school, payload, issue.Encoding{})
	if err != nil {
		return "", err
	}
	return Prefix + verify.Base45Encode(msg), nil
}

// NewSchoolKey makes the school's badge key: ES256 with a self-signed
// certificate valid for years (1 to 20) from now. The key stays on the head
// teacher's machine; the certificate goes to every kiosk.
func NewSchoolKey(schoolName string, years int, now time.Time) (*issue.Signer, error) {
	if years < 1 || years > 20 {
		return nil, fmt.Errorf("validity of %d years: want 1 to 20", years)
	}
	return issue.NewSigner(issue.SignerSpec{CommonName: schoolName + " — badge di delega", Country: "IT", Key: issue.ES256,
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(years, 0, 0)})
}

// Checker verifies badges against the school's certificate.
type Checker struct {
	kid      verify.KID
	verifier cose.Verifier
	alg      cose.Algorithm
}

// NewChecker prepares the check of badges signed by the school's key, given
// its certificate (DER).
func NewChecker(certDER []byte) (*Checker, error) {
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, fmt.Errorf("school certificate: %w", err)
	}
	s, err := verify.NewSigner(certDER)
	if err != nil {
		return nil, err
	}
	v, err := cose.NewVerifier(s.Algorithm(), cert.PublicKey.(crypto.PublicKey))
	if err != nil {
		return nil, err
	}
	return &Checker{kid: s.KID, verifier: v, alg: s.Algorithm()}, nil
}

// LoadChecker reads the school's certificate from a PEM file (the kiosk's
// [badges] cert) and prepares the check of its badges.
func LoadChecker(path string) (*Checker, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("badge certificate: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("badge certificate %s: not a PEM certificate", path)
	}
	c, err := NewChecker(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("badge certificate %s: %w", path, err)
	}
	return c, nil
}

// Errors of Check, in English for logs and tools; the entrance session
// tells them apart with errors.Is and shows the delegate its own words
// (kiosk/lang).
var (
	ErrNotBadge  = errors.New("not a delegation badge")
	ErrForged    = errors.New("badge not signed by this school")
	ErrExpired   = errors.New("delegation expired")
	ErrMalformed = errors.New("badge unreadable")
)

// Open verifies a COSE_Sign1 message signed with the school's key and
// returns its payload: a badge's, or the school data the office sends its
// kiosks (kiosk/bundle), which the same key signs. The error wraps
// ErrMalformed for a message that does not parse, ErrForged for one this
// school did not sign.
func (c *Checker) Open(raw []byte) ([]byte, error) {
	var msg cose.Sign1Message
	if err := msg.UnmarshalCBOR(raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	kid, _ := msg.Headers.Protected[cose.HeaderLabelKeyID].([]byte)
	if string(kid) != string(c.kid[:]) {
		return nil, ErrForged
	}
	if err := msg.Verify(nil, c.verifier); err != nil {
		return nil, ErrForged
	}
	return msg.Payload, nil
}

// Check verifies a badge's signature and its end date against the day.
// Whether the delegation is still on the head teacher's list is the
// kiosk's check, which holds the list.
func (c *Checker) Check(text string, today calendar.Day) (Badge, error) {
	if !IsBadge(text) {
		return Badge{}, ErrNotBadge
	}
	if len(text) > MaxTextLen {
		return Badge{}, fmt.Errorf("%w: %d characters", ErrMalformed, len(text))
	}
	raw, err := verify.Base45Decode(text[len(Prefix):])
	if err != nil {
		return Badge{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	payload, err := c.Open(raw)
	if err != nil {
		return Badge{}, err
	}
	var b Badge
	dec, _ := cbor.DecOptions{DupMapKey: cbor.DupMapKeyEnforcedAPF, MaxMapPairs: 16, MaxNestedLevels: 4}.DecMode()
	if err := dec.Unmarshal(payload, &b); err != nil {
		return Badge{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if b.DelegationID == "" {
		return Badge{}, fmt.Errorf("%w: no delegation id", ErrMalformed)
	}
	if today > b.ValidUntil {
		return b, ErrExpired
	}
	return b, nil
}
