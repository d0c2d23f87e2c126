package display

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/privacy"
)

var t0 = time.Date(2022, 2, 15, 8, 0, 0, 0, time.FixedZone("CET", 3600))

// decode is the page's view of an encoded Screen.
func decode(t *testing.T, sc kiosk.Screen, now time.Time) (screenMessage, string) {
	t.Helper()
	data, err := encodeScreen(sc, now)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), privacy.Redacted) {
		t.Errorf("a redacted value reached the page: %s", data)
	}
	var m screenMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m, string(data)
}

func TestPersonOnlyInResultUntilItsEnd(t *testing.T) {
	until := t0.Add(5 * time.Second)
	newResult := func() kiosk.Screen {
		return resultScreen(7, true, "Certificato valido", privacy.NewPerson("Rossi", "Mario", "2012-03-07"), until)
	}

	m, _ := decode(t, newResult(), t0)
	want := personMessage{FamilyName: "Rossi", GivenName: "Mario", DateOfBirth: "07/03/2012"}
	if m.Result == nil || m.Result.Person == nil || *m.Result.Person != want {
		t.Fatalf("result on screen: got %+v, want the person %+v", m.Result, want)
	}
	if !m.Result.Admit || m.Result.Reason != "Certificato valido" || m.Result.Until != "2022-02-15T08:00:05.000+01:00" {
		t.Errorf("result: %+v", m.Result)
	}

	for name, tc := range map[string]struct {
		screen func() kiosk.Screen
		now    time.Time
	}{
		"at Until":        {newResult, until},
		"after Until":     {newResult, until.Add(time.Hour)},
		"after Wipe":      {func() kiosk.Screen { sc := newResult(); sc.Result.Person.Wipe(); return sc }, t0},
		"no person":       {func() kiosk.Screen { sc := newResult(); sc.Result.Person = nil; return sc }, t0},
		"in ready":        {func() kiosk.Screen { sc := newResult(); sc.State = kiosk.StateReady; return sc }, t0},
		"in choose-class": {func() kiosk.Screen { sc := newResult(); sc.State = kiosk.StateChooseClass; return sc }, t0},
	} {
		m, data := decode(t, tc.screen(), tc.now)
		if strings.Contains(data, "Rossi") || strings.Contains(data, "Mario") || strings.Contains(data, "2012") {
			t.Errorf("%s: the person reached the page: %s", name, data)
		}
		if m.Result != nil && m.Result.Person != nil {
			t.Errorf("%s: person %+v", name, m.Result.Person)
		}
	}
}

func TestMessageCarriesTheScreen(t *testing.T) {
	sc := testScreen(3, kiosk.StateReady)
	sc.Lang = lang.EN
	sc.TrustData = kiosk.Health{OK: false, Message: "dati di verifica non aggiornati"}
	sc.Notice = "Badge non valido"
	m, _ := decode(t, sc, t0)
	if m.Seq != 3 || m.Lang != lang.EN || m.State != kiosk.StateReady || m.Notice != "Badge non valido" {
		t.Errorf("header fields: %+v", m)
	}
	if m.Operator == nil || *m.Operator != (operatorMessage{Name: "Maria Bianchi", Role: "collaboratrice scolastica"}) {
		t.Errorf("operator: %+v", m.Operator)
	}
	wantClass := classMessage{Name: "3B", Enrolled: 22, Admitted: 10, Refused: 2, VerificationUntil: "20/02/2022"}
	if m.Class == nil || *m.Class != wantClass {
		t.Errorf("class: %+v, want %+v", m.Class, wantClass)
	}
	if m.Health.TrustData != (partMessage{OK: false, Message: "dati di verifica non aggiornati"}) || !m.Health.Camera.OK {
		t.Errorf("health: %+v", m.Health)
	}

	m, _ = decode(t, testScreen(4, kiosk.StateChooseClass), t0)
	if len(m.Classes) != 3 || m.Classes[2] != (choiceMessage{Name: "4A", Enrolled: 19, VerificationUntil: "21/02/2022"}) {
		t.Errorf("classes: %+v", m.Classes)
	}
	if m, _ = decode(t, kiosk.Screen{Lang: "en"}, t0); m.Lang != "en" {
		t.Errorf("lang en became %q", m.Lang)
	}
}

func TestPublishKeepsItsOwnCopy(t *testing.T) {
	var s Server
	p := privacy.NewPerson("Rossi", "Mario", "2012-03-07")
	sc := resultScreen(9, true, "Certificato valido", p, time.Now().Add(time.Minute))
	sc.Classes = []kiosk.ClassChoice{{Name: "3A"}}
	s.Publish(sc)

	sc.Class.Admitted = 99
	sc.Operator.Name = "someone else"
	sc.Classes[0].Name = "5C"
	sc.Result.Admit = false
	got, _ := s.latest.get()
	if got.Class.Admitted != 10 || got.Operator.Name != "Maria Bianchi" || got.Classes[0].Name != "3A" || !got.Result.Admit {
		t.Errorf("the published screen changed with the caller's: %+v", got)
	}

	p.Wipe() // the session's wipe must reach the published copy
	if m, _ := decode(t, got, time.Now()); m.Result.Person != nil {
		t.Errorf("a wiped person is still sent: %+v", m.Result.Person)
	}
}

// The page holds no words of its own: every label of index.html and every
// key screen.js says exists in the tables of every language.
func TestPageWordsAreInTheTables(t *testing.T) {
	html, _ := assets.ReadFile("assets/index.html")
	js, _ := assets.ReadFile("assets/screen.js")
	var keys []string
	for _, m := range regexp.MustCompile(`data-label="([^"]+)"`).FindAllSubmatch(html, -1) {
		keys = append(keys, string(m[1]))
	}
	for _, m := range regexp.MustCompile(`say\("([^"]+)"`).FindAllSubmatch(js, -1) {
		keys = append(keys, string(m[1]))
	}
	if len(keys) < 20 {
		t.Fatalf("found only %d keys: the patterns no longer match the page", len(keys))
	}
	for l, words := range lang.Screen() {
		for _, k := range keys {
			if words[k] == "" {
				t.Errorf("%s: the page says %q, the table has no such word", l, k)
			}
		}
	}
	if !bytes.HasPrefix(wordsScript(), []byte("window.kioskWords = {")) {
		t.Errorf("words.js: %.40s", wordsScript())
	}
}
