package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/testdata/frames"
)

// writeFrame renders text as a camera-like frame and saves it as a PNG in
// the test's temporary directory.
func writeFrame(t testing.TB, dir, name, text string, s frames.Scene) (string, *frames.Frame) {
	t.Helper()
	f, err := frames.Render(text, s)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	var b bytes.Buffer
	if err := png.Encode(&b, f.Gray); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p, f
}

func decode(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = runDecode(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

func TestDecodePlainAndJSON(t *testing.T) {
	dir := t.TempDir()
	text := frames.CertificateLike(3, 500)
	code, _ := writeFrame(t, dir, "code.png", text, frames.Scene{Size: 0.6, Tilt: 15, Roll: 8})
	empty := filepath.Join(dir, "empty.png")
	g, _ := frames.Empty(frames.Scene{Seed: 4})
	var b bytes.Buffer
	png.Encode(&b, g)
	os.WriteFile(empty, b.Bytes(), 0o600)

	st, out, errOut := decode(code, empty)
	if st != 0 || out != text+"\n" || errOut != "" {
		t.Fatalf("plain: status %d, stdout %q, stderr %q", st, out, errOut)
	}

	st, out, _ = decode("--json", code, empty)
	if st != 0 {
		t.Fatalf("json: status %d", st)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("json: %d lines for one code", len(lines))
	}
	var l struct {
		File    string       `json:"file"`
		Text    string       `json:"text"`
		Corners [][2]float64 `json:"corners"`
		MS      *float64     `json:"ms"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
		t.Fatal(err)
	}
	if l.File != code || l.Text != text || len(l.Corners) != 4 || l.MS == nil || *l.MS <= 0 {
		t.Fatalf("json line %s", lines[0])
	}
}

func TestDecodeCornersMatchTheFrame(t *testing.T) {
	p, f := writeFrame(t, t.TempDir(), "c.png", "HC1:CORNERS", frames.Scene{Size: 0.5, Tilt: 20, Roll: 30})
	_, out, _ := decode("--json", p)
	var l struct{ Corners [4][2]float64 }
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	module := math.Hypot(f.Corners[1][0]-f.Corners[0][0], f.Corners[1][1]-f.Corners[0][1]) / float64(f.Modules)
	for i, c := range f.Corners {
		if d := math.Hypot(l.Corners[i][0]-c[0], l.Corners[i][1]-c[1]); d > 1.5*module {
			t.Errorf("corner %d at %v, want %v", i, l.Corners[i], c)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	dir := t.TempDir()
	good, _ := writeFrame(t, dir, "good.png", "HC1:GOOD", frames.Scene{})
	bad := filepath.Join(dir, "bad.png")
	os.WriteFile(bad, []byte("not a png"), 0o600)
	missing := filepath.Join(dir, "missing.png")

	cases := []struct {
		args    []string
		status  int
		stdout  string
		stderrs []string
	}{
		{nil, cli.ExitUsage, "", []string{"no image", "usage"}},
		{[]string{"--bogus", good}, cli.ExitUsage, "", []string{"--bogus", "usage"}},
		{[]string{bad, good, missing}, cli.ExitUsage, "HC1:GOOD\n", []string{"bad.png", "missing.png"}},
		{[]string{"--", "--json"}, cli.ExitUsage, "", []string{"--json"}},
	}
	for _, c := range cases {
		st, out, errOut := decode(c.args...)
		if st != c.status || out != c.stdout {
			t.Errorf("%v: status %d stdout %q", c.args, st, out)
		}
		for _, s := range c.stderrs {
			if !strings.Contains(errOut, s) {
				t.Errorf("%v: stderr %q lacks %q", c.args, errOut, s)
			}
		}
	}
	if st, out, _ := decode("-h"); st != 0 || !strings.Contains(out, "usage") {
		t.Errorf("-h: status %d", st)
	}
}

// TestDecodeBudgetGrowsWithTheImage: a camera frame keeps the budget the
// cascade was tuned with, a phone photo gets more, and nothing gets more
// than maxDecodeBudget.
func TestDecodeBudgetGrowsWithTheImage(t *testing.T) {
	for _, c := range []struct {
		w, h int
		want time.Duration
	}{
		{640, 480, decodeBudget},
		{1920, 1080, decodeBudget},
		{2592, 1944, 600 * time.Millisecond},
		{4032, 3024, maxDecodeBudget},
		{12000, 9000, maxDecodeBudget},
	} {
		got := budgetFor(image.Rect(0, 0, c.w, c.h))
		if got < c.want-decodeBudget/10 || got > c.want+decodeBudget/10 {
			t.Errorf("%d×%d: budget %v, want about %v", c.w, c.h, got, c.want)
		}
	}
}
