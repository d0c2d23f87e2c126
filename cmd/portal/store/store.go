// Package store keeps what the portal receives: the region's plessi with
// the hash of their credentials, their yearly profiles and their day
// reports of absences, class by class; and who uses the portal's pages:
// the ATS users, their sessions and the audit of their changes. One interface, Store, has two
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
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/scuola/kiosk/privacy/access"
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
	// Schools lists the plessi of an ATS, or all of them when ats is "",
	// by code.
	Schools(ctx context.Context, ats string) ([]School, error)
	// SetSchoolDetails changes whether a plesso is a sentinel and its
	// pupils aged 6–19; ErrNotFound if there is none.
	SetSchoolDetails(ctx context.Context, code string, sentinel bool, pupils619 int) error

	// AddUser adds an ATS user with the PHC hash of its password;
	// ErrExists if the name (in any letter case) is taken.
	AddUser(ctx context.Context, u User) error
	// User returns a user by name, in any letter case; ErrNotFound.
	User(ctx context.Context, name string) (User, error)
	// SetPassword gives a user a new password hash, lifts a revocation
	// and ends its sessions; ErrNotFound.
	SetPassword(ctx context.Context, name, password string) error
	// RevokeUser stops a user logging in and ends its sessions; ErrNotFound.
	RevokeUser(ctx context.Context, name string) error
	// CreateSession opens a session of a user, kept as the hash of its
	// token, and forgets the sessions that have expired by now.
	CreateSession(ctx context.Context, tokenHash, user, csrf string, now, expires time.Time) error
	// Session returns the live session of a token's hash, with its user
	// (the password hash left out); ErrNotFound, also for a revoked user.
	Session(ctx context.Context, tokenHash string, now time.Time) (Session, error)
	// DeleteSession ends a session (a logout).
	DeleteSession(ctx context.Context, tokenHash string) error
	// Audit records who changed what; ats is the ATS the change concerns
	// ("" for the whole region), so that an operator sees its own.
	Audit(ctx context.Context, e Event) error
	// AuditLog returns the newest events first, at most limit, of one
	// ATS or of all when ats is "".
	AuditLog(ctx context.Context, ats string, limit int) ([]Event, error)

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

// Role is what an ATS user may see and change.
type Role string

const (
	Operator Role = "operator" // the schools of its own ATS
	Regional Role = "regional" // every school of the region
)

// ParseRole reads a role as the command line and the database write it.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Operator, Regional:
		return r, nil
	}
	return "", fmt.Errorf("role %q: operator or regional", s)
}

// User is a person of an ATS (or of the region) who uses the portal's pages.
type User struct {
	Name     string
	Role     Role
	ATS      string // an operator's ATS; "" for a regional user
	Password string // the argon2id PHC string
	Revoked  bool   // may not log in until given a new password
}

// Session is a logged-in user's session.
type Session struct {
	User    User // without its password hash
	CSRF    string
	Expires time.Time
}

// Event is one line of the audit: staff data and school codes only.
type Event struct {
	At     time.Time
	Actor  string
	ATS    string
	Action string
	Detail string
}

var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

// NewToken returns a new credential (32 random bytes, base64url) and the
// hash the store keeps of it: the token itself is shown once and never
// stored.
func NewToken() (token, hash string) {
	token = access.Token()
	return token, HashToken(token)
}

// HashToken is the hash the store keeps of a credential (access.TokenHash,
// in hex).
func HashToken(token string) string {
	return hex.EncodeToString(access.TokenHash(token))
}
