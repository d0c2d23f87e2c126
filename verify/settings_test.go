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
