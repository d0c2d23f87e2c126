package gateway

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a server that answers 200 "[]" and remembers what it was
// asked.
type recorder struct {
	mu      sync.Mutex
	paths   []string
	headers []http.Header
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	rec.paths = append(rec.paths, r.URL.RequestURI())
	rec.headers = append(rec.headers, r.Header.Clone())
	rec.mu.Unlock()
	w.Write([]byte(`[]`))
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The endpoints resolve under the base URL's path whether or not it ends
// with a slash, and the kiosk says who it is.
func TestEndpointsResolveUnderTheBaseURL(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	for _, c := range []struct{ base, want string }{
		{srv.URL + "/v1/dgc/", "/v1/dgc/signercertificate/status"},
		{srv.URL + "/v1/dgc", "/v1/dgc/signercertificate/status"},
		{srv.URL, "/signercertificate/status"},
		{srv.URL + "/", "/signercertificate/status"},
	} {
		if _, err := newClient(t, Config{BaseURL: c.base}).SignerStatus(context.Background()); err != nil {
			t.Fatalf("%s: %v", c.base, err)
		}
		rec.mu.Lock()
		got, ua := rec.paths[len(rec.paths)-1], rec.headers[len(rec.headers)-1].Get("User-Agent")
		rec.mu.Unlock()
		if got != c.want {
			t.Errorf("base %q: asked %q, want %q", c.base, got, c.want)
		}
		if ua != DefaultUserAgent {
			t.Errorf("User-Agent %q, want %q", ua, DefaultUserAgent)
		}
	}
	_, _ = newClient(t, Config{BaseURL: srv.URL + "/v1/dgc"}).DRLCheck(context.Background(), 7)
	if got := rec.paths[len(rec.paths)-1]; got != "/v1/dgc/drl/check?version=7" {
		t.Errorf("check asked %q", got)
	}
}

func TestConfigErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o600)
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{BaseURL: "ftp://example.org/"}, "scheme must be https"},
		{Config{BaseURL: "https:///v1"}, "has no host"},
		{Config{BaseURL: "https://example.org/v1?x=1"}, "query or fragment"},
		{Config{BaseURL: "https://example.org/", CAFile: bad}, "holds no PEM certificate"},
		{Config{BaseURL: "https://example.org/", CAFile: bad + ".missing"}, "no such file"},
	} {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) = %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestInsecure(t *testing.T) {
	for base, want := range map[string]bool{
		"https://get.dgc.gov.it/v1/dgc/": false,
		"http://127.0.0.1:8080/":         false,
		"http://[::1]:8080/":             false,
		"http://localhost/":              false,
		"http://gateway.school.lan/":     true,
		"http://10.0.0.2/":               true,
	} {
		if got := newClient(t, Config{BaseURL: base}).Insecure(); got != want {
			t.Errorf("Insecure(%s) = %v, want %v", base, got, want)
		}
	}
}

// An answer over its bound is refused: at once when its length is
// announced, after bound+1 bytes when it streams.
func TestAnswersAreBounded(t *testing.T) {
	for _, declare := range []bool{true, false} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if declare {
				w.Header().Set("Content-Length", "2000000")
			}
			w.Write([]byte("["))
			for range 2000 {
				if _, err := w.Write([]byte(strings.Repeat(" ", 1000))); err != nil {
					return
				}
			}
		}))
		c := newClient(t, Config{BaseURL: srv.URL, Limits: Limits{Status: 1000}})
		_, err := c.SignerStatus(context.Background())
		want := "answer over the 1000-byte bound"
		if declare {
			want = "answer of 2000000 bytes is over the 1000-byte bound"
		}
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "signercertificate/status") {
			t.Errorf("declare=%v: error %v, want %q naming the endpoint", declare, err, want)
		}
		srv.Close()
	}
}

func TestTimeoutAndStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/settings" {
			http.Error(w, "maintenance\nback soon", http.StatusServiceUnavailable)
			return
		}
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := newClient(t, Config{BaseURL: srv.URL, Timeout: 100 * time.Millisecond})
	_, err := c.DRLCheck(context.Background(), 0)
	if err == nil || !strings.Contains(err.Error(), "no complete answer within 100ms") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hanging gateway: %v", err)
	}
	_, _, err = c.Settings(context.Background())
	if err == nil || !strings.Contains(err.Error(), "status 503 Service Unavailable: maintenance back soon") {
		t.Errorf("503: %v", err)
	}
}

// With a pinned CA only a gateway certified by it is reached; without one
// the system's roots decide, and they do not know the test server.
func TestPinnedCA(t *testing.T) {
	srv := quietTLSServer(t, &recorder{}, nil)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pemCert(srv.Certificate().Raw), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := newClient(t, Config{BaseURL: srv.URL, CAFile: ca}).SignerStatus(context.Background()); err != nil {
		t.Fatalf("pinned CA: %v", err)
	}
	_, err := newClient(t, Config{BaseURL: srv.URL}).SignerStatus(context.Background())
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("system roots accepted the test server: %v", err)
	}
	other := quietTLSServer(t, &recorder{}, selfSigned(t))
	_, err = newClient(t, Config{BaseURL: other.URL, CAFile: ca}).SignerStatus(context.Background())
	if err == nil || !strings.Contains(err.Error(), "certificate signed by unknown authority") {
		t.Fatalf("the pinned CA accepted another server's certificate: %v", err)
	}
}

// quietTLSServer is an HTTPS test server, with its own certificate when
// cert is given, that does not log refused handshakes.
func quietTLSServer(t *testing.T, h http.Handler, cert *tls.Certificate) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// selfSigned makes a certificate for 127.0.0.1 from no known authority.
func selfSigned(t *testing.T) *tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "impostor"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestNoRedirectToPlainHTTP(t *testing.T) {
	plain := httptest.NewServer(&recorder{})
	defer plain.Close()
	tlsSrv := quietTLSServer(t, http.RedirectHandler(plain.URL+"/signercertificate/status", http.StatusFound), nil)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pemCert(tlsSrv.Certificate().Raw), 0o600)
	_, err := newClient(t, Config{BaseURL: tlsSrv.URL, CAFile: ca}).SignerStatus(context.Background())
	if err == nil || !strings.Contains(err.Error(), "refusing a redirect from https") {
		t.Fatalf("downgrade: %v", err)
	}
}

// Every answer's Date header reaches the witness with the local reading,
// even a refused answer's: the gateway's clock is worth knowing either way.
func TestAnswersWitnessTheClock(t *testing.T) {
	gatewayTime := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", gatewayTime.Format(http.TimeFormat))
		w.WriteHeader(status)
		w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	var got []time.Time
	c := newClient(t, Config{BaseURL: srv.URL, Witness: func(ours, theirs time.Time) {
		if d := time.Since(ours); d < 0 || d > time.Minute {
			t.Errorf("our reading %v is not now", ours)
		}
		got = append(got, theirs)
	}})
	if _, err := c.SignerStatus(context.Background()); err != nil {
		t.Fatal(err)
	}
	status = http.StatusServiceUnavailable
	if _, err := c.SignerStatus(context.Background()); err == nil {
		t.Fatal("a 503 was accepted")
	}
	if len(got) != 2 || !got[0].Equal(gatewayTime) || !got[1].Equal(gatewayTime) {
		t.Fatalf("witnessed %v, want %v twice", got, gatewayTime)
	}
}
