package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func (s *db) AddUser(ctx context.Context, u User) error {
	if _, err := ParseRole(string(u.Role)); err != nil {
		return err
	}
	ats := sql.NullString{String: u.ATS, Valid: u.ATS != ""} // the schema refuses an operator of none, a regional user of one
	return s.tx(ctx, func(tx *sql.Tx) error {
		taken, err := exists(ctx, tx, `SELECT 1 FROM users WHERE lower(name) = lower($1)`, u.Name)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("user %s: %w", u.Name, ErrExists)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO users (name, role, ats, password) VALUES ($1, $2, $3, $4)`, u.Name, u.Role, ats, u.Password)
		return err
	})
}

func (s *db) User(ctx context.Context, name string) (User, error) {
	var u User
	var ats sql.NullString
	err := s.sql.QueryRowContext(ctx, `SELECT name, role, ats, password, revoked FROM users WHERE lower(name) = lower($1)`, name).
		Scan(&u.Name, &u.Role, &ats, &u.Password, &u.Revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %s: %w", name, ErrNotFound)
	}
	u.ATS = ats.String
	return u, err
}

func (s *db) SetPassword(ctx context.Context, name, password string) error {
	return s.changeUser(ctx, name, `UPDATE users SET password = $1, revoked = FALSE WHERE lower(name) = lower($2)`, password, name)
}

func (s *db) RevokeUser(ctx context.Context, name string) error {
	return s.changeUser(ctx, name, `UPDATE users SET revoked = TRUE WHERE lower(name) = lower($1)`, name)
}

// changeUser runs an update of one user and ends its sessions, in one
// transaction.
func (s *db) changeUser(ctx context.Context, name, query string, args ...any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("user %s: %w", name, ErrNotFound)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_name IN (SELECT name FROM users WHERE lower(name) = lower($1))`, name)
		return err
	})
}

func (s *db) CreateSession(ctx context.Context, tokenHash, user, csrf string, now, expires time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires <= $1`, now.Unix()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_name, csrf, expires) VALUES ($1, $2, $3, $4)`,
			tokenHash, user, csrf, expires.Unix())
		return err
	})
}

func (s *db) Session(ctx context.Context, tokenHash string, now time.Time) (Session, error) {
	var ses Session
	var ats sql.NullString
	var expires int64
	err := s.sql.QueryRowContext(ctx, `
		SELECT u.name, u.role, u.ats, s.csrf, s.expires FROM sessions s JOIN users u ON u.name = s.user_name
		WHERE s.token_hash = $1 AND s.expires > $2 AND NOT u.revoked`, tokenHash, now.Unix()).
		Scan(&ses.User.Name, &ses.User.Role, &ats, &ses.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return ses, ErrNotFound
	}
	ses.User.ATS, ses.Expires = ats.String, time.Unix(expires, 0)
	return ses, err
}

func (s *db) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.sql.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// Audit keeps the events in the order they are recorded: one at the same
// microsecond as the last (or before it, by a clock set back) is put a
// microsecond after it.
func (s *db) Audit(ctx context.Context, e Event) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		at := e.At.UnixMicro()
		var last sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(at) FROM audit`).Scan(&last); err != nil {
			return err
		}
		if last.Valid && at <= last.Int64 {
			at = last.Int64 + 1
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, ats, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			at, e.Actor, e.ATS, e.Action, e.Detail)
		return err
	})
}

func (s *db) AuditLog(ctx context.Context, ats string, limit int) ([]Event, error) {
	rows, err := s.sql.QueryContext(ctx, `
		SELECT at, actor, ats, action, detail FROM audit WHERE $1 = '' OR ats = $1
		ORDER BY at DESC LIMIT $2`, ats, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var events []Event
	for rows.Next() {
		var e Event
		var at int64
		if err := rows.Scan(&at, &e.Actor, &e.ATS, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.UnixMicro(at).UTC()
		events = append(events, e)
	}
	return events, rows.Err()
}
