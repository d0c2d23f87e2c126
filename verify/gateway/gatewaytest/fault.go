package gatewaytest

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// Fault sees a request and the real answer before it is sent; it returns
// true when it answered the request itself.
type Fault func(w http.ResponseWriter, r *http.Request, real Response) bool

// On applies f to the requests of one endpoint ("settings", "drl/check",
// "drl", "signercertificate/update", "signercertificate/status").
func On(endpoint string, f Fault) Fault {
	return func(w http.ResponseWriter, r *http.Request, real Response) bool {
		return strings.TrimPrefix(r.URL.Path, Prefix) == endpoint && f(w, r, real)
	}
}

// OnChunk applies f to chunk k of the revocation list.
func OnChunk(k int, f Fault) Fault {
	return On("drl", func(w http.ResponseWriter, r *http.Request, real Response) bool {
		return r.URL.Query().Get("chunk") == strconv.Itoa(k) && f(w, r, real)
	})
}

// Times applies f to the first n requests it sees, then lets the others
// through.
func Times(n int, f Fault) Fault {
	var seen atomic.Int64
	return func(w http.ResponseWriter, r *http.Request, real Response) bool {
		return seen.Add(1) <= int64(n) && f(w, r, real)
	}
}

// Status answers with an HTTP error.
func Status(code int) Fault {
	return func(w http.ResponseWriter, r *http.Request, real Response) bool {
		http.Error(w, http.StatusText(code)+" (injected)", code)
		return true
	}
}

// Hang never answers: it waits until the client gives up.
func Hang() Fault {
	return func(w http.ResponseWriter, r *http.Request, real Response) bool {
		<-r.Context().Done()
		return true
	}
}

// Body answers 200 with a body of its own (invalid JSON, a broken
// certificate).
func Body(body string) Fault {
	return func(w http.ResponseWriter, r *http.Request, real Response) bool {
		real.Body = []byte(body)
		real.Status = http.StatusOK
		real.write(w)
		return true
	}
}

// Drop sends the headers and half the real body, then breaks the
// connection: a line that fails mid-chunk.
func Drop() Fault {
	return func(w http.ResponseWriter, r *http.Request, real Response) bool {
		w.Header().Set("Content-Length", strconv.Itoa(len(real.Body)))
		w.WriteHeader(real.Status)
		_, _ = w.Write(real.Body[:len(real.Body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler)
	}
}

// Oversize answers 200 with n bytes of a JSON-looking body; with declare
// the length is announced in Content-Length, without it the body streams
// with no length.
func Oversize(n int, declare bool) Fault {
	return func(w http.ResponseWriter, r *http.Request, real Response) bool {
		if declare {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		w.WriteHeader(http.StatusOK)
		block := bytes.Repeat([]byte(" "), 64<<10)
		for sent := 0; sent < n; sent += len(block) {
			if _, err := w.Write(block[:min(len(block), n-sent)]); err != nil {
				return true
			}
		}
		return true
	}
}
