// Package docs makes the documents the school office prints and publishes:
// the head teacher's delegation to a staff member (Allegato A), with the
// badge that unlocks the kiosk on the same PDF, and the privacy notice for
// families (Allegato B), as a PDF, as an HTML page and as a QR code of the
// page's address.
//
// The documents are drawn with fpdf's core fonts (Helvetica, Times) through
// its cp1252 translator: nothing is fetched or read from disk at run time,
// and Italian accents print. cp1252 is also a limit: a name with a letter
// it lacks (ć, ș, ł) would print as a dot, so validation refuses it,
// naming the field, rather than print a wrong name on a legal document.
//
// Inputs are plain structs; every function validates them first and
// returns errors.Join of *FieldError, one per wrong field, so that a form
// can mark each field.
package docs

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/verify/calendar"
)

// School is the school building (plesso) the documents speak for.
type School struct {
	Code    string // codice meccanografico of the plesso, e.g. MIEE8AB01X
	Name    string // the institution, e.g. Istituto Comprensivo «Alessandro Manzoni»
	Plesso  string // the building, e.g. Scuola primaria «Gianni Rodari»
	Address string // street, postcode and town
	City    string // where documents are signed ("Milano, 04/02/2022")
	Email   string // the school's address for privacy requests (PEO or PEC)
}

// HeadTeacher is the dirigente scolastico, who signs the delegations and
// acts for the school as data controller.
type HeadTeacher struct {
	Name string // as it is signed, e.g. Prof.ssa Anna Rossi
}

// Delegation is one Allegato A delegation: who may check at the entrance,
// in which role, from the day it is signed until its last day included.
type Delegation struct {
	Delegate     string       // the staff member's full name
	Role         string       // e.g. collaboratore scolastico, docente
	Issued       calendar.Day // the day the head teacher signs it
	Until        calendar.Day // its last valid day, as the badge carries it
	BadgePayload string       // the signed badge text (kiosk/badge.Issue)
}

// DPO is the school's data protection officer (responsabile della
// protezione dei dati), whom families may write to.
type DPO struct {
	Name  string
	Email string
}

// Limits of the fields, in characters: generous for real names and
// addresses, small enough that every field fits its place on the page.
const (
	maxName    = 80
	maxTitle   = 90
	maxAddress = 160
	maxEmail   = 120
	// maxDelegation bounds a delegation's length: a school year with its
	// summer is under 400 days; more is a typing error in the year.
	maxDelegation = 400
)

// FieldError says which input field is wrong and why (in English: it is
// for the office application, which shows its own words next to the field).
type FieldError struct {
	Field   string // e.g. "delegation.until"
	Problem string
}

func (e *FieldError) Error() string { return "docs: " + e.Field + ": " + e.Problem }

// checker collects the field errors of one validation.
type checker struct{ errs []error }

func (c *checker) fail(field, format string, args ...any) {
	c.errs = append(c.errs, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (c *checker) err() error { return errors.Join(c.errs...) }

// text checks a field a person types: present, not too long, one line,
// and printable with the documents' fonts. It reports whether it passed.
func (c *checker) text(field, value string, limit int) bool {
	switch n := utf8.RuneCountInString(value); {
	case strings.TrimSpace(value) == "":
		c.fail(field, "empty")
		return false
	case !utf8.ValidString(value):
		c.fail(field, "not valid UTF-8")
		return false
	case n > limit:
		c.fail(field, "%d characters, at most %d", n, limit)
		return false
	case value != strings.TrimSpace(value):
		c.fail(field, "leading or trailing spaces")
		return false
	}
	for _, r := range value {
		if unicode.IsControl(r) {
			c.fail(field, "control character %U (one line only)", r)
			return false
		}
		if !printable(r) {
			c.fail(field, "%q cannot be printed with the documents' fonts (Western European letters only)", r)
			return false
		}
	}
	return true
}

func (c *checker) email(field, value string) {
	if !c.text(field, value, maxEmail) {
		return
	}
	if a, err := mail.ParseAddress(value); err != nil || a.Address != value || a.Name != "" {
		c.fail(field, "%q is not an e-mail address", value)
	}
}

func (c *checker) school(s School) {
	if len(s.Code) != 10 || strings.IndexFunc(s.Code, func(r rune) bool { return !('A' <= r && r <= 'Z' || '0' <= r && r <= '9') }) >= 0 {
		c.fail("school.code", "%.20q is not a codice meccanografico (10 capital letters and digits)", s.Code)
	}
	c.text("school.name", s.Name, maxTitle)
	c.text("school.plesso", s.Plesso, maxTitle)
	c.text("school.address", s.Address, maxAddress)
	c.text("school.city", s.City, maxName)
	c.email("school.email", s.Email)
}

// Validate checks the inputs of Delega.
func (d Delegation) Validate(s School, h HeadTeacher) error {
	var c checker
	c.school(s)
	c.text("head_teacher.name", h.Name, maxName)
	c.text("delegation.delegate", d.Delegate, maxName)
	c.text("delegation.role", d.Role, maxName)
	switch {
	case d.Issued <= 0:
		c.fail("delegation.issued", "missing")
	case d.Until < d.Issued:
		c.fail("delegation.until", "%s is before the delegation is signed (%s)", d.Until, d.Issued)
	case d.Until-d.Issued > maxDelegation:
		c.fail("delegation.until", "%s is more than %d days after %s", d.Until, maxDelegation, d.Issued)
	}
	switch p := d.BadgePayload; {
	case !badge.IsBadge(p):
		c.fail("delegation.badge_payload", "not a badge (it must start with %s)", badge.Prefix)
	case len(p) > badge.MaxTextLen:
		c.fail("delegation.badge_payload", "%d characters, at most %d", len(p), badge.MaxTextLen)
	}
	return c.err()
}

// Validate checks the inputs of the privacy notice.
func (n Notice) Validate() error {
	var c checker
	c.school(n.School)
	c.text("head_teacher.name", n.HeadTeacher.Name, maxName)
	c.text("dpo.name", n.DPO.Name, maxName)
	c.email("dpo.email", n.DPO.Email)
	if n.Published <= 0 {
		c.fail("notice.published", "missing")
	}
	if n.URL != "" {
		if err := checkURL(n.URL); err != nil {
			c.fail("notice.url", "%v", err)
		}
	}
	return c.err()
}

// printable reports whether the core fonts' cp1252 encoding has r: ASCII,
// Latin-1 and the 27 letters and signs cp1252 puts in 0x80–0x9F.
func printable(r rune) bool {
	switch {
	case r >= 0x20 && r < 0x7f, r >= 0xa0 && r <= 0xff:
		return true
	}
	return strings.ContainsRune("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ", r)
}
