package verify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scuola/kiosk/testdata/shared"
)

// The gateway's real settings document parses to the same values the
// built-in defaults hold.
func TestParseGatewaySettings(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(shared.Dir(t, "fixtures/it-gateway"), "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSettings(data)
	if err != nil {
		t.Fatal(err)
	}
	d := DefaultSettings()
	for name, p := range s.genericKeys() {
		if want := *d.genericKeys()[name]; *p != want {
			t.Errorf("%s = %d in the gateway's document, %d built in", name, *p, want)
		}
	}
	if s.VaccineEndDaySchool != 120 || s.RecoveryEndDaySchool != 120 || s.VaccineEndDayBoosterIT != 540 {
		t.Errorf("school values: %d %d %d", s.VaccineEndDaySchool, s.RecoveryEndDaySchool, s.VaccineEndDayBoosterIT)
	}
	if !s.EMAVaccines["EU/1/20/1528"] || s.EMAVaccines["Sputnik-V"] {
		t.Error("EMA list wrong")
	}
	if !s.BlackListUVCI["URN:UVCI:01:FR:W7V2BE46QSBJ#L"] {
		t.Error("blacklist not read")
	}
	if p := s.product("EU/1/20/1525"); p == nil || p.startComplete != 15 {
		t.Error("Janssen's start day not read")
	}
	if !strings.Contains(s.ModeDescriptions[ModeSchool], "scuola") {
		t.Error("school mode description not read")
	}
}

// edit changes the built-in document for a test.
func edit(t *testing.T, set map[string]string, remove ...string) string {
	t.Helper()
	doc, err := EditSettings(DefaultSettingsJSON(), set, remove...)
	if err != nil {
		t.Fatal(err)
	}
	return string(doc)
}

func TestParseSettingsErrors(t *testing.T) {
	if _, err := ParseSettings([]byte(edit(t, nil))); err != nil {
		t.Fatalf("the built-in document refused: %v", err)
	}
	for doc, want := range map[string]string{
		edit(t, nil, "recovery_cert_end_day_school"):                      "required key recovery_cert_end_day_school is missing",
		edit(t, nil, "EMA_vaccines"):                                      "required key EMA_vaccines is missing",
		edit(t, map[string]string{"recovery_cert_end_day_school": "12O"}): `(recovery_cert_end_day_school, type GENERIC): value "12O" is not a whole number`,
		edit(t, map[string]string{"recovery_cert_end_day_school": "-1"}):  "outside 0…100000",
		edit(t, map[string]string{"vaccine_end_day_not_complete": "1.5"}): "not a whole number",
		`[{"name":"vaccine_end_day_complete","type":"","value":"1"}]`:     "no medicinal product",
		`{"name":"x"}`:      "not a JSON array",
		`[`:                 "not a JSON array",
		edit(t, nil) + `[]`: "data after",
		`[{"name":"vaccine_end_day_school","value":120}]`: "not a JSON array",
	} {
		if _, err := ParseSettings([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want an error containing %q", err, want)
		}
	}
	if _, err := ParseSettings(make([]byte, MaxSettingsLen+1)); err == nil || !strings.Contains(err.Error(), "bound") {
		t.Errorf("oversized document: %v", err)
	}
}

// A key the document omits keeps its built-in default.
func TestParseSettingsKeepsDefaultsForOmittedKeys(t *testing.T) {
	s, err := ParseSettings([]byte(edit(t, nil, "vaccine_end_day_complete_extended_EMA", "recovery_pv_cert_end_day")))
	if err != nil {
		t.Fatal(err)
	}
	if s.VaccineEndDayCompleteExtendedEMA != 270 || s.RecoveryPVEndDay != 540 {
		t.Errorf("omitted keys lost their defaults: %d %d", s.VaccineEndDayCompleteExtendedEMA, s.RecoveryPVEndDay)
	}
}
