package link

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// DefaultPoll is how long a bundle request waits for a newer bundle before
// answering 204: under the five minutes a revocation may take to reach a
// kiosk, over what keeps an idle school's network quiet.
const DefaultPoll = 50 * time.Second

// Handler serves the kiosks' endpoints for an office. It must be served
// over TLS that requests client certificates (tls.RequestClientCert): the
// kiosk's certificate is its identity.
type Handler struct {
	Office Office
	Poll   time.Duration // how long a bundle request waits; DefaultPoll when 0
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		httpError(w, http.StatusUnauthorized, "a kiosk presents its certificate")
		return
	}
	keyID := KeyID(r.TLS.PeerCertificates[0])
	switch {
	case r.URL.Path == PathPair && r.Method == http.MethodPost:
		h.pair(w, r, keyID)
	case r.URL.Path == PathBundle && r.Method == http.MethodGet:
		h.bundle(w, r, keyID)
	case r.URL.Path == PathCounts && r.Method == http.MethodPut:
		h.counts(w, r, keyID)
	default:
		httpError(w, http.StatusNotFound, "no such endpoint")
	}
}

func (h *Handler) pair(w http.ResponseWriter, r *http.Request, keyID string) {
	var req PairRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Name == "" || len(req.Name) > 64 || len(req.Entrance) > 64 {
		httpError(w, http.StatusUnprocessableEntity, "name: 1 to 64 characters; entrance: at most 64")
		return
	}
	id, err := h.Office.Pair(r.Context(), req.Secret, keyID, req)
	if err != nil {
		officeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(PairAnswer{Kiosk: id})
}

func (h *Handler) bundle(w http.ResponseWriter, r *http.Request, keyID string) {
	after, err := strconv.ParseUint(r.URL.Query().Get("after"), 10, 64)
	if err != nil {
		httpError(w, http.StatusBadRequest, "after: the sequence number of the bundle held (0 for none)")
		return
	}
	if _, err := h.Office.Kiosk(r.Context(), keyID, r.Header.Get(HeaderVersion), after); err != nil {
		officeError(w, err)
		return
	}
	poll := h.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	ctx, cancel := context.WithTimeout(r.Context(), poll)
	defer cancel()
	raw, err := h.Office.Bundle(ctx, after)
	switch {
	case err != nil:
		officeError(w, err)
	case raw == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Content-Type", "application/cose")
		w.Write(raw)
	}
}

func (h *Handler) counts(w http.ResponseWriter, r *http.Request, keyID string) {
	id, err := h.Office.Kiosk(r.Context(), keyID, r.Header.Get(HeaderVersion), holds(r))
	if err != nil {
		officeError(w, err)
		return
	}
	var c Counts
	if !decode(w, r, &c) {
		return
	}
	if err := c.check(); err != nil {
		httpError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	if err := h.Office.Counts(r.Context(), id, c); err != nil {
		officeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// HeaderHolds carries the sequence number of the bundle a kiosk holds on
// requests other than the bundle's, for the office's list.
const HeaderHolds = "X-Kiosk-Bundle"

func holds(r *http.Request) uint64 {
	n, _ := strconv.ParseUint(r.Header.Get(HeaderHolds), 10, 64)
	return n
}

// Bounds of one counts message: a week of days, a school's classes.
const (
	maxDays    = 31
	maxClasses = 200
	maxCount   = 100000
)

// check refuses counts that cannot be a kiosk's.
func (c *Counts) check() error {
	if len(c.Days) > maxDays {
		return fmt.Errorf("days: %d, at most %d", len(c.Days), maxDays)
	}
	for i, d := range c.Days {
		if len(d.Classes) > maxClasses {
			return fmt.Errorf("days[%d].classes: %d, at most %d", i, len(d.Classes), maxClasses)
		}
		for j, cl := range d.Classes {
			switch {
			case cl.Class == "" || len(cl.Class) > 64:
				return fmt.Errorf("days[%d].classes[%d].class: 1 to 64 characters", i, j)
			case cl.Admitted < 0 || cl.Admitted > maxCount:
				return fmt.Errorf("days[%d].classes[%d].admitted: %d is outside 0…%d", i, j, cl.Admitted, maxCount)
			case cl.Refused < 0 || cl.Refused > maxCount:
				return fmt.Errorf("days[%d].classes[%d].refused: %d is outside 0…%d", i, j, cl.Refused, maxCount)
			}
		}
	}
	return nil
}

// decode reads a bounded JSON body with no unknown field: the office
// accepts exactly the fields of the protocol, and nothing else.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		httpError(w, http.StatusBadRequest, "reading the body: "+err.Error())
		return false
	}
	if len(body) > MaxBody {
		httpError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body over %d bytes", MaxBody))
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		httpError(w, http.StatusBadRequest, "body: "+err.Error())
		return false
	}
	return true
}

func officeError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrUnknownKiosk):
		httpError(w, http.StatusUnauthorized, err.Error())
	case errors.Is(err, ErrBadSecret):
		httpError(w, http.StatusForbidden, err.Error())
	case errors.Is(err, ErrNameTaken):
		httpError(w, http.StatusConflict, err.Error())
	default:
		httpError(w, http.StatusInternalServerError, "the office could not answer")
	}
}

func httpError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, msg)
}
