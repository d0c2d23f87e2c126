// Package privacy holds a pupil's personal data for the few seconds it may
// exist, and the rules that keep everything else anonymous.
//
// Allegato B of DL 5/2022 allows the delegate to see a pupil's name and date
// of birth for the check and forbids recording them anywhere. The types here
// make the safe thing the easy thing: a Person cannot be printed, logged or
// marshalled by accident (every formatter sees "[dati personali]"), and it
// can be wiped when the display time ends.
package privacy

import (
	"fmt"
	"log/slog"
	"sync"
)

// Redacted is what every formatter, logger and encoder sees instead of the
// data of a Person.
const Redacted = "[dati personali]"

// Person is the name and date of birth read from a certificate, held only in
// memory. The zero value and a nil *Person are empty persons.
//
// The fields are kept in byte slices so that Wipe can overwrite them in
// place; the only way to read them is the explicit Reveal method, which makes
// every use easy to find in review.
type Person struct {
	mu    sync.Mutex
	buf   []byte // family name, given name, date of birth, back to back
	fam   int    // end of the family name in buf
	giv   int    // end of the given name in buf
	wiped bool
}

// NewPerson copies the family name, given name and date of birth (as written
// in the certificate: YYYY, YYYY-MM or YYYY-MM-DD) into a new holder.
func NewPerson(familyName, givenName, dateOfBirth string) *Person {
	buf := make([]byte, 0, len(familyName)+len(givenName)+len(dateOfBirth))
	buf = append(buf, familyName...)
	fam := len(buf)
	buf = append(buf, givenName...)
	giv := len(buf)
	buf = append(buf, dateOfBirth...)
	return &Person{buf: buf, fam: fam, giv: giv}
}

// Identity is a revealed copy of a Person's data, for the one place that
// shows it (the entrance display). It redacts itself too, so that handing it
// on by mistake to a logger still leaks nothing.
type Identity struct {
	FamilyName  string
	GivenName   string
	DateOfBirth string
}

// Reveal returns the data for display. It returns ok false after Wipe, or
// for an empty person.
func (p *Person) Reveal() (id Identity, ok bool) {
	if p == nil {
		return Identity{}, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wiped || len(p.buf) == 0 {
		return Identity{}, false
	}
	return Identity{
		FamilyName:  string(p.buf[:p.fam]),
		GivenName:   string(p.buf[p.fam:p.giv]),
		DateOfBirth: string(p.buf[p.giv:]),
	}, true
}

// Wipe overwrites the data with zeros and empties the holder. It is safe to
// call more than once and on a nil Person.
func (p *Person) Wipe() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.buf)
	p.buf = p.buf[:0]
	p.fam, p.giv = 0, 0
	p.wiped = true
}

// Wiped reports whether Wipe has been called.
func (p *Person) Wiped() bool {
	if p == nil {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.wiped
}

// The methods below make every generic path that could carry a Person to a
// log, a file or the network see only Redacted.

// Format implements fmt.Formatter for every verb (%v, %+v, %#v, %s, %q, %x…).
func (p *Person) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// String implements fmt.Stringer.
func (p *Person) String() string { return Redacted }

// GoString implements fmt.GoStringer.
func (p *Person) GoString() string { return Redacted }

// LogValue implements slog.LogValuer.
func (p *Person) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalJSON implements json.Marshaler.
func (p *Person) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText implements encoding.TextMarshaler (YAML, TOML, XML and others
// fall back to it).
func (p *Person) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// MarshalBinary implements encoding.BinaryMarshaler (gob and others).
func (p *Person) MarshalBinary() ([]byte, error) { return []byte(Redacted), nil }

// Format implements fmt.Formatter for every verb.
func (Identity) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// String implements fmt.Stringer.
func (Identity) String() string { return Redacted }

// GoString implements fmt.GoStringer.
func (Identity) GoString() string { return Redacted }

// LogValue implements slog.LogValuer.
func (Identity) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalText implements encoding.TextMarshaler. JSON uses it too, so an
// Identity put into a JSON document by mistake becomes "[dati personali]":
// the display stream that must send the data builds its message explicitly.
func (Identity) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// MarshalBinary implements encoding.BinaryMarshaler.
func (Identity) MarshalBinary() ([]byte, error) { return []byte(Redacted), nil }
