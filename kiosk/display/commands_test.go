package display

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/lang"
)

const (
	choose   = kiosk.CommandChooseClass
	lock     = kiosk.CommandLock
	language = kiosk.CommandLang
)

func TestParseCommand(t *testing.T) {
	refused := kiosk.Command{}
	for _, tc := range []struct {
		kind kiosk.CommandKind
		body string
		want kiosk.Command
	}{
		{choose, `{"class":"3A"}`, kiosk.Command{Kind: choose, Class: "3A"}},
		{choose, ` {"class": "2ª B – primaria"} `, kiosk.Command{Kind: choose, Class: "2ª B – primaria"}},
		{lock, `{}`, kiosk.Command{Kind: lock}},
		{language, `{"lang":"en"}`, kiosk.Command{Kind: language, Lang: "en"}},
		{language, `{"lang":"it"}`, kiosk.Command{Kind: language, Lang: "it"}},

		{choose, ``, refused},
		{choose, `{}`, refused},
		{choose, `{"class":""}`, refused},
		{choose, `{"class":"   "}`, refused},
		{choose, `{"class":"3A\n"}`, refused},
		{choose, `{"class":"3A\u0000"}`, refused},
		{choose, `{"class":"` + strings.Repeat("A", 65) + `"}`, refused},
		{choose, `{"class":3}`, refused},
		{choose, `{"class":"3A","lang":"en"}`, refused},
		{choose, `{"class":"3A","admin":true}`, refused},
		{choose, `{"class":"3A"}{"class":"3B"}`, refused},
		{choose, `["3A"]`, refused},
		{lock, ``, refused},
		{lock, `{"class":"3A"}`, refused},
		{language, `{"lang":"de"}`, refused},
		{language, `{"lang":"EN"}`, refused},
		{language, `{}`, refused},
		{kiosk.CommandKind(99), `{}`, refused},
	} {
		got, err := parseCommand(tc.kind, []byte(tc.body))
		if got != tc.want || (err == nil) != (tc.want != refused) {
			t.Errorf("parseCommand(%d, %q) = %+v, %v; want %+v", tc.kind, tc.body, got, err, tc.want)
		}
	}
}

// FuzzParseCommand feeds the parser of the page's POST bodies (the only
// outside input the display parses) with anything. A command it accepts has
// the asked kind and a valid value, and survives a round trip through the
// page's own encoding; refusals never quote the body.
func FuzzParseCommand(f *testing.F) {
	for _, seed := range []struct {
		kind kiosk.CommandKind
		body string
	}{
		{choose, `{"class":"3A"}`},
		{choose, `{"class":"2ª B"}`},
		{lock, `{}`},
		{language, `{"lang":"en"}`},
		{language, `{"lang":"it","x":1}`},
		{choose, `{"class":"\ud800"}`},
		{lock, `null`},
	} {
		f.Add(int(seed.kind), []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, kind int, body []byte) {
		c, err := parseCommand(kiosk.CommandKind(kind), body)
		if err != nil {
			if c != (kiosk.Command{}) {
				t.Fatalf("refused with a command: %+v", c)
			}
			if len(body) > 8 && strings.Contains(err.Error(), string(body)) {
				t.Fatalf("the error quotes the body: %v", err)
			}
			return
		}
		if c.Kind != kiosk.CommandKind(kind) {
			t.Fatalf("kind %d became %d", kind, c.Kind)
		}
		var again []byte // what the page posts for c: JSON.stringify of its field
		switch c.Kind {
		case choose:
			if !utf8.ValidString(c.Class) || strings.TrimSpace(c.Class) == "" || len(c.Class) > maxClassName || c.Lang != "" {
				t.Fatalf("accepted %+v", c)
			}
			again, _ = json.Marshal(map[string]string{"class": c.Class})
		case language:
			if _, err := lang.Parse(string(c.Lang)); err != nil || c.Class != "" {
				t.Fatalf("accepted %+v", c)
			}
			again, _ = json.Marshal(map[string]string{"lang": string(c.Lang)})
		case lock:
			if c != (kiosk.Command{Kind: lock}) {
				t.Fatalf("accepted %+v", c)
			}
			again = []byte("{}")
		default:
			t.Fatalf("accepted an unknown kind %d", c.Kind)
		}
		if c2, err := parseCommand(c.Kind, again); err != nil || c2 != c {
			t.Fatalf("round trip of %+v: %+v, %v", c, c2, err)
		}
	})
}

func TestServerCommands(t *testing.T) {
	s, base, _ := startServer(t, Config{})
	for _, rq := range []struct {
		path, body string
		want       kiosk.Command
	}{
		{"/command/choose-class", `{"class":"3B"}`, kiosk.Command{Kind: choose, Class: "3B"}},
		{"/command/language", `{"lang":"en"}`, kiosk.Command{Kind: language, Lang: "en"}},
		{"/command/lock", `{}`, kiosk.Command{Kind: lock}},
	} {
		resp, _ := request{method: "POST", path: rq.path, body: rq.body, header: jsonHeader}.do(t, base)
		if resp.StatusCode != 204 {
			t.Fatalf("%s: %s", rq.path, resp.Status)
		}
		if c := <-s.Commands(); c != rq.want {
			t.Errorf("%s: %+v, want %+v", rq.path, c, rq.want)
		}
	}
}
