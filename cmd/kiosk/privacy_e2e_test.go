package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/daemon"
	"github.com/scuola/kiosk/kiosk/tally"
	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
	"github.com/scuola/kiosk/verify/issue"
	"github.com/scuola/kiosk/verify/revocation"
)

// privacyScans is how many certificates the privacy test shows the kiosk.
const privacyScans = 1000

// markerDOB is every marker holder's date of birth, as written in the
// certificate and as the screen shows it.
const markerDOB, markerDOBScreen = "1909-09-09", "09/09/1909"

// TestPrivacyEndToEnd runs the real kiosk binary under strace, shows it
// 1,000 certificates whose holders have marker names (through a handheld
// scanner on standard input, and some through the camera path, from a
// video), and proves that no marker — name, date of birth, UVCI, QR text —
// reaches a file it wrote (data folder, temporary files, home, working
// folder), its log output, or any socket but the loopback screen stream;
// and that no camera frame is written anywhere. A client reads the screen
// stream meanwhile, to prove the markers did go through the kiosk.
func TestPrivacyEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("strace"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("strace is needed (apt-get install strace)")
		}
		t.Skip("strace not installed")
	}
	set := fixtures.Load(t)
	root := t.TempDir()
	dirs := map[string]string{}
	for _, d := range []string{"data", "tmp", "home", "cwd", "conf"} {
		dirs[d] = filepath.Join(root, d)
		if err := os.MkdirAll(dirs[d], 0o700); err != nil {
			t.Fatal(err)
		}
	}

	// The marker certificates; every tenth expired, one revoked.
	now := time.Now()
	today := calendar.Of(now)
	claims := issue.Claims{Issuer: "IT", IssuedAt: now.AddDate(0, 0, -1), Expiry: now.AddDate(1, 0, 0)}
	var texts []string
	var markers []string
	for i := 0; i < privacyScans+5; i++ {
		h := issue.Holder{FamilyName: fmt.Sprintf("Zqmarkfam%04d", i), GivenName: fmt.Sprintf("Zqmarkgiv%04d", i),
			FamilyNameStd: fmt.Sprintf("ZQMARKFAM%04d", i), GivenNameStd: fmt.Sprintf("ZQMARKGIV%04d", i), DOB: markerDOB}
		uvci := fmt.Sprintf("URN:UVCI:01:IT:ZQLEAK%04d#1", i)
		dose := today - 30
		if i%10 == 9 {
			dose = today - 200
		}
		text, err := issue.HC1(set.Signers["es256"], issue.Vaccination(h, "EU/1/20/1528", 2+i%2, 2, dose, "IT", uvci), claims, issue.Encoding{})
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, text)
		markers = append(markers, h.FamilyName, h.GivenName, h.FamilyNameStd, uvci, text[4:40])
	}
	markers = append(markers, markerDOB, markerDOBScreen, "ZQLEAK", "Zqmark", "ZQMARK")

	// The school's badge key and the delegate's badge.
	school := set.Signers["school"]
	certPEM := filepath.Join(dirs["conf"], "school.pem")
	os.WriteFile(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: school.CertDER}), 0o600)
	badgeText, err := badge.Issue(school, badge.Badge{DelegationID: "D-1", Name: "Maria Bianchi", Role: "docente", ValidUntil: today + 30})
	if err != nil {
		t.Fatal(err)
	}

	// The camera sees the badge, then five marker certificates.
	video := filepath.Join(dirs["conf"], "camera.avi")
	if err := daemon.WriteVideo(video, append([]string{badgeText}, texts[privacyScans:]...), 8, 4); err != nil {
		t.Fatal(err)
	}

	// The gateway the kiosk syncs from records every request.
	gw := gatewaytest.Start(t, gatewaytest.Data{
		Signers:  []gatewaytest.Signer{gatewaytest.Cert(set.Signers["es256"].CertDER)},
		Settings: []byte(fixtures.SettingsJSON(set)),
		Lists:    []gatewaytest.List{{Version: 1, Hashes: []revocation.Hash{revocation.HashUVCI("URN:UVCI:01:IT:ZQLEAK0003#1")}}},
	})
	displayPort := freePort(t)
	cfg := filepath.Join(dirs["conf"], "kiosk.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`[school]
name = "Scuola di prova"
[[classes]]
name = "3A"
level = "primaria"
enrolled = 25
verify_until = %s
[[delegations]]
id = "D-1"
name = "Maria Bianchi"
role = "docente"
valid_until = %s
[badges]
cert = %q
[camera]
device = %q
hid = "stdin"
[audio]
enabled = false
[display]
address = "127.0.0.1:%d"
[data]
dir = %q
[gateway]
url = %q
`, (today+3).String(), (today+30).String(), certPEM, video, displayPort, dirs["data"], gw.URL())), 0o600)

	trace := filepath.Join(root, "strace.txt")
	cmd := exec.Command("strace", "-f", "-qq", "-yy", "-s", "65536", "-o", trace,
		"-e", "trace=write,writev,pwrite64,pwritev,sendto,sendmsg,connect", "--", os.Args[0], "run", "--config", cfg)
	cmd.Env = append(os.Environ(), asKioskEnv+"=1", "TMPDIR="+dirs["tmp"], "HOME="+dirs["home"])
	cmd.Dir = dirs["cwd"]
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // strace and the kiosk, killed together
	stdin, _ := cmd.StdinPipe()
	var logs bytes.Buffer
	stderr, _ := cmd.StderrPipe()
	cmd.Stdout = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	unlocked := make(chan struct{})
	logDone := make(chan struct{})
	var errLog bytes.Buffer
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(stderr)
		once := false
		for sc.Scan() {
			errLog.WriteString(sc.Text() + "\n")
			if !once && strings.Contains(sc.Text(), "msg=unlocked") {
				once = true
				close(unlocked)
			}
		}
	}()

	// A screen client: the names must reach it, and only it.
	screenCtx, stopScreen := context.WithTimeout(context.Background(), 3*time.Minute)
	defer stopScreen()
	stream := make(chan string, 1)
	go func() { stream <- readScreen(screenCtx, fmt.Sprintf("http://127.0.0.1:%d/events", displayPort)) }()

	select {
	case <-unlocked:
	case <-time.After(60 * time.Second):
		t.Fatalf("the badge shown to the camera did not unlock the kiosk; log:\n%s", errLog.String())
	}
	go func() {
		for _, text := range texts[:privacyScans] {
			fmt.Fprintln(stdin, text)
		}
	}()
	counted := waitForCounts(t, dirs["data"], today, privacyScans+5, 90*time.Second)
	// Stop the kiosk as systemd does (strace follows it out).
	syscall.Kill(tracedChild(t, cmd.Process.Pid), syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("kiosk ended with %v; log:\n%s", err, errLog.String())
	}
	<-logDone
	stopScreen()
	screenSeen := <-stream

	// The markers did go through the kiosk, to the screen stream.
	if !strings.Contains(screenSeen, "Zqmarkfam") || !strings.Contains(screenSeen, markerDOBScreen) && !strings.Contains(screenSeen, markerDOB) {
		t.Fatalf("the screen stream never showed a marker: the test would prove nothing (%d bytes read)", len(screenSeen))
	}
	t.Logf("%d scans counted; screen stream carried the names, as it must", counted)

	// Files: nothing written anywhere carries a marker, and nothing looks
	// like a frame.
	for name, d := range dirs {
		if name == "conf" {
			continue
		}
		filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			data, _ := os.ReadFile(p)
			for _, m := range markers {
				if bytes.Contains(data, []byte(m)) {
					t.Errorf("file %s contains the marker %q", p, m)
					break
				}
			}
			if bytes.HasPrefix(data, []byte("\x89PNG")) || bytes.HasPrefix(data, []byte("\xff\xd8\xff")) || len(data) == 640*480 || len(data) == 640*480*3 {
				t.Errorf("file %s looks like a picture or a frame", p)
			}
			return nil
		})
	}
	if entries, _ := os.ReadDir(dirs["tmp"]); len(entries) > 0 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// Logs.
	for _, out := range []string{logs.String(), errLog.String()} {
		for _, m := range markers {
			if strings.Contains(out, m) {
				t.Errorf("the log output contains the marker %q", m)
			}
		}
	}
	// System calls: every write carrying a marker went to the screen's
	// loopback stream; connections went only to the gateway.
	checkTrace(t, trace, markers, displayPort, gw.URL())
	for _, r := range gw.Requests() {
		for _, m := range markers {
			if strings.Contains(r, m) {
				t.Errorf("a request to the gateway carries the marker %q", m)
			}
		}
	}
}

// traceLine splits a strace line: the call, its fd description, the rest.
var traceLine = regexp.MustCompile(`^\d+\s+(\w+)\((\d+)(<[^>]*>)?, (.*)$`)

func checkTrace(t *testing.T, path string, markers []string, displayPort int, gatewayURL string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u, err := url.Parse(gatewayURL)
	if err != nil {
		t.Fatal(err)
	}
	gwPort := u.Port()
	screenSocket := fmt.Sprintf("127.0.0.1:%d->", displayPort)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	writes, connects, bigFileWrites := 0, 0, 0
	for sc.Scan() {
		line := sc.Text()
		m := traceLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		call, fdDesc, rest := m[1], m[3], m[4]
		if call == "connect" {
			connects++
			if strings.Contains(rest, "AF_INET") && !strings.Contains(rest, `sin_port=htons(`+gwPort+`)`) {
				t.Errorf("connection to something other than the gateway: %s", line)
			}
			continue
		}
		writes++
		for _, mk := range markers {
			if strings.Contains(rest, mk) && !strings.Contains(fdDesc, screenSocket) {
				t.Errorf("a %s to %s carries the marker %q", call, fdDesc, mk)
				break
			}
		}
		if strings.HasPrefix(fdDesc, "</") && len(rest) > 300*1024 {
			bigFileWrites++
			t.Errorf("a frame-sized write (%d bytes) to the file %s", len(rest), fdDesc)
		}
	}
	if writes == 0 || connects == 0 {
		t.Fatalf("the trace holds %d writes and %d connections: it traced nothing", writes, connects)
	}
}

// tracedChild is the pid of the process strace started.
func tracedChild(t *testing.T, strace int) int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", strace, strace))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.Fields(string(data))[0])
	if err != nil {
		t.Fatalf("strace's child: %q", data)
	}
	return pid
}

// readScreen reads the screen's event stream, reconnecting, until ctx
// ends, and returns what it read.
func readScreen(ctx context.Context, url string) string {
	var b bytes.Buffer
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		io.Copy(&b, resp.Body)
		resp.Body.Close()
	}
	return b.String()
}

// waitForCounts waits until the class's counts reach n, and returns them.
func waitForCounts(t *testing.T, dir string, day calendar.Day, n int, d time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(d)
	last := 0
	for time.Now().Before(deadline) {
		if s, err := tally.Open(dir); err == nil {
			admitted, refused, _ := s.Get(context.Background(), day, "3A")
			s.Close()
			last = admitted + refused
			if last >= n {
				return last
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("only %d of %d scans counted in %v", last, n, d)
	return last
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
