// Package access is how a person proves who they are to the project's web
// applications: argon2id password hashes, login rate limits per account
// and per address, and random session and CSRF tokens kept only as their
// hash. The school office (kiosk/office) and the ATS portal's pages
// (cmd/portal/web) both log people in; it is here, once, so that the two
// cannot drift apart in how careful they are. It imports only the standard
// library and golang.org/x/crypto.
package access

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// Token returns 32 random bytes, URL-safe base64: a session, a CSRF token,
// a school's credential.
func Token() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenHash is what a database keeps of a token: SHA-256 is enough for
// 256 random bits, which no dictionary holds.
func TokenHash(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// SameToken compares two tokens in constant time; empty never matches.
func SameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
