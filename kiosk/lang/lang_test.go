package lang

import (
	"strings"
	"testing"

	"github.com/scuola/kiosk/verify"
)

// Every table has exactly the keys of the Italian one: a missing text would
// fall back to Italian on an English screen, an extra one is dead.
func TestTablesAreComplete(t *testing.T) {
	for l, tab := range tables {
		for k := range italian {
			if strings.TrimSpace(tab[k]) == "" {
				t.Errorf("%s: no text for %q", l, k)
			}
		}
		for k := range tab {
			if _, ok := italian[k]; !ok {
				t.Errorf("%s: %q is not an Italian key", l, k)
			}
		}
	}
}

// Every reason a verdict can carry has its phrase.
func TestEveryReasonHasWords(t *testing.T) {
	for _, r := range verify.Reasons() {
		if _, ok := italian[ReasonKey(r)]; !ok {
			t.Errorf("reason %q has no text", r)
		}
	}
	if got := EN.Reason(verify.ReasonExpired); got != "validity ended" {
		t.Errorf("EN expired: %q", got)
	}
	if got := IT.Reason(verify.ReasonNone); got != "" {
		t.Errorf("no reason: %q", got)
	}
}

func TestParse(t *testing.T) {
	for _, code := range []string{"it", "en"} {
		if l, err := Parse(code); err != nil || string(l) != code {
			t.Errorf("Parse(%q) = %q, %v", code, l, err)
		}
	}
	for _, code := range []string{"", "IT", "de", "it ", "english"} {
		if _, err := Parse(code); err == nil || !strings.Contains(err.Error(), "supported: [it en]") {
			t.Errorf("Parse(%q): %v", code, err)
		}
	}
	var l Lang
	if err := l.UnmarshalText([]byte("en")); err != nil || l != EN {
		t.Errorf("UnmarshalText: %q %v", l, err)
	}
	if got := All(); len(got) != 2 || got[0] != Default {
		t.Errorf("All() = %v", got)
	}
}

func TestTextFallsBack(t *testing.T) {
	if got := Lang("xx").Text(Locked); got != italian[Locked] {
		t.Errorf("unknown language: %q", got)
	}
	if got := EN.Text("no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
	if w := Screen()[EN]; w["admit"] != "ADMITTED" || len(w) != len(Screen()[IT]) {
		t.Errorf("screen words: %v", w)
	}
}
