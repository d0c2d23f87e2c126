package verify_test

import (
	"strings"
	"testing"

	fx "github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
)

// edit changes the built-in document for a test.
func edit(t *testing.T, set map[string]string, remove ...string) string {
	t.Helper()
	doc, err := fx.EditSettings(set, remove...)
	if err != nil {
		t.Fatal(err)
	}
	return string(doc)
}

func TestParseSettingsErrors(t *testing.T) {
	if _, err := verify.ParseSettings([]byte(edit(t, nil))); err != nil {
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
		if _, err := verify.ParseSettings([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want an error containing %q", err, want)
		}
	}
	if _, err := verify.ParseSettings(make([]byte, verify.MaxSettingsLen+1)); err == nil || !strings.Contains(err.Error(), "bound") {
		t.Errorf("oversized document: %v", err)
	}
}

// A key the document omits keeps its built-in default.
func TestParseSettingsKeepsDefaultsForOmittedKeys(t *testing.T) {
	s, err := verify.ParseSettings([]byte(edit(t, nil, "vaccine_end_day_complete_extended_EMA", "recovery_pv_cert_end_day")))
	if err != nil {
		t.Fatal(err)
	}
	if s.VaccineEndDayCompleteExtendedEMA != 270 || s.RecoveryPVEndDay != 540 {
		t.Errorf("omitted keys lost their defaults: %d %d", s.VaccineEndDayCompleteExtendedEMA, s.RecoveryPVEndDay)
	}
}
