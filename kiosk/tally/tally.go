// Package tally keeps, per day and per class, how many certificates were
// admitted and refused: the only trace a scan leaves, and the anonymous
// counts the school reports. It is a SQLite database in the kiosk's data
// directory, written with full synchronisation so that a power cut never
// loses a committed count.
package tally

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"

	_ "modernc.org/sqlite" // the database/sql driver, pure Go

	"github.com/scuola/kiosk/verify/calendar"
)

// FileName is the database's file in the data directory.
const FileName = "counts.sqlite"

// Count is one class's count on one day.
type Count struct {
	Day      calendar.Day
	Class    string
	Admitted int
	Refused  int
}

// Store is the counts database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS class_day_counts (
	day      TEXT    NOT NULL, -- YYYY-MM-DD, Rome
	class    TEXT    NOT NULL,
	admitted INTEGER NOT NULL DEFAULT 0 CHECK (admitted >= 0),
	refused  INTEGER NOT NULL DEFAULT 0 CHECK (refused >= 0),
	PRIMARY KEY (day, class)
) WITHOUT ROWID;`

// Open opens (creating if needed) the counts database in dir.
func Open(dir string) (*Store, error) {
	path := filepath.Join(dir, FileName)
	// WAL keeps readers and the writer apart; synchronous=FULL makes every
	// committed count survive a power cut; temp_store=MEMORY keeps SQLite's
	// temporary data off the disk.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)&_pragma=temp_store(MEMORY)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("counts database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; SQLite serialises anyway
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("counts database %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Add counts one scan for a class on a day.
func (s *Store) Add(ctx context.Context, day calendar.Day, class string, admitted bool) error {
	if class == "" {
		return errors.New("a count needs a class")
	}
	a, r := 0, 1
	if admitted {
		a, r = 1, 0
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO class_day_counts (day, class, admitted, refused) VALUES (?, ?, ?, ?)
		ON CONFLICT (day, class) DO UPDATE SET admitted = admitted + excluded.admitted, refused = refused + excluded.refused`,
		day.String(), class, a, r)
	if err != nil {
		return fmt.Errorf("counting a scan for class %s: %w", class, err)
	}
	return nil
}

// Get returns a class's count on a day (zero when nothing was counted).
// It answers in plain numbers so that the entrance session's Counter
// interface needs nothing of this package.
func (s *Store) Get(ctx context.Context, day calendar.Day, class string) (admitted, refused int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT admitted, refused FROM class_day_counts WHERE day = ? AND class = ?`,
		day.String(), class).Scan(&admitted, &refused)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return admitted, refused, err
}

// Day returns every class's count on a day, by class name.
func (s *Store) Day(ctx context.Context, day calendar.Day) ([]Count, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT class, admitted, refused FROM class_day_counts WHERE day = ? ORDER BY class`, day.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		c := Count{Day: day}
		if err := rows.Scan(&c.Class, &c.Admitted, &c.Refused); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
