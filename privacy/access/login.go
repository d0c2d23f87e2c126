package access

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Login rate limits: failures per account name and per address in a
// window. An account under attack is locked for its owner too, which the
// login page says; the address limit stops one machine sweeping many names.
const (
	MaxFailsPerAccount = 5
	MaxFailsPerAddress = 20
	FailWindow         = 15 * time.Minute
)

var (
	// ErrLimited: too many failed logins for the account or the address.
	ErrLimited = errors.New("too many failed logins")
	// ErrBadLogin: unknown account or wrong password, never said apart.
	ErrBadLogin = errors.New("wrong name or password")
	// ErrNoAccount is what a lookup returns for a name that has no account.
	ErrNoAccount = errors.New("no such account")
)

// Logins checks passwords under the rate limits, with the same work for
// an unknown name as for a known one so that the timing says nothing.
type Logins struct {
	accounts, addresses *Limiter
	dummy               string // the hash checked when the name is unknown
}

// NewLogins prepares the checks; cost is that of the dummy hash and
// should be the cost of new passwords.
func NewLogins(cost Argon2) (*Logins, error) {
	dummy, err := cost.Hash(Token())
	if err != nil {
		return nil, err
	}
	return &Logins{accounts: NewLimiter(MaxFailsPerAccount, FailWindow),
		addresses: NewLimiter(MaxFailsPerAddress, FailWindow), dummy: dummy}, nil
}

// Check verifies a password for the account name from address addr.
// lookup returns the account's stored PHC hash, or ErrNoAccount. Check
// returns nil on a match, ErrLimited before any lookup when a limit is
// reached, an error wrapping ErrBadLogin for a wrong name or password
// (and also wrapping ErrHash when the stored hash is unreadable, which
// the caller should log), or lookup's other errors.
func (l *Logins) Check(name, addr, password string, now time.Time, lookup func() (string, error)) error {
	acctKey := strings.ToLower(name)
	if !l.accounts.Allowed(acctKey, now) || !l.addresses.Allowed(addr, now) {
		return ErrLimited
	}
	phc, err := lookup()
	known := err == nil
	if errors.Is(err, ErrNoAccount) {
		phc = l.dummy
	} else if err != nil {
		return err
	}
	ok, verr := VerifyPassword(phc, password)
	if !known || verr != nil || !ok {
		l.accounts.Fail(acctKey, now)
		l.addresses.Fail(addr, now)
		if verr != nil && known {
			return fmt.Errorf("%w: %w", ErrBadLogin, verr)
		}
		return ErrBadLogin
	}
	l.accounts.Reset(acctKey)
	return nil
}
