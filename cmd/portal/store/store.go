// Package store keeps what the portal receives: the region's plessi with
// the hash of their credentials, their yearly profiles and their day
// reports of absences, class by class. One interface, Store, has two
// backends chosen by the DSN: SQLite (a file path; the default, for an
// ATS that runs the portal on one machine) and PostgreSQL (postgres://…,
// for the region's database). They share one database/sql
// implementation and differ in a dialect: the SQL is the common subset of
// both, so that the same test suite proves both.
//
// The schema is made by numbered migrations recorded in schema_version;
// every write is one transaction, so a refused or failed request leaves
// nothing behind. Indexes serve the dashboard's queries: a school over
// time (the absences' primary key), a day or a period across schools
// (absences_day) and the schools of an ATS (schools_ats).
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"github.com/scuola/kiosk/privacy/report"
)

// School is one plesso of the region's list.
type School struct {
	Code      string // the ministry's code of the plesso (codice meccanografico)
	Name      string
	ATS       string // the health agency it reports to
	Sentinel  bool   // chosen to report absences twice a week
	Pupils619 int    // pupils aged 6–19, for the 5% coverage of the sentinels
	Revoked   bool   // its credential is revoked and not reissued
	HasToken  bool
}

// Store is the portal's storage.
type Store interface {
	// AddSchool adds a plesso with the hash of its credential; ErrExists
	// if its code is taken.
	AddSchool(ctx context.Context, s School, tokenHash string) error
	// ImportSchools adds or updates plessi in one transaction: a new one
	// gets the hash of the same index, an existing one keeps its
	// credential. It returns the codes added.
	ImportSchools(ctx context.Context, schools []School, tokenHashes []string) (added []string, err error)
	// School returns a plesso; ErrNotFound if there is none.
	School(ctx context.Context, code string) (School, error)
	// SetToken replaces a plesso's credential, revoking the old one.
	SetToken(ctx context.Context, code, tokenHash string) error
	// Revoke revokes a plesso's credential without a new one.
	Revoke(ctx context.Context, code string) error
	// Authenticate returns the code of the plesso whose live credential
	// has this hash; ErrNotFound if none.
	Authenticate(ctx context.Context, tokenHash string) (code string, err error)

	// PutProfile stores a plesso's profile of a school year, replacing
	// the earlier one; created says there was none.
	PutProfile(ctx context.Context, code, year string, p report.Profile, at time.Time) (created bool, err error)
	// Profile returns a plesso's profile of a school year.
	Profile(ctx context.Context, code, year string) (report.Profile, error)
	// PutAbsences stores a plesso's day report, classes included,
	// replacing the earlier one of the day; created says there was none.
	PutAbsences(ctx context.Context, code, day string, a report.Absences, at time.Time) (created bool, err error)
	// Absences returns a plesso's reports from day from to day to, both
	// included, in order.
	Absences(ctx context.Context, code, from, to string) ([]report.DatedAbsences, error)

	Watch // the ATS's pages (watch.go)

	Close() error
}

var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

// NewToken returns a new credential (32 random bytes, base64url) and the
// hash the store keeps of it: the token itself is shown once and never
// stored.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the hash the store keeps of a credential: SHA-256 is
// enough for 256 random bits, which no dictionary holds.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
