package verify

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Settings are the verification rules in force, as the Italian gateway
// publishes them (GET settings: an array of {"name","type","value"}
// strings). Every number the rules use is here, so that a change of law is a
// new settings document, not a new program.
type Settings struct {
	// Per medicinal product (the setting's "type", e.g. EU/1/20/1528).
	products map[string]*productDays

	// Vaccination windows, in days from the date of the last dose.
	VaccineStartDayCompleteIT    int
	VaccineEndDayCompleteIT      int
	VaccineStartDayCompleteNotIT int
	VaccineEndDayCompleteNotIT   int
	VaccineStartDayBoosterIT     int
	VaccineEndDayBoosterIT       int
	VaccineStartDayBoosterNotIT  int
	VaccineEndDayBoosterNotIT    int
	VaccineEndDaySchool          int
	// VaccineEndDayCompleteExtendedEMA is the 2G mode's window for a
	// completed cycle from abroad, after which a test is also needed.
	VaccineEndDayCompleteExtendedEMA int

	// Recovery windows, in days.
	RecoveryStartDayIT    int
	RecoveryEndDayIT      int
	RecoveryStartDayNotIT int
	RecoveryEndDayNotIT   int
	// RecoveryPVStartDay and RecoveryPVEndDay are the window of a recovery
	// after vaccination, counted from df.
	RecoveryPVStartDay int
	RecoveryPVEndDay   int
	// RecoveryEndDaySchool counts from the first positive test (fr).
	RecoveryEndDaySchool int

	// Test windows, in hours from sample collection.
	RapidTestStartHours     int
	RapidTestEndHours       int
	MolecularTestStartHours int
	MolecularTestEndHours   int

	// EMAVaccines are the products that count as a vaccination.
	EMAVaccines map[string]bool
	// BlackListUVCI are revoked certificate identifiers, in plain text.
	BlackListUVCI map[string]bool

	// Descriptions of the scan modes, for the screen, by mode.
	ModeDescriptions map[Mode]string
}

// productDays are the windows of one medicinal product.
type productDays struct {
	startComplete, endComplete, startNotComplete, endNotComplete int
	has                                                          uint8
}

const (
	hasStartComplete uint8 = 1 << iota
	hasEndComplete
	hasStartNotComplete
	hasEndNotComplete
)

// Setting is one entry of the gateway's settings document.
type Setting struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

// MaxSettingsLen bounds a settings document (the real one is about 20 KB).
const MaxSettingsLen = 4 << 20

// genericKeys are the numeric settings of type GENERIC, with where each is
// kept.
func (s *Settings) genericKeys() map[string]*int {
	return map[string]*int{
		"vaccine_start_day_complete_IT":         &s.VaccineStartDayCompleteIT,
		"vaccine_end_day_complete_IT":           &s.VaccineEndDayCompleteIT,
		"vaccine_start_day_complete_NOT_IT":     &s.VaccineStartDayCompleteNotIT,
		"vaccine_end_day_complete_NOT_IT":       &s.VaccineEndDayCompleteNotIT,
		"vaccine_start_day_booster_IT":          &s.VaccineStartDayBoosterIT,
		"vaccine_end_day_booster_IT":            &s.VaccineEndDayBoosterIT,
		"vaccine_start_day_booster_NOT_IT":      &s.VaccineStartDayBoosterNotIT,
		"vaccine_end_day_booster_NOT_IT":        &s.VaccineEndDayBoosterNotIT,
		"vaccine_end_day_school":                &s.VaccineEndDaySchool,
		"vaccine_end_day_complete_extended_EMA": &s.VaccineEndDayCompleteExtendedEMA,
		"recovery_cert_start_day_IT":            &s.RecoveryStartDayIT,
		"recovery_cert_end_day_IT":              &s.RecoveryEndDayIT,
		"recovery_cert_start_day_NOT_IT":        &s.RecoveryStartDayNotIT,
		"recovery_cert_end_day_NOT_IT":          &s.RecoveryEndDayNotIT,
		"recovery_pv_cert_start_day":            &s.RecoveryPVStartDay,
		"recovery_pv_cert_end_day":              &s.RecoveryPVEndDay,
		"recovery_cert_end_day_school":          &s.RecoveryEndDaySchool,
		"rapid_test_start_hours":                &s.RapidTestStartHours,
		"rapid_test_end_hours":                  &s.RapidTestEndHours,
		"molecular_test_start_hours":            &s.MolecularTestStartHours,
		"molecular_test_end_hours":              &s.MolecularTestEndHours,
	}
}

// DefaultSettings are the values the Italian gateway published in
// February 2022 (settings.json beside this file), used when no settings
// document is given.
func DefaultSettings() *Settings {
	s, err := parseSettings(defaultSettingsJSON, nil)
	if err != nil {
		panic("built-in settings do not parse: " + err.Error())
	}
	return s
}

// builtin holds the defaults that a downloaded document may leave out.
var builtin = DefaultSettings()

// defaultSettingsJSON is written in the gateway's own format so that the
// defaults go through exactly the parser a downloaded document does; it is
// a file of its own so that it reads, and diffs, as the gateway's document.
//
//go:embed settings.json
var defaultSettingsJSON []byte

// requiredGeneric are the settings without which a mode cannot be judged; a
// document that lacks one is refused rather than silently defaulted, since
// the gateway always sends them.
var requiredGeneric = []string{
	"vaccine_end_day_complete_IT", "vaccine_end_day_booster_IT",
	"recovery_cert_end_day_IT", "vaccine_end_day_school", "recovery_cert_end_day_school",
	"rapid_test_end_hours", "molecular_test_end_hours",
}

// ParseSettings reads a settings document in the gateway's format and
// validates it: numbers where numbers are expected (whole, 0…100000), known
// structure, and the keys the rules cannot do without (requiredGeneric).
// Unknown names are ignored (the gateway adds texts and app versions
// freely). A numeric key the document omits keeps its built-in default.
func ParseSettings(data []byte) (*Settings, error) { return parseSettings(data, builtin) }

// parseSettings parses data over the numeric values of base (nil: zeros).
func parseSettings(data []byte, base *Settings) (*Settings, error) {
	if len(data) > MaxSettingsLen {
		return nil, fmt.Errorf("settings: %d bytes is over the %d-byte bound", len(data), MaxSettingsLen)
	}
	var entries []Setting
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("settings: not a JSON array of {name,type,value}: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("settings: data after the JSON array")
	}
	s := &Settings{
		products:         map[string]*productDays{},
		EMAVaccines:      map[string]bool{},
		BlackListUVCI:    map[string]bool{},
		ModeDescriptions: map[Mode]string{},
	}
	generic := s.genericKeys()
	if base != nil {
		for k, p := range base.genericKeys() {
			*generic[k] = *p
		}
	}
	seen := map[string]bool{}
	for i, e := range entries {
		where := func() string { return fmt.Sprintf("settings entry %d (%s, type %s)", i, e.Name, e.Type) }
		if p, ok := generic[e.Name]; ok {
			n, err := settingNumber(e.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where(), err)
			}
			*p = n
			seen[e.Name] = true
			continue
		}
		switch e.Name {
		case "vaccine_start_day_complete", "vaccine_end_day_complete", "vaccine_start_day_not_complete", "vaccine_end_day_not_complete":
			if e.Type == "" {
				return nil, fmt.Errorf("%s: no medicinal product in type", where())
			}
			n, err := settingNumber(e.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where(), err)
			}
			p := s.products[e.Type]
			if p == nil {
				p = &productDays{}
				s.products[e.Type] = p
			}
			switch e.Name {
			case "vaccine_start_day_complete":
				p.startComplete, p.has = n, p.has|hasStartComplete
			case "vaccine_end_day_complete":
				p.endComplete, p.has = n, p.has|hasEndComplete
			case "vaccine_start_day_not_complete":
				p.startNotComplete, p.has = n, p.has|hasStartNotComplete
			case "vaccine_end_day_not_complete":
				p.endNotComplete, p.has = n, p.has|hasEndNotComplete
			}
		case "EMA_vaccines":
			for _, v := range splitList(e.Value) {
				s.EMAVaccines[v] = true
			}
			seen[e.Name] = true
		case "black_list_uvci":
			for _, v := range splitList(e.Value) {
				s.BlackListUVCI[v] = true
			}
		case "school_scan_mode_description":
			s.ModeDescriptions[ModeSchool] = e.Value
		case "3G_scan_mode_description":
			s.ModeDescriptions[Mode3G] = e.Value
		case "2G_scan_mode_description":
			s.ModeDescriptions[Mode2G] = e.Value
		case "booster_scan_mode_description":
			s.ModeDescriptions[ModeBooster] = e.Value
		}
	}
	for _, k := range requiredGeneric {
		if !seen[k] {
			return nil, fmt.Errorf("settings: required key %s is missing", k)
		}
	}
	if !seen["EMA_vaccines"] {
		return nil, fmt.Errorf("settings: required key EMA_vaccines is missing")
	}
	return s, nil
}

// settingNumber parses a day or hour count.
func settingNumber(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("value %q is not a whole number", v)
	}
	if n < 0 || n > 100000 {
		return 0, fmt.Errorf("value %d is outside 0…100000", n)
	}
	return n, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// product returns the windows of a medicinal product, or nil when the
// settings know nothing of it.
func (s *Settings) product(mp string) *productDays { return s.products[mp] }
