package scanner

import (
	"image"
	"math"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
	"github.com/scuola/kiosk/testdata/frames"
)

// A certificate-sized code wrapped around a bottle or a curled printout,
// or filling the frame of a wide-angle webcam (barrel distortion): the
// fitted transform of the whole code gets many modules wrong, the lattice
// of its alignment patterns gets nearly all right, and the dimension comes
// from the version blocks beside the finder patterns (on the bottle, the
// module sizes there, squeezed by the bend, say 101 or 109 instead of 89).
func TestLatticeFollowsABentCode(t *testing.T) {
	text := frames.CertificateLike(1, 560)
	code, err := encoder.Encoder_encode(text, decoder.ErrorCorrectionLevel_Q, map[gozxing.EncodeHintType]interface{}{})
	if err != nil {
		t.Fatal(err)
	}
	truth := code.GetMatrix()
	all := truth.GetWidth() * truth.GetHeight()
	for _, c := range []struct {
		name  string
		scene frames.Scene
		// widen is the stretch across of the view read (0: none): at 90°
		// of arc the edges are foreshortened to 0.7, which gozxing's
		// finder refuses unless a stretch stage widens them.
		widen    float64
		maxWrong int
	}{
		{"curve 40°", frames.Scene{Size: 0.6, Curve: 40, Tilt: 5}, 0, all / 100},
		{"curve 60°", frames.Scene{Size: 0.6, Curve: 60, Tilt: 5}, 0, all / 100},
		{"close-up, barrel lens −0.3", frames.Scene{Size: 0.85, Lens: -0.3, Tilt: 5}, 0, all / 100},
		// The pattern before the top-right finder drifts the other way
		// from those left of it: only a second pass, from the column below,
		// finds it (1429 wrong with one pass).
		{"curve 90°, widened 1.35×", frames.Scene{Size: 0.6, Curve: 90, Tilt: 5}, 1.35, all / 50},
		// The bottom-left finder's square is not measured here: its
		// lattice point comes from the column above it, not from tr (215
		// wrong with both passes) or the bent row beside it (339); 1029
		// with one pass.
		{"curve 90° at 1280×960, widened 1.35×", frames.Scene{Width: 1280, Height: 960, Size: 0.6, Curve: 90, Tilt: 5}, 1.35, all / 50},
	} {
		f, err := frames.Render(text, c.scene)
		if err != nil {
			t.Fatal(err)
		}
		g := f.Gray
		if c.widen > 0 {
			g = widen(g, c.widen)
		}
		m, err := gozxing.NewHybridBinarizer(gozxing.NewLuminanceSourceFromImage(g)).GetBlackMatrix()
		if err != nil {
			t.Fatal(err)
		}
		_, cands := finders(m, false)
		ts := triples(cands, maxScanned)
		if len(ts) == 0 {
			t.Fatalf("%s: no triple of finder patterns", c.name)
		}
		tr := ts[0]
		if dims := dimensions(m, tr); dims[0] != f.Modules {
			t.Errorf("%s: dimensions %v, want %d first", c.name, dims, f.Modules)
		}
		bx, by := farCorner(tr)
		whole := fit(m, tr, f.Modules, bx, by)
		wrong := func(bits *gozxing.BitMatrix) int {
			n := 0
			for y := 0; y < f.Modules; y++ {
				for x := 0; x < f.Modules; x++ {
					if bits.Get(x, y) != (truth.Get(x, y) == 1) {
						n++
					}
				}
			}
			return n
		}
		flat, err := detector.Detector_sampleGrid(m, whole, f.Modules)
		if err != nil {
			t.Fatal(err)
		}
		bent, _, ok := lattice(m, tr, whole, f.Modules)
		if !ok {
			t.Fatalf("%s: lattice not found", c.name)
		}
		fw, bw := wrong(flat), wrong(bent)
		t.Logf("%s: modules wrong through the fitted transform %d, through the lattice %d, of %d", c.name, fw, bw, all)
		if fw < all/5 || bw > c.maxWrong {
			t.Errorf("%s: %d and %d modules wrong, want over %d and under %d", c.name, fw, bw, all/5, c.maxWrong)
		}
		if _, err := qrDecoder.Decode(bent, noHints); err != nil {
			t.Errorf("%s: lattice grid does not decode: %v", c.name, err)
		}
		if c.widen > 0 {
			continue // the stretch stages are OpenCV's (scanner/cv's small-bottle preset)
		}
		// The whole cascade reads it, and its corners are where the
		// bent code's corners are, not where a flat one's would be.
		rs := NewDecoder(Options{Budget: time.Second}).Decode(f.Gray)
		if len(rs) != 1 || rs[0].Text != text {
			t.Fatalf("%s: decoder read %d codes, want the certificate", c.name, len(rs))
		}
		checkCorners(t, rs[0].Corners, f)
	}
}

// widen stretches g across by f, bilinearly, as the assist's stretch
// stages do.
func widen(g *image.Gray, f float64) *image.Gray {
	w, h := int(float64(g.Rect.Dx())*f), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
		for x := 0; x < w; x++ {
			sx := max((float64(x)+0.5)/f-0.5, 0)
			x0 := int(sx)
			x1, a := min(x0+1, len(row)-1), sx-float64(x0)
			out.Pix[y*out.Stride+x] = uint8((1-a)*float64(row[x0]) + a*float64(row[x1]) + 0.5)
		}
	}
	return out
}

// Versions below 7 have no lattice: one alignment pattern at most, which
// sample's own search handles.
func TestLatticeNeedsVersion7(t *testing.T) {
	m, _ := gozxing.NewBitMatrix(200, 200)
	for _, dim := range []int{21, 25, 41} {
		if _, _, ok := lattice(m, triple{}, nil, dim); ok {
			t.Errorf("dimension %d: lattice sampled", dim)
		}
	}
}

// A transform from a degenerate triple (all three centres at one point, or
// off the image) puts lattice points at NaN, infinity or outside: lattice
// must refuse it, not index the matrix there.
func TestLatticeRefusesDegenerateTransforms(t *testing.T) {
	m, _ := gozxing.NewBitMatrix(300, 300)
	for y := 0; y < 300; y++ {
		for x := 0; x < 300; x++ {
			if (x*7+y*13)%5 < 2 {
				m.Set(x, y)
			}
		}
	}
	p := detector.NewFinderPattern1(150, 150, 3)
	far := detector.NewFinderPattern1(1e9, -1e9, 3)
	for _, tri := range []triple{newTriple(p, p, p), newTriple(p, far, p)} {
		for dim := 45; dim <= 177; dim += 4 {
			d := float64(dim)
			tr := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
				3.5, 3.5, d-3.5, 3.5, d-3.5, d-3.5, 3.5, d-3.5,
				tri.tl.GetX(), tri.tl.GetY(), tri.tr.GetX(), tri.tr.GetY(), tri.tr.GetX(), tri.bl.GetY(), tri.bl.GetX(), tri.bl.GetY())
			if _, _, ok := lattice(m, tri, tr, dim); ok {
				t.Errorf("dimension %d: a degenerate transform sampled", dim)
			}
		}
	}
	// And sampling itself, should points so placed count as found.
	nan := math.NaN()
	for _, q := range []latticePoint{{nan, nan, true}, {math.Inf(1), 10, true}, {-1e300, 1e300, true}} {
		pos := make([]latticePoint, 9)
		for i := range pos {
			pos[i] = q
		}
		if _, ok := newLatticeMap(pos, []int{6, 22, 38}).sample(m, 45); ok {
			t.Errorf("lattice points at (%v, %v) sampled", q.x, q.y)
		}
	}
}

// A lattice point found at data that looked like an alignment pattern is
// off every line through its neighbours and is put back where the
// straightest of them says; on a strongly bent code, whose rows are far
// from straight, no true point is taken for one.
func TestLatticeDropsAPointOffEveryLine(t *testing.T) {
	centers := []int{6, 30, 56, 82} // version 18
	const module = 5.0
	tr := common.PerspectiveTransform_QuadrilateralToQuadrilateral(0, 0, 1, 0, 1, 1, 0, 1, 0, 0, module, 0, module, module, 0, module)
	// A cylinder through 95° of arc, seen from the front: across, the
	// points follow a sine; down, a straight line.
	bent := func(i, j int) (float64, float64) {
		a := (float64(centers[i]) + 0.5 - 44.5) / 89 * 95 * math.Pi / 180
		r := 44.5 * module / math.Sin(47.5*math.Pi/180)
		return 300 + r*math.Sin(a), 100 + module*(float64(centers[j])+0.5)
	}
	walk := func() *latticeWalk {
		w := &latticeWalk{tr: tr, centers: centers, n: 4, pos: make([]latticePoint, 16)}
		for j := range 4 {
			for i := range 4 {
				x, y := bent(i, j)
				w.pos[j*4+i] = latticePoint{x, y, true}
			}
		}
		return w
	}
	if n := walk().dropOutliers(); n != 0 {
		t.Errorf("true points of a bent code: %d dropped", n)
	}
	for _, p := range [][4]int{{0, 1, 3, 0}, {1, 1, 0, 3}, {2, 3, -2, 2}} { // point, shift in modules
		w := walk()
		k := p[1]*4 + p[0]
		w.pos[k].x += float64(p[2]) * module
		w.pos[k].y += float64(p[3]) * module
		if n := w.dropOutliers(); n != 1 || w.pos[k].found {
			t.Errorf("point %v moved %v modules: %d dropped, found %v", p[:2], p[2:], n, w.pos[k].found)
		}
		x, y := bent(p[0], p[1])
		if d := math.Hypot(w.pos[k].x-x, w.pos[k].y-y); d > module {
			t.Errorf("point %v put back %.1f px from its place, want within a module", p[:2], d)
		}
	}
}
