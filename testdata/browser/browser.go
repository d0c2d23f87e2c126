// Package browser starts Debian's Chromium for the tests that look at our
// pages as a person would (the kiosk's screen, the school office, the
// ATS's portal), and keeps the screenshots they take.
//
// Every browser test needs the same care: headless, no sandbox (the tests
// run as root), a fresh profile, no network but the loopback, and a clear
// failure under CI when Chromium is missing instead of a silent skip.
package browser

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// Chromium is Debian's Chromium, which scripts/test installs.
const Chromium = "/usr/bin/chromium"

// Start starts one headless Chromium with a window of width×height for the
// whole test and returns the context of its first tab. Names under .test
// resolve to 127.0.0.1, so that a foreign site and a rebound DNS name can
// be played. More options (a flag to accept a test's self-signed
// certificate, say) are appended to the defaults.
func Start(t testing.TB, width, height int, more ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: under CI the pages must be tested in a real browser (scripts/test installs chromium)", Chromium)
		}
		t.Skipf("%s is missing: apt-get install chromium fonts-dejavu-core to test the pages in a real browser", Chromium)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium),
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("host-resolver-rules", "MAP *.test 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	opts = append(opts, more...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", Chromium, err)
	}
	return ctx
}

// AcceptCertificates lets the browser open a test server's self-signed
// HTTPS certificate, as a person would after checking its fingerprint.
var AcceptCertificates = chromedp.Flag("ignore-certificate-errors", true)

// Shots are the folders that receive a test's screenshots: a temporary
// one, and $SCREENSHOTS/NAME when SCREENSHOTS is set, to be opened and
// looked at.
type Shots struct {
	Dirs []string
}

// NewShots prepares the screenshot folders of one test; name is its
// subfolder under $SCREENSHOTS ("" for the folder itself).
func NewShots(t testing.TB, name string) *Shots {
	t.Helper()
	s := &Shots{Dirs: []string{t.TempDir()}}
	if dir := os.Getenv("SCREENSHOTS"); dir != "" {
		dir = filepath.Join(dir, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		s.Dirs = append(s.Dirs, dir)
	}
	return s
}

// Take captures what the tab shows and saves it as name.png in every
// folder; full captures the whole page beyond the window.
func (s *Shots) Take(t testing.TB, ctx context.Context, name string, full bool) {
	t.Helper()
	capture := chromedp.CaptureScreenshot()
	if full {
		capture = chromedp.FullScreenshot(100) // 100: PNG, sharp text
	}
	name += ".png"
	png, err := chromedp.Run(ctx, capture)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	for _, dir := range s.Dirs {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// Download clicks a link or button whose answer the browser saves as a
// file (a PDF, a CSV) and returns the file, as a person would find it in
// their downloads: the page's own cookies and headers apply.
func Download(t testing.TB, ctx context.Context, selector string) []byte {
	t.Helper()
	dir := t.TempDir()
	wait, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	progress := chromedp.BrowserEvents(wait, cdpbrowser.DownloadProgress)
	events := true
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events})
			return err
		}),
		chromedp.Click(chromedp.CSS(selector)),
	); err != nil {
		t.Fatalf("downloading by %s: %v", selector, err)
	}
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("downloading by %s: %v", selector, err)
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateCanceled:
			t.Fatalf("downloading by %s: canceled", selector)
		case cdpbrowser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("downloading by %s: no file within 20 s", selector)
	return nil
}
