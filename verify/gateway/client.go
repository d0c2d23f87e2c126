// Package gateway is the HTTP client for the Italian DGC gateway's API
// (signer certificates, settings, revocation list), so that the kiosk can
// refresh its trust data from any gateway of that shape: every answer is
// bounded before it is read into memory, checked against the shape, and
// every failure names the endpoint and why.
package gateway

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/scuola/kiosk/privacy/loopback"
)

// Config describes how to reach a gateway.
type Config struct {
	// BaseURL is the API's root, e.g. https://get.dgc.gov.it/v1/dgc/; the
	// endpoint paths are resolved relative to it, with or without a final
	// slash.
	BaseURL string
	// CAFile, when set, is a PEM file of the only certificate authorities
	// trusted for the gateway's TLS certificate (pinning); otherwise the
	// system's roots are.
	CAFile string
	// Timeout bounds each request, the whole body included; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// UserAgent identifies the kiosk to the gateway; empty means
	// DefaultUserAgent.
	UserAgent string
	// Limits bound the answers; zero fields get the defaults.
	Limits Limits
	// Witness, when set, receives every answer's Date header (theirs) with
	// the local clock's reading when the answer arrived (ours): the kiosk
	// has no real-time clock, and the gateway's is an independent witness.
	Witness func(ours, theirs time.Time)
}

// DefaultTimeout is generous enough for a 50 MB revocation-list chunk on a
// slow school line, short enough that a dead connection is noticed.
const DefaultTimeout = 2 * time.Minute

// DefaultUserAgent names the product to the gateway's operators.
const DefaultUserAgent = "scuola-kiosk/1 (school entrance verifier)"

// Limits bound each kind of answer, in bytes, so that a broken or hostile
// gateway cannot fill the kiosk's memory.
type Limits struct {
	Certificate int64 // one signer certificate (real ones are about 2 KB)
	Status      int64 // the list of valid kids (real: about 4 KB)
	Settings    int64 // the settings document (real: about 90 KB)
	Check       int64 // a revocation-list check answer (real: 300 bytes)
	Chunk       int64 // a revocation-list chunk (real: 510 KB)
}

// DefaultLimits leave a wide margin over the real answers: a chunk may hold
// a whole list of two million hashes.
var DefaultLimits = Limits{
	Certificate: 64 << 10,
	Status:      1 << 20,
	Settings:    4 << 20,
	Check:       64 << 10,
	Chunk:       128 << 20,
}

// Client talks to one gateway. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	http      *http.Client
	timeout   time.Duration
	userAgent string
	limits    Limits
	witness   func(ours, theirs time.Time)
}

// New checks the configuration and prepares the client.
func New(cfg Config) (*Client, error) {
	base, err := parseBase(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		if tlsConfig.RootCAs, err = loadCAFile(cfg.CAFile); err != nil {
			return nil, err
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConfig
	c := &Client{
		base:      base,
		timeout:   cmp.Or(cfg.Timeout, DefaultTimeout),
		userAgent: cmp.Or(cfg.UserAgent, DefaultUserAgent),
		witness:   cfg.Witness,
		limits: Limits{
			Certificate: cmp.Or(cfg.Limits.Certificate, DefaultLimits.Certificate),
			Status:      cmp.Or(cfg.Limits.Status, DefaultLimits.Status),
			Settings:    cmp.Or(cfg.Limits.Settings, DefaultLimits.Settings),
			Check:       cmp.Or(cfg.Limits.Check, DefaultLimits.Check),
			Chunk:       cmp.Or(cfg.Limits.Chunk, DefaultLimits.Chunk),
		},
	}
	c.http = &http.Client{Transport: transport, CheckRedirect: noDowngrade}
	return c, nil
}

// parseBase accepts an http or https URL. The endpoints are joined to its
// path (url.JoinPath), so that "settings" lands under /v1/dgc whether or
// not the configured URL ends with a slash.
func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("gateway URL %q: %w", raw, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("gateway URL %q: the scheme must be https (or http)", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("gateway URL %q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("gateway URL %q: a query or fragment has no place in the API's root", raw)
	}
	return u, nil
}

// Insecure reports whether the gateway is reached over plain HTTP on
// another machine, where nothing protects the trust data in transit (the
// gateway does not sign it). The command line warns about it.
func (c *Client) Insecure() bool { return loopback.CheckURL(c.base.String()) != nil }

// BaseURL is the API's root, for messages.
func (c *Client) BaseURL() string { return c.base.Redacted() }

func loadCAFile(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("CA file %s holds no PEM certificate", path)
	}
	return pool, nil
}

// noDowngrade follows redirects, but never from https to plain http.
func noDowngrade(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("more than 10 redirects")
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("refusing a redirect from https to %s", req.URL.Redacted())
	}
	return nil
}

// answer is a response whose body has been read within its bound.
type answer struct {
	where  string // "GET url", for messages
	status int
	header http.Header
	body   []byte
}

// errorf names the request in an error about its answer.
func (a *answer) errorf(err error) error { return fmt.Errorf("%s: %w", a.where, err) }

// get fetches an endpoint relative to the base URL and reads the whole
// body, refusing one larger than limit before it fills memory. Any status
// other than those accepted is an error. Every error names the URL.
func (c *Client) get(ctx context.Context, endpoint string, query url.Values, header http.Header, limit int64, accept ...int) (*answer, error) {
	u := c.base.JoinPath(endpoint)
	u.RawQuery = query.Encode()
	where := "GET " + u.Redacted()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json, text/plain, */*")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, c.explain(ctx, err))
	}
	defer resp.Body.Close()
	if date, err := http.ParseTime(resp.Header.Get("Date")); err == nil && c.witness != nil {
		c.witness(time.Now(), date)
	}
	if !accepted(resp.StatusCode, accept) {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return nil, fmt.Errorf("%s: status %s%s", where, resp.Status, printable(snippet))
	}
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%s: answer of %d bytes is over the %d-byte bound", where, resp.ContentLength, limit)
	}
	body, err := readBody(resp, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, c.explain(ctx, err))
	}
	return &answer{where: where, status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// readBody reads a body of at most limit bytes: into a buffer of exactly
// the announced length when there is one (a 50 MB chunk is not copied
// while it grows), else into a growing one.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 {
		body := make([]byte, n)
		if got, err := io.ReadFull(resp.Body, body); err != nil {
			return nil, fmt.Errorf("reading the answer after %d of %d bytes: %w", got, n, err)
		}
		return body, nil
	}
	var body bytes.Buffer
	n, err := body.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer after %d bytes: %w", n, err)
	}
	if n > limit {
		return nil, fmt.Errorf("answer over the %d-byte bound", limit)
	}
	return body.Bytes(), nil
}

func accepted(status int, accept []int) bool {
	if len(accept) == 0 {
		return status == http.StatusOK
	}
	for _, a := range accept {
		if status == a {
			return true
		}
	}
	return false
}

// explain turns the request's own deadline into words; the caller's
// cancellation stays as it is.
func (c *Client) explain(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no complete answer within %v: %w", c.timeout, err)
	}
	return err
}

// printable quotes the start of an error body for a one-line message.
func printable(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, strings.TrimSpace(string(b)))
	if s == "" {
		return ""
	}
	return ": " + s
}
