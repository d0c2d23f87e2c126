package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store/pgtest"
	"github.com/scuola/kiosk/privacy/report"
)

func TestMain(m *testing.M) {
	pgtest.Main(m, func() {
		if binary != "" {
			os.RemoveAll(filepath.Dir(binary))
		}
	})
}

var (
	buildOnce sync.Once
	binary    string // in a temporary folder TestMain removes
	buildErr  error
)

// portalBinary builds the real portal program once per test run.
func portalBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "portal-bin")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "portal")
		out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{err, out}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + string(e.out) }

// run runs the binary to its end and returns stdout, stderr and status.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return runIn(t, "", args...)
}

// runIn is run with stdin.
func runIn(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(portalBinary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	status := 0
	if exit, ok := err.(*exec.ExitError); ok {
		status = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), status
}

func addSchool(t *testing.T, dsn, code string) string {
	t.Helper()
	out, errOut, status := run(t, "school", "add", "--db", dsn, "--code", code, "--name", "Primaria Manzoni", "--ats", "ATS Milano", "--sentinel", "--pupils-6-19", "250")
	var c credential
	if status != 0 || json.Unmarshal([]byte(out), &c) != nil || c.Code != code || len(c.Token) != 43 {
		t.Fatalf("school add: %d %q %q", status, out, errOut)
	}
	return c.Token
}

// serve starts `portal serve` on a free loopback port with its own
// certificate and returns its URL and an HTTP client that trusts that
// certificate (read from the server's stderr, as a school would pin it).
func serve(t *testing.T, dsn string) (string, *http.Client) {
	t.Helper()
	cmd := exec.Command(portalBinary(t), "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pemText strings.Builder
	var url string
	lines := bufio.NewScanner(stderr)
	for url == "" && lines.Scan() {
		line := lines.Text()
		if u, ok := strings.CutPrefix(line, "portal: listening on "); ok {
			url = u
		} else if !strings.HasPrefix(line, "portal: no --cert") {
			pemText.WriteString(line + "\n")
		}
	}
	if url == "" {
		cmd.Process.Kill()
		t.Fatalf("portal serve never said where it listens; it said:\n%s", pemText.String())
	}
	go io.Copy(io.Discard, stderr)
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("portal serve after SIGTERM: %v", err)
		}
	})
	block, _ := pem.Decode([]byte(pemText.String()))
	if block == nil || !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("no certificate (%q) or not https (%s)", pemText.String(), url)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return url, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// The real binary, end to end, on both backends: schools added, reports
// sent over HTTPS by the school's client, refusals by raw HTTP, a token
// reissued, the region's list imported.
func TestEndToEnd(t *testing.T) {
	for _, backend := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "portal.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.DSN(t) }},
	} {
		t.Run(backend.name, func(t *testing.T) { endToEnd(t, backend.dsn(t)) })
	}
}

func endToEnd(t *testing.T, dsn string) {
	ctx := context.Background()
	const code, other = "MIEE00100A", "MIEE00200B"
	token := addSchool(t, dsn, code)
	otherToken := addSchool(t, dsn, other)
	if _, errOut, status := run(t, "school", "add", "--db", dsn, "--code", code, "--name", "x", "--ats", "y"); status != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("the same code again: %d %q", status, errOut)
	}
	url, hc := serve(t, dsn)

	c, err := report.NewClient(url, code, token, hc)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().Format(time.DateOnly)
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	if created, err := c.PutProfile(ctx, schoolYear(time.Now()), report.Profile{Enrolled: 250, Classes: 10, Enrolled619: 250}); !created || err != nil {
		t.Fatalf("profile: %v %v", created, err)
	}
	day := report.Absences{Enrolled: 250, Absent: 12, AbsentIllness: report.Int(5),
		Classes: []report.Class{{Name: "1A", Enrolled: 25, Absent: 3, AbsentIllness: report.Int(1)}}}
	if created, err := c.PutAbsences(ctx, yesterday, day); !created || err != nil {
		t.Fatalf("absences: %v %v", created, err)
	}
	day.Absent = 13
	if created, err := c.PutAbsences(ctx, yesterday, day); created || err != nil {
		t.Fatalf("absences replaced: %v %v", created, err)
	}
	got, err := c.Absences(ctx, yesterday, today)
	if err != nil || len(got) != 1 || got[0].Date != yesterday || got[0].Absent != 13 || len(got[0].Classes) != 1 {
		t.Errorf("read back: %+v %v", got, err)
	}
	tomorrow := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	_, err = c.PutAbsences(ctx, tomorrow, day)
	if r, ok := err.(*report.RefusedError); !ok || r.Status != 422 || r.Field != "date" {
		t.Errorf("a future day: %v", err)
	}

	raw := func(tok, path, body string) (int, report.ErrorBody) {
		req, _ := http.NewRequest(http.MethodPut, url+"/api/v1/schools/"+path, strings.NewReader(body))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e report.ErrorBody
		json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e
	}
	abs := code + "/absences/" + yesterday
	for _, k := range []struct {
		name, token, path, body string
		status                  int
		field                   string
	}{
		{"no credential", "", abs, `{"enrolled": 1, "absent": 0}`, 401, ""},
		{"bad credential", "nope", abs, `{"enrolled": 1, "absent": 0}`, 401, ""},
		{"another school's", otherToken, abs, `{"enrolled": 1, "absent": 0}`, 403, ""},
		{"malformed", token, abs, `{"enrolled": 1,`, 400, ""},
		{"unknown field", token, abs, `{"enrolled": 1, "absent": 0, "names": []}`, 400, "names"},
		{"too large", token, abs, `{"enrolled": 1, "absent": 0` + strings.Repeat(" ", report.MaxBody) + "}", 413, ""},
		{"impossible", token, abs, `{"enrolled": 1, "absent": 2}`, 422, "absent"},
		{"class sum", token, abs, `{"enrolled": 5, "absent": 2, "classes": [{"name": "1A", "enrolled": 6, "absent": 0}]}`, 422, "classes[0].enrolled"},
		{"bad year", token, code + "/profile/2025", `{"enrolled": 1, "classes": 1, "enrolled_6_19": 1}`, 422, "year"},
	} {
		if status, e := raw(k.token, k.path, k.body); status != k.status || e.Field != k.field || e.Error == "" {
			t.Errorf("%s: %d %+v, want %d %q", k.name, status, e, k.status, k.field)
		}
	}
	if got, _ := c.Absences(ctx, yesterday, today); len(got) != 1 || got[0].Absent != 13 {
		t.Errorf("a refused request changed the stored day: %+v", got)
	}

	// A reissued token revokes the old one, while the portal runs.
	out, errOut, status := run(t, "school", "token", "--db", dsn, "--code", code)
	var fresh credential
	if status != 0 || json.Unmarshal([]byte(out), &fresh) != nil || fresh.Token == token {
		t.Fatalf("school token: %d %q %q", status, out, errOut)
	}
	if _, err := c.Absences(ctx, yesterday, today); !isStatus(err, 401) {
		t.Errorf("the old token after a reissue: %v", err)
	}
	c2, _ := report.NewClient(url, code, fresh.Token, hc)
	if got, err := c2.Absences(ctx, yesterday, today); err != nil || len(got) != 1 {
		t.Errorf("the new token: %v %v", got, err)
	}
	if _, _, status := run(t, "school", "token", "--db", dsn, "--code", "NOPE"); status != 1 {
		t.Errorf("token of an unknown school: status %d", status)
	}
	if _, _, status := run(t, "school", "token", "--db", dsn, "--code", code, "--revoke"); status != 0 {
		t.Errorf("revoke: status %d", status)
	}
	if _, err := c2.Absences(ctx, yesterday, today); !isStatus(err, 401) {
		t.Errorf("a revoked token: %v", err)
	}

	// The region's list: a bad file imports nothing, naming its lines.
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("code,name,ats,sentinel,pupils_6_19\nMIEE00300C,Primaria Verdi,ATS Milano,sì,120\nmi 4,x,ATS Milano,no,1\nMIEE00500E,Media Rossi,ATS Milano,forse,1\n"), 0o600)
	if _, errOut, status := run(t, "school", "import", "--db", dsn, bad); status != 1 ||
		!strings.Contains(errOut, "bad.csv:3: code:") || !strings.Contains(errOut, "bad.csv:4: sentinel:") {
		t.Errorf("bad import: %d %q", status, errOut)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("code;name;ats;sentinel;pupils_6_19\nMIEE00300C;Primaria Verdi;ATS Milano;sì;120\n"+other+";Media Rossi;ATS Milano;no;300\n"), 0o600)
	out, errOut, status = run(t, "school", "import", "--db", dsn, good)
	var imported credential
	if status != 0 || json.Unmarshal([]byte(out), &imported) != nil || imported.Code != "MIEE00300C" || strings.Count(out, "\n") != 1 {
		t.Fatalf("import: %d %q %q", status, out, errOut)
	}
	c3, _ := report.NewClient(url, imported.Code, imported.Token, hc)
	if created, err := c3.PutAbsences(ctx, yesterday, report.Absences{Enrolled: 120, Absent: 3}); !created || err != nil {
		t.Errorf("an imported school's first report: %v %v", created, err)
	}
	co, _ := report.NewClient(url, other, otherToken, hc)
	if _, err := co.Absences(ctx, yesterday, today); err != nil {
		t.Errorf("an import changed an existing school's credential: %v", err)
	}
}

func isStatus(err error, status int) bool {
	r, ok := err.(*report.RefusedError)
	return ok && r.Status == status
}

// schoolYear is the school year of a day: from September.
func schoolYear(t time.Time) string {
	y := t.Year()
	if t.Month() < time.September {
		y--
	}
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") + "-" + time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC).Format("06")
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--db", "x.db", "--addr", "0.0.0.0:0", "--plain-http"},
		{"serve", "--addr", "127.0.0.1:0"},
		{"serve", "--db", "x.db", "--addr", "127.0.0.1:0", "--cert", "c.pem"},
		{"school"},
		{"school", "frobnicate"},
		{"school", "add", "--db", "x.db", "--code", "mi-1", "--name", "n", "--ats", "a"},
		{"school", "add", "--db", "x.db", "--code", "MI1", "--ats", "a"},
		{"school", "add", "--db", "x.db", "--code", "MI1", "--name", "n", "--ats", "a", "--pupils-6-19", "-3"},
		{"school", "token", "--db", "x.db"},
		{"school", "import", "--db", "x.db"},
	} {
		if _, errOut, status := run(t, args...); status != 2 || errOut == "" {
			t.Errorf("%v: status %d, %q", args, status, errOut)
		}
	}
}
