package verify

import "time"

// ApplyRules exposes the scan-mode rules to the external tests, which build
// certificates with the fixture generator (an internal test cannot import
// it: the generator imports this package).
func ApplyRules(d *DCC, signer *Signer, s *Settings, mode Mode, instant time.Time) (Status, Stage) {
	kind := KindUnknown
	switch {
	case len(d.V) > 0:
		kind = KindVaccination
	case len(d.T) > 0:
		kind = KindTest
	case len(d.R) > 0:
		kind = KindRecovery
	case len(d.E) > 0:
		kind = KindExemption
	}
	if err := applyRules(d, kind, signer, s, mode, instant); err != nil {
		return err.Status, err.Stage
	}
	return StatusValid, StageNone
}
