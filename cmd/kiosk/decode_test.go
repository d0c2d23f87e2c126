package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/scanner/cv"
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

// tool reads one image file and returns the texts it found.
type tool struct {
	name string
	read func(file string) []string
}

func kioskProcess(file string) []string {
	out, _ := kioskCommand("decode", "--json", file).Output()
	var texts []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var l struct{ Text string }
		if json.Unmarshal([]byte(line), &l) == nil {
			texts = append(texts, l.Text)
		}
	}
	return texts
}

// zbarimg's XML output keeps texts with line breaks intact.
func zbarimg(file string) []string {
	out, _ := exec.Command("zbarimg", "--xml", "-q", "-Sdisable", "-Sqrcode.enable", file).Output()
	var x struct {
		Symbols []struct {
			Data string `xml:"data"`
		} `xml:"source>index>symbol"`
	}
	xml.Unmarshal(bytes.TrimSpace(out), &x)
	var texts []string
	for _, s := range x.Symbols {
		texts = append(texts, s.Data)
	}
	return texts
}

// ZXingReader prints each code as `Text:       "…"` followed by a Bytes:
// line; the text itself is not escaped.
func zxingReader(file string) []string {
	out, _ := exec.Command("ZXingReader", "-format", "QRCode", file).Output()
	var texts []string
	s := string(out)
	for {
		i := strings.Index(s, "Text:       \"")
		if i < 0 {
			return texts
		}
		s = s[i+len("Text:       \""):]
		j := strings.Index(s, "\"\nBytes:")
		if j < 0 {
			return texts
		}
		texts = append(texts, s[:j])
		s = s[j:]
	}
}

type labelled struct{ file, text string }

// BenchmarkCompareTools is the side-by-side measure of the scanner against the reference readers: for each
// set, the images read correctly and the median time per image of kiosk
// decode, zbarimg and ZXingReader, each run as a process per image (process
// start included, for all three alike), plus kiosk's in-process decoding
// time. A full pass takes a few minutes: scripts/bench-qr runs it with
// BENCH_QR_FULL=1; otherwise (the test script's one-iteration run of every
// benchmark) it measures the first two images of each set, to keep working.
func BenchmarkCompareTools(b *testing.B) {
	for _, name := range []string{"zbarimg", "ZXingReader"} {
		if _, err := exec.LookPath(name); err != nil {
			b.Fatalf("%s missing: install zbar-tools and zxing-cpp-tools", name)
		}
	}
	perSet := 2
	if os.Getenv("BENCH_QR_FULL") == "1" {
		perSet = math.MaxInt
	}
	// Printed, not logged: the testing package cuts a benchmark's log
	// after a few lines.
	fmt.Print(compareTools(b, perSet))
}

// compareTools measures the first perSet images of every set and returns
// the table in Markdown.
func compareTools(t testing.TB, perSet int) string {
	type set struct {
		name  string
		items []labelled
	}
	var sets []set
	for n := 1; n <= 6; n++ {
		dir := frames.Shared(t, "bench", "qr-blackbox", fmt.Sprintf("qrcode-%d", n))
		files, _ := filepath.Glob(filepath.Join(dir, "*.png"))
		sort.Strings(files)
		s := set{name: fmt.Sprintf("qrcode-%d", n)}
		for _, f := range files {
			text, err := os.ReadFile(strings.TrimSuffix(f, ".png") + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			s.items = append(s.items, labelled{f, string(text)})
		}
		sets = append(sets, s)
	}
	sets = append(sets, set{"dgc-testdata png (1 in 4)", dgcSample(t)})
	tmp := t.TempDir()
	var synth []labelled
	text := frames.CertificateLike(1, 560)
	for _, p := range frames.Presets() {
		for seed := int64(0); seed < 2; seed++ {
			p.Scene.Seed = seed
			f, _ := writeFrame(t, tmp, fmt.Sprintf("%s-%d.png", p.Name, seed), text, p.Scene)
			synth = append(synth, labelled{f, text})
		}
	}
	sets = append(sets, set{"camera-like certificates", synth})

	tools := []tool{{"kiosk", kioskProcess}, {"zbarimg", zbarimg}, {"ZXingReader", zxingReader}}
	assist := cv.NewAssist()
	defer assist.Close()
	dec := scanner.NewDecoder(scanner.Options{Budget: decodeBudget, Assist: assist})

	var table strings.Builder
	fmt.Fprintf(&table, "\n| set | images | read: kiosk | zbarimg | ZXingReader | median ms, process per image: kiosk | zbarimg | ZXingReader | kiosk, one process for the set, ms/image | kiosk in-process median ms |\n")
	fmt.Fprintf(&table, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range sets {
		s.items = s.items[:min(perSet, len(s.items))]
		correct := make([]int, len(tools))
		times := make([][]time.Duration, len(tools))
		var inproc []time.Duration
		for _, it := range s.items {
			for i, tl := range tools {
				start := time.Now()
				texts := tl.read(it.file)
				times[i] = append(times[i], time.Since(start))
				if contains(texts, it.text) {
					correct[i]++
				}
			}
			g, err := cv.ReadGray(it.file)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			dec.Decode(g)
			inproc = append(inproc, time.Since(start))
		}
		fmt.Fprintf(&table, "| %s | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.2f |\n", s.name, len(s.items),
			correct[0], correct[1], correct[2], median(times[0]), median(times[1]), median(times[2]),
			batchPerImage(s.items), median(inproc))
	}
	return table.String()
}

// batchPerImage runs kiosk decode once over all the files and returns the
// wall time per image in ms: the process start paid once, as a school
// running the tool over a folder would.
func batchPerImage(items []labelled) float64 {
	args := []string{"-test.run=^TestDecodeHelperProcess$", "--"}
	for _, it := range items {
		args = append(args, it.file)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "KIOSK_DECODE_HELPER=1")
	start := time.Now()
	cmd.Run()
	return float64(time.Since(start).Microseconds()) / 1000 / float64(len(items))
}

// dgcSample is every fourth png of the EU test data, with the PREFIX of its
// raw JSON where one of the same name exists.
func dgcSample(t testing.TB) []labelled {
	root := frames.Shared(t, "conformance", "dgc-testdata")
	var files []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && filepath.Ext(p) == ".png" && filepath.Base(filepath.Dir(p)) == "png" {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	var out []labelled
	for i := 0; i < len(files); i += 4 {
		p := files[i]
		name := strings.TrimSuffix(filepath.Base(p), ".png")
		country := filepath.Dir(filepath.Dir(p))
		if filepath.Base(country) == "2DCode" {
			country = filepath.Dir(country)
		}
		for _, n := range []string{name, name + "_Raw", strings.ReplaceAll(name, "-", "_")} {
			b, err := os.ReadFile(filepath.Join(country, "2DCode", "raw", n+".json"))
			if err != nil {
				continue
			}
			var raw struct{ PREFIX string }
			if json.Unmarshal(b, &raw) == nil {
				out = append(out, labelled{p, raw.PREFIX})
			}
			break
		}
	}
	return out
}

func contains(texts []string, want string) bool {
	for _, s := range texts {
		if s == want {
			return true
		}
	}
	return false
}

func median(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[len(s)/2].Microseconds()) / 1000
}
