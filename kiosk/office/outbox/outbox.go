// Package outbox sends the reports a school office keeps for its ATS in
// the office's own database (kiosk/office/store) until the portal has
// them: a report is committed before it is sent, so that a crash, a
// SIGKILL or a power loss loses nothing (the database is synchronous=FULL),
// and it is sent by a PUT that replaces the day's report, so that sending
// it again after such a crash never makes two reports of one day.
//
// Each report has a state a page can list: waiting (with why: not tried
// yet, or the last failure and when the next attempt is), sent, or refused
// (the portal's reason and field: trying again would not help, a corrected
// report replaces it). Failures that may pass are retried with an
// exponential backoff.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/privacy/report"
	"github.com/scuola/kiosk/verify/calendar"
)

// Portal is what the outbox sends through: *report.Client is one.
type Portal interface {
	PutProfile(ctx context.Context, year string, p report.Profile) (created bool, err error)
	PutAbsences(ctx context.Context, day string, a report.Absences) (created bool, err error)
}

// Portals returns the portal client of a plesso; an error (no portal
// configured yet) leaves its reports waiting, the error as why.
type Portals func(school string) (Portal, error)

// Outbox is the queue in the office's database and its sender.
type Outbox struct {
	store   *store.Store
	portals Portals
	wake    chan struct{}

	// MinBackoff and MaxBackoff bound the wait after a retryable failure:
	// it doubles from MinBackoff at each attempt up to MaxBackoff, with up
	// to a quarter more at random so that schools do not retry in step.
	MinBackoff, MaxBackoff time.Duration
	// Poll is Run's longest sleep: another process (kiosk report
	// absences) may queue a report without waking this one.
	Poll time.Duration
	// Now is the clock (time.Now by default).
	Now func() time.Time
}

// New returns the outbox of an office's database.
func New(st *store.Store, portals Portals) *Outbox {
	return &Outbox{store: st, portals: portals, wake: make(chan struct{}, 1),
		MinBackoff: 30 * time.Second, MaxBackoff: time.Hour, Poll: time.Minute, Now: time.Now}
}

// EnqueueProfile commits a school year's profile of a plesso for
// sending, on behalf of actor (for the audit).
func (o *Outbox) EnqueueProfile(ctx context.Context, actor, school, year string, p report.Profile) error {
	if err := report.CheckYear(year, o.today()); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return o.enqueue(ctx, actor, school, store.ReportProfile, year, p)
}

// EnqueueAbsences commits a day's report of a plesso for sending,
// replacing any earlier report of that day.
func (o *Outbox) EnqueueAbsences(ctx context.Context, actor, school, day string, a report.Absences) error {
	if err := report.CheckDay("date", day, o.today()); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	return o.enqueue(ctx, actor, school, store.ReportAbsences, day, a)
}

// today is the office's calendar day in Rome, as the portal checks dates.
func (o *Outbox) today() string { return calendar.Of(o.Now()).String() }

func (o *Outbox) enqueue(ctx context.Context, actor, school, kind, period string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := o.store.Update(ctx, actor, func(tx *store.Tx) error {
		return tx.QueueReport(ctx, school, kind, period, string(body))
	}); err != nil {
		return err
	}
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return nil
}

// SendDue sends every report whose time has come, once each, and returns
// how many the portal accepted. A failure is recorded on its report, not
// returned: only the database's own errors are.
func (o *Outbox) SendDue(ctx context.Context) (sent int, err error) {
	return o.sendBefore(ctx, o.Now())
}

// SendWaiting sends every waiting report at once, whatever its backoff:
// what a person asks for by sending the queue by hand.
func (o *Outbox) SendWaiting(ctx context.Context) (sent int, err error) {
	return o.sendBefore(ctx, time.UnixMilli(math.MaxInt64))
}

// sendBefore sends the waiting reports due at t.
func (o *Outbox) sendBefore(ctx context.Context, t time.Time) (sent int, err error) {
	batch, err := o.store.DueReports(ctx, t)
	if err != nil {
		return 0, err
	}
	for _, r := range batch {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		status, err := o.send(ctx, r)
		if ctx.Err() != nil {
			return sent, ctx.Err() // cut short by our own end: nothing to learn about the portal
		}
		if err := o.settle(ctx, r, status, err); err != nil {
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
func (o *Outbox) send(ctx context.Context, r store.Report) (int, error) {
	p, err := o.portals(r.School)
	if err != nil {
		return 0, err
	}
	var created bool
	switch r.Kind {
	case store.ReportProfile:
		var v report.Profile
		if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
			return 0, err
		}
		created, err = p.PutProfile(ctx, r.Period, v)
	default:
		var v report.Absences
		if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
			return 0, err
		}
		created, err = p.PutAbsences(ctx, r.Period, v)
	}
	switch {
	case err != nil:
		return 0, err
	case created:
		return http.StatusCreated, nil
	}
	return http.StatusOK, nil
}

// settle records the outcome of an attempt, in one transaction with its
// audit line.
func (o *Outbox) settle(ctx context.Context, r store.Report, status int, sendErr error) error {
	now := o.Now()
	var refused *report.RefusedError
	var retry *report.RetryableError
	return o.store.Update(ctx, "outbox", func(tx *store.Tx) error {
		switch {
		case sendErr == nil:
			return tx.MarkSent(ctx, r, status)
		case errors.As(sendErr, &refused):
			return tx.MarkRefused(ctx, r, refused.Status, refused.Message, refused.Field)
		}
		wait := o.backoff(r.Attempts + 1)
		if errors.As(sendErr, &retry) {
			status, wait = retry.Status, max(wait, retry.RetryAfter)
		}
		return tx.MarkRetry(ctx, r, status, sendErr.Error(), now.Add(wait))
	})
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

// Wait returns how long until the next report is due (0 if one is),
// and whether any waits at all.
func (o *Outbox) Wait(ctx context.Context) (time.Duration, bool, error) {
	next, ok, err := o.store.NextDue(ctx)
	if err != nil || !ok {
		return 0, false, err
	}
	return max(next.Sub(o.Now()), 0), true, nil
}

// Run sends until ctx ends: each report when it is due, a new one as
// soon as it is queued here, one queued by another process within Poll.
// It returns ctx's error, or the database's.
func (o *Outbox) Run(ctx context.Context) error {
	for {
		if _, err := o.SendDue(ctx); err != nil {
			return err
		}
		wait, ok, err := o.Wait(ctx)
		if err != nil {
			return err
		}
		if !ok || wait > o.Poll {
			wait = o.Poll
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
