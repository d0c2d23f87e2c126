package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kinds of report to the ATS.
const (
	ReportProfile  = "profile"
	ReportAbsences = "absences"
)

// States of a report in the outbox.
const (
	Waiting = "waiting" // not sent yet: not tried, or a failure that may pass
	Sent    = "sent"    // the portal has it
	Refused = "refused" // the portal refused it: a corrected report replaces it
)

// Report is one report in the outbox and its state, as a page lists it
// and as the sender sends it.
type Report struct {
	School, Kind, Period string
	Body                 string // the report's JSON
	Version              int    // which queuing of this period it is
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

// QueueReport commits a report for sending (body is its JSON, already
// validated), replacing the report of the same plesso, kind and period,
// whatever its state: a corrected report replaces a refused one, a newer
// count of a day the one sent (the portal's PUT replaces it too). It is
// due at once.
func (t *Tx) QueueReport(ctx context.Context, school, kind, period, body string) error {
	if school == "" || period == "" {
		return fmt.Errorf("a report needs the plesso's code and its period (school %q, period %q)", school, period)
	}
	now := t.now.UnixMilli()
	if _, err := t.tx.ExecContext(ctx, `
		INSERT INTO report_outbox (school, kind, period, body, version, state, next_at, queued_at)
		VALUES (?1, ?2, ?3, ?4, 1, 'waiting', 0, ?5)
		ON CONFLICT (school, kind, period) DO UPDATE SET
			body = excluded.body, version = report_outbox.version + 1, state = 'waiting', attempts = 0,
			next_at = excluded.next_at, reason = '', status = 0, field = '', queued_at = excluded.queued_at, sent_at = NULL`,
		school, kind, period, body, now); err != nil {
		return fmt.Errorf("queuing the %s of %s %s: %w", kind, school, period, err)
	}
	return t.audit(ctx, "report.queue", "%s %s of %s: %s", kind, period, school, body)
}

const reportColumns = `school, kind, period, body, version, state, reason, field, status, attempts, next_at, queued_at, sent_at`

func (r reader) reports(ctx context.Context, query string, args ...any) ([]Report, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+reportColumns+` FROM report_outbox `+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		var it Report
		var next, queued int64
		var sent sql.NullInt64
		if err := rows.Scan(&it.School, &it.Kind, &it.Period, &it.Body, &it.Version, &it.State, &it.Reason, &it.Field,
			&it.Status, &it.Attempts, &next, &queued, &sent); err != nil {
			return nil, err
		}
		it.NextAttempt, it.Queued = time.UnixMilli(next), time.UnixMilli(queued)
		if sent.Valid {
			it.Sent = time.UnixMilli(sent.Int64)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Reports returns the outbox, the newest periods first, at most limit.
func (r reader) Reports(ctx context.Context, limit int) ([]Report, error) {
	return r.reports(ctx, `ORDER BY period DESC, school, kind LIMIT ?`, limit)
}

// DueReports returns the waiting reports whose time has come at now,
// the longest due first.
func (r reader) DueReports(ctx context.Context, now time.Time) ([]Report, error) {
	return r.reports(ctx, `WHERE state = 'waiting' AND next_at <= ? ORDER BY next_at, period`, now.UnixMilli())
}

// NextDue returns when the first waiting report is due; ok is false when
// none waits.
func (r reader) NextDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var next sql.NullInt64
	err = r.q.QueryRowContext(ctx, `SELECT MIN(next_at) FROM report_outbox WHERE state = 'waiting'`).Scan(&next)
	return time.UnixMilli(next.Int64), next.Valid, err
}

// The sender's outcomes. Each settles only the version that was sent: a
// report queued again meanwhile waits for its own send.

// MarkSent records the portal's acceptance (status 201 or 200).
func (t *Tx) MarkSent(ctx context.Context, r Report, status int) error {
	return t.settle(ctx, r, "report.sent", fmt.Sprintf("%s %s of %s accepted (%d)", r.Kind, r.Period, r.School, status),
		`state = 'sent', status = ?, reason = '', field = '', sent_at = ?, attempts = attempts + 1`, status, t.now.UnixMilli())
}

// MarkRefused records the portal's refusal, with its reason and field.
func (t *Tx) MarkRefused(ctx context.Context, r Report, status int, reason, field string) error {
	return t.settle(ctx, r, "report.refused", fmt.Sprintf("%s %s of %s refused (%d): %s %s", r.Kind, r.Period, r.School, status, field, reason),
		`state = 'refused', status = ?, reason = ?, field = ?, attempts = attempts + 1`, status, reason, field)
}

// MarkRetry records a failure that may pass (the network, the portal's
// 5xx) and when to try again. It is not audited: a portal down for a day
// would fill the audit with the same line; the outbox shows it.
func (t *Tx) MarkRetry(ctx context.Context, r Report, status int, reason string, next time.Time) error {
	return t.settle(ctx, r, "", "", `status = ?, reason = ?, attempts = attempts + 1, next_at = ?`, status, reason, next.UnixMilli())
}

func (t *Tx) settle(ctx context.Context, r Report, action, detail, set string, args ...any) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE report_outbox SET `+set+`
		WHERE school = ? AND kind = ? AND period = ? AND version = ? AND state = 'waiting'`,
		append(args, r.School, r.Kind, r.Period, r.Version)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 || action == "" {
		return err // n == 0: replaced meanwhile, nothing to record
	}
	return t.audit(ctx, action, "%s", detail)
}

// ReportSettings is how the office reaches its ATS's portal.
type ReportSettings struct {
	PortalURL string
	// Token is the plesso's credential: it is sent to the portal, and a
	// page shows only its last characters (see TokenHint).
	Token string
	// SentinelDays are the two weekdays a sentinel plesso reports its
	// absences (Monday and Thursday unless changed).
	SentinelDays []time.Weekday
}

// TokenHint is what a page may show of the credential: its last four
// characters, so that staff can tell which one is set.
func (s ReportSettings) TokenHint() string {
	if len(s.Token) <= 8 {
		return strings.Repeat("•", len(s.Token))
	}
	return "…" + s.Token[len(s.Token)-4:]
}

// ReportSettings returns the portal's address, the credential and the
// sentinel days.
func (r reader) ReportSettings(ctx context.Context) (ReportSettings, error) {
	var s ReportSettings
	var days string
	if err := r.q.QueryRowContext(ctx, `SELECT portal_url, portal_token, sentinel_days FROM school`).
		Scan(&s.PortalURL, &s.Token, &days); err != nil {
		return s, err
	}
	for _, d := range strings.Split(days, ",") {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 6 {
			return s, fmt.Errorf("sentinel_days %q: %q is not a weekday 0-6", days, d)
		}
		s.SentinelDays = append(s.SentinelDays, time.Weekday(n))
	}
	return s, nil
}

// SetPortal changes the portal's address and, unless token is "", the
// credential; the audit names the address, never the credential.
func (t *Tx) SetPortal(ctx context.Context, url, token string) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE school SET portal_url = ?, portal_token = CASE WHEN ? = '' THEN portal_token ELSE ? END`,
		url, token, token); err != nil {
		return err
	}
	changed := "kept"
	if token != "" {
		changed = "changed"
	}
	return t.audit(ctx, "report.portal", "portal %s, credential %s", url, changed)
}

// SetSentinelDays changes the weekdays the absences are reported.
func (t *Tx) SetSentinelDays(ctx context.Context, days []time.Weekday) error {
	parts := make([]string, len(days))
	for i, d := range days {
		if d < time.Sunday || d > time.Saturday {
			return fmt.Errorf("sentinel day %d is not a weekday", d)
		}
		parts[i] = strconv.Itoa(int(d))
	}
	if _, err := t.tx.ExecContext(ctx, `UPDATE school SET sentinel_days = ?`, strings.Join(parts, ",")); err != nil {
		return err
	}
	return t.audit(ctx, "report.sentinel_days", "sentinel days %v", days)
}
