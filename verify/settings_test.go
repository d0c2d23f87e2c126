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

func TestParseSettingsErrors(t *testing.T) {
	base := `{"name":"vaccine_end_day_complete_IT","type":"GENERIC","value":"180"},
{"name":"vaccine_end_day_booster_IT","type":"GENERIC","value":"540"},
{"name":"recovery_cert_end_day_IT","type":"GENERIC","value":"180"},
{"name":"vaccine_end_day_school","type":"GENERIC","value":"120"},
{"name":"rapid_test_end_hours","type":"GENERIC","value":"48"},
{"name":"molecular_test_end_hours","type":"GENERIC","value":"72"},
{"name":"EMA_vaccines","type":"GENERIC","value":"EU/1/20/1528"}`
	ok := `[` + base + `,{"name":"recovery_cert_end_day_school","type":"GENERIC","value":"120"}]`
	if _, err := ParseSettings([]byte(ok)); err != nil {
		t.Fatalf("minimal document refused: %v", err)
	}
	for doc, want := range map[string]string{
		`[` + base + `]`: "required key recovery_cert_end_day_school is missing",
		`[` + base + `,{"name":"recovery_cert_end_day_school","type":"GENERIC","value":"12O"}]`: `entry 7 (recovery_cert_end_day_school, type GENERIC): value "12O" is not a whole number`,
		`[` + base + `,{"name":"recovery_cert_end_day_school","type":"GENERIC","value":"-1"}]`:  "outside 0…100000",
		`[` + base + `,{"name":"vaccine_end_day_complete","type":"","value":"1"}]`:              "no medicinal product",
		`[` + base + `,{"name":"vaccine_end_day_complete","type":"X","value":"1.5"}]`:           "not a whole number",
		`{"name":"x"}`: "not a JSON array",
		`[`:            "not a JSON array",
		ok + `[]`:      "data after",
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
	s, err := ParseSettings([]byte(`[
{"name":"vaccine_end_day_complete_IT","type":"GENERIC","value":"180"},
{"name":"vaccine_end_day_booster_IT","type":"GENERIC","value":"540"},
{"name":"recovery_cert_end_day_IT","type":"GENERIC","value":"180"},
{"name":"vaccine_end_day_school","type":"GENERIC","value":"120"},
{"name":"recovery_cert_end_day_school","type":"GENERIC","value":"120"},
{"name":"rapid_test_end_hours","type":"GENERIC","value":"48"},
{"name":"molecular_test_end_hours","type":"GENERIC","value":"72"},
{"name":"EMA_vaccines","type":"GENERIC","value":"EU/1/20/1528"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if s.VaccineEndDayCompleteExtendedEMA != 270 || s.RecoveryPVEndDay != 540 {
		t.Errorf("omitted keys lost their defaults: %d %d", s.VaccineEndDayCompleteExtendedEMA, s.RecoveryPVEndDay)
	}
}
