// Package store is the school office's one database: the school and its
// signing key, the staff accounts and their sessions, the classes with
// their positive-case dates (dates only, never a name), the head teacher's
// verify_until overrides, the rule sets added to the built-in ones, the
// delegations, and the audit of who changed what.
//
// It is a SQLite file (modernc.org/sqlite, pure Go) in the office's data
// folder. The schema grows by numbered migrations recorded in a version
// table, so that an office installed last year opens with this year's
// program; every change runs in a transaction together with its audit line,
// so that the audit cannot miss a change that happened; Backup copies a live
// database consistently (VACUUM INTO) while the office keeps serving.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver, pure Go
)

// FileName is the database's file in the data folder.
const FileName = "office.sqlite"

// Store is the office database. It is safe for concurrent use.
type Store struct {
	reader
	db   *sql.DB
	path string

	mu      sync.Mutex
	changed chan struct{} // closed at the next committed Update
}

// querier is what both the database and a transaction answer, so that the
// reads are written once and serve both.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader holds the queries that read; Store and Tx embed it.
type reader struct{ q querier }

// Open opens the database in dir, creating it or bringing its schema up to
// date.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return openPath(filepath.Join(dir, FileName), migrations)
}

// openPath opens a database file and applies the migrations it lacks.
func openPath(path string, migs []string) (*Store, error) {
	// WAL lets the pages read while a change is written; synchronous=FULL
	// keeps every committed change across a power cut; foreign keys make a
	// deleted class take its cases with it.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)" +
		"&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("office database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one connection: SQLite serialises writers anyway, and pragmas stay per connection
	if err := migrate(context.Background(), db, migs); err != nil {
		db.Close()
		return nil, fmt.Errorf("office database %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil { // it holds the school's signing key
		db.Close()
		return nil, err
	}
	return &Store{reader: reader{q: db}, db: db, path: path, changed: make(chan struct{})}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Version returns the schema version of the open database.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	return v, err
}

// migrate applies, each in its own transaction, the migrations after the
// database's version, and records the new version with each.
func migrate(ctx context.Context, db *sql.DB, migs []string) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var v int
	switch err := db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if v > len(migs) {
		return fmt.Errorf("schema version %d is newer than this program's %d: use the newer program", v, len(migs))
	}
	for i := v; i < len(migs); i++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migs[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, i+1); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}

// Backup writes a consistent copy of the live database to path, which must
// not exist. VACUUM INTO reads one snapshot on a connection of its own, so
// that the office keeps writing meanwhile (WAL), and the copy is compacted.
// The copy holds the school's signing key: it is for this school's backup
// media, and is written with mode 0600.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists: a backup never overwrites a file", path)
	}
	db, err := sql.Open("sqlite", "file:"+s.path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return os.Chmod(path, 0o600)
}

// Tx is one transaction of changes, made by one person; each change
// records its audit line in the same transaction.
type Tx struct {
	reader
	tx    *sql.Tx
	actor string
	now   time.Time
}

// Update runs fn in a transaction on behalf of actor (an account's name,
// or a command's): committed if fn returns nil, rolled back otherwise. fn
// reads through the Tx, never through the Store (one connection: it would
// wait for itself).
func (s *Store) Update(ctx context.Context, actor string, fn func(*Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&Tx{reader: reader{q: tx}, tx: tx, actor: actor, now: time.Now().UTC()}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	return nil
}

// Changed returns a channel closed when the next Update commits: the
// office re-signs the kiosks' bundle when the school's data changes.
func (s *Store) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// audit records a change by the transaction's actor. Details are staff
// data and school settings only: class names, dates, counts, delegates.
func (t *Tx) audit(ctx context.Context, action, format string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)`,
		t.now.Format(time.RFC3339), t.actor, action, fmt.Sprintf(format, args...))
	return err
}

// stamp is the transaction's instant as stored.
func (t *Tx) stamp() string { return t.now.Format(time.RFC3339) }
