package verify

import (
	"fmt"
	"math"

	"github.com/fxamacker/cbor/v2"
)

// dccDecMode decodes the CWT and the DCC. Duplicate map keys are refused (a
// parser differential between issuer and verifier is an attack surface), and
// sizes are bounded well below the inflated-size bound.
var dccDecMode = func() cbor.DecMode {
	m, err := cbor.DecOptions{
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		MaxNestedLevels:  16,
		MaxArrayElements: 1024,
		MaxMapPairs:      1024,
		IntDec:           cbor.IntDecConvertSigned,
	}.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// cwtClaims are the CWT claims a DCC carries (RFC 8392 keys).
type cwtClaims struct {
	Issuer   string          `cbor:"1,keyasint,omitempty"`
	Expiry   cbor.RawMessage `cbor:"4,keyasint,omitempty"`
	IssuedAt cbor.RawMessage `cbor:"6,keyasint,omitempty"`
	HCert    struct {
		DCC cbor.RawMessage `cbor:"1,keyasint,omitempty"`
	} `cbor:"-260,keyasint,omitempty"`
}

// parseCWT reads the claims. Malformed CBOR and a missing hcert claim are
// CBOR-stage errors; the DCC inside is only checked for well-formedness
// here.
func parseCWT(payload []byte) (*cwtClaims, *Error) {
	var c cwtClaims
	if err := dccDecMode.Unmarshal(payload, &c); err != nil {
		return nil, fail(StageCBOR, StatusNotEUDCC, ReasonUnreadable, err, "CWT claims: %v", err)
	}
	if len(c.HCert.DCC) == 0 {
		return nil, fail(StageCBOR, StatusNotEUDCC, ReasonNotEUDCC, nil, "CWT has no hcert claim (-260 → 1)")
	}
	if !isCBORMap(c.HCert.DCC) {
		return nil, fail(StageCBOR, StatusNotEUDCC, ReasonNotEUDCC, nil, "hcert claim (-260 → 1) is not a CBOR map")
	}
	return &c, nil
}

// isCBORMap reports whether raw is a map (major type 5), possibly inside
// tags.
func isCBORMap(raw []byte) bool {
	for len(raw) > 0 && raw[0]>>5 == 6 { // skip tags
		switch n := raw[0] & 0x1f; {
		case n < 24:
			raw = raw[1:]
		case n <= 27:
			skip := 1 + 1<<(n-24)
			if len(raw) < skip {
				return false
			}
			raw = raw[skip:]
		default:
			return false
		}
	}
	return len(raw) > 0 && raw[0]>>5 == 5
}

// epochSeconds reads a CWT NumericDate, which issuers encode as an integer
// or a float.
func epochSeconds(raw cbor.RawMessage, claim string) (int64, bool, *Error) {
	if len(raw) == 0 {
		return 0, false, nil
	}
	var v any
	if err := dccDecMode.Unmarshal(raw, &v); err != nil {
		return 0, false, fail(StageCBOR, StatusNotEUDCC, ReasonUnreadable, err, "CWT claim %s: %v", claim, err)
	}
	switch n := v.(type) {
	case int64:
		return n, true, nil
	case uint64:
		if n <= math.MaxInt64 {
			return int64(n), true, nil
		}
	case float64:
		if !math.IsNaN(n) && !math.IsInf(n, 0) && math.Abs(n) < 1<<62 {
			return int64(n), true, nil
		}
	}
	return 0, false, fail(StageCBOR, StatusNotEUDCC, ReasonUnreadable, nil, "CWT claim %s is a %T, not a NumericDate", claim, v)
}

// DCC is the Digital COVID Certificate (schema 1.3, with the Italian
// exemption group). Exactly one of V, T, R, E holds an entry.
type DCC struct {
	Ver string `cbor:"ver"`
	Nam struct {
		FN  string `cbor:"fn"`
		FNT string `cbor:"fnt"`
		GN  string `cbor:"gn"`
		GNT string `cbor:"gnt"`
	} `cbor:"nam"`
	DOB string        `cbor:"dob"`
	V   []Vaccination `cbor:"v,omitempty"`
	T   []Test        `cbor:"t,omitempty"`
	R   []Recovery    `cbor:"r,omitempty"`
	E   []Exemption   `cbor:"e,omitempty"`
}

// Vaccination is a "v" entry.
type Vaccination struct {
	TG string `cbor:"tg"` // disease targeted
	VP string `cbor:"vp"` // vaccine or prophylaxis
	MP string `cbor:"mp"` // medicinal product
	MA string `cbor:"ma"` // marketing authorisation holder
	DN Count  `cbor:"dn"` // dose number
	SD Count  `cbor:"sd"` // total series of doses
	DT string `cbor:"dt"` // date of vaccination
	CO string `cbor:"co"` // country of vaccination
	IS string `cbor:"is"` // issuer
	CI string `cbor:"ci"` // UVCI
}

// Test is a "t" entry.
type Test struct {
	TG string `cbor:"tg"`
	TT string `cbor:"tt"` // type of test
	NM string `cbor:"nm"`
	MA string `cbor:"ma"`
	SC string `cbor:"sc"` // sample collection date and time
	TR string `cbor:"tr"` // result
	TC string `cbor:"tc"`
	CO string `cbor:"co"`
	IS string `cbor:"is"`
	CI string `cbor:"ci"`
}

// Recovery is an "r" entry.
type Recovery struct {
	TG string `cbor:"tg"`
	FR string `cbor:"fr"` // first positive test
	CO string `cbor:"co"`
	IS string `cbor:"is"`
	DF string `cbor:"df"` // valid from
	DU string `cbor:"du"` // valid until
	CI string `cbor:"ci"`
}

// Exemption is an Italian "e" entry (certificato di esenzione).
type Exemption struct {
	TG string `cbor:"tg"`
	CO string `cbor:"co"`
	IS string `cbor:"is"`
	DF string `cbor:"df"`
	DU string `cbor:"du,omitempty"`
	CI string `cbor:"ci"`
}

// Count is a dose number, which a few issuers encode as a float.
type Count int

// UnmarshalCBOR accepts an integer or an integral float.
func (c *Count) UnmarshalCBOR(b []byte) error {
	var v any
	if err := dccDecMode.Unmarshal(b, &v); err != nil {
		return err
	}
	switch n := v.(type) {
	case int64:
		if n >= 0 && n < 1000 {
			*c = Count(n)
			return nil
		}
	case float64:
		if n >= 0 && n < 1000 && n == math.Trunc(n) {
			*c = Count(n)
			return nil
		}
	}
	return fmt.Errorf("dose count is a %T outside 0…999 or not whole", v)
}

// The disease agent code of COVID-19 (SNOMED CT).
const diseaseCOVID19 = "840539006"

// parseDCC decodes the DCC and checks the structure the rules rely on. It
// names fields, never their values: the values are personal data.
func parseDCC(raw cbor.RawMessage) (*DCC, Kind, *Error) {
	var d DCC
	if err := dccDecMode.Unmarshal(raw, &d); err != nil {
		return nil, KindUnknown, fail(StageSchema, StatusNotEUDCC, ReasonNotEUDCC, err, "DCC: %v", err)
	}
	kind, groups := KindUnknown, 0
	for _, g := range []struct {
		n int
		k Kind
	}{{len(d.V), KindVaccination}, {len(d.T), KindTest}, {len(d.R), KindRecovery}, {len(d.E), KindExemption}} {
		if g.n > 0 {
			groups++
			kind = g.k
			if g.n != 1 {
				return &d, g.k, fail(StageSchema, StatusNotEUDCC, ReasonNotEUDCC, nil, "DCC has %d %s entries, want exactly one", g.n, g.k)
			}
		}
	}
	if groups != 1 {
		return &d, KindUnknown, fail(StageSchema, StatusNotEUDCC, ReasonNotEUDCC, nil,
			"DCC holds %d groups among v, t, r, e; want exactly one", groups)
	}
	if d.Nam.FNT == "" && d.Nam.GNT == "" {
		return &d, kind, fail(StageSchema, StatusNotEUDCC, ReasonNotEUDCC, nil, "DCC has no standardised name (nam.fnt)")
	}
	return &d, kind, nil
}

// UVCI returns the certificate identifier of the single entry.
func (d *DCC) UVCI() string {
	switch {
	case len(d.V) > 0:
		return d.V[0].CI
	case len(d.T) > 0:
		return d.T[0].CI
	case len(d.R) > 0:
		return d.R[0].CI
	case len(d.E) > 0:
		return d.E[0].CI
	}
	return ""
}
