package display

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk"
)

// request is one HTTP request to the server and the status it must get.
type request struct {
	method, path, body string
	header             map[string]string // "Host" sets the Host header
	status             int
}

// do sends rq to the server at base and returns the response, its body read
// (for /events, only the headers: the stream is then closed).
func (rq request) do(t *testing.T, base string) (*http.Response, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, rq.method, base+rq.path, strings.NewReader(rq.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range rq.header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if rq.path == "/events" && resp.StatusCode == http.StatusOK {
		return resp, ""
	}
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

var jsonHeader = map[string]string{"Content-Type": "application/json"}

func TestEveryResponseHasTheSecurityHeaders(t *testing.T) {
	s, base, _ := startServer(t, Config{})
	host := s.Addr()
	for _, rq := range []request{
		{method: "GET", path: "/", status: 200},
		{method: "HEAD", path: "/", status: 200},
		{method: "GET", path: "/screen.css", status: 200},
		{method: "GET", path: "/screen.js", status: 200},
		{method: "GET", path: "/events", status: 200},
		{method: "GET", path: "/favicon.ico", status: 204},
		{method: "GET", path: "/informativa.png", status: 404}, // no screen published: no address to draw
		{method: "GET", path: "/assets/index.html", status: 404},
		{method: "DELETE", path: "/", status: 405},
		{method: "GET", path: "/command/lock", status: 405},
		{method: "POST", path: "/command/lock", body: "{}", header: jsonHeader, status: 204},
		{method: "POST", path: "/command/lock", body: "{}", header: map[string]string{"Content-Type": "text/plain"}, status: 415},
		{method: "POST", path: "/command/language", body: `{"lang":"de"}`, header: jsonHeader, status: 400},
		{method: "POST", path: "/command/lock", body: strings.Repeat(" ", 2<<10) + "{}", header: jsonHeader, status: 413},
		{method: "GET", path: "/", header: map[string]string{"Host": "evil.example:8080"}, status: 403},
		{method: "GET", path: "/events", header: map[string]string{"Sec-Fetch-Site": "cross-site"}, status: 403},
		{method: "POST", path: "/command/lock", body: "{}", header: map[string]string{"Content-Type": "application/json", "Origin": "http://evil.example"}, status: 403},
		{method: "GET", path: "/", header: map[string]string{"Host": "localhost:" + host[strings.LastIndex(host, ":")+1:], "Sec-Fetch-Site": "none"}, status: 200},
	} {
		resp, _ := rq.do(t, base)
		if resp.StatusCode != rq.status {
			t.Errorf("%s %s %v: %s, want %d", rq.method, rq.path, rq.header, resp.Status, rq.status)
		}
		for k, v := range securityHeaders {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s %s (%d): %s is %q, want %q", rq.method, rq.path, resp.StatusCode, k, got, v)
			}
		}
	}
	if c := <-s.Commands(); c.Kind != kiosk.CommandLock {
		t.Errorf("the one valid command arrived as %+v", c)
	}
}

func TestAssetsHaveTheirTypes(t *testing.T) {
	_, base, _ := startServer(t, Config{})
	for path, want := range map[string]string{
		"/":           "text/html; charset=utf-8",
		"/screen.css": "text/css; charset=utf-8",
		"/screen.js":  "text/javascript; charset=utf-8",
	} {
		resp, body := request{method: "GET", path: path}.do(t, base)
		if got := resp.Header.Get("Content-Type"); got != want || len(body) == 0 {
			t.Errorf("%s: %q, %d bytes; want %q", path, got, len(body), want)
		}
	}
}

func TestNonLoopbackHostIsRefused(t *testing.T) {
	s, base, _ := startServer(t, Config{})
	port := s.Addr()[strings.LastIndex(s.Addr(), ":"):]
	for _, host := range []string{"evil.example" + port, "evil.example", "192.168.1.20" + port, "localhost.evil.example" + port, "127.0.0.1.nip.io" + port} {
		for _, path := range []string{"/", "/events", "/screen.js"} {
			if resp, _ := (request{method: "GET", path: path, header: map[string]string{"Host": host}}).do(t, base); resp.StatusCode != 403 {
				t.Errorf("Host %s, %s: %s, want 403", host, path, resp.Status)
			}
		}
	}
	for _, host := range []string{"localhost" + port, "127.0.0.1" + port, "[::1]" + port} {
		if resp, _ := (request{method: "GET", path: "/", header: map[string]string{"Host": host}}).do(t, base); resp.StatusCode != 200 {
			t.Errorf("Host %s: %s, want 200", host, resp.Status)
		}
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	s, base, _ := startServer(t, Config{})
	body := `{"class":"3A"}`
	for _, header := range []map[string]string{
		{"Content-Type": "application/json", "Origin": "http://evil.example"},
		{"Content-Type": "application/json", "Origin": "http://127.0.0.1:9999"},
		{"Content-Type": "application/json", "Origin": "null"},
		{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"},
		{"Content-Type": "application/json", "Sec-Fetch-Site": "same-site", "Origin": base},
		{"Content-Type": "text/plain", "Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"},
	} {
		if resp, _ := (request{method: "POST", path: "/command/choose-class", body: body, header: header}).do(t, base); resp.StatusCode/100 != 4 {
			t.Errorf("POST with %v: %s, want refused", header, resp.Status)
		}
	}
	select {
	case c := <-s.Commands():
		t.Fatalf("a cross-origin POST reached the session: %+v", c)
	case <-time.After(100 * time.Millisecond):
	}
	// The page's own POST, as Chromium sends it.
	own := map[string]string{"Content-Type": "application/json", "Origin": base, "Sec-Fetch-Site": "same-origin"}
	if resp, _ := (request{method: "POST", path: "/command/choose-class", body: body, header: own}).do(t, base); resp.StatusCode != 204 {
		t.Fatalf("the page's own POST: %s", resp.Status)
	}
	if c := <-s.Commands(); c != (kiosk.Command{Kind: kiosk.CommandChooseClass, Class: "3A"}) {
		t.Errorf("command %+v", c)
	}
}
