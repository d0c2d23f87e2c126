package office

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
)

// fieldError says which field of a form is wrong and why, in the
// person's words: "Iscritti: un numero da 0 a 100".
type fieldError struct {
	Field   string   // the input's name, to mark it
	Scope   lang.Key // what the field belongs to, when the label alone is ambiguous (a level)
	Label   lang.Key // the field's name as the page shows it
	Problem lang.Key
	Args    []any
}

func (e fieldError) text(l lang.Lang) string {
	label := l.Text(e.Label)
	if e.Scope != "" {
		label = l.Text(e.Scope) + " – " + label
	}
	return format(l.Text(lang.OfficeFieldError), label, format(l.Text(e.Problem), e.Args...))
}

// form reads a posted form's fields, collecting an error per bad field.
type form struct {
	values url.Values
	errs   []fieldError
	scope  lang.Key
	root   *form // of a scoped view: where its errors go
}

func newForm(rq *request) *form { return &form{values: rq.PostForm} }

// scoped is a view of the form whose errors name scope before the field.
func (f *form) scoped(scope lang.Key) *form { return &form{values: f.values, scope: scope, root: f} }

func (f *form) bad(field string, label, problem lang.Key, args ...any) {
	r := f
	if f.root != nil {
		r = f.root
	}
	r.errs = append(r.errs, fieldError{Field: field, Scope: f.scope, Label: label, Problem: problem, Args: args})
}

// ok reports whether every field read so far was good.
func (f *form) ok() bool { return len(f.errs) == 0 }

// texts are the errors in the person's language.
func (f *form) texts(l lang.Lang) []string {
	out := make([]string, len(f.errs))
	for i, e := range f.errs {
		out[i] = e.text(l)
	}
	return out
}

// invalid names the fields to mark.
func (f *form) invalid() map[string]bool {
	m := map[string]bool{}
	for _, e := range f.errs {
		m[e.Field] = true
	}
	return m
}

// text reads a text field: trimmed, required if asked, at most max
// characters, no control characters.
func (f *form) text(field string, label lang.Key, required bool, max int) string {
	v := strings.TrimSpace(f.values.Get(field))
	switch {
	case required && v == "":
		f.bad(field, label, lang.OfficeErrRequired)
	case utf8.RuneCountInString(v) > max:
		f.bad(field, label, lang.OfficeErrTooLong, max)
	case strings.ContainsFunc(v, func(r rune) bool { return r < ' ' || r == 0x7f }):
		f.bad(field, label, lang.OfficeErrControl)
	}
	return v
}

// number reads a whole number in [min, max].
func (f *form) number(field string, label lang.Key, min, max int) int {
	v := strings.TrimSpace(f.values.Get(field))
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		f.bad(field, label, lang.OfficeErrNumber, min, max)
		return 0
	}
	return n
}

// Dates the office accepts: from the first rules of 2020 to ten years
// ahead; anything else is a typo.
var (
	firstDay = calendar.Date(2020, 1, 1)
	lastDay  = calendar.Date(2040, 12, 31)
)

// day reads a date (YYYY-MM-DD, what a date input sends) within
// [min, max].
func (f *form) day(field string, label lang.Key, min, max calendar.Day) calendar.Day {
	d, err := calendar.Parse(strings.TrimSpace(f.values.Get(field)))
	switch {
	case err != nil:
		f.bad(field, label, lang.OfficeErrDate)
	case d < min || d > max:
		f.bad(field, label, lang.OfficeErrDateRange, min.Italian(), max.Italian())
	}
	return d
}

// level reads a school level.
func (f *form) level(field string, label lang.Key) school.Level {
	l, err := school.ParseLevel(strings.TrimSpace(f.values.Get(field)))
	if err != nil {
		f.bad(field, label, lang.OfficeErrLevel)
	}
	return l
}

// codePattern is a codice meccanografico: province and school type
// (four letters), then six letters or digits, e.g. MIEE12345X.
var codePattern = regexp.MustCompile(`^[A-Z]{4}[A-Z0-9]{6}$`)

// maxEnrolled bounds a class's enrolled pupils, as the kiosk's
// configuration does.
const maxEnrolled = 100

// className reads a class name: required, short, printable.
func (f *form) className(field string) string {
	return f.text(field, lang.OfficeFieldClass, true, 40)
}

// pathID reads a numeric id from the URL path.
func pathID(rq *request, name string) (int64, bool) {
	id, err := strconv.ParseInt(rq.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}
