package cv

import (
	"image"
	"math"
	"testing"

	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/testdata/frames"
)

func TestAssistLocateAndRectify(t *testing.T) {
	a := NewAssist()
	defer a.Close()
	f, err := frames.Render("HC1:LOCATE ME", frames.Scene{Size: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	qs := a.Locate(f.Gray)
	if len(qs) != 1 {
		t.Fatalf("located %d codes", len(qs))
	}
	module := (f.Corners[1][0] - f.Corners[0][0]) / float64(f.Modules)
	for i, c := range f.Corners {
		if d := math.Hypot(qs[0][i].X-c[0], qs[0][i].Y-c[1]); d > 1.5*module {
			t.Errorf("corner %d at %v, want %v", i, qs[0][i], c)
		}
	}
	r := a.Rectify(f.Gray, qs[0], 200, 20, nil)
	if r.Rect != image.Rect(0, 0, 240, 240) {
		t.Fatalf("rectified to %v", r.Rect)
	}
	// The rectified square reads on its own, framed by its light quiet zone.
	if rs := scanner.NewDecoder(scanner.Options{}).Decode(r); len(rs) != 1 || rs[0].Text != "HC1:LOCATE ME" {
		t.Fatalf("rectified image read as %v", rs)
	}
	if r.Pix[10*240+10] < 150 {
		t.Fatalf("margin is %d, want the light quiet zone", r.Pix[10*240+10])
	}
	empty, _ := frames.Empty(frames.Scene{Seed: 2})
	if qs := a.Locate(empty); len(qs) != 0 {
		t.Fatalf("located %d codes in an empty scene", len(qs))
	}
}

func TestAssistEqualizeAndScaleReuseBuffers(t *testing.T) {
	a := NewAssist()
	defer a.Close()
	g := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range g.Pix {
		g.Pix[i] = uint8(100 + i%8) // low contrast
	}
	eq := a.Equalize(g, nil)
	lo, hi := uint8(255), uint8(0)
	for _, p := range eq.Pix {
		lo, hi = min(lo, p), max(hi, p)
	}
	if hi-lo < 20 {
		t.Fatalf("CLAHE left contrast at %d levels", hi-lo)
	}
	big := a.Scale(g, 2, 1.5, nil)
	if big.Rect != image.Rect(0, 0, 128, 72) {
		t.Fatalf("scaled to %v", big.Rect)
	}
	again := a.Scale(g, 1, 1, big)
	if &again.Pix[0] != &big.Pix[0] {
		t.Fatal("Scale did not reuse the buffer it was given")
	}
}
