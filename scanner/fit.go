package scanner

import (
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// Fitting the grid: the three finder patterns fix three points of the
// perspective transform from modules to pixels; the fourth (bottom-right)
// is poorly determined by them under perspective and blur, and a guess off
// by one module loses the code. fit searches for the fourth point that makes
// the modules whose colour the standard fixes (timing patterns, alignment
// patterns) come out right, which pins the grid down to a fraction of a
// module wherever a code has enough of them (version 2 and up).

// knownModule is a module whose colour is fixed by the QR specification.
type knownModule struct {
	x, y  float64 // centre, in modules
	black bool
}

// knownModules lists the timing and alignment-pattern modules of a symbol
// of dimension dim.
func knownModules(dim int) []knownModule {
	v, err := decoder.Version_GetVersionForNumber((dim - 17) / 4)
	if err != nil {
		return nil
	}
	var k []knownModule
	for i := 8; i < dim-8; i++ {
		k = append(k, knownModule{float64(i) + 0.5, 6.5, i%2 == 0}, knownModule{6.5, float64(i) + 0.5, i%2 == 0})
	}
	centers := v.GetAlignmentPatternCenters()
	last := len(centers) - 1
	for i, cx := range centers {
		for j, cy := range centers {
			if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) {
				continue // these would overlap a finder pattern
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					ring := max(abs(dx), abs(dy))
					k = append(k, knownModule{float64(cx+dx) + 0.5, float64(cy+dy) + 0.5, ring != 1})
				}
			}
		}
	}
	return k
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fit returns the transform whose fourth point, started at (bx, by),
// maximises the agreement of the known modules, by a pattern search with a
// step halved from four modules down to an eighth.
func fit(m *gozxing.BitMatrix, t triple, dim int, bx, by float64) *common.PerspectiveTransform {
	known := knownModules(dim)
	if len(known) == 0 {
		return nil
	}
	fd := float64(dim)
	transform := func(x, y float64) *common.PerspectiveTransform {
		return common.PerspectiveTransform_QuadrilateralToQuadrilateral(
			3.5, 3.5, fd-3.5, 3.5, fd-3.5, fd-3.5, 3.5, fd-3.5,
			t.tl.GetX(), t.tl.GetY(), t.tr.GetX(), t.tr.GetY(), x, y, t.bl.GetX(), t.bl.GetY())
	}
	w, h := float64(m.GetWidth()), float64(m.GetHeight())
	pts := make([]float64, 2*len(known))
	score := func(tr *common.PerspectiveTransform) int {
		for i, k := range known {
			pts[2*i], pts[2*i+1] = k.x, k.y
		}
		tr.TransformPoints(pts)
		s := 0
		for i, k := range known {
			x, y := pts[2*i], pts[2*i+1]
			if x >= 0 && y >= 0 && x < w && y < h && m.Get(int(x), int(y)) == k.black {
				s++
			}
		}
		return s
	}
	moduleSize := t.moduleSize()
	// Start from the projective estimate and from the parallelogram, and
	// keep the better: each is the right one for some distortions.
	px, py := t.tr.GetX()-t.tl.GetX()+t.bl.GetX(), t.tr.GetY()-t.tl.GetY()+t.bl.GetY()
	best := score(transform(bx, by))
	if s := score(transform(px, py)); s > best {
		best, bx, by = s, px, py
	}
	for step := 4 * moduleSize; step >= moduleSize/8; step /= 2 {
		for moved := true; moved; {
			moved = false
			for _, d := range [8][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}} {
				x, y := bx+d[0]*step, by+d[1]*step
				if s := score(transform(x, y)); s > best {
					best, bx, by, moved = s, x, y, true
				}
			}
		}
	}
	return transform(bx, by)
}
