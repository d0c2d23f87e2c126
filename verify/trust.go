package verify

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/veraison/go-cose"
)

// The extended-key-usage OIDs that restrict what a signer may sign, in the
// two spellings issuers used.
var (
	oidTest        = []asn1.ObjectIdentifier{{1, 3, 6, 1, 4, 1, 1847, 2021, 1, 1}, {1, 3, 6, 1, 4, 1, 0, 1847, 2021, 1, 1}}
	oidVaccination = []asn1.ObjectIdentifier{{1, 3, 6, 1, 4, 1, 1847, 2021, 1, 2}, {1, 3, 6, 1, 4, 1, 0, 1847, 2021, 1, 2}}
	oidRecovery    = []asn1.ObjectIdentifier{{1, 3, 6, 1, 4, 1, 1847, 2021, 1, 3}, {1, 3, 6, 1, 4, 1, 0, 1847, 2021, 1, 3}}
)

// usage is the set of kinds a signer may sign.
type usage uint8

const (
	usageTest usage = 1 << iota
	usageVaccination
	usageRecovery
)

// Signer is a trusted document signer certificate, parsed once so that a
// check costs only the signature itself.
type Signer struct {
	Cert *x509.Certificate
	KID  KID
	// alg is the algorithm the key dictates: ES256, ES384 or ES512 by curve,
	// PS256 for RSA.
	alg cose.Algorithm
	// verifiers are go-cose's verifiers for the key, built once, by the
	// algorithms a protected header may name for it: the three ECDSA hashes
	// for an EC key (see verifySignature), PS256 for RSA.
	verifiers map[cose.Algorithm]cose.Verifier
	// keyName names the key in errors: its curve, or "RSA".
	keyName string
	// sigLen is an ECDSA signature's length on the key's curve (r‖s, twice
	// the curve's byte size); 0 for RSA.
	sigLen int
	// restricted is true when the certificate lists any DCC key-usage OID;
	// it may then sign only the kinds in allowed.
	restricted bool
	allowed    usage
}

// ComputeKID is the DCC key identifier of a certificate: the first 8 bytes
// of the SHA-256 of its DER.
func ComputeKID(der []byte) KID {
	sum := sha256.Sum256(der)
	var k KID
	copy(k[:], sum[:KIDLen])
	return k
}

// String is the kid in the base64 form the gateways use.
func (k KID) String() string { return base64.StdEncoding.EncodeToString(k[:]) }

// NewSigner parses a DER certificate and prepares its key.
func NewSigner(der []byte) (*Signer, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("signer certificate does not parse: %w", err)
	}
	s := &Signer{Cert: cert, KID: ComputeKID(der)}
	if s.alg, err = KeyAlgorithm(cert.PublicKey); err != nil {
		return nil, fmt.Errorf("signer %s: %w", s.KID, err)
	}
	s.keyName = "RSA"
	algs := []cose.Algorithm{cose.AlgorithmPS256}
	if k, ok := cert.PublicKey.(*ecdsa.PublicKey); ok {
		s.keyName = k.Curve.Params().Name
		s.sigLen = 2 * ((k.Curve.Params().N.BitLen() + 7) / 8)
		algs = []cose.Algorithm{cose.AlgorithmES256, cose.AlgorithmES384, cose.AlgorithmES512}
	}
	s.verifiers = make(map[cose.Algorithm]cose.Verifier, len(algs))
	for _, alg := range algs {
		if s.verifiers[alg], err = cose.NewVerifier(alg, cert.PublicKey); err != nil {
			return nil, fmt.Errorf("signer %s: %w", s.KID, err)
		}
	}
	for _, oid := range cert.UnknownExtKeyUsage {
		switch {
		case hasOID(oidTest, oid):
			s.allowed |= usageTest
		case hasOID(oidVaccination, oid):
			s.allowed |= usageVaccination
		case hasOID(oidRecovery, oid):
			s.allowed |= usageRecovery
		default:
			continue
		}
		s.restricted = true
	}
	return s, nil
}

func hasOID(set []asn1.ObjectIdentifier, oid asn1.ObjectIdentifier) bool {
	for _, o := range set {
		if o.Equal(oid) {
			return true
		}
	}
	return false
}

// KeyAlgorithm is the COSE algorithm a public key dictates: ES256, ES384 or
// ES512 by curve (P-256, P-384, P-521), PS256 for RSA, the one RSA
// algorithm of the EU DCC. The issuer of test certificates uses it too, so
// that what it signs with and what is checked cannot drift apart.
func KeyAlgorithm(pub crypto.PublicKey) (cose.Algorithm, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return cose.AlgorithmES256, nil
		case elliptic.P384():
			return cose.AlgorithmES384, nil
		case elliptic.P521():
			return cose.AlgorithmES512, nil
		}
		return 0, fmt.Errorf("unsupported elliptic curve %s", k.Curve.Params().Name)
	case *rsa.PublicKey:
		return cose.AlgorithmPS256, nil
	}
	return 0, fmt.Errorf("unsupported public key type %T", pub)
}

// Algorithm is the COSE algorithm the signer's key dictates: the one to
// use when nothing covered by a signature names another.
func (s *Signer) Algorithm() cose.Algorithm { return s.alg }

// verifierFor returns the verifier for a protected header's algorithm, or
// an error naming why the key cannot be used with it.
func (s *Signer) verifierFor(alg cose.Algorithm) (cose.Verifier, error) {
	if v, ok := s.verifiers[alg]; ok {
		return v, nil
	}
	if s.sigLen != 0 {
		return nil, fmt.Errorf("message says algorithm %v, not ECDSA (ES256, ES384 or ES512), but the signer's key is ECDSA on %s", alg, s.keyName)
	}
	return nil, fmt.Errorf("message says algorithm %v, but the signer's key is RSA, which verifies only PS256", alg)
}

// MaySign reports whether the signer's extended key usage allows it to sign
// certificates of kind k. A signer that lists none of the DCC OIDs may sign
// every kind. Exemptions have no OID of their own: a restricted signer may
// not sign them.
func (s *Signer) MaySign(k Kind) bool {
	if !s.restricted {
		return true
	}
	switch k {
	case KindTest:
		return s.allowed&usageTest != 0
	case KindVaccination:
		return s.allowed&usageVaccination != 0
	case KindRecovery:
		return s.allowed&usageRecovery != 0
	}
	return false
}

// listsRecoveryOID reports whether the signer's key usage names the
// recovery OID. On an Italian recovery certificate it marks a recovery after
// vaccination ("guarigione bis"): Italy signed those with a dedicated key
// that lists only that OID.
func (s *Signer) listsRecoveryOID() bool { return s.allowed&usageRecovery != 0 }

// TrustStore holds the signer certificates, by kid. Several certificates may
// share a kid (it is only 8 bytes of a hash); all are tried. A TrustStore is
// not modified after it is handed to a Verifier: a refresh builds a new one.
type TrustStore struct {
	byKID map[KID][]*Signer
	n     int
}

// NewTrustStore returns an empty store.
func NewTrustStore() *TrustStore { return &TrustStore{byKID: map[KID][]*Signer{}} }

// Add adds a signer; adding the same certificate twice is a no-op.
func (t *TrustStore) Add(s *Signer) {
	for _, have := range t.byKID[s.KID] {
		if bytes.Equal(have.Cert.Raw, s.Cert.Raw) {
			return
		}
	}
	t.byKID[s.KID] = append(t.byKID[s.KID], s)
	t.n++
}

// Len is the number of signers.
func (t *TrustStore) Len() int { return t.n }

// Lookup returns the signers whose kid is k.
func (t *TrustStore) Lookup(kid []byte) []*Signer {
	if len(kid) != KIDLen || t == nil {
		return nil
	}
	return t.byKID[KID(kid)]
}

// Signers returns every signer, for listing and persistence.
func (t *TrustStore) Signers() []*Signer {
	out := make([]*Signer, 0, t.n)
	for _, ss := range t.byKID {
		out = append(out, ss...)
	}
	return out
}

// MaxTrustFileLen bounds a trust file read by ParseTrustFile: the Italian
// gateway's full list of a few hundred certificates is under 1 MB.
const MaxTrustFileLen = 16 << 20

// ParseTrustFile reads signer certificates from a file's contents in any of
// the forms the command line accepts: DER, one or more PEM certificates,
// base64 of DER (one per line), or a JSON array of {"kid","raw_data"}
// objects as the Italian gateway's DSC list.
//
// In the JSON form, as in the gateway's answers, an entry whose certificate
// does not parse or whose announced kid is not the certificate's is skipped
// and reported in skipped (the real list has such entries); in the other
// forms, which a person wrote, any bad entry is an error.
func ParseTrustFile(data []byte) (signers []*Signer, skipped []error, err error) {
	if len(data) > MaxTrustFileLen {
		return nil, nil, fmt.Errorf("%d bytes is over the %d-byte bound for a trust file", len(data), MaxTrustFileLen)
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, nil, errors.New("empty trust file")
	case trimmed[0] == '[':
		return parseTrustJSON(trimmed)
	case bytes.HasPrefix(trimmed, []byte("-----BEGIN")):
		signers, err = parseTrustPEM(trimmed)
		return signers, nil, err
	case data[0] == 0x30:
		s, err := NewSigner(data)
		if err != nil {
			return nil, nil, err
		}
		return []*Signer{s}, nil, nil
	}
	signers, err = parseTrustBase64Lines(trimmed)
	return signers, nil, err
}

func parseTrustBase64Lines(trimmed []byte) ([]*Signer, error) {
	var out []*Signer
	for i, line := range bytes.Split(trimmed, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		der, err := base64.StdEncoding.DecodeString(string(line))
		if err != nil {
			return nil, fmt.Errorf("line %d: not DER, PEM, JSON or base64: %w", i+1, err)
		}
		s, err := NewSigner(der)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func parseTrustPEM(data []byte) ([]*Signer, error) {
	var out []*Signer
	for i := 1; ; i++ {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("PEM block %d is %q, not CERTIFICATE", i, block.Type)
		}
		s, err := NewSigner(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("PEM block %d: %w", i, err)
		}
		out = append(out, s)
	}
	if len(bytes.TrimSpace(data)) > 0 {
		return nil, errors.New("text after the last PEM block is not PEM")
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM certificate")
	}
	return out, nil
}

// TrustEntry is one signer in the Italian gateway's JSON form.
type TrustEntry struct {
	KID     string `json:"kid"`
	RawData string `json:"raw_data"`
}

func parseTrustJSON(data []byte) ([]*Signer, []error, error) {
	var entries []TrustEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, nil, fmt.Errorf("JSON trust list: %w", err)
	}
	out := make([]*Signer, 0, len(entries))
	var skipped []error
	for i, e := range entries {
		s, err := parseTrustEntry(e)
		if err != nil {
			skipped = append(skipped, fmt.Errorf("entry %d (kid %s): %w", i, e.KID, err))
			continue
		}
		out = append(out, s)
	}
	return out, skipped, nil
}

// parseTrustEntry parses one {"kid","raw_data"} entry, checking that the kid
// (when given) is the certificate's.
func parseTrustEntry(e TrustEntry) (*Signer, error) {
	der, err := base64.StdEncoding.DecodeString(e.RawData)
	if err != nil {
		return nil, fmt.Errorf("raw_data is not base64: %w", err)
	}
	s, err := NewSigner(der)
	if err != nil {
		return nil, err
	}
	if e.KID != "" && e.KID != s.KID.String() {
		return nil, fmt.Errorf("announced kid %s does not match the certificate's kid %s", e.KID, s.KID)
	}
	return s, nil
}
