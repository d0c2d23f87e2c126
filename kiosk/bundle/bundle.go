// Package bundle is the school data the office sends to its kiosks: which
// classes are under daily verification and until when, the delegations
// with the revoked ones, the school's name and the informativa's address.
// The office signs it with the school's key, the one that signs the
// badges, so a kiosk that trusts the badges trusts the bundle, and nothing
// on the network between them can forge or alter one.
//
// A bundle carries no case dates: the office's engine (kiosk/school) has
// already turned them into each class's end of daily verification, which
// is all an entrance needs. The least health data leaves the office.
package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/issue"
)

// MaxLen bounds a signed bundle: a school of 80 classes and 200
// delegations is about 20 KB.
const MaxLen = 1 << 20

// Bundle is the school's data as of Signed. Seq grows with every bundle the
// office makes, so a kiosk can refuse an older one replayed to it.
type Bundle struct {
	Seq    uint64    `json:"seq"`
	Signed time.Time `json:"signed"`
	School School    `json:"school"`
	// Informativa is the address of the privacy notice the locked screen
	// links (Allegato B).
	Informativa string `json:"informativa,omitempty"`
	// Classes carry no cases: a class under daily verification has its last
	// day as VerifyUntil, which the office's engine computed.
	Classes     []school.Class      `json:"classes"`
	Delegations []school.Delegation `json:"delegations"`
}

// School names the plesso.
type School struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Errors of Open.
var (
	ErrForged    = errors.New("bundle: not signed by this school")
	ErrMalformed = errors.New("bundle: unreadable")
)

// Sign makes the signed bundle with the school's key.
func Sign(key *issue.Signer, b *Bundle) ([]byte, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	payload, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	return issue.SignPayload(key, payload, issue.Encoding{})
}

// Open verifies a signed bundle against the school's certificate and reads
// it.
func Open(c *badge.Checker, raw []byte) (*Bundle, error) {
	if len(raw) > MaxLen {
		return nil, fmt.Errorf("%w: %d bytes, over %d", ErrMalformed, len(raw), MaxLen)
	}
	payload, err := c.Open(raw)
	switch {
	case errors.Is(err, badge.ErrForged):
		return nil, ErrForged
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var b Bundle
	if err := json.Unmarshal(payload, &b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := b.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return &b, nil
}

// check refuses a bundle a kiosk could not apply. The office never makes
// one, so this guards against a bug, not an attacker (who cannot sign).
func (b *Bundle) check() error {
	switch {
	case b.Seq == 0 || b.Signed.IsZero():
		return errors.New("seq and signed are required")
	case slices.ContainsFunc(b.Classes, func(c school.Class) bool { return len(c.Cases) > 0 }):
		return errors.New("classes: a bundle carries no case dates")
	}
	if err := school.CheckClasses(b.Classes); err != nil {
		return fmt.Errorf("classes%w", err)
	}
	if err := school.CheckDelegations(b.Delegations); err != nil {
		return fmt.Errorf("delegations%w", err)
	}
	return nil
}
