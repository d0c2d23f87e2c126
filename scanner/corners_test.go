package scanner

import (
	"math"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	"github.com/scuola/kiosk/testdata/frames"
)

// TestFinderCornersGiveThePlane: under perspective strong enough that the
// module-size model of farCorner misses by tens of modules, the homography
// fitted to the finder patterns' corners puts the fourth pattern within
// three modules of where it is (fit refines it), and the code reads.
func TestFinderCornersGiveThePlane(t *testing.T) {
	for _, s := range []frames.Scene{
		{Width: 1280, Height: 960, Size: 0.5, Yaw: 45, Roll: 10},
		{Width: 1280, Height: 960, Size: 0.5, Yaw: -50, Roll: 100},
		{Width: 1280, Height: 960, Size: 0.55, Tilt: 50, Roll: -30},
	} {
		f, err := frames.Render(certificate, s)
		if err != nil {
			t.Fatal(err)
		}
		dim := f.Modules
		module := math.Hypot(f.Corners[1][0]-f.Corners[0][0], f.Corners[1][1]-f.Corners[0][1]) / float64(dim)
		// Where the fourth pattern's centre would be: the symbol's corners
		// give the plane.
		truth, _ := fitHomography(
			[]Point{{0, 0}, {float64(dim), 0}, {float64(dim), float64(dim)}, {0, float64(dim)}},
			[]Point{{f.Corners[0][0], f.Corners[0][1]}, {f.Corners[1][0], f.Corners[1][1]}, {f.Corners[2][0], f.Corners[2][1]}, {f.Corners[3][0], f.Corners[3][1]}})
		wx, wy := truth.apply(float64(dim)-3.5, float64(dim)-3.5)
		m, err := gozxing.NewHybridBinarizer(luminance(f.Gray)).GetBlackMatrix()
		if err != nil {
			t.Fatal(err)
		}
		// The three patterns where they are, with the module size at each
		// (gozxing's finder does not see the far ones here; the stretched
		// views of the cascade do).
		at := func(u, v float64) *detector.FinderPattern {
			x, y := truth.apply(u, v)
			x1, y1 := truth.apply(u+1, v)
			x2, y2 := truth.apply(u, v+1)
			return detector.NewFinderPattern1(x, y, (math.Hypot(x1-x, y1-y)+math.Hypot(x2-x, y2-y))/2)
		}
		fd := float64(dim)
		tr := newTriple(at(3.5, fd-3.5), at(3.5, 3.5), at(fd-3.5, 3.5))
		h, ok := planeHomography(m, tr, dim)
		if !ok {
			t.Errorf("%+v: no homography from the finder patterns' corners", s)
			continue
		}
		hx, hy := h.apply(fd-3.5, fd-3.5)
		bx, by := farCorner(tr)
		if d, model := math.Hypot(hx-wx, hy-wy)/module, math.Hypot(bx-wx, by-wy)/module; d > 3 || model < 3*d {
			t.Errorf("%+v: fourth pattern %.1f modules off (the module-size model: %.1f)", s, d, model)
		}
		read := false
		for _, d := range sample(m, tr, dim) {
			if _, err := qrDecoder.Decode(d.bits, noHints); err == nil {
				read = true
			}
		}
		if !read {
			t.Errorf("%+v: not read", s)
		}
	}
}

// TestRingCornersRefusesWhatIsNoSquare: a blob that is not a finder
// pattern's ring gives no corners.
func TestRingCornersRefusesWhatIsNoSquare(t *testing.T) {
	m, _ := gozxing.NewSquareBitMatrix(60)
	// A disc: black core, white ring, black ring, all round.
	for y := 0; y < 60; y++ {
		for x := 0; x < 60; x++ {
			r := math.Hypot(float64(x)-30, float64(y)-30)
			if r < 7 || (r >= 12 && r < 17) {
				m.Set(x, y)
			}
		}
	}
	if q, ok := ringCorners(m, detector.NewFinderPattern1(30, 30, 5), 5); ok {
		t.Errorf("a disc taken for a square: %v", q)
	}
}
