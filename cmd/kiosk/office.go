package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/office"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/privacy/access"
)

func init() {
	kiosk.Commands["office"] = cli.Command{
		Summary: "the school office's web application (HTTPS); user add; backup",
		Run:     runOffice,
	}
}

const officeUsage = `usage:
  kiosk office [--data DIR] [--addr HOST:PORT] [--url URL] [--cert FILE --key FILE]
      serves the office over HTTPS; with no --data, a demo school in a temporary folder;
      the kiosks are paired to reach it at --url (default: this machine's address on the LAN)
  kiosk office user add --data DIR --name NAME --role dirigente|segreteria
      adds an account; the password is read from the first line of stdin
  kiosk office backup --data DIR FILE
      writes a consistent copy of the live database to FILE`

func runOffice(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch {
	case len(args) >= 2 && args[0] == "user" && args[1] == "add":
		return runOfficeUserAdd(args[2:], stdin, stdout, stderr)
	case len(args) >= 1 && args[0] == "backup":
		return runOfficeBackup(args[1:], stdout, stderr)
	}
	fs := kiosk.NewFlags("office", officeUsage, stderr)
	data := fs.String("data", "", "the office's data folder (database, HTTPS certificate); none: a demo")
	addr := fs.String("addr", "127.0.0.1:8443", "where to listen (HOST:PORT)")
	certFile := fs.String("cert", "", "an HTTPS certificate (PEM) instead of the self-signed one")
	keyFile := fs.String("key", "", "its key (PEM)")
	publicURL := fs.String("url", "", "the address the kiosks reach the office at (https://HOST:PORT); default from --addr")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	switch {
	case fs.NArg() > 0:
		return fs.UsageError("unexpected argument %q", fs.Arg(0))
	case (*certFile == "") != (*keyFile == ""):
		return fs.UsageError("--cert and --key go together")
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fs.UsageError("--addr: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	demo := *data == ""
	if demo {
		if *data, err = os.MkdirTemp("", "kiosk-office-demo-"); err != nil {
			fmt.Fprintf(stderr, "kiosk office: %v\n", err)
			return 1
		}
		defer os.RemoveAll(*data)
	}
	st, err := store.Open(*data)
	if err != nil {
		return fs.UsageError("--data: %v", err)
	}
	defer st.Close()
	if demo {
		pw, err := demoSchool(ctx, st)
		if err != nil {
			fmt.Fprintf(stderr, "kiosk office: demo: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "demo school in %s (deleted at exit); account: demo, password: %s\n", *data, pw)
	} else if n, err := st.Accounts(ctx); err == nil && n == 0 {
		fmt.Fprintf(stdout, "no account yet: add one with kiosk office user add --data %s --name NAME --role dirigente\n", *data)
	}
	var cert tls.Certificate
	if *certFile != "" {
		cert, err = tls.LoadX509KeyPair(*certFile, *keyFile)
	} else {
		cert, err = office.HTTPSCertificate(*data, []string{host}, time.Now())
	}
	if err != nil {
		return fs.UsageError("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fs.UsageError("--addr: %v", err)
	}
	if *publicURL == "" {
		*publicURL = lanURL(ln.Addr().(*net.TCPAddr))
	} else if u, err := url.Parse(*publicURL); err != nil || u.Scheme != "https" || u.Host == "" {
		return fs.UsageError("--url: %q is not an https://HOST:PORT address", *publicURL)
	}
	srv, err := office.New(ctx, office.Config{Store: st, Link: office.Link{URL: *publicURL, Fingerprint: link.Fingerprint(cert.Certificate[0])}})
	if err != nil {
		fmt.Fprintf(stderr, "kiosk office: %v\n", err)
		return 1
	}
	go func() { // the reports to the ATS, in the background: each when due, with backoff
		if err := srv.SendReports(ctx); err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "kiosk office: sending the reports stopped: %v\n", err)
		}
	}()
	// The kiosks present their own certificates (kiosk/link): asked for,
	// not required, since the staff's browsers have none. The long poll
	// of the kiosks' bundle outlasts a page's write timeout.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 2 * link.DefaultPoll,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, ClientAuth: tls.RequestClientCert}}
	fmt.Fprintf(stdout, "https://%s/\nHTTPS certificate SHA-256: %s\nkiosks pair to %s\n", ln.Addr(), office.Fingerprint(cert), *publicURL)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	if err := hs.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "kiosk office: %v\n", err)
		return 1
	}
	return 0
}

// lanURL is the office's address for its kiosks when --url is not given:
// the listening address, or when it listens on every interface, the
// machine's first LAN address.
func lanURL(a *net.TCPAddr) string {
	ip := a.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, ad := range addrs {
				if n, ok := ad.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
					ip = n.IP
					break
				}
			}
		}
	}
	return "https://" + net.JoinHostPort(ip.String(), strconv.Itoa(a.Port))
}

// demoSchool fills a fresh database with a school and a head teacher's
// account whose password it returns.
func demoSchool(ctx context.Context, st *store.Store) (string, error) {
	pw := rand.Text() // 26 random base32 characters
	if err := office.AddAccount(ctx, st, access.DefaultArgon2, "demo", "demo", store.Dirigente, pw); err != nil {
		return "", err
	}
	return pw, st.Update(ctx, "demo", func(tx *store.Tx) error {
		return tx.SetSchool(ctx, store.School{Code: "MIEE000001", Name: "Scuola primaria dimostrativa",
			Institution: "Istituto Comprensivo dimostrativo", Address: "Via Roma 1, 20121 Milano", City: "Milano",
			Email: "segreteria@scuola.example", HeadTeacher: "Dirigente dimostrativo",
			DPOName: "Responsabile della protezione dei dati", DPOEmail: "dpo@scuola.example"})
	})
}

func runOfficeUserAdd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := kiosk.NewFlags("office user add", officeUsage, stderr)
	data := fs.String("data", "", "the office's data folder")
	name := fs.String("name", "", "the account's name")
	role := fs.String("role", "", "dirigente or segreteria")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if status, ok := fs.Need("data", "name", "role"); !ok {
		return status
	}
	r, err := store.ParseRole(*role)
	if err != nil {
		return fs.UsageError("--role: %v", err)
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, access.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fs.UsageError("reading the password from stdin: %v", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	st, err := store.Open(*data)
	if err != nil {
		return fs.UsageError("--data: %v", err)
	}
	defer st.Close()
	if err := office.AddAccount(context.Background(), st, access.DefaultArgon2, "kiosk office user add", *name, r, pw); err != nil {
		return fs.UsageError("%v", err)
	}
	fmt.Fprintf(stdout, "account %s (%s) added\n", *name, r)
	return 0
}

func runOfficeBackup(args []string, stdout, stderr io.Writer) int {
	fs := kiosk.NewFlags("office backup", officeUsage, stderr)
	data := fs.String("data", "", "the office's data folder")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if *data == "" || fs.NArg() != 1 {
		return fs.UsageError("--data DIR and one FILE are required")
	}
	st, err := openOfficeStore(*data)
	if err != nil {
		return fs.UsageError("--data: %v", err)
	}
	defer st.Close()
	if err := st.Backup(context.Background(), fs.Arg(0)); err != nil {
		return fs.UsageError("%v", err)
	}
	fmt.Fprintf(stdout, "backup written to %s\n", fs.Arg(0))
	return 0
}

// openOfficeStore opens an existing office database (a reading command
// must not create an empty one by a typo in DIR).
func openOfficeStore(dir string) (*store.Store, error) {
	if _, err := os.Stat(dir + "/" + store.FileName); err != nil {
		return nil, fmt.Errorf("no office database in %s: %w", dir, err)
	}
	return store.Open(dir)
}
