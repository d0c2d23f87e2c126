package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/cmd/portal/api"
	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/cmd/portal/watch"
	"github.com/scuola/kiosk/cmd/portal/web"
	"github.com/scuola/kiosk/privacy/loopback"
)

func init() {
	portal.Commands["serve"] = cli.Command{
		Summary: "receive the schools' reports over HTTPS, and serve the ATS's pages",
		Run:     runServe,
	}
}

const serveUsage = "usage: portal serve --db DSN --addr HOST:PORT [--cert FILE --key FILE | --plain-http]"

// runServe serves the report protocol until SIGINT or SIGTERM. It says
// on stderr the address it listens on ("portal: listening on
// https://HOST:PORT", the port chosen when :0 was asked) and, when it
// made its own certificate, that certificate (public) and its SHA-256
// fingerprint, for the schools to pin.
func runServe(args []string, _ io.Reader, _, stderr io.Writer) int {
	fs := portal.NewFlags("serve", serveUsage, stderr)
	dsn := fs.String("db", "", "the store: a SQLite file path or a postgres:// URL")
	addr := fs.String("addr", "", "the address to listen on, HOST:PORT")
	certFile := fs.String("cert", "", "the TLS certificate (PEM); none: a self-signed one is made")
	keyFile := fs.String("key", "", "the TLS certificate's private key (PEM)")
	plain := fs.Bool("plain-http", false, "plain HTTP, for a loopback address only (a TLS proxy on this machine in front)")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if status, ok := fs.Need("db", "addr"); !ok {
		return status
	}
	switch {
	case fs.NArg() > 0:
		return fs.UsageError("unexpected argument %q", fs.Arg(0))
	case (*certFile == "") != (*keyFile == ""):
		return fs.UsageError("--cert and --key go together")
	case *plain && *certFile != "":
		return fs.UsageError("--plain-http has no certificate")
	}
	listen := *addr
	var tlsConfig *tls.Config
	if *plain {
		var err error
		if listen, err = loopback.ListenAddress(*addr); err != nil {
			return fs.UsageError("--plain-http: %v: reports travel only over HTTPS", err)
		}
	} else {
		cert, err := certificate(*certFile, *keyFile, *addr, stderr)
		if err != nil {
			return fs.UsageError("%v", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(stderr, "portal serve:", err)
		return 1
	}
	defer st.Close()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		fmt.Fprintln(stderr, "portal serve:", err)
		return 1
	}
	scheme := "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	handler, err := routes(st, logger)
	if err != nil {
		fmt.Fprintln(stderr, "portal serve:", err)
		return 1
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stderr, "portal: listening on %s://%s\n", scheme, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintln(stderr, "portal serve:", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintln(stderr, "portal serve: shutting down:", err)
		return 1
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "portal serve:", err)
		return 1
	}
	return 0
}

// routes are the portal's two faces: the report protocol for the
// schools' programs under /api/, the pages for the ATS's people elsewhere.
func routes(st store.Store, logger *slog.Logger) (http.Handler, error) {
	dashboard := watch.Pages(st, watch.Options{Viewer: func(r *http.Request) (watch.Viewer, bool) {
		v, ok := web.ViewerOf(r)
		return watch.Viewer(v), ok
	}})
	pages, err := web.New(st, web.Options{Log: logger, Dashboard: dashboard})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(st, api.Options{Log: logger}))
	mux.Handle("/", pages)
	return mux, nil
}

// certificate loads the given certificate, or makes a self-signed one
// for addr's host and says it on stderr.
func certificate(certFile, keyFile, addr string, stderr io.Writer) (tls.Certificate, error) {
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return cert, fmt.Errorf("--cert/--key: %w", err)
		}
		return cert, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("--addr %q: %w", addr, err)
	}
	cert, der, err := selfSigned(host, time.Now())
	if err != nil {
		return cert, err
	}
	sum := sha256.Sum256(der)
	fmt.Fprintf(stderr, "portal: no --cert: a self-signed certificate, SHA-256 %s:\n", hex.EncodeToString(sum[:]))
	pem.Encode(stderr, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	return cert, nil
}

// selfSigned makes a certificate valid for a year for host (a name or an
// IP; every local name too when host is empty, as for ":8443").
func selfSigned(host string, now time.Time) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "portal ATS", Organization: []string{"ATS"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	} else if host != "" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	} else if name, err := os.Hostname(); err == nil {
		tmpl.DNSNames = append(tmpl.DNSNames, name)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, der, nil
}
