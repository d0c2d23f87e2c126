// Package api is the portal's side of the report protocol of
// privacy/report: it authenticates each plesso by its credential, lets it
// write only its own reports and at a bounded rate, refuses what cannot
// be true with the field named, and stores the rest. The protocol is
// measured by other tools and a foreign client: its paths, bodies and
// statuses are kept exactly (see privacy/report).
package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/privacy/access"
	"github.com/scuola/kiosk/privacy/report"
	"github.com/scuola/kiosk/verify/calendar"
)

// Options tune the handler; the zero value is the defaults.
type Options struct {
	// Every and Burst are each credential's rate: a request per Every on
	// average, Burst at once. A school sends two reports a week; the
	// bound is for a client stuck in a loop. Defaults: 1s and 60.
	Every time.Duration
	Burst int
	// Now is the clock; its day in Rome is "today" for the dates refused
	// as future. Default time.Now.
	Now func() time.Time
	// Log receives the storage's failures (never a body). Default: discarded.
	Log *slog.Logger
}

// maxToken bounds the credential read from a header: ours are 43 bytes.
const maxToken = 256

// New returns the protocol's handler over s.
func New(s store.Store, opt Options) http.Handler {
	if opt.Every <= 0 {
		opt.Every = time.Second
	}
	if opt.Burst <= 0 {
		opt.Burst = 60
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	h := &handler{store: s, opt: opt, limits: access.NewBuckets(opt.Every, opt.Burst)}
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /api/v1/schools/{code}/profile/{year}", h.school(h.putProfile))
	mux.HandleFunc("PUT /api/v1/schools/{code}/absences/{day}", h.school(h.putAbsences))
	mux.HandleFunc("GET /api/v1/schools/{code}/absences", h.school(h.getAbsences))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		refuse(w, http.StatusNotFound, "no such endpoint of the report protocol", "")
	})
	return mux
}

type handler struct {
	store  store.Store
	opt    Options
	limits *access.Buckets // per plesso: bounded by the region's list
}

// school wraps an endpoint with what every one of them needs: the
// credential (401), its school (403) and its rate (429).
func (h *handler) school(next func(w http.ResponseWriter, r *http.Request, code, today string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" || len(token) > maxToken {
			w.Header().Set("WWW-Authenticate", `Bearer realm="portal"`)
			refuse(w, http.StatusUnauthorized, "a plesso's credential is required: Authorization: Bearer TOKEN", "")
			return
		}
		code, err := h.store.Authenticate(r.Context(), store.HashToken(token))
		switch {
		case errors.Is(err, store.ErrNotFound):
			w.Header().Set("WWW-Authenticate", `Bearer realm="portal", error="invalid_token"`)
			refuse(w, http.StatusUnauthorized, "unknown or revoked credential", "")
			return
		case err != nil:
			h.failed(w, "authenticating", err)
			return
		case code != r.PathValue("code"):
			refuse(w, http.StatusForbidden, "this credential is of another plesso", "")
			return
		}
		now := h.opt.Now()
		if ok, wait := h.limits.Allow(code, now); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			refuse(w, http.StatusTooManyRequests, "too many requests from this plesso", "")
			return
		}
		next(w, r, code, calendar.Of(now).String())
	}
}

func (h *handler) putProfile(w http.ResponseWriter, r *http.Request, code, today string) {
	year := r.PathValue("year")
	if err := report.CheckYear(year, today); err != nil {
		refuseErr(w, err)
		return
	}
	p, err := report.DecodeProfile(r.Body)
	if err != nil {
		refuseErr(w, err)
		return
	}
	created, err := h.store.PutProfile(r.Context(), code, year, p, h.opt.Now())
	h.stored(w, created, err)
}

func (h *handler) putAbsences(w http.ResponseWriter, r *http.Request, code, today string) {
	day := r.PathValue("day")
	if err := report.CheckDay("date", day, today); err != nil {
		refuseErr(w, err)
		return
	}
	a, err := report.DecodeAbsences(r.Body)
	if err != nil {
		refuseErr(w, err)
		return
	}
	created, err := h.store.PutAbsences(r.Context(), code, day, a, h.opt.Now())
	h.stored(w, created, err)
}

func (h *handler) getAbsences(w http.ResponseWriter, r *http.Request, code, today string) {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	for _, p := range []struct{ field, day string }{{"from", from}, {"to", to}} {
		// The end may be any day: asking for more than has happened is
		// not false, it is just empty.
		if err := report.CheckDay(p.field, p.day, "9999-12-31"); err != nil {
			refuseErr(w, err)
			return
		}
	}
	f, _ := time.Parse(time.DateOnly, from)
	t, _ := time.Parse(time.DateOnly, to)
	switch days := t.Sub(f).Hours() / 24; {
	case days < 0:
		refuse(w, http.StatusUnprocessableEntity, "the period ends before it starts", "to")
		return
	case days >= report.MaxRange:
		refuse(w, http.StatusUnprocessableEntity, "a period of at most "+strconv.Itoa(report.MaxRange)+" days", "to")
		return
	}
	days, err := h.store.Absences(r.Context(), code, from, to)
	if err != nil {
		h.failed(w, "reading absences", err)
		return
	}
	if days == nil {
		days = []report.DatedAbsences{}
	}
	answer(w, http.StatusOK, report.AbsencesList{Absences: days})
}

func (h *handler) stored(w http.ResponseWriter, created bool, err error) {
	switch {
	case err != nil:
		h.failed(w, "storing", err)
	case created:
		w.WriteHeader(http.StatusCreated)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (h *handler) failed(w http.ResponseWriter, doing string, err error) {
	h.opt.Log.Error("portal storage failed", "doing", doing, "err", err)
	refuse(w, http.StatusInternalServerError, "the portal could not "+doing+" the report; try again later", "")
}

// refuseErr answers the errors of privacy/report's decoding and checks.
func refuseErr(w http.ResponseWriter, err error) {
	var field *report.FieldError
	var syntax *report.SyntaxError
	switch {
	case errors.Is(err, report.ErrTooLarge):
		refuse(w, http.StatusRequestEntityTooLarge, err.Error(), "")
	case errors.As(err, &field):
		refuse(w, http.StatusUnprocessableEntity, field.Msg, field.Field)
	case errors.As(err, &syntax):
		refuse(w, http.StatusBadRequest, syntax.Err.Error(), syntax.Field)
	default:
		refuse(w, http.StatusBadRequest, err.Error(), "")
	}
}

func refuse(w http.ResponseWriter, status int, msg, field string) {
	answer(w, status, report.ErrorBody{Error: msg, Field: field})
}

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
