// Package gatewaytest is a fake Italian DGC gateway for tests and
// benchmarks, so that the sync can be exercised end to end without a
// network: it serves signer certificates, settings and a revocation list
// held in Go values, in the API's shape (snapshots, deltas, chunks), and
// injects faults on demand.
package gatewaytest

import (
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/revocation"
)

// Prefix is the path of the API under the fake server, as on the real
// gateway.
const Prefix = "/v1/dgc/"

// Data is what the gateway serves. Change it while serving only through
// Gateway.Update.
type Data struct {
	// Signers are served one per answer by signercertificate/update.
	Signers []Signer
	// Status lists the valid kids; nil means the kids of Signers.
	Status []string
	// Settings is the settings document; nil answers 404.
	Settings []byte
	// Lists are the versions of the revocation list, oldest first: the
	// last is current, and a delta is served from any earlier one.
	Lists []List
	// ChunkSize is the number of hashes per chunk; 0 means 1000.
	ChunkSize int
	// NoDeltas makes every download a snapshot.
	NoDeltas bool
	// EditCheck and EditChunk, when set, change an answer before it is
	// sent: a wrong version, a wrong count.
	EditCheck func(*gateway.CheckAnswer)
	EditChunk func(*gateway.ChunkAnswer)
	// Fault, when set, sees every request first (see fault.go).
	Fault Fault
}

// Signer is one answer of the update loop.
type Signer struct {
	KID  string // announced in x-kid
	Body []byte // the answer: base64 DER for a good one
}

// Cert is the answer for a certificate, as the real gateway gives it.
func Cert(der []byte) Signer {
	return Signer{KID: verify.ComputeKID(der).String(), Body: []byte(base64.StdEncoding.EncodeToString(der))}
}

// List is one version of the revocation list.
type List struct {
	Version uint64
	Hashes  []revocation.Hash
}

// Gateway is a running fake gateway.
type Gateway struct {
	srv *httptest.Server

	mu       sync.Mutex
	data     Data
	sets     map[uint64]*revocation.Set // per version, built on first use
	deltas   map[[2]uint64]delta
	chunks   map[[2]uint64]Response // rendered once per (from, chunk)
	requests []string
}

// Start serves d over plain HTTP on the loopback until the test ends.
func Start(tb testing.TB, d Data) *Gateway { return start(tb, d, false) }

// StartTLS serves d over HTTPS with a certificate of its own (see CAFile).
func StartTLS(tb testing.TB, d Data) *Gateway { return start(tb, d, true) }

func start(tb testing.TB, d Data, tls bool) *Gateway {
	g := &Gateway{data: d}
	g.reset()
	g.srv = httptest.NewUnstartedServer(http.HandlerFunc(g.serve))
	// Refused handshakes and aborted answers are what tests provoke.
	g.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if tls {
		g.srv.StartTLS()
	} else {
		g.srv.Start()
	}
	tb.Cleanup(g.srv.Close)
	return g
}

// URL is the API's root, ending with a slash.
func (g *Gateway) URL() string { return g.srv.URL + Prefix }

// CAFile writes the HTTPS server's certificate to a PEM file, for pinning.
func (g *Gateway) CAFile(tb testing.TB) string {
	path := filepath.Join(tb.TempDir(), "gateway-ca.pem")
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: g.srv.Certificate().Raw})
	if err := os.WriteFile(path, pemData, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// Update changes the data served, safely against requests in flight.
func (g *Gateway) Update(f func(*Data)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f(&g.data)
	g.reset()
}

func (g *Gateway) reset() {
	g.sets = map[uint64]*revocation.Set{}
	g.deltas = map[[2]uint64]delta{}
	g.chunks = map[[2]uint64]Response{}
	if g.data.ChunkSize == 0 {
		g.data.ChunkSize = 1000
	}
}

// Requests are the requests served so far, as endpoint?query (the
// endpoint relative to the API's root).
func (g *Gateway) Requests() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.requests...)
}

// Response is an answer about to be sent.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (g *Gateway) serve(w http.ResponseWriter, r *http.Request) {
	endpoint, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	g.mu.Lock()
	g.requests = append(g.requests, endpoint+"?"+r.URL.RawQuery)
	resp := g.answer(endpoint, r)
	fault := g.data.Fault
	g.mu.Unlock()
	if fault != nil && fault(w, r, resp) {
		return
	}
	resp.write(w)
}

func (resp Response) write(w http.ResponseWriter) {
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(resp.Body)))
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

// answer computes the real answer to a request; g.mu is held.
func (g *Gateway) answer(endpoint string, r *http.Request) Response {
	switch endpoint {
	case "signercertificate/update":
		return g.update(r.Header.Get("X-Resume-Token"))
	case "signercertificate/status":
		status := g.data.Status
		if status == nil {
			status = []string{}
			for _, s := range g.data.Signers {
				status = append(status, s.KID)
			}
		}
		return jsonResponse(status)
	case "settings":
		if g.data.Settings == nil {
			break
		}
		return Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: g.data.Settings}
	case "drl/check":
		return g.check(r)
	case "drl":
		return g.chunk(r)
	}
	return Response{Status: http.StatusNotFound, Body: []byte("no such endpoint")}
}

func (g *Gateway) update(token string) Response {
	i := 0
	if token != "" {
		var err error
		if i, err = strconv.Atoi(token); err != nil || i < 0 {
			return Response{Status: http.StatusBadRequest, Body: []byte("bad resume token")}
		}
	}
	if i >= len(g.data.Signers) {
		return Response{Status: http.StatusNoContent}
	}
	s := g.data.Signers[i]
	h := http.Header{"X-Resume-Token": {strconv.Itoa(i + 1)}, "Content-Type": {"text/plain"}}
	if s.KID != "" {
		h.Set("X-Kid", s.KID)
	}
	return Response{Status: http.StatusOK, Header: h, Body: s.Body}
}

func jsonResponse(v any) Response {
	body, err := json.Marshal(v)
	if err != nil {
		return Response{Status: http.StatusInternalServerError, Body: []byte(err.Error())}
	}
	return Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
}
