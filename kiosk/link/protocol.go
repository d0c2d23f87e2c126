package link

import (
	"context"
	"errors"

	"github.com/scuola/kiosk/verify/calendar"
)

// The office's endpoints. Every request but the pairing's is made with the
// kiosk's client certificate; the pairing's too, so that the office learns
// the key it will know the kiosk by.
const (
	PathPair   = "/kiosk/v1/pair"   // POST PairRequest → PairAnswer
	PathBundle = "/kiosk/v1/bundle" // GET ?after=SEQ → the signed bundle, or 204 when none is newer
	PathCounts = "/kiosk/v1/counts" // PUT Counts → 204
)

// HeaderVersion carries the kiosk's software version on every request, for
// the office's list of its kiosks.
const HeaderVersion = "X-Kiosk-Version"

// MaxBody bounds what either side reads from the other.
const MaxBody = 1 << 20

// PairRequest registers a kiosk with the one-time secret of a pairing QR.
type PairRequest struct {
	Secret   string `json:"secret"`
	Name     string `json:"name"`
	Entrance string `json:"entrance"`
}

// PairAnswer names the kiosk as the office registered it.
type PairAnswer struct {
	Kiosk string `json:"kiosk"`
}

// Counts are a kiosk's counts, as absolute values per day and class, so
// that sending them again is harmless. Nothing else about a scan ever
// leaves a kiosk: no verdict's detail, no time finer than the day.
type Counts struct {
	Days []DayCounts `json:"days"`
}

// DayCounts are one day's counts.
type DayCounts struct {
	Day     calendar.Day  `json:"day"`
	Classes []ClassCounts `json:"classes"`
}

// ClassCounts are one class's counts on a day.
type ClassCounts struct {
	Class    string `json:"class"`
	Admitted int    `json:"admitted"`
	Refused  int    `json:"refused"`
}

// Office is what the office keeps for its kiosks; Handler serves it.
type Office interface {
	// Pair registers a kiosk known by keyID, if the secret is a live one
	// (ErrBadSecret) and no other kiosk has the name (ErrNameTaken).
	Pair(ctx context.Context, secret, keyID string, req PairRequest) (kioskID string, err error)
	// Kiosk names the paired kiosk known by keyID, ErrUnknownKiosk for
	// one never paired or unpaired, and notes it seen with its version
	// and the bundle it holds.
	Kiosk(ctx context.Context, keyID, version string, holds uint64) (kioskID string, err error)
	// Bundle returns the signed school bundle when it is newer than
	// after, waiting for one until ctx ends (then nil, nil).
	Bundle(ctx context.Context, after uint64) ([]byte, error)
	// Counts keeps a kiosk's counts, replacing what it sent before for
	// the same days and classes.
	Counts(ctx context.Context, kioskID string, c Counts) error
}

// The Office's refusals, which the handler answers with their own status.
var (
	ErrBadSecret    = errors.New("link: the pairing code is unknown, used or expired")
	ErrNameTaken    = errors.New("link: another kiosk of the school has this name")
	ErrUnknownKiosk = errors.New("link: this kiosk is not paired with the office")
)
