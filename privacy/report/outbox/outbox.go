// Package outbox keeps the reports a school office sends to its ATS in
// the office's own database until the portal has them: a report is
// committed before it is sent, so that a crash, a SIGKILL or a power
// loss loses nothing, and it is sent by a PUT that replaces the day's
// report, so that sending it again after such a crash never makes two
// reports of one day.
//
// The package takes a *sql.DB whose driver the caller registers (the
// office's SQLite, opened with synchronous=FULL so that a commit survives
// a power loss); its SQL is SQLite's. Each report has a state a page can
// list: waiting (with why: not tried yet, or the last failure and when
// the next attempt is), sent, or refused (the portal's reason and field:
// trying again would not help, a corrected report replaces it).
package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/scuola/kiosk/privacy/report"
)

// Schema creates the outbox's table in the office's database. A report
// is one row per school (plesso), kind and period, so that a newer report
// of the same day replaces the one waiting.
const Schema = `
CREATE TABLE IF NOT EXISTS report_outbox (
	school    TEXT NOT NULL,
	kind      TEXT NOT NULL CHECK (kind IN ('profile', 'absences')),
	period    TEXT NOT NULL,    -- the school year (profile) or the day (absences)
	body      TEXT NOT NULL,    -- the report's JSON, validated
	version   INTEGER NOT NULL, -- +1 at each enqueue: a send settles only the version it sent
	state     TEXT NOT NULL CHECK (state IN ('waiting', 'sent', 'refused')),
	attempts  INTEGER NOT NULL DEFAULT 0,
	next_at   INTEGER NOT NULL, -- unix ms: no attempt before
	reason    TEXT NOT NULL DEFAULT '',
	status    INTEGER NOT NULL DEFAULT 0, -- the portal's last HTTP status
	field     TEXT NOT NULL DEFAULT '',
	queued_at INTEGER NOT NULL, -- unix ms
	sent_at   INTEGER,          -- unix ms
	PRIMARY KEY (school, kind, period)
);
CREATE INDEX IF NOT EXISTS report_outbox_due ON report_outbox (state, next_at);
`

// Migrate creates the outbox's table if it is not there.
func Migrate(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, Schema)
	return err
}

// Kinds of report.
const (
	Profile  = "profile"
	Absences = "absences"
)

// States of a report.
const (
	Waiting = "waiting"
	Sent    = "sent"
	Refused = "refused"
)

// Portal is what the outbox sends through: *report.Client is one.
type Portal interface {
	PutProfile(ctx context.Context, year string, p report.Profile) (created bool, err error)
	PutAbsences(ctx context.Context, day string, a report.Absences) (created bool, err error)
}

// Portals returns the portal client of a plesso (each has its own
// credential); an error leaves its reports waiting, the error as why.
type Portals func(school string) (Portal, error)

// Outbox is the queue in the office's database and its sender.
type Outbox struct {
	db      *sql.DB
	portals Portals
	wake    chan struct{}

	// MinBackoff and MaxBackoff bound the wait after a retryable failure:
	// it doubles from MinBackoff at each attempt up to MaxBackoff, with up
	// to a quarter more at random so that schools do not retry in step.
	MinBackoff, MaxBackoff time.Duration
	// Now is the clock (time.Now by default).
	Now func() time.Time
}

// New migrates db and returns its outbox.
func New(ctx context.Context, db *sql.DB, portals Portals) (*Outbox, error) {
	if err := Migrate(ctx, db); err != nil {
		return nil, fmt.Errorf("outbox: creating its table: %w", err)
	}
	return &Outbox{db: db, portals: portals, wake: make(chan struct{}, 1),
		MinBackoff: 30 * time.Second, MaxBackoff: time.Hour, Now: time.Now}, nil
}

// EnqueueProfile commits a school year's profile of a plesso for sending.
func (o *Outbox) EnqueueProfile(ctx context.Context, school, year string, p report.Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return o.enqueue(ctx, school, Profile, year, p)
}

// EnqueueAbsences commits a day's report of a plesso for sending,
// replacing the report of that day not yet sent.
func (o *Outbox) EnqueueAbsences(ctx context.Context, school, day string, a report.Absences) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return o.enqueue(ctx, school, Absences, day, a)
}

func (o *Outbox) enqueue(ctx context.Context, school, kind, period string, v any) error {
	if school == "" || period == "" {
		return errors.New("outbox: a report needs its school and its period")
	}
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	now := o.Now().UnixMilli()
	_, err = o.db.ExecContext(ctx, `
		INSERT INTO report_outbox (school, kind, period, body, version, state, next_at, queued_at)
		VALUES ($1, $2, $3, $4, 1, 'waiting', $5, $5)
		ON CONFLICT (school, kind, period) DO UPDATE SET
			body = excluded.body, version = report_outbox.version + 1, state = 'waiting', attempts = 0,
			next_at = excluded.next_at, reason = '', status = 0, field = '', queued_at = excluded.queued_at, sent_at = NULL`,
		school, kind, period, string(body), now)
	if err != nil {
		return fmt.Errorf("outbox: queuing the %s of %s %s: %w", kind, school, period, err)
	}
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return nil
}

// Item is one report and its state, as a page lists it.
type Item struct {
	School, Kind, Period string
	Body                 string // the report's JSON
	State                string // Waiting, Sent or Refused
	// Reason says why a report waits ("" when not tried yet) or why the
	// portal refused it; Field is the refused field's JSON path.
	Reason, Field string
	Status        int // the portal's last HTTP status, 0 when none
	Attempts      int
	NextAttempt   time.Time // of a waiting report
	Queued        time.Time
	Sent          time.Time // zero unless sent
}

// List returns the reports, the newest periods first, at most limit.
func (o *Outbox) List(ctx context.Context, limit int) ([]Item, error) {
	rows, err := o.db.QueryContext(ctx, `
		SELECT school, kind, period, body, state, reason, field, status, attempts, next_at, queued_at, sent_at
		FROM report_outbox ORDER BY period DESC, school, kind LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []Item
	for rows.Next() {
		var it Item
		var next, queued int64
		var sent sql.NullInt64
		if err := rows.Scan(&it.School, &it.Kind, &it.Period, &it.Body, &it.State, &it.Reason, &it.Field,
			&it.Status, &it.Attempts, &next, &queued, &sent); err != nil {
			return nil, err
		}
		it.NextAttempt, it.Queued = time.UnixMilli(next), time.UnixMilli(queued)
		if sent.Valid {
			it.Sent = time.UnixMilli(sent.Int64)
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// due is a waiting report as sent.
type due struct {
	school, kind, period, body string
	version, attempts          int
}

// SendDue sends every report whose time has come, once each, and returns
// how many the portal accepted. A failure is recorded on its report, not
// returned: only the database's own errors are.
func (o *Outbox) SendDue(ctx context.Context) (sent int, err error) {
	rows, err := o.db.QueryContext(ctx, `
		SELECT school, kind, period, body, version, attempts FROM report_outbox
		WHERE state = 'waiting' AND next_at <= $1 ORDER BY next_at, period`, o.Now().UnixMilli())
	if err != nil {
		return 0, err
	}
	var batch []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.school, &d.kind, &d.period, &d.body, &d.version, &d.attempts); err != nil {
			rows.Close()
			return 0, err
		}
		batch = append(batch, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, d := range batch {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		status, err := o.send(ctx, d)
		if err := o.settle(ctx, d, status, err); err != nil {
			return sent, err
		}
		if err == nil {
			sent++
		}
	}
	return sent, nil
}

// send makes one attempt; status is the portal's answer (201 or 200) on
// success.
func (o *Outbox) send(ctx context.Context, d due) (int, error) {
	p, err := o.portals(d.school)
	if err != nil {
		return 0, err
	}
	var created bool
	switch d.kind {
	case Profile:
		var v report.Profile
		if err := json.Unmarshal([]byte(d.body), &v); err != nil {
			return 0, err
		}
		created, err = p.PutProfile(ctx, d.period, v)
	default:
		var v report.Absences
		if err := json.Unmarshal([]byte(d.body), &v); err != nil {
			return 0, err
		}
		created, err = p.PutAbsences(ctx, d.period, v)
	}
	if err != nil {
		return 0, err
	}
	if created {
		return 201, nil
	}
	return 200, nil
}

// settle records the outcome of an attempt, unless the report was
// replaced meanwhile: the newer version waits for its own send.
func (o *Outbox) settle(ctx context.Context, d due, status int, sendErr error) error {
	now := o.Now()
	var refused *report.RefusedError
	var retry *report.RetryableError
	var err error
	switch {
	case sendErr == nil:
		_, err = o.db.ExecContext(ctx, `UPDATE report_outbox SET state = 'sent', status = $1, reason = '', field = '', sent_at = $2
			WHERE school = $3 AND kind = $4 AND period = $5 AND version = $6`,
			status, now.UnixMilli(), d.school, d.kind, d.period, d.version)
	case errors.As(sendErr, &refused):
		_, err = o.db.ExecContext(ctx, `UPDATE report_outbox SET state = 'refused', status = $1, reason = $2, field = $3, attempts = attempts + 1
			WHERE school = $4 AND kind = $5 AND period = $6 AND version = $7`,
			refused.Status, refused.Message, refused.Field, d.school, d.kind, d.period, d.version)
	default:
		wait := o.backoff(d.attempts + 1)
		if errors.As(sendErr, &retry) {
			status, wait = retry.Status, max(wait, retry.RetryAfter)
		}
		_, err = o.db.ExecContext(ctx, `UPDATE report_outbox SET status = $1, reason = $2, attempts = attempts + 1, next_at = $3
			WHERE school = $4 AND kind = $5 AND period = $6 AND version = $7`,
			status, sendErr.Error(), now.Add(wait).UnixMilli(), d.school, d.kind, d.period, d.version)
	}
	return err
}

// backoff is the wait after the attempt-th failure.
func (o *Outbox) backoff(attempt int) time.Duration {
	wait := o.MinBackoff
	for i := 1; i < attempt && wait < o.MaxBackoff; i++ {
		wait *= 2
	}
	wait = min(wait, o.MaxBackoff)
	return wait + rand.N(wait/4+1)
}

// Run sends until ctx ends: each report when it is due, a new one as
// soon as it is queued. It returns ctx's error, or the database's.
func (o *Outbox) Run(ctx context.Context) error {
	for {
		if _, err := o.SendDue(ctx); err != nil {
			return err
		}
		var next sql.NullInt64
		if err := o.db.QueryRowContext(ctx, `SELECT MIN(next_at) FROM report_outbox WHERE state = 'waiting'`).Scan(&next); err != nil {
			return err
		}
		wait := o.MaxBackoff
		if next.Valid {
			wait = max(time.UnixMilli(next.Int64).Sub(o.Now()), 0)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-o.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}
