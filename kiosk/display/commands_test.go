package display

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		kind CommandKind
		body string
		want Command // zero: refused
	}{
		{ChooseClass, `{"class":"3A"}`, Command{Kind: ChooseClass, Class: "3A"}},
		{ChooseClass, ` {"class": "2ª B – primaria"} `, Command{Kind: ChooseClass, Class: "2ª B – primaria"}},
		{Lock, `{}`, Command{Kind: Lock}},
		{SetLanguage, `{"lang":"en"}`, Command{Kind: SetLanguage, Lang: "en"}},
		{SetLanguage, `{"lang":"it"}`, Command{Kind: SetLanguage, Lang: "it"}},

		{ChooseClass, ``, Command{}},
		{ChooseClass, `{}`, Command{}},
		{ChooseClass, `{"class":""}`, Command{}},
		{ChooseClass, `{"class":"   "}`, Command{}},
		{ChooseClass, `{"class":"3A\n"}`, Command{}},
		{ChooseClass, `{"class":"3A\u0000"}`, Command{}},
		{ChooseClass, `{"class":"` + strings.Repeat("A", 65) + `"}`, Command{}},
		{ChooseClass, `{"class":3}`, Command{}},
		{ChooseClass, `{"class":"3A","lang":"en"}`, Command{}},
		{ChooseClass, `{"class":"3A","admin":true}`, Command{}},
		{ChooseClass, `{"class":"3A"}{"class":"3B"}`, Command{}},
		{ChooseClass, `["3A"]`, Command{}},
		{Lock, ``, Command{}},
		{Lock, `{"class":"3A"}`, Command{}},
		{SetLanguage, `{"lang":"de"}`, Command{}},
		{SetLanguage, `{"lang":"EN"}`, Command{}},
		{SetLanguage, `{}`, Command{}},
		{"reboot", `{}`, Command{}},
	} {
		got, err := parseCommand(tc.kind, []byte(tc.body))
		if got != tc.want || (err == nil) != (tc.want != Command{}) {
			t.Errorf("parseCommand(%s, %q) = %+v, %v; want %+v", tc.kind, tc.body, got, err, tc.want)
		}
	}
}

// FuzzParseCommand feeds the parser of the page's POST bodies (the only
// outside input the display parses) with anything. A command it accepts has
// the asked kind and valid fields, and survives a round trip through the
// page's own encoding; refusals never quote the body.
func FuzzParseCommand(f *testing.F) {
	for _, seed := range []struct {
		kind CommandKind
		body string
	}{
		{ChooseClass, `{"class":"3A"}`},
		{ChooseClass, `{"class":"2ª B"}`},
		{Lock, `{}`},
		{SetLanguage, `{"lang":"en"}`},
		{SetLanguage, `{"lang":"it","x":1}`},
		{ChooseClass, `{"class":"\ud800"}`},
		{Lock, `null`},
	} {
		f.Add(string(seed.kind), []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, kind string, body []byte) {
		c, err := parseCommand(CommandKind(kind), body)
		if err != nil {
			if c != (Command{}) {
				t.Fatalf("refused with a command: %+v", c)
			}
			if len(body) > 8 && strings.Contains(err.Error(), string(body)) {
				t.Fatalf("the error quotes the body: %v", err)
			}
			return
		}
		if string(c.Kind) != kind {
			t.Fatalf("kind %q became %q", kind, c.Kind)
		}
		switch c.Kind {
		case ChooseClass:
			if !utf8.ValidString(c.Class) || c.Class == "" || len(c.Class) > maxClassName || c.Lang != "" {
				t.Fatalf("accepted %+v", c)
			}
		case SetLanguage:
			if (c.Lang != "it" && c.Lang != "en") || c.Class != "" {
				t.Fatalf("accepted %+v", c)
			}
		case Lock:
			if c.Class != "" || c.Lang != "" {
				t.Fatalf("accepted %+v", c)
			}
		default:
			t.Fatalf("accepted an unknown kind %q", c.Kind)
		}
		// The page posts JSON.stringify of the same fields.
		var again []byte
		switch c.Kind {
		case ChooseClass:
			again, _ = json.Marshal(map[string]string{"class": c.Class})
		case SetLanguage:
			again, _ = json.Marshal(map[string]string{"lang": c.Lang})
		default:
			again = []byte("{}")
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
		want       Command
	}{
		{"/command/choose-class", `{"class":"3B"}`, Command{Kind: ChooseClass, Class: "3B"}},
		{"/command/language", `{"lang":"en"}`, Command{Kind: SetLanguage, Lang: "en"}},
		{"/command/lock", `{}`, Command{Kind: Lock}},
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
