package verify

import (
	"errors"
	"math"

	"github.com/fxamacker/cbor/v2"
	"github.com/x448/float16"
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
	Issuer   string      `cbor:"1,keyasint,omitempty"`
	Expiry   numericDate `cbor:"4,keyasint,omitempty"`
	IssuedAt numericDate `cbor:"6,keyasint,omitempty"`
	HCert    struct {
		DCC cbor.RawMessage `cbor:"1,keyasint,omitempty"`
	} `cbor:"-260,keyasint,omitempty"`
}

// parseCWT reads the claims. Malformed CBOR and a missing hcert claim are
// CBOR-stage errors; the DCC inside is only checked for well-formedness
// here.
func parseCWT(payload []byte) (*cwtClaims, *refusal) {
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

// cborNumber reads a CBOR integer or float (optionally inside tag 1) from
// its raw bytes, without reflection: it runs several times on every scan.
// whole reports whether the value is an integer (or an integral float).
func cborNumber(b []byte) (v float64, whole bool, ok bool) {
	if len(b) >= 1 && b[0] == 0xc1 { // tag 1, epoch-based date/time
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false, false
	}
	major, info, rest := b[0]>>5, b[0]&0x1f, b[1:]
	var u uint64
	switch {
	case info < 24:
		u = uint64(info)
	case info <= 27:
		size := 1 << (info - 24)
		if len(rest) < size {
			return 0, false, false
		}
		for _, c := range rest[:size] {
			u = u<<8 | uint64(c)
		}
		rest = rest[size:]
	default:
		return 0, false, false
	}
	if len(rest) != 0 {
		return 0, false, false
	}
	switch {
	case major == 0 && u < 1<<62:
		return float64(u), true, true
	case major == 1 && u < 1<<62:
		return -1 - float64(u), true, true
	case major == 7 && info == 25:
		v = float64(float16.Frombits(uint16(u)).Float32())
	case major == 7 && info == 26:
		v = float64(math.Float32frombits(uint32(u)))
	case major == 7 && info == 27:
		v = math.Float64frombits(u)
	default:
		return 0, false, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1<<62 {
		return 0, false, false
	}
	return v, v == math.Trunc(v), true
}

// numericDate is a CWT NumericDate: seconds since the epoch, which issuers
// encode as an integer or a float, sometimes inside tag 1.
type numericDate struct {
	sec     int64
	present bool
}

var errNumericDate = errors.New("not a NumericDate (an integer or a float of epoch seconds)")

// UnmarshalCBOR implements cbor.Unmarshaler.
func (n *numericDate) UnmarshalCBOR(b []byte) error {
	v, _, ok := cborNumber(b)
	if !ok {
		return errNumericDate
	}
	n.sec, n.present = int64(v), true
	return nil
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

var errCount = errors.New("dose count is not a whole number from 0 to 999")

// UnmarshalCBOR accepts an integer or an integral float.
func (c *Count) UnmarshalCBOR(b []byte) error {
	v, whole, ok := cborNumber(b)
	if !ok || !whole || v < 0 || v > 999 || b[0] == 0xc1 {
		return errCount
	}
	*c = Count(v)
	return nil
}

// The disease agent code of COVID-19 (SNOMED CT).
const diseaseCOVID19 = "840539006"

// Kind is the type of a certificate: which of the DCC's groups (V, T, R,
// E) holds its one entry, as parseDCC finds it.
type Kind uint8

// The kinds. Exemption is Italian (group "e").
const (
	KindUnknown Kind = iota
	KindVaccination
	KindTest
	KindRecovery
	KindExemption
)

func (k Kind) String() string {
	switch k {
	case KindVaccination:
		return "vaccination"
	case KindTest:
		return "test"
	case KindRecovery:
		return "recovery"
	case KindExemption:
		return "exemption"
	}
	return "unknown"
}

// parseDCC decodes the DCC and checks the structure the rules rely on. It
// names fields, never their values: the values are personal data.
func parseDCC(raw cbor.RawMessage) (*DCC, Kind, *refusal) {
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
