package scanner

import (
	"math"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// Following a surface that is not flat: one perspective transform is exact
// only for a flat code. A printout curls in the hand, a label wraps a
// bottle, a page is creased: the modules then drift off any single
// homography, by several modules toward the far side of a large code, and a
// certificate (version 10 to 25) is lost although every module is sharp.
// Versions 7 and up carry a lattice of alignment patterns every 16–28
// modules. lattice locates each of them in the image, starting next to the
// finder patterns and walking outwards so that every search starts from
// where its found neighbours say the surface is, and places each module by
// interpolating through the lattice points around it, so the grid bends
// with the surface. (ZXing-C++ 2 and BoofCV sample each cell through its
// own four corners; a polynomial through the nearer lattice lines follows
// a bottle's curve more closely and extrapolates it past the outermost
// patterns, to the code's edges. A wide-angle lens's barrel bends a
// close-up the same way.)

// latticeSearch is how far from its predicted place an alignment pattern is
// looked for, in modules: more than the drift between neighbours on a
// strongly curved code, less than the 16 modules between patterns.
const latticeSearch = 3

// latticeMatch is how many of an alignment pattern's 25 modules must come
// out right for it to count as found: one or two may be blurred or damaged.
const latticeMatch = 23

// latticeScales are the module sizes an alignment pattern is looked for
// at, as fractions of the size its neighbours say.
var latticeScales = [...]float64{1, 0.87, 1.15}

// lattice samples the dim×dim code in m through the lattice of its
// alignment patterns, starting from the transform tr of the whole code, and
// returns the grid and the lattice's map from modules to the image. ok is
// false for versions without a lattice (below 7) or when fewer than half of
// the patterns were found, where tr alone is as good a guess.
func lattice(m *gozxing.BitMatrix, t triple, tr *common.PerspectiveTransform, dim int) (*gozxing.BitMatrix, *latticeMap, bool) {
	v, err := decoder.Version_GetVersionForNumber((dim - 17) / 4)
	if err != nil {
		return nil, nil, false
	}
	centers := v.GetAlignmentPatternCenters()
	if len(centers) < 3 {
		return nil, nil, false
	}
	pos, found := latticePoints(m, t, tr, centers)
	if 2*found < len(pos)-3 {
		return nil, nil, false
	}
	l := newLatticeMap(pos, centers)
	bits, ok := l.sample(m, dim)
	return bits, l, ok
}

// latticePoint is where a lattice point (an alignment pattern's centre) is
// seen, and whether it was found in the image rather than guessed.
type latticePoint struct {
	x, y  float64
	found bool
}

// latticePoints locates the alignment patterns at centers×centers (module
// coordinates of their centres), row-major, and counts those found. The
// three beside the finder patterns, a module inside each pattern's inner
// corner, are where that pattern's own square puts them (finderFrame), or
// where tr, fixed by the three patterns' centres, does. The others are
// searched outwards from the top-left, by rings, each from where its found
// neighbours say the surface is; the search stops once more than half of
// them are missing, or both of the first two. Then those missed are
// searched again from the neighbours found after them, on every side: on a
// code bent through 90° of arc the one before the top-right finder pattern
// drifts the other way from those to its left, and only the column below
// it says where it is.
func latticePoints(m *gozxing.BitMatrix, t triple, tr *common.PerspectiveTransform, centers []int) ([]latticePoint, int) {
	w := &latticeWalk{m: m, tr: tr, centers: centers, n: len(centers), pos: make([]latticePoint, len(centers)*len(centers))}
	last := w.n - 1
	var unframed [][2]int
	for _, f := range []struct {
		p      *detector.FinderPattern
		module float64
		i, j   int
		x, y   float64 // the lattice point in the pattern's own modules
	}{{t.tl, t.mtl, 0, 0, 6.5, 6.5}, {t.tr, t.mtr, last, 0, 0.5, 6.5}, {t.bl, t.mbl, 0, last, 6.5, 0.5}} {
		x, y := w.expected(f.i, f.j)
		if h, ok := finderFrame(m, t, f.p, f.module); ok {
			x, y = h.apply(f.x, f.y)
		} else {
			unframed = append(unframed, [2]int{f.i, f.j})
		}
		w.pos[f.j*w.n+f.i] = latticePoint{x, y, true}
	}
	corner := func(i, j int) bool { return (i == 0 && j == 0) || (i == last && j == 0) || (i == 0 && j == last) }
	seen, missed := 0, 0
	for k := 0; k < 2*last+1; k++ { // outwards from the top-left, by rings i+j = k
		for i := 0; i <= last; i++ {
			j := k - i
			if j < 0 || j > last || corner(i, j) {
				continue
			}
			if w.locate(i, j) {
				seen++
			} else if missed++; 2*missed > w.n*w.n-3 {
				// lattice needs half of them: a false triple, or not a
				// lattice this view resolves; stop searching.
				return w.pos, seen
			}
		}
		if k == 1 && seen == 0 {
			// Neither pattern next to the top-left finder, the two best
			// predicted: not a lattice here (a false triple, a wrong
			// dimension or transform).
			return w.pos, seen
		}
	}
	for again := true; again && missed > 0; {
		again = false
		for j := 0; j <= last; j++ {
			for i := 0; i <= last; i++ {
				if !corner(i, j) && !w.pos[j*w.n+i].found && w.locate(i, j) {
					seen++
					missed--
					again = true
				}
			}
		}
	}
	seen -= w.dropOutliers()
	// A finder pattern whose square was not measured left tr's place for
	// its lattice point, which the bend moves (by a module and a half at
	// the bottom-left of a code bent through 90°): the alignment patterns
	// in its row and column say where it is.
	for _, c := range unframed {
		if p, ok := w.straightest(c[0], c[1]); ok {
			w.pos[c[1]*w.n+c[0]] = latticePoint{p[0], p[1], true}
		}
	}
	return w.pos, seen
}

// latticeWalk is the state of latticePoints: the lattice points so far,
// row-major over centers×centers, and tr, where a flat code's would be.
type latticeWalk struct {
	m       *gozxing.BitMatrix
	tr      *common.PerspectiveTransform
	centers []int
	n       int
	pos     []latticePoint
}

// sides are the steps to a lattice point's neighbours in its row and column.
var sides = [4][2]int{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}

// at is where tr places module coordinates (x, y).
func (w *latticeWalk) at(x, y float64) (float64, float64) {
	p := []float64{x, y}
	w.tr.TransformPoints(p)
	return p[0], p[1]
}

// expected is where tr places lattice point (i, j).
func (w *latticeWalk) expected(i, j int) (float64, float64) {
	return w.at(float64(w.centers[i])+0.5, float64(w.centers[j])+0.5)
}

// found says where lattice point (i, j) was seen, if it was, and its drift
// there from tr's place.
func (w *latticeWalk) found(i, j int) (p latticePoint, dx, dy float64, ok bool) {
	if i < 0 || j < 0 || i >= w.n || j >= w.n || !w.pos[j*w.n+i].found {
		return p, 0, 0, false
	}
	p = w.pos[j*w.n+i]
	qx, qy := w.expected(i, j)
	return p, p.x - qx, p.y - qy, true
}

// extrapolated is the places predictions extrapolates for (i, j) from
// every side.
func (w *latticeWalk) extrapolated(i, j int) [][2]float64 {
	var out [][2]float64
	for _, p := range w.predictions(i, j) {
		if !p.between {
			out = append(out, [2]float64{p.x, p.y})
		}
	}
	return out
}

// prediction is where a line through two found lattice points puts
// another, and how much their drifts from tr differ: little along a
// straight line of the surface, much across a bend.
type prediction struct {
	x, y, spread float64
	between      bool // interpolated between neighbours on both sides
}

// predictions are the places the found lattice points in the row and the
// column of (i, j) predict for it: extrapolated from the two before it on
// each side, interpolated between the two beside it.
func (w *latticeWalk) predictions(i, j int) []prediction {
	var out []prediction
	px, py := w.expected(i, j)
	for _, d := range sides {
		for _, o := range [2][2]int{{1, 2}, {-1, 1}} { // the two before it; one on each side
			ai, aj, bi, bj := i-o[0]*d[0], j-o[0]*d[1], i-o[1]*d[0], j-o[1]*d[1]
			if o[0] < 0 && d[0]+d[1] < 0 {
				continue // each pair of neighbours once
			}
			_, ax, ay, oka := w.found(ai, aj)
			_, bx, by, okb := w.found(bi, bj)
			if !oka || !okb {
				continue
			}
			k, ka, kb := i, ai, bi
			if d[1] != 0 {
				k, ka, kb = j, aj, bj
			}
			f := float64(w.centers[k]-w.centers[ka]) / float64(w.centers[kb]-w.centers[ka])
			out = append(out, prediction{px + ax + f*(bx-ax), py + ay + f*(by-ay), math.Hypot(bx-ax, by-ay), o[0] < 0})
		}
	}
	return out
}

// straightest is the prediction for (i, j) along the straightest line.
func (w *latticeWalk) straightest(i, j int) ([2]float64, bool) {
	best := prediction{spread: math.Inf(1)}
	for _, p := range w.predictions(i, j) {
		if p.spread < best.spread {
			best = p
		}
	}
	return [2]float64{best.x, best.y}, !math.IsInf(best.spread, 1)
}

// dropOutliers un-finds the lattice points that no line through their
// neighbours passes near: data next to the predicted place that matched
// the pattern better than the pattern itself (near a bottle's edge, where
// the module vectors searched with are too wide). Along a bend the points
// are not in line, but across it they are, so a true point is near at
// least one prediction; a false one is off every line, by two modules or
// more, and put at the straightest prediction instead. The worst goes
// first, as it also pulls its neighbours' predictions; at most n of the
// n×n go (more would mean no lattice at all, which lattice's count of
// those found then says).
func (w *latticeWalk) dropOutliers() (dropped int) {
	last := w.n - 1
	px, py := w.expected(0, 0)
	ex, ey := w.at(float64(w.centers[0])+1.5, float64(w.centers[0])+0.5)
	tol := 2 * math.Hypot(ex-px, ey-py)
	for range w.n {
		worst, wi, wj := tol, -1, -1
		for j := 0; j <= last; j++ {
			for i := 0; i <= last; i++ {
				p := w.pos[j*w.n+i]
				if !p.found || (i == 0 && j == 0) || (i == last && j == 0) || (i == 0 && j == last) {
					continue
				}
				w.pos[j*w.n+i].found = false
				preds := w.predictions(i, j)
				w.pos[j*w.n+i].found = true
				if len(preds) < 2 {
					continue
				}
				near := math.Inf(1)
				for _, q := range preds {
					near = min(near, math.Hypot(q.x-p.x, q.y-p.y))
				}
				if near > worst {
					worst, wi, wj = near, i, j
				}
			}
		}
		if wi < 0 {
			return dropped
		}
		dropped++
		w.pos[wj*w.n+wi].found = false
		if g, ok := w.straightest(wi, wj); ok {
			w.pos[wj*w.n+wi] = latticePoint{g[0], g[1], false}
		}
	}
	return dropped
}

// locate searches for the alignment pattern at lattice point (i, j) and
// records it, found or at its best guess.
func (w *latticeWalk) locate(i, j int) bool {
	mx, my := float64(w.centers[i])+0.5, float64(w.centers[j])+0.5
	px, py := w.at(mx, my)
	// Where the found neighbours say the surface is: tr's place moved by
	// the mean drift of those beside it (else of those diagonally next to
	// it), and by the drift extrapolated along its row and column from
	// either side (where the surface bends fast, near the edges of a
	// bottle).
	var guesses [][2]float64
	for _, ring := range [2][4][2]int{sides, {{-1, -1}, {1, -1}, {-1, 1}, {1, 1}}} {
		var mx0, my0 float64
		near := 0
		for _, d := range ring {
			if _, x, y, ok := w.found(i+d[0], j+d[1]); ok {
				mx0 += x
				my0 += y
				near++
			}
		}
		if near > 0 {
			guesses = append(guesses, [2]float64{px + mx0/float64(near), py + my0/float64(near)})
			break
		}
	}
	guesses = append(guesses, w.extrapolated(i, j)...)
	if len(guesses) == 0 {
		guesses = append(guesses, [2]float64{px, py})
	}
	w.pos[j*w.n+i] = latticePoint{guesses[0][0], guesses[0][1], false}
	// One module across and down at a guess: from a found neighbour in
	// its row and one in its column where there are some (the surface's
	// own scale there), else tr's. They are the mean over the span to the
	// neighbour; where a bottle turns away, the modules here are narrower
	// than that mean, so narrower and wider ones are tried too.
	ex, ey := w.at(mx+1, my)
	fx, fy := w.at(mx, my+1)
	for _, scale := range latticeScales {
		for _, g := range guesses {
			ux, uy, vx, vy := ex-px, ey-py, fx-px, fy-py
			for _, a := range [2]int{i - 1, i + 1} {
				if q, _, _, ok := w.found(a, j); ok {
					k := float64(w.centers[i] - w.centers[a])
					ux, uy = (g[0]-q.x)/k, (g[1]-q.y)/k
					break
				}
			}
			for _, b := range [2]int{j - 1, j + 1} {
				if q, _, _, ok := w.found(i, b); ok {
					k := float64(w.centers[j] - w.centers[b])
					vx, vy = (g[0]-q.x)/k, (g[1]-q.y)/k
					break
				}
			}
			if cx, cy, ok := findLatticePoint(w.m, g[0], g[1], scale*ux, scale*uy, scale*vx, scale*vy); ok {
				w.pos[j*w.n+i] = latticePoint{cx, cy, true}
				return true
			}
		}
	}
	return false
}

// latticeMap places module coordinates in the image through the lattice
// points: along each axis a polynomial through the (up to) four nearest
// lattice lines, with Lagrange weights for their uneven spacing. Smooth
// where the surface is (a cylinder's sine is followed to a small fraction
// of a module), it also extrapolates the bending toward the code's edges,
// beyond the outermost lattice lines, which is where its corners are.
type latticeMap struct {
	pos   []latticePoint
	lines []float64 // module coordinates of the lattice lines (pattern centres)
}

func newLatticeMap(pos []latticePoint, centers []int) *latticeMap {
	lines := make([]float64, len(centers))
	for i, c := range centers {
		lines[i] = float64(c) + 0.5
	}
	return &latticeMap{pos: pos, lines: lines}
}

// weights returns the first of the lattice lines that place coordinate k
// and their weights.
func (l *latticeMap) weights(k float64) (int, []float64) {
	n := len(l.lines)
	order := min(4, n)
	first := 0
	for first+order < n && k > l.lines[first+order/2] {
		first++
	}
	w := make([]float64, order)
	for a := range w {
		w[a] = 1
		for b := 0; b < order; b++ {
			if b != a {
				w[a] *= (k - l.lines[first+b]) / (l.lines[first+a] - l.lines[first+b])
			}
		}
	}
	return first, w
}

// place is where the module point whose lattice weights are (fx, wx)
// across and (fy, wy) down is seen.
func (l *latticeMap) place(fx int, wx []float64, fy int, wy []float64) (px, py float64) {
	n := len(l.lines)
	for b, wb := range wy {
		for a, wa := range wx {
			q := l.pos[(fy+b)*n+fx+a]
			px += wa * wb * q.x
			py += wa * wb * q.y
		}
	}
	return px, py
}

// TransformPoints maps module coordinates to the image in place, as
// common.PerspectiveTransform does, so that a result's corners follow the
// lattice that read it.
func (l *latticeMap) TransformPoints(pts []float64) {
	for i := 0; i+1 < len(pts); i += 2 {
		fx, wx := l.weights(pts[i])
		fy, wy := l.weights(pts[i+1])
		pts[i], pts[i+1] = l.place(fx, wx, fy, wy)
	}
}

// sample samples the dim×dim code in m, each module at its centre.
func (l *latticeMap) sample(m *gozxing.BitMatrix, dim int) (*gozxing.BitMatrix, bool) {
	type axis struct {
		first int
		w     []float64
	}
	ax := make([]axis, dim)
	for k := range ax {
		f, w := l.weights(float64(k) + 0.5)
		ax[k] = axis{f, w}
	}
	bits, err := gozxing.NewSquareBitMatrix(dim)
	if err != nil {
		return nil, false
	}
	w, h := float64(m.GetWidth()), float64(m.GetHeight())
	for y := 0; y < dim; y++ {
		for x := 0; x < dim; x++ {
			px, py := l.place(ax[x].first, ax[x].w, ax[y].first, ax[y].w)
			if !(px >= 0 && py >= 0 && px < w && py < h) { // NaN too, from a degenerate transform
				return nil, false
			}
			if m.Get(int(px), int(py)) {
				bits.Set(x, y)
			}
		}
	}
	return bits, true
}

// findLatticePoint looks for an alignment pattern (a black module in a white
// ring in a black ring) within latticeSearch modules of (px, py), where one
// module across and one module down are the vectors (ux, uy) and (vx, vy).
// It returns the centre of the offsets at which the pattern matches best,
// which is the pattern's centre to a fraction of a module, and whether it
// matched well enough to be trusted.
func findLatticePoint(m *gozxing.BitMatrix, px, py, ux, uy, vx, vy float64) (float64, float64, bool) {
	w, h := m.GetWidth(), m.GetHeight()
	score := func(cx, cy float64) int {
		s := 0
		for dy := -2; dy <= 2; dy++ {
			for dx := -2; dx <= 2; dx++ {
				x := int(cx + float64(dx)*ux + float64(dy)*vx)
				y := int(cy + float64(dx)*uy + float64(dy)*vy)
				if x < 0 || y < 0 || x >= w || y >= h {
					continue
				}
				if m.Get(x, y) == (max(abs(dx), abs(dy)) != 1) {
					s++
				}
			}
		}
		return s
	}
	// The offsets within r modules of (cx, cy), step modules apart: the
	// best score, the centre of the offsets that reach it and their span.
	search := func(cx, cy, r, step float64) (best int, x, y, span float64) {
		best = -1
		var sx, sy float64
		var count int
		var lo, hi [2]float64
		for oy := -r / step; oy <= r/step; oy++ {
			for ox := -r / step; ox <= r/step; ox++ {
				qx := cx + ox*step*ux + oy*step*vx
				qy := cy + ox*step*uy + oy*step*vy
				o := [2]float64{ox * step, oy * step}
				switch s := score(qx, qy); {
				case s > best:
					best, sx, sy, count, lo, hi = s, qx, qy, 1, o, o
				case s == best:
					sx, sy, count = sx+qx, sy+qy, count+1
					lo = [2]float64{min(lo[0], o[0]), min(lo[1], o[1])}
					hi = [2]float64{max(hi[0], o[0]), max(hi[1], o[1])}
				}
			}
		}
		return best, sx / float64(count), sy / float64(count), max(hi[0]-lo[0], hi[1]-lo[1])
	}
	// Half a module apart first, which lands within a quarter module of
	// the pattern's centre (inside its modules, so scoring as well as the
	// centre but for a blurred edge), then a quarter module apart around
	// the best. Best matches more than a module and a half apart are two
	// places that look alike (data next to the pattern), not one pattern.
	best, x, y, span := search(px, py, latticeSearch, 0.5)
	if best < latticeMatch-2 || span > 1.5 {
		return px, py, false
	}
	if best, x, y, _ = search(x, y, 0.5, 0.25); best < latticeMatch {
		return px, py, false
	}
	return x, y, true
}
