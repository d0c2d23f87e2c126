package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	"github.com/scuola/kiosk/privacy/report"
	_ "modernc.org/sqlite" // the "sqlite" driver
)

// dialect is what differs between the two backends.
type dialect struct {
	name   string
	driver string
	// lock, run first in the migration transaction, keeps two portals
	// starting together from migrating at once.
	lock     string
	maxConns int
}

var (
	sqlite = dialect{name: "sqlite", driver: "sqlite",
		lock:     "", // the transaction is BEGIN IMMEDIATE: it holds the write lock
		maxConns: 8}
	postgres = dialect{name: "postgres", driver: "pgx",
		lock:     "SELECT pg_advisory_xact_lock(7365821)",
		maxConns: 32}
)

// db is the Store over database/sql, for both dialects.
type db struct {
	sql *sql.DB
	dialect
}

// Open opens the store of dsn: postgres://… or postgresql://… is
// PostgreSQL, anything else a SQLite file path. The schema is migrated to
// the newest version.
func Open(ctx context.Context, dsn string) (Store, error) {
	d, source := sqlite, ""
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		d, source = postgres, dsn
	} else {
		if dsn == "" || strings.ContainsAny(dsn, "?#") {
			return nil, fmt.Errorf("store: %q is not a SQLite file path or a postgres:// URL", dsn)
		}
		// WAL lets the dashboard read while schools write; synchronous=FULL
		// because a 201 tells a school its report is kept, even through a
		// power loss; BEGIN IMMEDIATE takes the write lock at the start, so
		// that concurrent writers wait (busy_timeout) instead of failing.
		source = "file:" + dsn + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)" +
			"&_pragma=foreign_keys(1)&_txlock=immediate"
	}
	sdb, err := sql.Open(d.driver, source)
	if err != nil {
		return nil, err
	}
	sdb.SetMaxOpenConns(d.maxConns)
	sdb.SetMaxIdleConns(d.maxConns)
	s := &db{sql: sdb, dialect: d}
	if err := s.migrate(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("store (%s): %w", d.name, err)
	}
	return s, nil
}

func (s *db) Close() error { return s.sql.Close() }

// tx runs f in a transaction, committed if f returns nil.
func (s *db) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (s *db) migrate(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if s.lock != "" {
			if _, err := tx.ExecContext(ctx, s.lock); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
			return err
		}
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&version); err != nil {
			return err
		}
		if version > len(migrations) {
			return fmt.Errorf("the database is at schema version %d, newer than this portal's %d", version, len(migrations))
		}
		for i := version; i < len(migrations); i++ {
			if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
				return fmt.Errorf("migration %d: %w", i+1, err)
			}
		}
		if version < len(migrations) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, len(migrations))
			return err
		}
		return nil
	})
}

// exists reports whether a query returns a row.
func exists(ctx context.Context, tx *sql.Tx, query string, args ...any) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func (s *db) AddSchool(ctx context.Context, sc School, tokenHash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		taken, err := exists(ctx, tx, `SELECT 1 FROM schools WHERE code = $1`, sc.Code)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("school %s: %w", sc.Code, ErrExists)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO schools (code, name, ats, sentinel, pupils_6_19, token_hash) VALUES ($1, $2, $3, $4, $5, $6)`,
			sc.Code, sc.Name, sc.ATS, sc.Sentinel, sc.Pupils619, tokenHash)
		return err
	})
}

func (s *db) ImportSchools(ctx context.Context, schools []School, tokenHashes []string) ([]string, error) {
	if len(tokenHashes) != len(schools) {
		return nil, errors.New("store: one token hash per school is needed")
	}
	var added []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		added = added[:0]
		for i, sc := range schools {
			known, err := exists(ctx, tx, `SELECT 1 FROM schools WHERE code = $1`, sc.Code)
			if err != nil {
				return err
			}
			if known {
				_, err = tx.ExecContext(ctx, `UPDATE schools SET name = $1, ats = $2, sentinel = $3, pupils_6_19 = $4 WHERE code = $5`,
					sc.Name, sc.ATS, sc.Sentinel, sc.Pupils619, sc.Code)
			} else {
				_, err = tx.ExecContext(ctx, `INSERT INTO schools (code, name, ats, sentinel, pupils_6_19, token_hash) VALUES ($1, $2, $3, $4, $5, $6)`,
					sc.Code, sc.Name, sc.ATS, sc.Sentinel, sc.Pupils619, tokenHashes[i])
				added = append(added, sc.Code)
			}
			if err != nil {
				return fmt.Errorf("school %s: %w", sc.Code, err)
			}
		}
		return nil
	})
	return added, err
}

// schoolColumns are what scanSchool reads, in its order.
const schoolColumns = `code, name, ats, sentinel, pupils_6_19, revoked, token_hash IS NOT NULL`

func scanSchool(row interface{ Scan(...any) error }) (School, error) {
	var sc School
	err := row.Scan(&sc.Code, &sc.Name, &sc.ATS, &sc.Sentinel, &sc.Pupils619, &sc.Revoked, &sc.HasToken)
	return sc, err
}

func (s *db) School(ctx context.Context, code string) (School, error) {
	sc, err := scanSchool(s.sql.QueryRowContext(ctx, `SELECT `+schoolColumns+` FROM schools WHERE code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return School{Code: code}, fmt.Errorf("school %s: %w", code, ErrNotFound)
	}
	return sc, err
}

func (s *db) Schools(ctx context.Context, ats string) ([]School, error) {
	rows, err := s.sql.QueryContext(ctx, `SELECT `+schoolColumns+` FROM schools WHERE $1 = '' OR ats = $1 ORDER BY code`, ats)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []School
	for rows.Next() {
		sc, err := scanSchool(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, sc)
	}
	return list, rows.Err()
}

func (s *db) SetSchoolDetails(ctx context.Context, code string, sentinel bool, pupils619 int) error {
	return s.updateSchool(ctx, `UPDATE schools SET sentinel = $1, pupils_6_19 = $2 WHERE code = $3`, sentinel, pupils619, code)
}

func (s *db) SetToken(ctx context.Context, code, tokenHash string) error {
	return s.updateSchool(ctx, `UPDATE schools SET token_hash = $1, revoked = FALSE WHERE code = $2`, tokenHash, code)
}

func (s *db) Revoke(ctx context.Context, code string) error {
	return s.updateSchool(ctx, `UPDATE schools SET token_hash = NULL, revoked = TRUE WHERE code = $1`, code)
}

func (s *db) updateSchool(ctx context.Context, query string, args ...any) error {
	res, err := s.sql.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("school %v: %w", args[len(args)-1], ErrNotFound)
	}
	return nil
}

func (s *db) Authenticate(ctx context.Context, tokenHash string) (string, error) {
	var code string
	err := s.sql.QueryRowContext(ctx, `SELECT code FROM schools WHERE token_hash = $1 AND NOT revoked`, tokenHash).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return code, err
}

func (s *db) PutProfile(ctx context.Context, code, year string, p report.Profile, at time.Time) (created bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		had, err := exists(ctx, tx, `SELECT 1 FROM profiles WHERE school = $1 AND year = $2`, code, year)
		if err != nil {
			return err
		}
		created = !had
		_, err = tx.ExecContext(ctx, `
			INSERT INTO profiles (school, year, enrolled, classes, enrolled_6_19, received_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (school, year) DO UPDATE SET enrolled = excluded.enrolled, classes = excluded.classes,
				enrolled_6_19 = excluded.enrolled_6_19, received_at = excluded.received_at`,
			code, year, p.Enrolled, p.Classes, p.Enrolled619, at.Unix())
		return err
	})
	return created, err
}

func (s *db) Profile(ctx context.Context, code, year string) (report.Profile, error) {
	var p report.Profile
	err := s.sql.QueryRowContext(ctx, `SELECT enrolled, classes, enrolled_6_19 FROM profiles WHERE school = $1 AND year = $2`, code, year).
		Scan(&p.Enrolled, &p.Classes, &p.Enrolled619)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("profile %s %s: %w", code, year, ErrNotFound)
	}
	return p, err
}

func (s *db) PutAbsences(ctx context.Context, code, day string, a report.Absences, at time.Time) (created bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		had, err := exists(ctx, tx, `SELECT 1 FROM absences WHERE school = $1 AND day = $2`, code, day)
		if err != nil {
			return err
		}
		created = !had
		if had {
			if _, err := tx.ExecContext(ctx, `DELETE FROM absence_classes WHERE school = $1 AND day = $2`, code, day); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO absences (school, day, enrolled, absent, absent_illness, classes_under_measure, received_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (school, day) DO UPDATE SET enrolled = excluded.enrolled, absent = excluded.absent,
				absent_illness = excluded.absent_illness, classes_under_measure = excluded.classes_under_measure,
				received_at = excluded.received_at`,
			code, day, a.Enrolled, a.Absent, a.AbsentIllness, a.ClassesUnderMeasure, at.Unix())
		if err != nil || len(a.Classes) == 0 {
			return err
		}
		// One statement for all the classes: a round trip per class would
		// be most of the cost on PostgreSQL.
		var q strings.Builder
		q.WriteString(`INSERT INTO absence_classes (school, day, pos, name, enrolled, absent, absent_illness) VALUES `)
		args := make([]any, 0, 2+5*len(a.Classes))
		args = append(args, code, day)
		for i, c := range a.Classes {
			if i > 0 {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($1, $2, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5)
			args = append(args, i, c.Name, c.Enrolled, c.Absent, c.AbsentIllness)
		}
		_, err = tx.ExecContext(ctx, q.String(), args...)
		return err
	})
	return created, err
}

func (s *db) Absences(ctx context.Context, code, from, to string) ([]report.DatedAbsences, error) {
	rows, err := s.sql.QueryContext(ctx, `
		SELECT day, enrolled, absent, absent_illness, classes_under_measure FROM absences
		WHERE school = $1 AND day >= $2 AND day <= $3 ORDER BY day`, code, from, to)
	if err != nil {
		return nil, err
	}
	var days []report.DatedAbsences
	index := map[string]int{}
	for rows.Next() {
		var d report.DatedAbsences
		var illness, measure sql.NullInt64
		if err := rows.Scan(&d.Date, &d.Enrolled, &d.Absent, &illness, &measure); err != nil {
			rows.Close()
			return nil, err
		}
		d.AbsentIllness, d.ClassesUnderMeasure = optional(illness), optional(measure)
		index[d.Date] = len(days)
		days = append(days, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(days) == 0 {
		return days, err
	}
	rows, err = s.sql.QueryContext(ctx, `
		SELECT day, name, enrolled, absent, absent_illness FROM absence_classes
		WHERE school = $1 AND day >= $2 AND day <= $3 ORDER BY day, pos`, code, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var day string
		var c report.Class
		var illness sql.NullInt64
		if err := rows.Scan(&day, &c.Name, &c.Enrolled, &c.Absent, &illness); err != nil {
			return nil, err
		}
		c.AbsentIllness = optional(illness)
		if i, ok := index[day]; ok {
			days[i].Classes = append(days[i].Classes, c)
		}
	}
	return days, rows.Err()
}

func optional(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	return report.Int(int(n.Int64))
}

// migrations are the schema's versions, in order: the n-th brings a
// database from version n-1 to n. Never edit one that has shipped; add
// the next. The SQL is what SQLite and PostgreSQL both accept: days are
// ISO text (which sorts as the days do), times unix seconds.
var migrations = []string{
	`CREATE TABLE schools (
		code        TEXT PRIMARY KEY,
		name        TEXT NOT NULL,
		ats         TEXT NOT NULL,
		sentinel    BOOLEAN NOT NULL,
		pupils_6_19 INTEGER NOT NULL,
		token_hash  TEXT UNIQUE, -- hex SHA-256 of the credential; NULL when none
		revoked     BOOLEAN NOT NULL DEFAULT FALSE
	);
	CREATE INDEX schools_ats ON schools (ats, sentinel);
	CREATE TABLE profiles (
		school        TEXT NOT NULL REFERENCES schools (code),
		year          TEXT NOT NULL, -- 2025-26
		enrolled      INTEGER NOT NULL,
		classes       INTEGER NOT NULL,
		enrolled_6_19 INTEGER NOT NULL,
		received_at   BIGINT NOT NULL,
		PRIMARY KEY (school, year)
	);
	CREATE TABLE absences (
		school                TEXT NOT NULL REFERENCES schools (code),
		day                   TEXT NOT NULL, -- YYYY-MM-DD
		enrolled              INTEGER NOT NULL,
		absent                INTEGER NOT NULL,
		absent_illness        INTEGER,
		classes_under_measure INTEGER,
		received_at           BIGINT NOT NULL,
		PRIMARY KEY (school, day)
	);
	CREATE INDEX absences_day ON absences (day, school);
	CREATE TABLE absence_classes (
		school         TEXT NOT NULL,
		day            TEXT NOT NULL,
		pos            INTEGER NOT NULL, -- the class's place in the report
		name           TEXT NOT NULL,
		enrolled       INTEGER NOT NULL,
		absent         INTEGER NOT NULL,
		absent_illness INTEGER,
		PRIMARY KEY (school, day, pos),
		FOREIGN KEY (school, day) REFERENCES absences (school, day) ON DELETE CASCADE
	)`,
	// The ATS users of the portal's pages, their sessions and the audit
	// of their changes.
	`CREATE TABLE users (
		name     TEXT PRIMARY KEY,
		role     TEXT NOT NULL CHECK (role IN ('operator', 'regional')),
		ats      TEXT, -- an operator's ATS; NULL for a regional user
		password TEXT NOT NULL, -- argon2id PHC string
		revoked  BOOLEAN NOT NULL DEFAULT FALSE, -- may not log in until a new password
		CHECK ((role = 'operator') = (ats IS NOT NULL))
	);
	CREATE UNIQUE INDEX users_name ON users (lower(name));
	CREATE TABLE sessions (
		token_hash TEXT PRIMARY KEY, -- hex SHA-256 of the cookie's token
		user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
		csrf       TEXT NOT NULL,
		expires    BIGINT NOT NULL -- unix seconds
	);
	CREATE INDEX sessions_expires ON sessions (expires);
	CREATE TABLE audit (
		at     BIGINT NOT NULL, -- unix microseconds
		actor  TEXT NOT NULL,
		ats    TEXT NOT NULL, -- '' for the whole region
		action TEXT NOT NULL,
		detail TEXT NOT NULL
	);
	CREATE INDEX audit_ats ON audit (ats, at);
	CREATE INDEX audit_at ON audit (at)`,
	watchMigration,
}
