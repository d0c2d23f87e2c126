package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/scuola/kiosk/privacy/loopback"
)

// Timeout is the default bound of one request, connection included.
const Timeout = 30 * time.Second

// MaxAnswer bounds what the client reads of an answer: a year of days of
// a large plesso, class by class, fits.
const MaxAnswer = 8 << 20

// Client sends one plesso's reports with its credential.
type Client struct {
	base  *url.URL
	code  string
	token string
	http  *http.Client
}

// NewClient returns the client of the plesso code at the portal baseURL
// (https, or http to this machine only). hc may be nil: a client with
// Timeout is used; one given without a timeout gets Timeout.
func NewClient(baseURL, code, token string, hc *http.Client) (*Client, error) {
	if err := loopback.CheckURL(baseURL); err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
	if err != nil {
		return nil, err
	}
	if code == "" || token == "" {
		return nil, errors.New("report client: the plesso's code and token are both required")
	}
	if hc == nil {
		hc = &http.Client{}
	}
	if hc.Timeout == 0 {
		c := *hc
		c.Timeout = Timeout
		hc = &c
	}
	return &Client{base: u, code: code, token: token, http: hc}, nil
}

// RefusedError is the portal's refusal of a report (a 4xx other than 408
// and 429): sending it again unchanged will not help. Message and Field
// are the portal's.
type RefusedError struct {
	Status  int
	Message string
	Field   string
}

func (e *RefusedError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("portal refused the report (%d): %s: %s", e.Status, e.Field, e.Message)
	}
	return fmt.Sprintf("portal refused the report (%d): %s", e.Status, e.Message)
}

// RetryableError is a failure that may pass later: the network, the
// portal's own trouble (5xx), or its asking to slow down (408, 429).
type RetryableError struct {
	Status     int           // 0 when no answer came
	RetryAfter time.Duration // the portal's Retry-After, when it said one
	Err        error
}

func (e *RetryableError) Error() string {
	if e.Status == 0 {
		return "portal unreachable: " + e.Err.Error()
	}
	return fmt.Sprintf("portal answered %d: %v", e.Status, e.Err)
}

func (e *RetryableError) Unwrap() error { return e.Err }

// Retryable reports whether err is worth trying again.
func Retryable(err error) bool {
	var r *RetryableError
	return errors.As(err, &r)
}

// PutProfile sends the profile of a school year (like 2025-26); created
// says whether the portal had none before.
func (c *Client) PutProfile(ctx context.Context, year string, p Profile) (created bool, err error) {
	return c.put(ctx, "profile/"+url.PathEscape(year), p)
}

// PutAbsences sends a day's report (YYYY-MM-DD), replacing any earlier
// one of that day; created says whether the portal had none before.
func (c *Client) PutAbsences(ctx context.Context, day string, a Absences) (created bool, err error) {
	return c.put(ctx, "absences/"+url.PathEscape(day), a)
}

// Absences reads back the reports the portal holds from day from to day
// to, both included.
func (c *Client) Absences(ctx context.Context, from, to string) ([]DatedAbsences, error) {
	q := url.Values{"from": {from}, "to": {to}}
	body, status, err := c.do(ctx, http.MethodGet, "absences?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, &RetryableError{Status: status, Err: errors.New("unexpected status")}
	}
	var list AbsencesList
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, &RetryableError{Status: status, Err: fmt.Errorf("unreadable answer: %w", err)}
	}
	return list.Absences, nil
}

func (c *Client) put(ctx context.Context, path string, v any) (bool, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return false, err
	}
	_, status, err := c.do(ctx, http.MethodPut, path, body)
	if err != nil {
		return false, err
	}
	switch status {
	case http.StatusCreated:
		return true, nil
	case http.StatusOK:
		return false, nil
	}
	return false, &RetryableError{Status: status, Err: errors.New("unexpected status")}
}

// do sends one request under the plesso's path and sorts the failures:
// a 2xx is returned, anything else is a *RefusedError or a
// *RetryableError.
func (c *Client) do(ctx context.Context, method, path string, body []byte) ([]byte, int, error) {
	u := c.base.String() + "/api/v1/schools/" + url.PathEscape(c.code) + "/" + path
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, &RetryableError{Err: err}
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	switch {
	case err != nil:
		return nil, 0, &RetryableError{Status: resp.StatusCode, Err: fmt.Errorf("reading the answer: %w", err)}
	case len(answer) > MaxAnswer:
		return nil, 0, &RetryableError{Status: resp.StatusCode, Err: fmt.Errorf("an answer over %d bytes", MaxAnswer)}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return answer, resp.StatusCode, nil
	}
	var e ErrorBody
	if json.Unmarshal(answer, &e) != nil || e.Error == "" {
		e.Error = http.StatusText(resp.StatusCode)
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500 {
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		secs = min(max(secs, 0), 3600) // a portal's word, bounded
		return nil, resp.StatusCode, &RetryableError{Status: resp.StatusCode, RetryAfter: time.Duration(secs) * time.Second, Err: errors.New(e.Error)}
	}
	return nil, resp.StatusCode, &RefusedError{Status: resp.StatusCode, Message: e.Error, Field: e.Field}
}
