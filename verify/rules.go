package verify

import (
	"fmt"
	"time"
)

// Mode is an Italian scan mode: which certificates admit.
type Mode string

// The scan modes. School is the mode of DL 5/2022 for classes under daily
// verification; the others are the official verifier's 3G ("base"), 2G
// ("rafforzata") and booster ("visitatori RSA").
const (
	ModeSchool  Mode = "school"
	Mode3G      Mode = "3G"
	Mode2G      Mode = "2G"
	ModeBooster Mode = "booster"
)

// ParseMode reads a mode name as the command line spells it.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeSchool, Mode3G, Mode2G, ModeBooster:
		return m, nil
	}
	return "", fmt.Errorf("unknown scan mode %q (want school, 3G, 2G or booster)", s)
}

// Product codes the rules name.
const (
	productJanssen = "EU/1/20/1525"
	productSputnik = "Sputnik-V"
)

// Test types and results (LOINC and SNOMED CT codes of the DCC value sets).
const (
	testMolecular = "LP6464-4"
	testRapid     = "LP217198-3"
	testDetected  = "260373001"
)

// judge is one application of the rules of a mode to one certificate.
type judge struct {
	s      *Settings
	mode   Mode
	today  Day
	at     time.Time
	signer *Signer
}

// ruleError is a refusal by the rules.
func ruleError(status Status, reason Reason, detail string, args ...any) *refusal {
	return fail(StageRules, status, reason, nil, detail, args...)
}

// window judges today against [start, end], both days included. Its
// details never carry the dates: they derive from health data.
func (j *judge) window(start, end Day, what string) *refusal {
	switch {
	case j.today < start:
		return ruleError(StatusNotValidYet, ReasonNotYetValid, "%s: validity not yet begun", what)
	case j.today > end:
		return ruleError(StatusExpired, ReasonExpired, "%s: validity ended", what)
	}
	return nil
}

// applyRules judges a certificate whose signature, structure and revocation
// have been checked. nil means VALID.
func applyRules(d *DCC, kind Kind, signer *Signer, s *Settings, mode Mode, instant time.Time) *refusal {
	j := &judge{s: s, mode: mode, today: DayOf(instant), at: instant, signer: signer}
	switch kind {
	case KindVaccination:
		return j.vaccination(&d.V[0])
	case KindTest:
		return j.test(&d.T[0])
	case KindRecovery:
		return j.recovery(&d.R[0])
	case KindExemption:
		return j.exemption(&d.E[0])
	}
	return ruleError(StatusNotEUDCC, ReasonNotEUDCC, "no certificate group")
}

func (j *judge) isEMA(mp, country string) bool {
	// Sputnik-V counts only when given in San Marino, as the official
	// verifier had it.
	return j.s.EMAVaccines[mp] || (mp == productSputnik && country == "SM")
}

func (j *judge) vaccination(v *Vaccination) *refusal {
	if v.TG != diseaseCOVID19 {
		return ruleError(StatusNotValid, ReasonNotAccepted, "vaccination is not against COVID-19")
	}
	if v.DN <= 0 || v.SD <= 0 {
		return ruleError(StatusNotValid, ReasonNotAccepted, "dose number and series must be positive")
	}
	dt, err := parseDay(v.DT, "v.dt")
	if err != nil {
		return ruleError(StatusNotValid, ReasonNotAccepted, "%v", err)
	}
	complete := v.DN >= v.SD
	// A booster: a further dose after a completed cycle. Janssen's cycle is
	// one dose, so its second dose is already a booster.
	booster := complete && ((v.MP == productJanssen && v.DN >= 2) || v.DN >= 3 || v.DN > v.SD)
	ema := j.isEMA(v.MP, v.CO)
	s := j.s

	// The completed-cycle window, shared by every mode.
	completeStart := s.VaccineStartDayCompleteIT
	if v.MP == productJanssen {
		if p := s.product(productJanssen); p != nil {
			completeStart += p.startComplete
		}
	}
	completeWindow := func(endDays int) *refusal {
		return j.window(dt+Day(completeStart), dt+Day(endDays), "completed vaccination cycle")
	}
	boosterWindow := func() *refusal {
		return j.window(dt+Day(s.VaccineStartDayBoosterIT), dt+Day(s.VaccineEndDayBoosterIT), "booster")
	}
	partialWindow := func() *refusal {
		p := s.product(v.MP)
		if p == nil || p.has&(hasStartNotComplete|hasEndNotComplete) != hasStartNotComplete|hasEndNotComplete {
			return ruleError(StatusNotValid, ReasonNotAccepted, "no rules for this product's incomplete cycle")
		}
		return j.window(dt+Day(p.startNotComplete), dt+Day(p.endNotComplete), "incomplete vaccination cycle")
	}

	switch j.mode {
	case ModeSchool:
		switch {
		case !complete:
			return ruleError(StatusNotValid, ReasonNotAccepted, "an incomplete cycle does not admit in school mode")
		case !ema:
			return ruleError(StatusNotValid, ReasonNotAccepted, "product not among the recognised vaccines")
		case booster:
			return boosterWindow()
		}
		return completeWindow(s.VaccineEndDaySchool)

	case Mode3G:
		switch {
		case !ema:
			return ruleError(StatusNotValid, ReasonNotAccepted, "product not among the recognised vaccines")
		case !complete:
			return partialWindow()
		case booster:
			return boosterWindow()
		}
		return completeWindow(s.VaccineEndDayCompleteIT)

	case Mode2G:
		if v.CO == "IT" || !complete {
			// Italian vaccinations and incomplete cycles: as in 3G.
			j2 := *j
			j2.mode = Mode3G
			return j2.vaccination(v)
		}
		if booster {
			if err := boosterWindow(); err != nil {
				return err
			}
			if !ema {
				return ruleError(StatusTestNeeded, ReasonTestNeeded, "booster of a product not recognised in Italy")
			}
			return nil
		}
		// A completed cycle abroad: valid for the Italian window, then
		// with a test up to the extended one (always with a test for a
		// product not recognised in Italy).
		start := dt + Day(completeStart)
		if j.today < start {
			return ruleError(StatusNotValidYet, ReasonNotYetValid, "completed vaccination cycle: validity not yet begun")
		}
		if ema && j.today <= dt+Day(s.VaccineEndDayCompleteIT) {
			return nil
		}
		if j.today <= dt+Day(s.VaccineEndDayCompleteExtendedEMA) {
			return ruleError(StatusTestNeeded, ReasonTestNeeded, "completed cycle abroad: a test is also needed")
		}
		return ruleError(StatusExpired, ReasonExpired, "completed vaccination cycle: validity ended")

	case ModeBooster:
		switch {
		case !complete:
			return ruleError(StatusNotValid, ReasonNotAccepted, "an incomplete cycle does not admit in booster mode")
		case booster:
			if err := boosterWindow(); err != nil {
				return err
			}
			if !ema {
				return ruleError(StatusTestNeeded, ReasonTestNeeded, "booster of a product not recognised in Italy")
			}
			return nil
		}
		if err := completeWindow(s.VaccineEndDayCompleteIT); err != nil {
			return err
		}
		return ruleError(StatusTestNeeded, ReasonTestNeeded, "completed cycle without booster: a test is also needed")
	}
	return ruleError(StatusNotValid, ReasonNotAccepted, "unknown scan mode")
}

func (j *judge) test(t *Test) *refusal {
	if t.TG != diseaseCOVID19 {
		return ruleError(StatusNotValid, ReasonNotAccepted, "test is not for COVID-19")
	}
	if t.TR == testDetected {
		return ruleError(StatusNotValid, ReasonNotAccepted, "test result is not negative")
	}
	if j.mode != Mode3G {
		return ruleError(StatusNotValid, ReasonNotAccepted, "a test does not admit in %s mode", j.mode)
	}
	sc, err := parseInstant(t.SC, "t.sc")
	if err != nil {
		return ruleError(StatusNotValid, ReasonNotAccepted, "%v", err)
	}
	var start, end int
	switch t.TT {
	case testMolecular:
		start, end = j.s.MolecularTestStartHours, j.s.MolecularTestEndHours
	case testRapid:
		start, end = j.s.RapidTestStartHours, j.s.RapidTestEndHours
	default:
		return ruleError(StatusNotValid, ReasonNotAccepted, "unknown type of test")
	}
	from, until := sc.Add(time.Duration(start)*time.Hour), sc.Add(time.Duration(end)*time.Hour)
	switch {
	case j.at.Before(from):
		return ruleError(StatusNotValidYet, ReasonNotYetValid, "test: validity not yet begun")
	case j.at.After(until):
		return ruleError(StatusExpired, ReasonExpired, "test: validity ended")
	}
	return nil
}

func (j *judge) recovery(r *Recovery) *refusal {
	if r.TG != diseaseCOVID19 {
		return ruleError(StatusNotValid, ReasonNotAccepted, "recovery is not from COVID-19")
	}
	df, err := parseDay(r.DF, "r.df")
	if err != nil {
		return ruleError(StatusNotValid, ReasonNotAccepted, "%v", err)
	}
	s := j.s
	// A recovery after vaccination, issued in Italy, carries its own window
	// from df in every mode.
	bis := r.CO == "IT" && j.signer != nil && j.signer.listsRecoveryOID()
	if bis {
		return j.window(df+Day(s.RecoveryPVStartDay), df+Day(s.RecoveryPVEndDay), "recovery after vaccination")
	}
	switch j.mode {
	case ModeSchool:
		// School mode counts 120 days from the first positive test, not
		// from the certificate's validity start.
		fr, err := parseDay(r.FR, "r.fr")
		if err != nil {
			return ruleError(StatusNotValid, ReasonNotAccepted, "%v", err)
		}
		return j.window(df+Day(s.RecoveryStartDayIT), fr+Day(s.RecoveryEndDaySchool), "recovery")
	case Mode3G, Mode2G:
		return j.window(df+Day(s.RecoveryStartDayIT), df+Day(s.RecoveryEndDayIT), "recovery")
	case ModeBooster:
		if err := j.window(df+Day(s.RecoveryStartDayIT), df+Day(s.RecoveryEndDayIT), "recovery"); err != nil {
			return err
		}
		return ruleError(StatusTestNeeded, ReasonTestNeeded, "recovery without booster: a test is also needed")
	}
	return ruleError(StatusNotValid, ReasonNotAccepted, "unknown scan mode")
}

func (j *judge) exemption(e *Exemption) *refusal {
	df, err := parseDay(e.DF, "e.df")
	if err != nil {
		return ruleError(StatusNotValid, ReasonNotAccepted, "%v", err)
	}
	end := Day(1 << 30) // an exemption without du has no end
	if e.DU != "" {
		if end, err = parseDay(e.DU, "e.du"); err != nil {
			return ruleError(StatusNotValid, ReasonNotAccepted, "%v", err)
		}
	}
	if err := j.window(df, end, "exemption"); err != nil {
		return err
	}
	if j.mode == ModeBooster {
		return ruleError(StatusTestNeeded, ReasonTestNeeded, "exemption: a test is also needed")
	}
	return nil
}
