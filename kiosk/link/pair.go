// Package link keeps every kiosk of a school in step with its office: a
// kiosk pairs itself by reading the office's pairing QR with its camera,
// then fetches the signed school bundle (kiosk/bundle) and sends back its
// counts, over TLS pinned both ways: the kiosk pins the office's
// certificate by the fingerprint the QR carried, and the office knows the
// kiosk by the key of the client certificate it made when it paired.
//
// Both sides are here (Client for the kiosk, Handler for the office), so
// that the protocol is written once.
package link

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scuola/kiosk/kiosk/internal/atomicfile"
)

// QRPrefix starts a pairing QR's text, so that the kiosk tells it from a
// badge or a certificate.
const QRPrefix = "KP1:"

// MaxQRLen bounds a pairing QR's text.
const MaxQRLen = 1024

// Invitation is what the office's pairing QR carries: where the office is,
// the fingerprint of its TLS certificate (SHA-256 of the DER, hex), and a
// one-time secret that is valid for minutes.
type Invitation struct {
	URL         string `json:"url"`
	Fingerprint string `json:"fp"`
	Secret      string `json:"secret"`
}

// Text is the invitation as the QR's text.
func (inv Invitation) Text() string {
	b, _ := json.Marshal(inv)
	return QRPrefix + string(b)
}

// IsInvitation reports whether a QR text is a pairing QR (by its prefix).
func IsInvitation(text string) bool { return strings.HasPrefix(text, QRPrefix) }

// ParseInvitation reads a pairing QR's text.
func ParseInvitation(text string) (Invitation, error) {
	var inv Invitation
	if !IsInvitation(text) || len(text) > MaxQRLen {
		return inv, errors.New("not a pairing QR")
	}
	if err := json.Unmarshal([]byte(text[len(QRPrefix):]), &inv); err != nil {
		return inv, fmt.Errorf("pairing QR: %w", err)
	}
	u, err := url.Parse(inv.URL)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "":
		return inv, fmt.Errorf("pairing QR: %q is not the office's https address", inv.URL)
	case len(inv.Fingerprint) != 64 || !isHex(inv.Fingerprint):
		return inv, errors.New("pairing QR: the fingerprint is not a SHA-256 in hex")
	case len(inv.Secret) < 16 || len(inv.Secret) > 128:
		return inv, errors.New("pairing QR: no one-time secret")
	}
	inv.Fingerprint = strings.ToLower(inv.Fingerprint)
	return inv, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// Fingerprint is the pin of a certificate: SHA-256 of its DER, hex.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// KeyID is how the office knows a kiosk: SHA-256 of its certificate's
// public key, hex, so that the kiosk may renew the certificate itself.
func KeyID(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

// Pairing is what a paired kiosk keeps: the office's address and pin, and
// the kiosk's own key and certificate.
type Pairing struct {
	URL         string `json:"url"`
	Fingerprint string `json:"fp"`
	Name        string `json:"name"`
	CertPEM     string `json:"cert"`
	KeyPEM      string `json:"key"`
}

// FileName is the pairing's file in the kiosk's data folder.
const FileName = "pairing.json"

// newPairing makes the kiosk's key and a self-signed certificate for it.
func newPairing(inv Invitation, name string) (*Pairing, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "kiosk " + name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(20, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &Pairing{
		URL: inv.URL, Fingerprint: inv.Fingerprint, Name: name,
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})),
	}, nil
}

// Save keeps the pairing in dir, readable by the kiosk's user only (it
// holds the kiosk's private key).
func (p *Pairing) Save(dir string) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, FileName), b, 0o600)
}

// LoadPairing reads the pairing kept in dir; os.ErrNotExist when the kiosk
// was never paired.
func LoadPairing(dir string) (*Pairing, error) {
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		return nil, err
	}
	var p Pairing
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("pairing %s: %w", filepath.Join(dir, FileName), err)
	}
	if _, err := p.tlsConfig(); err != nil {
		return nil, fmt.Errorf("pairing %s: %w", filepath.Join(dir, FileName), err)
	}
	return &p, nil
}

// tlsConfig presents the kiosk's certificate and accepts only the office's
// pinned one: the office's certificate is self-signed, so the pin, not a
// certificate authority, is what is trusted.
func (p *Pairing) tlsConfig() (*tls.Config, error) {
	cert, err := tls.X509KeyPair([]byte(p.CertPEM), []byte(p.KeyPEM))
	if err != nil {
		return nil, fmt.Errorf("the kiosk's key: %w", err)
	}
	pin := p.Fingerprint
	return &tls.Config{
		MinVersion:         tls.VersionTLS13,
		Certificates:       []tls.Certificate{cert},
		InsecureSkipVerify: true, // replaced by the pin below
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 || Fingerprint(raw[0]) != pin {
				return errors.New("the office's certificate is not the one paired with")
			}
			return nil
		},
	}, nil
}
