// Package lang holds every text a person reads at the school — the
// entrance screen, the verdict's reasons, the session's notices — in one
// table per language, and the one Lang type that picks a table. Adding a
// language is adding a table (a file like it.go) and its entry in tables;
// the tests refuse a table that misses a key of the Italian one.
//
// Errors meant for engineers (logs, command-line tools) stay in English in
// the code that raises them; only what the delegate or the school staff
// read comes from here.
package lang

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/scuola/kiosk/verify"
)

// Lang is a supported language, by its ISO 639-1 code. The zero value is
// not a language; Parse gives a valid one.
type Lang string

// The supported languages. Italian comes first: the people at the entrance
// and in the office are Italian; English is the option.
const (
	IT Lang = "it"
	EN Lang = "en"
)

// Default is the language used when none is chosen.
const Default = IT

// tables holds the texts of each language.
var tables = map[Lang]table{IT: italian, EN: english}

// table maps a text's key to its words in one language.
type table map[Key]string

// Key names one text. Keys of the screen page start with "screen.", the
// verdict's reasons with "reason.".
type Key string

// Parse returns the language named by code ("it", "en"), or an error that
// lists the supported ones.
func Parse(code string) (Lang, error) {
	l := Lang(code)
	if _, ok := tables[l]; !ok {
		return "", fmt.Errorf("unknown language %q (supported: %v)", code, All())
	}
	return l, nil
}

// All lists the supported languages, the default first.
func All() []Lang {
	all := make([]Lang, 0, len(tables))
	for l := range tables {
		if l != Default {
			all = append(all, l)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	return append([]Lang{Default}, all...)
}

// UnmarshalText implements encoding.TextUnmarshaler with Parse, so that a
// configuration file is checked once, where it is read.
func (l *Lang) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*l = p
	return nil
}

// Text returns the text of k in l. A language without that key falls back
// to the default's words (the tests make sure none does), and an unknown key
// shows itself, so a mistake is visible rather than blank.
func (l Lang) Text(k Key) string {
	if t, ok := tables[l][k]; ok {
		return t
	}
	if t, ok := tables[Default][k]; ok {
		return t
	}
	return string(k)
}

// Format is Text with its placeholders {0}, {1}, … replaced by args, in
// the same form the screen page fills them, so that one table serves both
// and a translation may put the values in its own order.
func (l Lang) Format(k Key, args ...any) string {
	t := l.Text(k)
	for i, a := range args {
		t = strings.ReplaceAll(t, "{"+strconv.Itoa(i)+"}", fmt.Sprint(a))
	}
	return t
}

// Reason returns the delegate's phrase for a verdict's reason.
func (l Lang) Reason(r verify.Reason) string {
	if r == verify.ReasonNone {
		return ""
	}
	return l.Text(ReasonKey(r))
}

// ReasonKey is the key of a reason's phrase.
func ReasonKey(r verify.Reason) Key { return Key("reason." + string(r)) }

// Screen returns the entrance page's own words (the keys under "screen.",
// without the prefix) in every language, so that the page switches language
// at a touch without asking the kiosk.
func Screen() map[Lang]map[string]string {
	out := make(map[Lang]map[string]string, len(tables))
	for _, l := range All() {
		words := map[string]string{}
		for k := range tables[Default] {
			if name, ok := strings.CutPrefix(string(k), "screen."); ok {
				words[name] = l.Text(k)
			}
		}
		out[l] = words
	}
	return out
}
