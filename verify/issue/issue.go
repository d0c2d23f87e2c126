// Package issue makes signed EU DCC QR texts with keys of its own: the
// certificates of the project's test fixtures and of the demo. A school
// never issues certificates; nothing in the kiosk's verification path uses
// this package.
package issue

import (
	"bytes"
	"compress/zlib"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/veraison/go-cose"

	"github.com/scuola/kiosk/verify"
)

// KeyType is a signer's key, named after the algorithm it dictates: the EU
// DCC's two (ES256, PS256) and the other curves verifiers meet.
type KeyType string

// The key types.
const (
	ES256     KeyType = "ES256"      // ECDSA P-256
	ES384     KeyType = "ES384"      // ECDSA P-384
	ES512     KeyType = "ES512"      // ECDSA P-521
	PS256     KeyType = "PS256-2048" // RSA-PSS, 2048-bit key
	PS256Long KeyType = "PS256-3072" // RSA-PSS, 3072-bit key
)

// The extended-key-usage OIDs of the DCC (the first spelling).
var (
	OIDTest        = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 1847, 2021, 1, 1}
	OIDVaccination = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 1847, 2021, 1, 2}
	OIDRecovery    = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 1847, 2021, 1, 3}
	// OIDRecoveryAlt is the second spelling issuers used.
	OIDRecoveryAlt = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 0, 1847, 2021, 1, 3}
)

// SignerSpec describes a document signer certificate to make.
type SignerSpec struct {
	CommonName string
	Country    string
	Key        KeyType
	KeyUsage   []asn1.ObjectIdentifier // DCC OIDs; none means "may sign all"
	NotBefore  time.Time
	NotAfter   time.Time
}

// Signer is a key with its self-signed document signer certificate.
type Signer struct {
	Key     crypto.Signer
	CertDER []byte
	Alg     cose.Algorithm
}

// NewSigner makes a key and its certificate.
func NewSigner(spec SignerSpec) (*Signer, error) {
	var key crypto.Signer
	var err error
	switch spec.Key {
	case ES256:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case ES384:
		key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case ES512:
		key, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case PS256:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	case PS256Long:
		key, err = rsa.GenerateKey(rand.Reader, 3072)
	default:
		return nil, fmt.Errorf("unknown key type %q", spec.Key)
	}
	if err != nil {
		return nil, err
	}
	alg, err := verify.KeyAlgorithm(key.Public())
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 96))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:       serial,
		Subject:            pkix.Name{CommonName: spec.CommonName, Country: []string{spec.Country}},
		NotBefore:          spec.NotBefore,
		NotAfter:           spec.NotAfter,
		KeyUsage:           x509.KeyUsageDigitalSignature,
		UnknownExtKeyUsage: spec.KeyUsage,
	}
	if alg == cose.AlgorithmPS256 {
		tmpl.SignatureAlgorithm = x509.SHA256WithRSAPSS
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return &Signer{Key: key, CertDER: der, Alg: alg}, nil
}

// KID is the signer's DCC key identifier.
func (s *Signer) KID() verify.KID { return verify.ComputeKID(s.CertDER) }

// MarshalPEM writes the certificate and the PKCS #8 private key as PEM.
func (s *Signer) MarshalPEM() ([]byte, error) {
	key, err := x509.MarshalPKCS8PrivateKey(s.Key)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: s.CertDER})
	_ = pem.Encode(&b, &pem.Block{Type: "PRIVATE KEY", Bytes: key})
	return b.Bytes(), nil
}

// ParseSignerPEM reads what MarshalPEM wrote.
func ParseSignerPEM(data []byte) (*Signer, error) {
	s := &Signer{}
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		switch block.Type {
		case "CERTIFICATE":
			s.CertDER = block.Bytes
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, err
			}
			signer, ok := k.(crypto.Signer)
			if !ok {
				return nil, fmt.Errorf("private key of type %T cannot sign", k)
			}
			s.Key = signer
		}
	}
	if s.CertDER == nil || s.Key == nil {
		return nil, errors.New("PEM lacks the certificate or the key")
	}
	var err error
	if s.Alg, err = verify.KeyAlgorithm(s.Key.Public()); err != nil {
		return nil, err
	}
	return s, nil
}

// Claims are the CWT claims of a certificate.
type Claims struct {
	Issuer   string
	IssuedAt time.Time
	Expiry   time.Time
}

// Encoding selects the variants of the envelope seen in the wild, and
// deliberate damage for negative tests.
type Encoding struct {
	Untagged       bool // COSE_Sign1 without tag 18
	CWTTag         bool // tag 61 around tag 18
	Uncompressed   bool // no zlib
	AlgUnprotected bool // alg only in the unprotected header
	KIDUnprotected bool // kid only in the unprotected header
	BreakSignature bool // flip a bit of the signature
	// Alg, when set, signs with this algorithm instead of the key's own:
	// ES256 with a P-384 key, as some issuers do (SHA-256, r‖s on the key's
	// curve).
	Alg cose.Algorithm
}

// encMode writes deterministic CBOR, as issuers are asked to.
var encMode = func() cbor.EncMode {
	m, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// HC1 signs a DCC and returns its QR text.
func HC1(s *Signer, dcc *verify.DCC, c Claims, e Encoding) (string, error) {
	cose, err := Sign1(s, dcc, c, e)
	if err != nil {
		return "", err
	}
	return HC1FromSign1(cose, e.Uncompressed)
}

// HC1FromSign1 wraps a COSE_Sign1 message into a QR text: zlib (unless
// uncompressed), base45, prefix.
func HC1FromSign1(cose []byte, uncompressed bool) (string, error) {
	payload := cose
	if !uncompressed {
		var z bytes.Buffer
		w, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
		if err != nil {
			return "", err
		}
		if _, err := w.Write(cose); err != nil {
			return "", err
		}
		if err := w.Close(); err != nil {
			return "", err
		}
		payload = z.Bytes()
	}
	return "HC1:" + verify.Base45Encode(payload), nil
}

// Sign1 signs a DCC and returns the COSE_Sign1 message.
func Sign1(s *Signer, dcc *verify.DCC, c Claims, e Encoding) ([]byte, error) {
	dccCBOR, err := encMode.Marshal(dcc)
	if err != nil {
		return nil, err
	}
	claims := map[int]any{
		4:    c.Expiry.Unix(),
		6:    c.IssuedAt.Unix(),
		-260: map[int]cbor.RawMessage{1: dccCBOR},
	}
	if c.Issuer != "" {
		claims[1] = c.Issuer
	}
	payload, err := encMode.Marshal(claims)
	if err != nil {
		return nil, err
	}
	return SignPayload(s, payload, e)
}

// SignPayload wraps any payload in a COSE_Sign1 message signed by s (badges
// use it too).
func SignPayload(s *Signer, payload []byte, e Encoding) ([]byte, error) {
	kid := s.KID()
	alg := s.Alg
	if e.Alg != 0 {
		alg = e.Alg
	}
	msg := cose.NewSign1Message()
	msg.Payload = payload
	msg.Headers.Protected.SetAlgorithm(alg)
	if e.KIDUnprotected {
		msg.Headers.Unprotected[cose.HeaderLabelKeyID] = kid[:]
	} else {
		msg.Headers.Protected[cose.HeaderLabelKeyID] = kid[:]
	}
	signer, err := cose.NewSigner(alg, s.Key)
	if err != nil {
		return nil, err
	}
	if err := msg.Sign(rand.Reader, nil, signer); err != nil {
		return nil, err
	}
	if e.AlgUnprotected {
		// Re-sign with alg moved out of the protected header.
		msg = cose.NewSign1Message()
		msg.Payload = payload
		msg.Headers.Protected[cose.HeaderLabelKeyID] = kid[:]
		if e.KIDUnprotected {
			delete(msg.Headers.Protected, cose.HeaderLabelKeyID)
			msg.Headers.Unprotected[cose.HeaderLabelKeyID] = kid[:]
		}
		msg.Headers.Unprotected[cose.HeaderLabelAlgorithm] = alg
		if err := signWithoutAlg(msg, signer); err != nil {
			return nil, err
		}
	}
	if e.BreakSignature {
		msg.Signature[len(msg.Signature)/2] ^= 0x01
	}
	if e.Untagged {
		return (*cose.UntaggedSign1Message)(msg).MarshalCBOR()
	}
	out, err := msg.MarshalCBOR()
	if err != nil {
		return nil, err
	}
	if e.CWTTag {
		out = append([]byte{0xd8, 0x3d}, out...)
	}
	return out, nil
}

// signWithoutAlg signs a message whose protected header has no alg, which
// go-cose refuses to do (rightly, for new messages): the Sig_structure is
// built here, as RFC 9052 section 4.4 defines it.
func signWithoutAlg(msg *cose.Sign1Message, signer cose.Signer) error {
	protected, err := encMode.Marshal(map[any]any(msg.Headers.Protected))
	if err != nil {
		return err
	}
	if len(msg.Headers.Protected) == 0 {
		protected = []byte{} // an empty protected header is a zero-length string
	}
	toBeSigned, err := encMode.Marshal([]any{"Signature1", protected, []byte{}, msg.Payload})
	if err != nil {
		return err
	}
	sig, err := signer.Sign(rand.Reader, toBeSigned)
	if err != nil {
		return err
	}
	msg.Headers.RawProtected = nil
	msg.Signature = sig
	return nil
}
