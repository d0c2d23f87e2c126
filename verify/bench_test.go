package verify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/veraison/go-cose"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/issue"
)

// The benchmarks compare the full check of a certificate (base45, zlib,
// COSE, CWT, DCC, key usage, revocation, rules) with the bare signature
// check of the very same signature: SHA-256 of the Sig_structure and
// ecdsa.VerifyASN1 or rsa.VerifyPSS. The goal is a full check of at most
// 1.3× the bare one.

var benchSigners = []struct{ name, signer string }{
	{"ES256", "es256"},
	{"PS256-2048", "ps256"},
	{"PS256-3072", "ps256-3072"},
}

func BenchmarkCheck(b *testing.B) {
	set := fixtures.Load(b)
	v := set.Verifier()
	for _, bs := range benchSigners {
		text, _ := benchPair(b, set, bs.signer)
		b.Run(bs.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				got := v.Check(text, verify.ModeSchool, fixtures.Ref)
				got.Person.Wipe()
			}
		})
	}
}

func BenchmarkBareSignature(b *testing.B) {
	set := fixtures.Load(b)
	for _, bs := range benchSigners {
		_, verifyOnce := benchPair(b, set, bs.signer)
		b.Run(bs.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !verifyOnce() {
					b.Fatal("verification failed")
				}
			}
		})
	}
}

// BenchmarkOverhead reports the ratio of a full check to the bare
// signature check. The two alternate in short rounds and the ratio is that
// of the fastest rounds, so that a busy neighbour on a shared machine
// inflates neither side alone.
func BenchmarkOverhead(b *testing.B) {
	set := fixtures.Load(b)
	v := set.Verifier()
	for _, bs := range benchSigners {
		text, bare := benchPair(b, set, bs.signer)
		b.Run(bs.name, func(b *testing.B) {
			const perRound = 50
			minFull, minBare := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
			for b.Loop() {
				start := time.Now()
				for range perRound {
					v.Check(text, verify.ModeSchool, fixtures.Ref).Person.Wipe()
				}
				mid := time.Now()
				for range perRound {
					bare()
				}
				minFull, minBare = min(minFull, mid.Sub(start)), min(minBare, time.Since(mid))
			}
			b.ReportMetric(float64(minFull)/float64(minBare), "full/bare")
			b.ReportMetric(float64(minFull)/perRound/1e3, "full-µs")
			b.ReportMetric(float64(minBare)/perRound/1e3, "bare-µs")
		})
	}
}

// benchPair signs a booster with the named signer and returns its QR text
// and a function that checks the very same signature the bare way: SHA-256
// of the Sig_structure and ecdsa.VerifyASN1 or rsa.VerifyPSS.
func benchPair(b *testing.B, set *fixtures.Set, signer string) (string, func() bool) {
	sg := set.Signers[signer]
	msgBytes, err := issue.Sign1(sg, fixtures.Vaccination("EU/1/20/1528", 3, 3, -30, "IT"), fixtures.DefaultClaims(), issue.Encoding{})
	if err != nil {
		b.Fatal(err)
	}
	text, err := issue.HC1FromSign1(msgBytes, false)
	if err != nil {
		b.Fatal(err)
	}
	if got := set.Verifier().Check(text, verify.ModeSchool, fixtures.Ref); !got.Admit {
		b.Fatalf("%s: %s %s", signer, got.Status, got.Detail)
	}
	var msg cose.Sign1Message
	if err := msg.UnmarshalCBOR(msgBytes); err != nil {
		b.Fatal(err)
	}
	tbs := sigStructure(b, &msg)
	cert, _ := x509.ParseCertificate(sg.CertDER)
	var verifyOnce func() bool
	switch key := cert.PublicKey.(type) {
	case *ecdsa.PublicKey:
		der := asn1Signature(msg.Signature)
		verifyOnce = func() bool {
			sum := sha256.Sum256(tbs)
			return ecdsa.VerifyASN1(key, sum[:], der)
		}
	case *rsa.PublicKey:
		opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}
		verifyOnce = func() bool {
			sum := sha256.Sum256(tbs)
			return rsa.VerifyPSS(key, crypto.SHA256, sum[:], msg.Signature, opts) == nil
		}
	}
	if !verifyOnce() {
		b.Fatalf("%s: the bare check does not verify the signature", signer)
	}
	return text, verifyOnce
}

// sigStructure builds the bytes a COSE_Sign1 signature covers (RFC 9052
// 4.4), from the message's raw protected header.
func sigStructure(b *testing.B, m *cose.Sign1Message) []byte {
	var protected []byte
	if err := cbor.Unmarshal(m.Headers.RawProtected, &protected); err != nil {
		b.Fatal(err)
	}
	tbs, err := cbor.Marshal([]any{"Signature1", protected, []byte{}, m.Payload})
	if err != nil {
		b.Fatal(err)
	}
	return tbs
}

// asn1Signature converts COSE's r‖s into the ASN.1 form VerifyASN1 takes.
func asn1Signature(sig []byte) []byte {
	n := len(sig) / 2
	var bld cryptobyte.Builder
	bld.AddASN1(asn1.SEQUENCE, func(c *cryptobyte.Builder) {
		c.AddASN1BigInt(new(big.Int).SetBytes(sig[:n]))
		c.AddASN1BigInt(new(big.Int).SetBytes(sig[n:]))
	})
	return bld.BytesOrPanic()
}
