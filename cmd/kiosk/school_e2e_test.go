package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/daemon"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/office"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/testdata/syncbuf"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
	"github.com/scuola/kiosk/verify/issue"
)

// proc is a kiosk or office process of the test, its output kept.
type proc struct {
	t        *testing.T
	cmd      *exec.Cmd
	out, err syncbuf.Buffer
	stdin    io.WriteCloser
	done     chan struct{}
}

func startProc(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, cmd: kioskCommand(args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
	p.stdin, _ = p.cmd.StdinPipe()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	return p
}

// restart starts the same command again, as a reboot does.
func (p *proc) restart() *proc { return startProc(p.t, p.cmd.Args[1:]...) }

// kill ends the process as a power cut would.
func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop ends it as systemd does.
func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.t.Errorf("%v did not stop on SIGTERM", p.cmd.Args[1:])
		p.kill()
	}
}

// waitLog waits for a line of its log containing all of words.
func (p *proc) waitLog(what string, d time.Duration, words ...string) {
	p.t.Helper()
	waitUntil(p.t, what, d, func() bool {
		for _, line := range strings.Split(p.err.String(), "\n") {
			ok := true
			for _, w := range words {
				ok = ok && strings.Contains(line, w)
			}
			if ok {
				return true
			}
		}
		return false
	}, func() string {
		m := regexp.MustCompile(`display=(127\.0\.0\.1:\d+)`).FindStringSubmatch(p.err.String())
		if m == nil {
			return p.err.String()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return p.err.String() + "\nscreen: " + readScreen(ctx, "http://"+m[1]+"/events")
	})
}

func waitUntil(t *testing.T, what string, d time.Duration, ok func() bool, explain func() string) {
	t.Helper()
	for deadline := time.Now().Add(d); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen in %v:\n%s", what, d, explain())
		}
	}
}

// lanProxy is the school's LAN between the kiosks and the office: a TCP
// relay that the test cuts (every connection dropped, new ones refused)
// and restores.
type lanProxy struct {
	addr string
	mu   sync.Mutex
	up   bool
	open map[net.Conn]bool
}

func startLAN(t *testing.T, to string) *lanProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	l := &lanProxy{addr: ln.Addr().String(), up: true, open: map[net.Conn]bool{}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go l.relay(c, to)
		}
	}()
	return l
}

func (l *lanProxy) relay(c net.Conn, to string) {
	l.mu.Lock()
	up := l.up
	l.mu.Unlock()
	if !up {
		c.Close()
		return
	}
	o, err := net.Dial("tcp", to)
	if err != nil {
		c.Close()
		return
	}
	l.mu.Lock()
	l.open[c], l.open[o] = true, true
	l.mu.Unlock()
	go func() { io.Copy(o, c); o.Close() }()
	io.Copy(c, o)
	c.Close()
	l.mu.Lock()
	delete(l.open, c)
	delete(l.open, o)
	l.mu.Unlock()
}

func (l *lanProxy) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.up = false
	for c := range l.open {
		c.Close()
	}
}

func (l *lanProxy) restore() {
	l.mu.Lock()
	l.up = true
	l.mu.Unlock()
}

// officeWeb is the head teacher's browser on the office, as HTTP.
type officeWeb struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var (
	csrfInPage    = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	pairingInPage = regexp.MustCompile(`src="(/kiosks/pairing/[^"]+\.png)"`)
)

func (w *officeWeb) do(method, path string, form url.Values) (*http.Response, []byte) {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("csrf", w.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if m := csrfInPage.FindSubmatch(data); m != nil {
		w.csrf = string(m[1])
	}
	return resp, data
}

// pairingQR makes a pairing code on the kiosks' page and returns its QR's
// text, read from the image the page shows.
func (w *officeWeb) pairingQR() string {
	w.t.Helper()
	w.do("GET", "/kiosks", nil)
	resp, _ := w.do("POST", "/kiosks/pair", url.Values{})
	_, page := w.do("GET", resp.Header.Get("Location"), nil)
	m := pairingInPage.FindSubmatch(page)
	if m == nil {
		w.t.Fatalf("no pairing QR on the page:\n%s", page)
	}
	_, img := w.do("GET", string(m[1]), nil)
	pic, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		w.t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(pic)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		w.t.Fatal(err)
	}
	return res.GetText()
}

// The school on loopback, real processes: a school office and two kiosks
// whose cameras are videos. Each kiosk pairs itself by the pairing QR the
// office's page shows, read through its camera path; a class the head
// teacher puts under daily verification reaches both; the pupils checked
// at both entrances are summed at the office; the office killed mid-send
// and restarted loses and doubles no count; a delegation revoked at the
// office locks both kiosks out within seconds; the LAN flapping and a
// kiosk's power cut lose and double no count either. No pupil's name, date of
// birth or certificate reaches the office's database or logs.
func TestSchoolOfficeAndTwoKiosks(t *testing.T) {
	set := fixtures.Load(t)
	ctx := context.Background()
	now := time.Now()
	today := calendar.Of(now)

	// The office's database: the school, a class, a delegation, an account.
	odir := t.TempDir()
	if code, _, errs := runCmd(t, "a-long-password\n", "office", "user", "add", "--data", odir, "--name", "preside", "--role", "dirigente"); code != 0 {
		t.Fatal(errs)
	}
	st, err := store.Open(odir)
	if err != nil {
		t.Fatal(err)
	}
	if err := office.EnsureSigner(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	var classID int64
	err = st.Update(ctx, "test", func(tx *store.Tx) error {
		if err := tx.SetSchool(ctx, store.School{Code: "MIEE8AB01X", Name: "Scuola primaria «Gianni Rodari»"}); err != nil {
			return err
		}
		if classID, err = tx.AddClass(ctx, "3A", school.Primaria, 22); err != nil {
			return err
		}
		_, err := tx.AddDelegation(ctx, "Maria Bianchi", "docente", today+30)
		return err
	})
	sc, _ := st.School(ctx)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := issue.ParseSignerPEM([]byte(sc.KeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	badgeText, err := badge.Issue(signer, badge.Badge{DelegationID: "D0001", Name: "Maria Bianchi", Role: "docente", ValidUntil: today + 30, SchoolCode: sc.Code})
	if err != nil {
		t.Fatal(err)
	}
	conf := t.TempDir()
	schoolCert := filepath.Join(conf, "school.pem")
	os.WriteFile(schoolCert, []byte(sc.CertPEM), 0o600)

	// The kiosks reach the office through the school's LAN, which the
	// test can cut.
	officePort := freePort(t)
	lan := startLAN(t, fmt.Sprintf("127.0.0.1:%d", officePort))
	startOffice := func() *proc {
		p := startProc(t, "office", "--data", odir, "--addr", fmt.Sprintf("127.0.0.1:%d", officePort), "--url", "https://"+lan.addr)
		waitUntil(t, "the office's start", 20*time.Second, func() bool { return strings.Contains(p.out.String(), "kiosks pair to") },
			func() string { return p.out.String() + p.err.String() })
		return p
	}
	off := startOffice()
	jar, _ := cookiejar.New(nil)
	web := &officeWeb{t: t, base: fmt.Sprintf("https://127.0.0.1:%d", officePort), c: &http.Client{Jar: jar,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, // the test's own office
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	web.do("GET", "/login", nil)
	if resp, _ := web.do("POST", "/login", url.Values{"name": {"preside"}, "password": {"a-long-password"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}

	// The certificates the pupils show, their holders' names markers that
	// must never reach the office.
	claims := issue.Claims{Issuer: "IT", IssuedAt: now.AddDate(0, 0, -1), Expiry: now.AddDate(1, 0, 0)}
	var certs, markers []string
	for i := range 9 {
		h := issue.Holder{FamilyName: fmt.Sprintf("Zqofficefam%d", i), GivenName: fmt.Sprintf("Zqofficegiv%d", i),
			FamilyNameStd: fmt.Sprintf("ZQOFFICEFAM%d", i), GivenNameStd: fmt.Sprintf("ZQOFFICEGIV%d", i), DOB: markerDOB}
		uvci := fmt.Sprintf("URN:UVCI:01:IT:ZQOFFICE%04d#1", i)
		text, err := issue.HC1(set.Signers["es256"], issue.Vaccination(h, "EU/1/20/1528", 3, 3, today-30, "IT", uvci), claims, issue.Encoding{})
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, text)
		markers = append(markers, h.FamilyName, h.GivenName, h.FamilyNameStd, uvci, text[4:40])
	}
	markers = append(markers, markerDOB, markerDOBScreen, "Zqoffice", "ZQOFFICE")

	gw := gatewaytest.Start(t, gatewaytest.Data{
		Signers:  []gatewaytest.Signer{gatewaytest.Cert(set.Signers["es256"].CertDER)},
		Settings: []byte(fixtures.SettingsJSON(set)),
	})

	// Two kiosks, configured with no school data: each pairs by the QR
	// its camera sees. Pupils' certificates come by the handheld scanner.
	startKiosk := func(name, entrance string) *proc {
		dir := filepath.Join(conf, strings.ReplaceAll(name, " ", "-"))
		os.MkdirAll(dir, 0o700)
		video := filepath.Join(dir, "camera.avi")
		if err := daemon.WriteVideo(video, []string{web.pairingQR()}, 8, 4); err != nil {
			t.Fatal(err)
		}
		cfg := filepath.Join(dir, "kiosk.toml")
		os.WriteFile(cfg, []byte(fmt.Sprintf(`[office]
name = %q
entrance = %q
counts_every = "1s"
[badges]
cert = %q
[camera]
device = %q
hid = "stdin"
[audio]
enabled = false
[display]
address = "127.0.0.1:0"
[data]
dir = %q
[gateway]
url = %q
`, name, entrance, schoolCert, video, filepath.Join(dir, "data"), gw.URL())), 0o600)
		return startProc(t, "run", "--config", cfg)
	}
	ka := startKiosk("Ingresso A", "via Roma")
	kb := startKiosk("Ingresso B", "cortile")
	for _, k := range []*proc{ka, kb} {
		k.waitLog("the pairing through the camera", 60*time.Second, "paired with the office")
		k.waitLog("the first bundle", 30*time.Second, "school bundle", "classes=1", "delegations=1")
	}

	kioskHolds := func() (latest uint64, held []uint64) {
		s, err := store.Open(odir)
		if err != nil {
			return 0, nil
		}
		defer s.Close()
		b, _ := s.LatestBundle(ctx)
		ks, _ := s.Kiosks(ctx)
		for _, k := range ks {
			held = append(held, k.Holds)
		}
		return b.Seq, held
	}
	// The head teacher puts 3A under daily verification: both kiosks hold
	// that bundle within seconds.
	before, _ := kioskHolds()
	web.do("GET", "/measures", nil)
	if resp, _ := web.do("POST", fmt.Sprintf("/classes/%d/verify-until", classID),
		url.Values{"until": {(today + 3).String()}, "action": {"set"}, "back": {today.String()}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify-until: %d", resp.StatusCode)
	}
	start := time.Now()
	waitUntil(t, "the new bundle at both kiosks", 30*time.Second, func() bool {
		latest, held := kioskHolds()
		return latest > before && len(held) == 2 && held[0] == latest && held[1] == latest
	}, func() string { l, h := kioskHolds(); return fmt.Sprintf("latest %d, kiosks hold %v", l, h) })
	t.Logf("the class's measure reached both kiosks in %v", time.Since(start))

	// The delegate unlocks each kiosk; pupils are checked at both doors.
	for _, k := range []*proc{ka, kb} {
		fmt.Fprintln(k.stdin, badgeText)
		k.waitLog("the unlock", 20*time.Second, "msg=unlocked")
	}
	officeCounts := func() int {
		s, err := store.Open(odir)
		if err != nil {
			return -1
		}
		defer s.Close()
		cs, _ := s.KioskCounts(ctx, today)
		n := 0
		for _, c := range cs {
			n += c.Admitted + c.Refused
		}
		return n
	}
	show := func(k *proc, texts ...string) {
		for _, text := range texts {
			fmt.Fprintln(k.stdin, text)
			time.Sleep(300 * time.Millisecond) // one pupil after another
		}
	}
	show(ka, certs[0:3]...)
	show(kb, certs[3:5]...)
	waitUntil(t, "five checks summed at the office", 30*time.Second, func() bool { return officeCounts() == 5 },
		func() string { return fmt.Sprintf("the office counts %d", officeCounts()) })

	// The office dies; the kiosks go on checking; it comes back and the
	// counts arrive, each once.
	off.kill()
	show(ka, certs[5:7]...)
	show(kb, certs[7])
	time.Sleep(time.Second)
	off = startOffice()
	waitUntil(t, "the counts made while the office was down", 60*time.Second, func() bool { return officeCounts() == 8 },
		func() string { return fmt.Sprintf("the office counts %d", officeCounts()) })
	time.Sleep(3 * time.Second) // resends are absolute values: nothing more may appear
	if n := officeCounts(); n != 8 {
		t.Fatalf("the office counts %d checks after its restart, the kiosks made 8", n)
	}

	// The LAN flaps while pupils come in; a kiosk loses its power right
	// after a check and boots again with its pairing and counts on disk.
	for i := range 3 {
		lan.cut()
		show(kb, certs[8-i%2])
		time.Sleep(1500 * time.Millisecond)
		lan.restore()
		time.Sleep(1500 * time.Millisecond)
	}
	show(ka, certs[0])
	ka.kill()
	ka = ka.restart()
	ka.waitLog("the kiosk's restart", 30*time.Second, "kiosk running")
	waitUntil(t, "the counts through the flapping LAN and the power cut", 90*time.Second, func() bool { return officeCounts() == 12 },
		func() string { return fmt.Sprintf("the office counts %d", officeCounts()) })
	time.Sleep(3 * time.Second)
	if n := officeCounts(); n != 12 {
		t.Fatalf("the office counts %d checks, the kiosks made 12", n)
	}
	fmt.Fprintln(ka.stdin, badgeText)
	ka.waitLog("the unlock after the restart", 20*time.Second, "msg=unlocked")

	// The delegation is revoked at the office: both kiosks lock.
	web.do("GET", "/delegations", nil)
	start = time.Now()
	if resp, _ := web.do("POST", "/delegations/1/revoke", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	for _, k := range []*proc{ka, kb} {
		k.waitLog("the lock-out", link.DefaultPoll+30*time.Second, "locked out by the school's data", "why=badge.revoked")
	}
	if d := time.Since(start); d > 5*time.Minute {
		t.Errorf("the revocation took %v", d)
	}
	t.Logf("the revocation locked both kiosks in %v", time.Since(start))
	_, page := web.do("GET", "/counts", nil)
	for _, want := range []string{`<td class="num">6 / 0</td><td class="num">6 / 0</td>`, `<td class="num admitted"><strong>12</strong></td>`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the counts page lacks %s", want)
		}
	}

	ka.stop()
	kb.stop()
	off.stop()
	// Nothing of a pupil reached the office: its database, its logs.
	var kept bytes.Buffer
	filepath.Walk(odir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			data, _ := os.ReadFile(p)
			kept.Write(data)
		}
		return nil
	})
	kept.WriteString(off.out.String() + off.err.String())
	for _, m := range markers {
		if bytes.Contains(kept.Bytes(), []byte(m)) {
			t.Errorf("the office keeps the marker %q", m)
		}
	}
}
