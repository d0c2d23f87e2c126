package issue

import (
	"time"

	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/calendar"
)

// Holder is the person a certificate is made out to (test and demo data:
// made-up people).
type Holder struct {
	FamilyName, GivenName string
	// Standardised forms (ICAO 9303: upper case, '<' for spaces).
	FamilyNameStd, GivenNameStd string
	DOB                         string // YYYY, YYYY-MM or YYYY-MM-DD
}

// The value-set codes these builders write.
const (
	diseaseCOVID19 = "840539006"
	issuerIT       = "Ministero della Salute"
	// Test types and results.
	TestRapid     = "LP217198-3"
	TestMolecular = "LP6464-4"
	notDetected   = "260415000"
	detected      = "260373001"
)

func newDCC(h Holder) *verify.DCC {
	d := &verify.DCC{Ver: "1.3.0", DOB: h.DOB}
	d.Nam.FN, d.Nam.GN, d.Nam.FNT, d.Nam.GNT = h.FamilyName, h.GivenName, h.FamilyNameStd, h.GivenNameStd
	return d
}

// Vaccination is a vaccination certificate: dose dn of sd of product mp,
// given on day in country.
func Vaccination(h Holder, mp string, dn, sd int, day calendar.Day, country, uvci string) *verify.DCC {
	d := newDCC(h)
	d.V = []verify.Vaccination{{TG: diseaseCOVID19, VP: "1119349007", MP: mp, MA: "ORG-100030215",
		DN: verify.Count(dn), SD: verify.Count(sd), DT: day.String(), CO: country, IS: issuerIT, CI: uvci}}
	return d
}

// Recovery is a recovery certificate: first positive test fr, valid from
// df until du.
func Recovery(h Holder, fr, df, du calendar.Day, country, uvci string) *verify.DCC {
	d := newDCC(h)
	d.R = []verify.Recovery{{TG: diseaseCOVID19, FR: fr.String(), CO: country, IS: issuerIT, DF: df.String(), DU: du.String(), CI: uvci}}
	return d
}

// TestResult is a test certificate of the given type (TestRapid or
// TestMolecular), collected at sampled.
func TestResult(h Holder, kind string, sampled time.Time, positive bool, uvci string) *verify.DCC {
	d := newDCC(h)
	tr := notDetected
	if positive {
		tr = detected
	}
	d.T = []verify.Test{{TG: diseaseCOVID19, TT: kind, MA: "1232", SC: sampled.UTC().Format(time.RFC3339),
		TR: tr, TC: "Farmacia", CO: "IT", IS: issuerIT, CI: uvci}}
	return d
}

// Exemption is an Italian exemption valid from df; until nil means no end.
func Exemption(h Holder, df calendar.Day, until *calendar.Day, uvci string) *verify.DCC {
	d := newDCC(h)
	e := verify.Exemption{TG: diseaseCOVID19, CO: "IT", IS: issuerIT, DF: df.String(), CI: uvci}
	if until != nil {
		e.DU = until.String()
	}
	d.E = []verify.Exemption{e}
	return d
}
