package scanner

import (
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
	for _, c := range []struct {
		name  string
		scene frames.Scene
	}{
		{"curve 40°", frames.Scene{Size: 0.6, Curve: 40, Tilt: 5}},
		{"curve 60°", frames.Scene{Size: 0.6, Curve: 60, Tilt: 5}},
		{"close-up, barrel lens −0.3", frames.Scene{Size: 0.85, Lens: -0.3, Tilt: 5}},
	} {
		f, err := frames.Render(text, c.scene)
		if err != nil {
			t.Fatal(err)
		}
		m, err := gozxing.NewHybridBinarizer(gozxing.NewLuminanceSourceFromImage(f.Gray)).GetBlackMatrix()
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
		all := f.Modules * f.Modules
		fw, bw := wrong(flat), wrong(bent)
		t.Logf("%s: modules wrong through the fitted transform %d, through the lattice %d, of %d", c.name, fw, bw, all)
		if fw < all/5 || bw > all/100 {
			t.Errorf("%s: %d and %d modules wrong, want over %d and under %d", c.name, fw, bw, all/5, all/100)
		}
		if _, err := qrDecoder.Decode(bent, noHints); err != nil {
			t.Errorf("%s: lattice grid does not decode: %v", c.name, err)
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
