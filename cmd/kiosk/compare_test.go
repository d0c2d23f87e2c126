package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/scanner/cv"
	"github.com/scuola/kiosk/testdata/frames"
)

// The side-by-side measure of the scanner against the reference readers,
// zbarimg (zbar) and ZXingReader (zxing-cpp): scripts/bench-qr runs it and
// scanner/BENCHMARKS.md keeps its tables.

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

type set struct {
	name  string
	items []labelled
}

// The views of each qr-blackbox photo that the comparison adds: every right
// angle, four oblique angles (white padding around the turned photo), each
// at half, the same and three times the size.
var (
	variantAngles = []float64{0, 90, 180, 270, 15, 30, 45, 60}
	variantScales = []float64{0.5, 1, 3}
)

// BenchmarkCompareTools is the side-by-side measure of the scanner against
// the reference readers, in three tables:
//
//  1. per set (ZXing's photo sets, the EU test data, generated camera
//     frames at 640×480 and 1920×1080): images read correctly and the
//     median time per image of kiosk decode, zbarimg and ZXingReader, each
//     run as a process per image (process start included, for all three
//     alike), plus kiosk over the whole set in one process, and in-process;
//  2. each qr-blackbox set turned by right and by oblique angles, at ½×, 1×
//     and 3×: images read by each tool;
//  3. the same views summed over the sets, per angle and scale;
//  4. each qr-blackbox photo as a 12-megapixel phone's portrait JPEG
//     (stored on its side, EXIF orientation 6), every tool as a process
//     per image;
//  5. generated certificates in 19 conditions at 640×480, 1280×960,
//     1920×1080 and 4032×3024: frames read by each tool;
//  6. generated sheets of 4 to 25 codes at the same sizes: codes found by
//     each tool, of all those in view.
//
// In tables 2 and 3 kiosk decodes in this process with kiosk decode's
// decoder and budget (its reads are the command's; 4,000 process starts of
// 250 ms would only add time), the other tools run as a process per image.
//
// A full pass takes about ten minutes: scripts/bench-qr runs it with
// BENCH_QR_FULL=1; otherwise (the test script's one-iteration run of every
// benchmark) it measures the first two images of each set, to keep working.
// BENCH_QR_TOOLS=kiosk measures kiosk alone, tables 2 to 6 without table
// 1: the quick re-measure while working on the decoder (the reference
// tools' figures do not change, and 0° at 1× is the plain sets).
// BENCH_QR_TABLES picks tables by number, "56" for 5 and 6 (tables 2 and 3
// are one pass: either number gives both).
func BenchmarkCompareTools(b *testing.B) {
	tools := []tool{{"kiosk", kioskProcess}, {"zbarimg", zbarimg}, {"ZXingReader", zxingReader}}
	if os.Getenv("BENCH_QR_TOOLS") == "kiosk" {
		tools = tools[:1]
	}
	for _, tl := range tools[1:] {
		if _, err := exec.LookPath(tl.name); err != nil {
			b.Fatalf("%s missing: install zbar-tools and zxing-cpp-tools", tl.name)
		}
	}
	perSet := 2
	if os.Getenv("BENCH_QR_FULL") == "1" {
		perSet = math.MaxInt
	}
	c := newComparison(b, tools)
	// Printed, not logged: the testing package cuts a benchmark's log
	// after a few lines.
	want := func(tables string) bool {
		pick := os.Getenv("BENCH_QR_TABLES")
		return pick == "" || strings.ContainsAny(pick, tables)
	}
	if len(tools) > 1 && want("1") {
		fmt.Print(c.setTable(b, perSet))
	}
	if want("23") {
		fmt.Print(c.variantTables(b, perSet))
	}
	if want("4") {
		fmt.Print(c.phoneTable(b, perSet))
	}
	if want("5") {
		fmt.Print(c.sizeTable(b, perSet))
	}
	if want("6") {
		fmt.Print(c.sheetTable(b, perSet))
	}
}

// sizeConditions are the generated views of table 5: the kinds of view
// issue 13 found behind (close-ups, screens, rotations, perspective,
// curved surfaces, lens distortion, exposure) and small or blurred codes,
// which only the finer pyramid levels of a large frame resolve.
var sizeConditions = []frames.Preset{
	{Name: "close-up (code and quiet zone fill the height)", Scene: frames.Scene{Size: 0.85, Tilt: 5, Roll: 3}},
	{Name: "screen, moiré 0.6", Scene: frames.Scene{Size: 0.6, Screen: true, Moire: 0.6, Tilt: 10, Roll: 5}},
	{Name: "screen, 2 glare spots", Scene: frames.Scene{Size: 0.6, Screen: true, Glare: 2, Tilt: 10}},
	{Name: "roll 37°", Scene: frames.Scene{Size: 0.6, Roll: 37, Tilt: 5}},
	{Name: "roll 128°", Scene: frames.Scene{Size: 0.6, Roll: 128, Tilt: 5}},
	{Name: "tilt 45°, roll 20°", Scene: frames.Scene{Size: 0.5, Tilt: 45, Roll: 20}},
	{Name: "tilt 50°, roll 10°", Scene: frames.Scene{Size: 0.6, Tilt: 50, Roll: 10}},
	{Name: "yaw 45°, roll 10°", Scene: frames.Scene{Size: 0.5, Yaw: 45, Roll: 10}},
	{Name: "yaw 55°, roll 20°", Scene: frames.Scene{Size: 0.5, Yaw: 55, Roll: 20}},
	{Name: "tilt 60°, roll 5°", Scene: frames.Scene{Size: 0.5, Tilt: 60, Roll: 5}},
	{Name: "curved 45° (a bottle), roll 10°", Scene: frames.Scene{Size: 0.6, Curve: 45, Tilt: 5, Roll: 10}},
	{Name: "curved 60°, roll 90°", Scene: frames.Scene{Size: 0.6, Curve: 60, Roll: 90}},
	{Name: "curved 95° (a small bottle), roll 30°", Scene: frames.Scene{Size: 0.6, Curve: 95, Tilt: 5, Roll: 30}},
	{Name: "close-up through a wide-angle lens (barrel −0.2)", Scene: frames.Scene{Size: 0.85, Lens: -0.2, Tilt: 5, Roll: 5}},
	{Name: "light 0.08 (under-exposed)", Scene: frames.Scene{Size: 0.6, Light: 0.08, Noise: 4}},
	{Name: "light 4 (over-exposed)", Scene: frames.Scene{Size: 0.6, Light: 4, Tilt: 5}},
	{Name: "small (10 % of the height), tilt 30°", Scene: frames.Scene{Size: 0.1, Tilt: 30, OffsetX: -0.2}},
	{Name: "small screen (20 %), moiré 0.5", Scene: frames.Scene{Size: 0.2, Screen: true, Moire: 0.5, Tilt: 10}},
	{Name: "small (25 %), blur σ 2", Scene: frames.Scene{Size: 0.25, Blur: 2, Tilt: 20}},
}

// sizeFrames are the frame sizes of table 5: VGA, 1280×960, a 1080p camera
// and a 12-megapixel phone.
var sizeFrames = [][2]int{{640, 480}, {1280, 960}, {1920, 1080}, {4032, 3024}}

// sizeTable renders a certificate-like code in every condition at every
// frame size, 5 seeds (1 in the smoke run), and returns table 5 in
// Markdown: frames read per tool, kiosk in process with kiosk decode's
// decoder, the others from a PNG file, and kiosk's median ms.
func (c *comparison) sizeTable(t testing.TB, perSet int) string {
	seeds := int64(5)
	if perSet < 5 {
		seeds = 1
	}
	text := frames.CertificateLike(1, 560)
	var b strings.Builder
	fmt.Fprintf(&b, "\n| condition (%d seeds) |", seeds)
	for _, sz := range sizeFrames {
		fmt.Fprintf(&b, " %d×%d: %s | kiosk ms |", sz[0], sz[1], c.toolNames(" | "))
	}
	fmt.Fprintf(&b, "\n|---|%s\n", strings.Repeat(strings.Repeat("---:|", len(c.tools)+1), len(sizeFrames)))
	for _, cond := range sizeConditions {
		fmt.Fprintf(&b, "| %s |", cond.Name)
		c.sizeCells(t, &b, seeds, cond.Scene, []string{text}, func(s frames.Scene) (*frames.Frame, error) {
			return frames.Render(text, s)
		})
	}
	return b.String()
}

// sheetTable photographs each sheet of codes (frames.SheetPresets) at
// every frame size of table 5, 2 seeds (1 in the smoke run), and returns
// table 6 in Markdown: codes found per tool, of all the codes shown, and
// kiosk's median ms per frame.
func (c *comparison) sheetTable(t testing.TB, perSet int) string {
	seeds := int64(2)
	if perSet < 5 {
		seeds = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n| sheet (%d seeds) | codes |", seeds)
	for _, sz := range sizeFrames {
		fmt.Fprintf(&b, " %d×%d: %s | kiosk ms |", sz[0], sz[1], c.toolNames(" | "))
	}
	fmt.Fprintf(&b, "\n|---|---:|%s\n", strings.Repeat(strings.Repeat("---:|", len(c.tools)+1), len(sizeFrames)))
	for _, p := range frames.SheetPresets() {
		texts := frames.SheetTexts(p.Codes)
		fmt.Fprintf(&b, "| %s | %d |", p.Name, int64(p.Codes)*seeds)
		c.sizeCells(t, &b, seeds, p.Scene, texts, func(s frames.Scene) (*frames.Frame, error) {
			return frames.Sheet(texts, p.Cols, s)
		})
	}
	return b.String()
}

// sizeCells ends a row of tables 5 and 6: for each frame size, how many of
// texts each tool read in the frames render makes of the scene (one per
// seed), and kiosk's median ms.
func (c *comparison) sizeCells(t testing.TB, b *strings.Builder, seeds int64, scene frames.Scene, texts []string, render func(frames.Scene) (*frames.Frame, error)) {
	for _, sz := range sizeFrames {
		read := make([]int, len(c.tools))
		var times []time.Duration
		for seed := int64(0); seed < seeds; seed++ {
			s := scene
			s.Width, s.Height, s.Seed = sz[0], sz[1], seed
			f, err := render(s)
			if err != nil {
				t.Fatal(err)
			}
			found, took := c.readGenerated(t, f.Gray, texts)
			for i := range read {
				read[i] += found[i]
			}
			times = append(times, took)
		}
		fmt.Fprintf(b, " %s | %.0f |", joinInts(read), median(times))
	}
	fmt.Fprintln(b)
}

// readGenerated counts how many of texts each tool reads in a generated
// frame: kiosk in process with kiosk decode's decoder (and how long it
// took), the others from a PNG file.
func (c *comparison) readGenerated(t testing.TB, g *image.Gray, texts []string) ([]int, time.Duration) {
	found := make([]int, len(c.tools))
	count := func(got []string) int {
		n := 0
		for _, text := range texts {
			if contains(got, text) {
				n++
			}
		}
		return n
	}
	start := time.Now()
	rs := c.dec.Decode(g)
	took := time.Since(start)
	var got []string
	for _, r := range rs {
		got = append(got, r.Text)
	}
	found[0] = count(got)
	if len(c.tools) == 1 {
		return found, took
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, g); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(c.tmp, "generated.png")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, tl := range c.tools[1:] {
		found[i+1] = count(tl.read(p))
	}
	return found, took
}

// phoneSide and phoneOrientation make the qr-blackbox photos look like a
// 12-megapixel phone's portrait photos: long side 4032 px, stored on their
// side with EXIF orientation 6, as the photos of issue 13 were.
const (
	phoneSide        = 4032
	phoneOrientation = 6
)

// phoneTable runs every tool, kiosk decode included, as a process per
// image on each qr-blackbox photo stored as a phone stores a portrait
// photo, and returns table 4 in Markdown: images read per set, and kiosk
// decode's median wall time per image (process start and the reading of a
// 12-megapixel JPEG included).
func (c *comparison) phoneTable(t testing.TB, perSet int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n| set | images | read as %d px portrait JPEG: %s | kiosk decode median ms |\n", phoneSide, c.toolNames(" | "))
	fmt.Fprintf(&b, "|---|---:|%s---:|\n", strings.Repeat("---:|", len(c.tools)))
	p := filepath.Join(c.tmp, "phone.jpg")
	for _, s := range blackboxSets(t) {
		s.items = s.items[:min(perSet, len(s.items))]
		read := make([]int, len(c.tools))
		var times []time.Duration
		for _, it := range s.items {
			photo, err := cv.ReadGray(it.file)
			if err != nil {
				t.Fatal(err)
			}
			// Stored turned counter-clockwise: orientation 6 turns it back.
			// (Variant enlarges 8× at most: the smallest photos end up smaller.)
			v, err := frames.Variant(photo, 90, min(8, phoneSide/float64(max(photo.Rect.Dx(), photo.Rect.Dy()))))
			if err != nil {
				t.Fatal(err)
			}
			data, err := frames.PhoneJPEG(v, phoneOrientation)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			for i, tl := range c.tools {
				start := time.Now()
				if contains(tl.read(p), it.text) {
					read[i]++
				}
				if i == 0 {
					times = append(times, time.Since(start))
				}
			}
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %.0f |\n", s.name, len(s.items), joinInts(read), median(times))
	}
	return b.String()
}

func joinInts(n []int) string {
	var s []string
	for _, x := range n {
		s = append(s, fmt.Sprint(x))
	}
	return strings.Join(s, " | ")
}

// comparison holds the tools and the in-process decoder of kiosk decode.
type comparison struct {
	tools []tool
	dec   fileDecoder
	tmp   string
}

func newComparison(tb testing.TB, tools []tool) *comparison {
	assist := cv.NewAssist()
	tb.Cleanup(func() { assist.Close() })
	return &comparison{tools: tools, dec: newFileDecoder(assist), tmp: tb.TempDir()}
}

// blackboxSets returns ZXing's photo sets qrcode-1…6 with their texts.
func blackboxSets(tb testing.TB) []set {
	var sets []set
	for n := 1; n <= 6; n++ {
		dir := frames.Shared(tb, "bench", "qr-blackbox", fmt.Sprintf("qrcode-%d", n))
		files, _ := filepath.Glob(filepath.Join(dir, "*.png"))
		sort.Strings(files)
		s := set{name: fmt.Sprintf("qrcode-%d", n)}
		for _, f := range files {
			text, err := os.ReadFile(strings.TrimSuffix(f, ".png") + ".txt")
			if err != nil {
				tb.Fatal(err)
			}
			s.items = append(s.items, labelled{f, string(text)})
		}
		sets = append(sets, s)
	}
	return sets
}

// cameraSet renders two seeds of every camera-like preset at w×h.
func (c *comparison) cameraSet(tb testing.TB, w, h int) set {
	s := set{name: fmt.Sprintf("camera-like certificates %d×%d", w, h)}
	text := frames.CertificateLike(1, 560)
	for _, p := range frames.Presets() {
		for seed := int64(0); seed < 2; seed++ {
			p.Scene.Seed, p.Scene.Width, p.Scene.Height = seed, w, h
			f, _ := writeFrame(tb, c.tmp, fmt.Sprintf("%s-%dx%d-%d.png", p.Name, w, h, seed), text, p.Scene)
			s.items = append(s.items, labelled{f, text})
		}
	}
	return s
}

// setTable measures the first perSet images of every set and returns the
// table in Markdown.
func (c *comparison) setTable(t testing.TB, perSet int) string {
	sets := append(blackboxSets(t), set{"dgc-testdata png (1 in 4)", dgcSample(t)},
		c.cameraSet(t, 640, 480), c.cameraSet(t, 1920, 1080))
	var table strings.Builder
	fmt.Fprintf(&table, "\n| set | images | read: %s | median ms, process per image: %s | kiosk, one process for the set, ms/image | kiosk in-process median ms |\n",
		c.toolNames(" | "), c.toolNames(" | "))
	fmt.Fprintf(&table, "|---|---:|%s%s---:|---:|\n", strings.Repeat("---:|", len(c.tools)), strings.Repeat("---:|", len(c.tools)))
	for _, s := range sets {
		s.items = s.items[:min(perSet, len(s.items))]
		correct := make([]int, len(c.tools))
		times := make([][]time.Duration, len(c.tools))
		var inproc []time.Duration
		for _, it := range s.items {
			for i, tl := range c.tools {
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
			c.dec.Decode(g)
			inproc = append(inproc, time.Since(start))
		}
		fmt.Fprintf(&table, "| %s | %d |", s.name, len(s.items))
		for _, n := range correct {
			fmt.Fprintf(&table, " %d |", n)
		}
		for _, ts := range times {
			fmt.Fprintf(&table, " %.1f |", median(ts))
		}
		fmt.Fprintf(&table, " %.1f | %.2f |\n", batchPerImage(s.items), median(inproc))
	}
	return table.String()
}

func (c *comparison) toolNames(sep string) string {
	var names []string
	for _, tl := range c.tools {
		names = append(names, tl.name)
	}
	return strings.Join(names, sep)
}

// variantKey names one view of a set's photos.
type variantKey struct {
	set          string
	angle, scale float64
}

// variantTables reads every view of the first perSet photos of each
// qr-blackbox set with every tool and returns tables 2 and 3 in Markdown.
func (c *comparison) variantTables(t testing.TB, perSet int) string {
	sets := blackboxSets(t)
	reads := map[variantKey][]int{} // per tool
	images := map[string]int{}
	for _, s := range sets {
		s.items = s.items[:min(perSet, len(s.items))]
		images[s.name] = len(s.items)
		for _, it := range s.items {
			photo, err := cv.ReadGray(it.file)
			if err != nil {
				t.Fatal(err)
			}
			for _, scale := range variantScales {
				for _, angle := range variantAngles {
					k := variantKey{s.name, angle, scale}
					if reads[k] == nil {
						reads[k] = make([]int, len(c.tools))
					}
					for i, ok := range c.readVariant(t, photo, angle, scale, it.text) {
						if ok {
							reads[k][i]++
						}
					}
				}
			}
		}
	}
	sum := func(match func(variantKey) bool) []int {
		n := make([]int, len(c.tools))
		for k, r := range reads {
			if match(k) {
				for i := range n {
					n[i] += r[i]
				}
			}
		}
		return n
	}
	var b strings.Builder
	dashes := strings.Repeat("---:|", len(c.tools))
	fmt.Fprintf(&b, "\n| set | scale | images | right angles (0/90/180/270): %s | oblique (15/30/45/60): %s |\n", c.toolNames(" | "), c.toolNames(" | "))
	fmt.Fprintf(&b, "|---|---:|---:|%s%s\n", dashes, dashes)
	total := 0
	for _, s := range sets {
		total += images[s.name]
		for _, scale := range variantScales {
			right := sum(func(k variantKey) bool { return k.set == s.name && k.scale == scale && math.Mod(k.angle, 90) == 0 })
			oblique := sum(func(k variantKey) bool { return k.set == s.name && k.scale == scale && math.Mod(k.angle, 90) != 0 })
			fmt.Fprintf(&b, "| %s | %g× | %d×4 | %s | %s |\n", s.name, scale, images[s.name], joinInts(right), joinInts(oblique))
		}
	}
	fmt.Fprintf(&b, "\n| angle | images | ")
	for _, scale := range variantScales {
		fmt.Fprintf(&b, "%g×: %s | ", scale, c.toolNames(" | "))
	}
	fmt.Fprintf(&b, "\n|---:|---:|%s\n", strings.Repeat(dashes, len(variantScales)))
	for _, angle := range variantAngles {
		fmt.Fprintf(&b, "| %g° | %d |", angle, total)
		for _, scale := range variantScales {
			fmt.Fprintf(&b, " %s |", joinInts(sum(func(k variantKey) bool { return k.angle == angle && k.scale == scale })))
		}
		fmt.Fprintln(&b)
	}
	fmt.Fprintf(&b, "| all | %d |", total*len(variantAngles))
	for _, scale := range variantScales {
		fmt.Fprintf(&b, " %s |", joinInts(sum(func(k variantKey) bool { return k.scale == scale })))
	}
	fmt.Fprintln(&b)
	return b.String()
}

// readVariant makes one view of photo and says, per tool, whether it read
// want in it: kiosk in this process, the others from a PNG file.
func (c *comparison) readVariant(t testing.TB, photo *image.Gray, angle, scale float64, want string) []bool {
	v, err := frames.Variant(photo, angle, scale)
	if err != nil {
		t.Fatal(err)
	}
	ok := make([]bool, len(c.tools))
	for _, r := range c.dec.Decode(v) {
		ok[0] = ok[0] || r.Text == want
	}
	if len(c.tools) == 1 {
		return ok
	}
	p := filepath.Join(c.tmp, "variant.png")
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, v); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, tl := range c.tools[1:] {
		ok[i+1] = contains(tl.read(p), want)
	}
	return ok
}

// batchPerImage runs kiosk decode once over all the files and returns the
// wall time per image in ms: the process start paid once, as a school
// running the tool over a folder would.
func batchPerImage(items []labelled) float64 {
	var files []string
	for _, it := range items {
		files = append(files, it.file)
	}
	cmd := kioskCommand(append([]string{"decode"}, files...)...)
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
