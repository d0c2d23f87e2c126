package scanner

import (
	"image"
	"math"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/frames"
)

// certificate is a stand-in for an EU DCC payload: same length, alphabet
// and QR version, no personal data.
var certificate = frames.CertificateLike(1, 560)

func preset(t testing.TB, name string) frames.Scene {
	for _, p := range frames.Presets() {
		if p.Name == name {
			return p.Scene
		}
	}
	t.Fatalf("no preset %q", name)
	return frames.Scene{}
}

// The pure-Go cascade (no OpenCV) must read the conditions it has stages
// for; the rest is the OpenCV assist's job, tested in scanner/cv.
func TestDecodePureGo(t *testing.T) {
	for _, name := range []string{"clean-paper", "noise", "glare-screen", "low-light", "shadow", "small", "dark-mode-screen", "bottle", "wide-angle-close"} {
		t.Run(name, func(t *testing.T) {
			d := NewDecoder(Options{Budget: time.Second})
			for seed := int64(0); seed < 3; seed++ {
				s := preset(t, name)
				s.Seed = seed
				f, err := frames.Render(certificate, s)
				if err != nil {
					t.Fatal(err)
				}
				rs := d.Decode(f.Gray)
				if len(rs) != 1 || rs[0].Text != certificate {
					t.Fatalf("seed %d: read %d codes, want the certificate", seed, len(rs))
				}
				checkCorners(t, rs[0].Corners, f)
			}
		})
	}
}

// checkCorners requires each corner within one and a half modules of where
// the generator put it, in the symbol's own order.
func checkCorners(t *testing.T, got [4]Point, f *frames.Frame) {
	t.Helper()
	module := math.Hypot(f.Corners[1][0]-f.Corners[0][0], f.Corners[1][1]-f.Corners[0][1]) / float64(f.Modules)
	for i, c := range f.Corners {
		if d := math.Hypot(got[i].X-c[0], got[i].Y-c[1]); d > 1.5*module {
			t.Errorf("corner %d at (%.1f,%.1f), want (%.1f,%.1f): %.1f modules off", i, got[i].X, got[i].Y, c[0], c[1], d/module)
		}
	}
}

func TestDecodeEmptyFrames(t *testing.T) {
	d := NewDecoder(Options{})
	for seed := int64(0); seed < 5; seed++ {
		g, err := frames.Empty(frames.Scene{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if rs := d.Decode(g); len(rs) != 0 {
			t.Fatalf("seed %d: read %d codes in an empty scene", seed, len(rs))
		}
	}
}

func TestDecodeDegenerateFrames(t *testing.T) {
	d := NewDecoder(Options{})
	for _, g := range []*image.Gray{nil, image.NewGray(image.Rect(0, 0, 0, 0)), image.NewGray(image.Rect(0, 0, 5, 500)), image.NewGray(image.Rect(0, 0, 640, 480))} {
		if rs := d.Decode(g); rs != nil {
			t.Fatalf("%v: %d results", g, len(rs))
		}
	}
}

// Two codes in one frame are both reported (kiosk decode lists every code).
func TestDecodeTwoCodes(t *testing.T) {
	a, _ := frames.Render("HC1:FIRST", frames.Scene{Width: 320, Height: 320, Size: 0.6})
	b, _ := frames.Render("HC1:SECOND", frames.Scene{Width: 320, Height: 320, Size: 0.6})
	g := image.NewGray(image.Rect(0, 0, 640, 320))
	for y := 0; y < 320; y++ {
		copy(g.Pix[y*640:], a.Gray.Pix[y*320:(y+1)*320])
		copy(g.Pix[y*640+320:], b.Gray.Pix[y*320:(y+1)*320])
	}
	rs := NewDecoder(Options{}).Decode(g)
	got := map[string]bool{}
	for _, r := range rs {
		got[r.Text] = true
	}
	if len(rs) != 2 || !got["HC1:FIRST"] || !got["HC1:SECOND"] {
		t.Fatalf("read %d codes, want both", len(rs))
	}
}

// A thorough decoder, pure Go, reads every code of a sheet and reports each
// once, with its corners; codes of the same text in two places are two.
func TestDecodeEverySheetCodePureGo(t *testing.T) {
	texts := frames.SheetTexts(9)
	texts[8] = texts[0]
	f, err := frames.Sheet(texts, 3, frames.Scene{Width: 1280, Height: 960, Size: 0.75, Tilt: 10, Roll: 15})
	if err != nil {
		t.Fatal(err)
	}
	rs := NewDecoder(Options{Budget: 2 * time.Second, Thorough: true}).Decode(f.Gray)
	got := map[string]int{}
	for _, r := range rs {
		got[r.Text]++
		if c := center(r.Corners); !inside(r.Corners, c) || math.Hypot(r.Corners[0].X-r.Corners[2].X, r.Corners[0].Y-r.Corners[2].Y) < 50 {
			t.Errorf("implausible corners %v", r.Corners)
		}
	}
	if len(rs) != 9 || got[texts[0]] != 2 {
		t.Fatalf("read %d codes (%d of the text shown twice), want 9", len(rs), got[texts[0]])
	}
	for _, text := range texts[1:8] {
		if got[text] != 1 {
			t.Errorf("%s read %d times", text, got[text])
		}
	}
}

// A frame full of finder-like texture must not run past its budget by more
// than one stage.
func TestDecodeRespectsBudget(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			// Nested squares everywhere: finder-pattern candidates galore.
			dx, dy := x%21-10, y%21-10
			r := max(abs(dx), abs(dy))
			if r <= 1 || r == 3 {
				g.Pix[y*640+x] = 0
			} else {
				g.Pix[y*640+x] = 255
			}
		}
	}
	d := NewDecoder(Options{Budget: 5 * time.Millisecond})
	start := time.Now()
	d.Decode(g)
	if el := time.Since(start); el > 200*time.Millisecond {
		t.Fatalf("decode took %v with a 5 ms budget", el)
	}
}

func TestResultStringHidesText(t *testing.T) {
	r := Result{Text: "HC1:SECRET-NAME"}
	for _, s := range []string{r.String(), r.GoString()} {
		if contains(s, "SECRET") {
			t.Fatalf("String leaks the text: %s", s)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// A sub-image (rows not contiguous) decodes, with corners relative to its
// own top-left pixel.
func TestDecodeSubImage(t *testing.T) {
	f, err := frames.Render("HC1:SUB", frames.Scene{Size: 0.4, OffsetX: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	sub := f.Gray.SubImage(image.Rect(100, 40, 600, 460)).(*image.Gray)
	rs := NewDecoder(Options{}).Decode(sub)
	if len(rs) != 1 || rs[0].Text != "HC1:SUB" {
		t.Fatalf("read %d codes", len(rs))
	}
	for i := range f.Corners {
		f.Corners[i][0] -= 100
		f.Corners[i][1] -= 40
	}
	checkCorners(t, rs[0].Corners, f)
}

// Each pure-Go stage, run alone, reads a code it is meant for and maps its
// corners back to the frame (the half-size stages scale them, for one).
func TestStagesReadAndMapCorners(t *testing.T) {
	// A shorter payload than a certificate, so that the half-size stages
	// see modules of more than one pixel.
	text := frames.CertificateLike(2, 120)
	plain, err := frames.Render(text, frames.Scene{Size: 0.6, Tilt: 10, Roll: 20})
	if err != nil {
		t.Fatal(err)
	}
	dark, err := frames.Render(text, frames.Scene{Size: 0.6, Tilt: 10, Roll: 20, Screen: true, Invert: true})
	if err != nil {
		t.Fatal(err)
	}
	d := NewDecoder(Options{})
	ran := 0
	for _, s := range stages {
		if s.assist {
			continue // covered with OpenCV in scanner/cv
		}
		f := plain
		if s.name == "inverted" {
			f = dark
		}
		rs := s.run(newCascade(d, f.Gray, time.Now().Add(time.Second)))
		if len(rs) != 1 || rs[0].Text != text {
			t.Errorf("stage %s: read %d codes", s.name, len(rs))
			continue
		}
		checkCorners(t, rs[0].Corners, f)
		ran++
	}
	if ran < 5 {
		t.Fatalf("only %d pure-Go stages", ran)
	}
}

// The pyramid level searched first has a long side of at most baseSide.
func TestPyramidBase(t *testing.T) {
	for _, c := range []struct{ w, h, base int }{{640, 480, 0}, {1280, 720, 0}, {1920, 1080, 1}, {4032, 3024, 2}, {3000, 40, 0}} {
		p := pyramid{d: NewDecoder(Options{}), levels: []*image.Gray{image.NewGray(image.Rect(0, 0, c.w, c.h))}}
		if b := p.base(); b != c.base {
			t.Errorf("%dx%d: base level %d, want %d", c.w, c.h, b, c.base)
		}
		if g := p.level(c.base); g.Rect.Dx() != c.w>>c.base || g.Rect.Dy() != c.h>>c.base {
			t.Errorf("%dx%d: level %d is %v", c.w, c.h, c.base, g.Rect)
		}
	}
}

// A code read at a coarser pyramid level reports its corners in the
// frame's pixels, and a code too small for that level is read at a finer
// one.
func TestDecodeLargeFrames(t *testing.T) {
	d := NewDecoder(Options{Budget: time.Second})
	for _, s := range []frames.Scene{
		{Width: 1920, Height: 1080, Size: 0.6, Tilt: 10, Roll: 30},
		{Width: 1920, Height: 1080, Size: 0.18, Tilt: 5, OffsetX: 0.2},
	} {
		f, err := frames.Render(certificate, s)
		if err != nil {
			t.Fatal(err)
		}
		rs := d.Decode(f.Gray)
		if len(rs) != 1 || rs[0].Text != certificate {
			t.Fatalf("size %g: read %d codes", s.Size, len(rs))
		}
		checkCorners(t, rs[0].Corners, f)
	}
}

// Codes turned by any angle in the plane, with perspective, read: the
// module size is measured along the code's axes, not the frame's rows.
func TestDecodeAnyRoll(t *testing.T) {
	d := NewDecoder(Options{Budget: time.Second})
	for roll := 0.0; roll < 90; roll += 15 {
		f, err := frames.Render(certificate, frames.Scene{Size: 0.6, Tilt: 15, Roll: roll, Blur: 0.7, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		if rs := d.Decode(f.Gray); len(rs) != 1 || rs[0].Text != certificate {
			t.Errorf("roll %g°: read %d codes", roll, len(rs))
		}
	}
}

// Under- and over-exposed frames are stretched before thresholding; a
// well-exposed one is left alone.
func TestExposure(t *testing.T) {
	normal, err := frames.Render(certificate, frames.Scene{Size: 0.55})
	if err != nil {
		t.Fatal(err)
	}
	if exposureTable(normal.Gray) != nil {
		t.Error("a well-exposed frame is stretched")
	}
	d := NewDecoder(Options{Budget: time.Second, Thorough: true})
	for _, light := range []float64{0.07, 8} {
		f, err := frames.Render(certificate, frames.Scene{Size: 0.55, Tilt: 10, Noise: 3, Light: light, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if exposureTable(f.Gray) == nil {
			t.Errorf("light %g: not stretched", light)
		}
		// Washed-out codes need the OpenCV stages too (scanner/cv).
		if rs := d.Decode(f.Gray); light < 1 && (len(rs) != 1 || rs[0].Text != certificate) {
			t.Errorf("light %g: read %d codes", light, len(rs))
		}
	}
}

// Once the base level has seen a triple, a finer level is searched only
// around it: the part searched holds the code, is a fraction of the level,
// and a code read there reports its corners in the frame's pixels.
func TestFocusOnTheTriplesSeen(t *testing.T) {
	f, err := frames.Render(certificate, frames.Scene{Width: 2560, Height: 1920, Size: 0.3, Tilt: 10, Roll: 20, OffsetX: 0.25, OffsetY: -0.2})
	if err != nil {
		t.Fatal(err)
	}
	d := NewDecoder(Options{Budget: time.Second})
	c := newCascade(d, f.Gray, time.Now().Add(time.Second))
	if img, origin := c.focus(0); img != f.Gray || origin != (image.Point{}) {
		t.Fatal("nothing seen yet, but the level was not searched whole")
	}
	// The base level's first stage sees the code's three patterns.
	c.level, c.frame = 1, c.pyramid.level(1)
	c.try(view{img: c.frame, bin: hybrid, toFrame: identity})
	if len(c.seen.modules) < 4 {
		t.Fatalf("the base level saw %d patterns of triples", len(c.seen.modules))
	}
	c.level, c.finders = 0, 0
	c.frame, c.origin = c.focus(0)
	r := c.frame.Rect
	if 4*r.Dx()*r.Dy() > 2560*1920 {
		t.Errorf("focused part %v is not a fraction of the level", r)
	}
	for _, p := range f.Corners {
		if x, y := int(p[0])-c.origin.X, int(p[1])-c.origin.Y; !image.Pt(x, y).In(r) {
			t.Errorf("corner %v outside the focused part %v at %v", p, r, c.origin)
		}
	}
	rs := c.try(view{img: c.frame, bin: hybrid, toFrame: identity})
	if len(rs) != 1 || rs[0].Text != certificate {
		t.Fatalf("focused part: read %d codes", len(rs))
	}
	checkCorners(t, rs[0].Corners, f)
}
