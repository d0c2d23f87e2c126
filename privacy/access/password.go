package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2 is the cost of the argon2id password hash. Each hash records its
// own, so that raising the cost later leaves older passwords valid.
type Argon2 struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultArgon2 is OWASP's recommended minimum for argon2id (19 MiB, two
// passes, one thread): about 30 ms on an office PC, and a login needs one.
var DefaultArgon2 = Argon2{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Password lengths: long enough to resist guessing behind the login's rate
// limit, short enough to bound the hash's input.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
)

// CheckPassword refuses a password that is too short or too long, in
// English (the command lines that make accounts say it).
func CheckPassword(pw string) error {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLen || len(pw) > MaxPasswordLen {
		return fmt.Errorf("a password has %d to %d characters", MinPasswordLen, MaxPasswordLen)
	}
	return nil
}

// CheckName refuses an account name that a person could not type or read
// back unambiguously, in English.
func CheckName(name string) error {
	if name == "" || len(name) > 60 || strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) {
		return fmt.Errorf("account name %q: 1 to 60 printable characters, no spaces", name)
	}
	return nil
}

// Hash returns the PHC string of a password: $argon2id$v=19$m=…,t=…,p=…$salt$hash,
// with a fresh 16-byte salt.
func (a Argon2) Hash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	sum := argon2.IDKey([]byte(pw), salt, a.Time, a.MemoryKiB, a.Threads, 32)
	b64 := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, a.MemoryKiB, a.Time, a.Threads, b64(salt), b64(sum)), nil
}

// ErrHash is a stored hash this program cannot read.
var ErrHash = errors.New("not an argon2id PHC string")

// VerifyPassword checks a password against its PHC string, in constant
// time, with the cost recorded in the string (bounded, so that a tampered
// database cannot make a login take the machine's memory).
func VerifyPassword(phc, pw string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false, ErrHash
	}
	var a Argon2
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &a.MemoryKiB, &a.Time, &a.Threads); err != nil {
		return false, ErrHash
	}
	if a.MemoryKiB < 8 || a.MemoryKiB > 1<<20 || a.Time < 1 || a.Time > 10 || a.Threads < 1 {
		return false, fmt.Errorf("%w: cost out of bounds", ErrHash)
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	sum, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(sum) < 16 || len(sum) > 64 {
		return false, ErrHash
	}
	if len(pw) > MaxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, a.Time, a.MemoryKiB, a.Threads, uint32(len(sum)))
	return subtle.ConstantTimeCompare(got, sum) == 1, nil
}
