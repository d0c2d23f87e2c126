package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrTooLarge is a body over MaxBody (413).
var ErrTooLarge = fmt.Errorf("the body is over %d bytes", MaxBody)

// SyntaxError is a body that is not the JSON of the expected type, or has
// a field the protocol does not know (400).
type SyntaxError struct {
	Field string // the unknown or mistyped field, when known
	Err   error
}

func (e *SyntaxError) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Err.Error()
	}
	return e.Err.Error()
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// DecodeProfile reads a profile strictly and validates it: the error is
// ErrTooLarge, a *SyntaxError or a *FieldError.
func DecodeProfile(r io.Reader) (Profile, error) {
	var p Profile
	raw, err := decodeStrict(r, &p)
	if err != nil {
		return p, err
	}
	if err := require(raw, "", "enrolled", "classes", "enrolled_6_19"); err != nil {
		return p, err
	}
	return p, p.Validate()
}

// DecodeAbsences reads a day's report strictly and validates it: the
// error is ErrTooLarge, a *SyntaxError or a *FieldError.
func DecodeAbsences(r io.Reader) (Absences, error) {
	var a Absences
	raw, err := decodeStrict(r, &a)
	if err != nil {
		return a, err
	}
	if err := require(raw, "", "enrolled", "absent"); err != nil {
		return a, err
	}
	var shape struct {
		Classes []json.RawMessage `json:"classes"`
	}
	_ = json.Unmarshal(raw, &shape) // the strict decoding has already accepted it
	for i, c := range shape.Classes {
		if err := require(c, "classes["+strconv.Itoa(i)+"].", "name", "enrolled", "absent"); err != nil {
			return a, err
		}
	}
	return a, a.Validate()
}

// decodeStrict reads at most MaxBody bytes of one JSON value into v,
// refusing unknown fields and anything after the value, and returns the
// bytes read.
func decodeStrict(r io.Reader, v any) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	if err != nil {
		return nil, &SyntaxError{Err: fmt.Errorf("reading the body: %w", err)}
	}
	if len(raw) > MaxBody {
		return nil, ErrTooLarge
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, syntaxError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &SyntaxError{Err: errors.New("more data after the JSON object")}
	}
	return raw, nil
}

// syntaxError names the field encoding/json complains about, when it
// says: a mistyped value carries its path, an unknown field its name.
func syntaxError(err error) *SyntaxError {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return &SyntaxError{Field: typ.Field, Err: fmt.Errorf("a %s where a %s was expected", typ.Value, typ.Type)}
	}
	msg := err.Error()
	if name, ok := bytes.CutPrefix([]byte(msg), []byte("json: unknown field ")); ok {
		field, _ := strconv.Unquote(string(name))
		return &SyntaxError{Field: field, Err: errors.New("a field the protocol does not know")}
	}
	return &SyntaxError{Err: fmt.Errorf("malformed JSON: %w", err)}
}

// require refuses an object without one of the keys (or with null for
// it): a missing count would silently read as zero. It is a 422, the
// field named.
func require(object []byte, prefix string, keys ...string) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(object, &fields); err != nil || fields == nil {
		return &SyntaxError{Field: strings.TrimSuffix(prefix, "."), Err: errors.New("a JSON object was expected")}
	}
	for _, k := range keys {
		if v, ok := fields[k]; !ok || string(v) == "null" {
			return fieldErr(prefix+k, "required")
		}
	}
	return nil
}
