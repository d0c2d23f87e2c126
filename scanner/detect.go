package scanner

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// The detector here replaces gozxing's choice of finder patterns and of the
// symbol's dimension, the two places where its Java-derived detector loses
// codes that a camera sees at an angle:
//
//   - gozxing accepts three finder patterns only if their module sizes agree
//     within a few percent, which a code tilted by 30–40° never satisfies;
//     here every plausible triple is tried, best first;
//   - gozxing derives the dimension from the distance between patterns
//     divided by the module size, which is off by ±4 modules on dense codes
//     (version 15 and up, as EU certificates are) as soon as there is blur or
//     perspective; here the version information encoded next to the finder
//     patterns (versions 7+) is read from a first sampling and, failing
//     that, the neighbouring dimensions are tried.

// maxLight bounds the light-on-dark candidates combined into triples when
// they only count as evidence of a dark-mode code (the most confirmed
// ones): the complement of a scene's texture is full of them.
const maxLight = 10

// maxTriples bounds the triples sampled and decoded per view, so a frame
// full of finder-like texture cannot eat the budget of the later stages.
const maxTriples = 4

// maxScanned stops the row scan for finder patterns once that many
// candidates are known. A real frame has a handful; a frame with hundreds
// (a tiled floor, a poster of squares) would make gozxing's selection of
// the best triple, cubic in their number, hang the kiosk.
const maxScanned = 60

// maxScannedEvery is maxScanned when every code of an image is wanted (a
// file, not a live frame): a sheet of 48 codes shows 144 finder patterns.
// Triples are then formed among neighbours only (triples), so the work
// grows linearly with the candidates; gozxing's pick is skipped above
// maxScanned.
const maxScannedEvery = 600

// finders scans every few rows of the matrix for the 1:1:3:1:1 pattern of
// finder patterns, as gozxing's multi-code finder does (not stopping after
// the first code) but bounded by maxScanned candidates. It returns
// gozxing's own pick of the best triple (nil if none, or if there are more
// than maxScanned candidates) and the candidates, most confirmed first.
//
// every is the search for all the codes of an image: up to maxScannedEvery
// candidates, on every third row. The sparser rows of a live frame (every
// 7th at 960 px) cross a pattern turned by 45° off its centre, where its
// runs are not 1:1:3:1:1: a lone code is still found by gozxing's denser
// second scan (read), a sheet of them lost a third of its patterns.
func finders(m *gozxing.BitMatrix, every bool) (*detector.FinderPatternInfo, []*detector.FinderPattern) {
	f := detector.NewFinderPatternFinder(m, nil)
	maxI, maxJ := m.GetHeight(), m.GetWidth()
	skip := max(detector.FinderPatternFinder_MIN_SKIP, (3*maxI)/(4*detector.FinderPatternFinder_MAX_MODULES))
	limit := maxScanned
	if every {
		skip, limit = detector.FinderPatternFinder_MIN_SKIP, maxScannedEvery
	}
	state := make([]int, 5)
	for i := skip - 1; i < maxI && len(f.GetPossibleCenters()) < limit; i += skip {
		detector.FinderPatternFinder_doClearCounts(state)
		cur := 0
		for j := 0; j < maxJ; j++ {
			if m.Get(j, i) { // black
				if cur&1 == 1 {
					cur++
				}
				state[cur]++
				continue
			}
			if cur&1 == 1 { // white while counting white
				state[cur]++
				continue
			}
			if cur < 4 {
				cur++
				state[cur]++
				continue
			}
			if detector.FinderPatternFinder_foundPatternCross(state) && f.HandlePossibleCenter(state, i, j) {
				cur = 0
				detector.FinderPatternFinder_doClearCounts(state)
			} else {
				detector.FinderPatternFinder_doShiftCounts2(state)
				cur = 3
			}
		}
		if detector.FinderPatternFinder_foundPatternCross(state) {
			f.HandlePossibleCenter(state, i, maxJ)
		}
	}
	var info *detector.FinderPatternInfo
	if len(f.GetPossibleCenters()) > maxScanned {
		// Too many for gozxing's cubic pick.
	} else if best, err := f.SelectBestPatterns(); err == nil {
		bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(best[0], best[1], best[2])
		info = detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern))
	}
	c := append([]*detector.FinderPattern(nil), f.GetPossibleCenters()...)
	sort.SliceStable(c, func(i, j int) bool { return c[i].GetCount() > c[j].GetCount() })
	return info, c
}

// triple is three finder patterns in reading order.
type triple struct {
	bl, tl, tr *detector.FinderPattern
	// Module sizes at each pattern, measured across the code's own axes.
	mbl, mtl, mtr float64
	score         float64 // lower is more plausible
}

// newTriple measures the module size at each of three patterns in reading
// order. gozxing's estimate at a pattern is the width of its horizontal
// cross-section over 7, which is the module only when the code's sides are
// horizontal and vertical: turned by 45° the cross-section is √2 longer,
// and a dimension derived from it is 30% short. For a pattern spanned by 7
// modules along the unit leg directions u (top-left to top-right) and v
// (top-left to bottom-left), the horizontal chord through its centre is
// 7·m·|u×v| / max(|u_y|, |v_y|); its inverse gives m at any rotation and
// under moderate perspective.
func newTriple(bl, tl, tr *detector.FinderPattern) triple {
	t := triple{bl: bl, tl: tl, tr: tr}
	ux, uy := tr.GetX()-tl.GetX(), tr.GetY()-tl.GetY()
	vx, vy := bl.GetX()-tl.GetX(), bl.GetY()-tl.GetY()
	lu, lv := math.Hypot(ux, uy), math.Hypot(vx, vy)
	k := 1.0
	if lu > 0 && lv > 0 {
		cross := math.Abs(ux*vy-uy*vx) / (lu * lv)
		if chord := math.Max(math.Abs(uy/lu), math.Abs(vy/lv)); cross > 0.1 {
			k = chord / cross
		}
	}
	t.mbl, t.mtl, t.mtr = k*bl.GetEstimatedModuleSize(), k*tl.GetEstimatedModuleSize(), k*tr.GetEstimatedModuleSize()
	return t
}

// moduleSize is the mean module size at the three patterns.
func (t triple) moduleSize() float64 { return (t.mbl + t.mtl + t.mtr) / 3 }

// triples returns the plausible triples among the first n candidates, best
// first. The bounds admit a code tilted by up to about 45° in any
// direction. Each candidate is combined with its nearest neighbours only
// (those whose module size is compatible): a code's own patterns are
// always among the nearest, and n candidates give at most
// n·C(neighbours, 2) triples instead of C(n, 3); up to neighbours+1
// candidates, as a live frame usually has, are combined in every way.
func triples(c []*detector.FinderPattern, n int) []triple {
	c = c[:min(len(c), n)]
	seen := map[[3]int]bool{}
	var out []triple
	near := make([]int, 0, len(c))
	for i := range c {
		near = near[:0]
		for j := range c {
			if j != i && compatible(c[i], c[j]) {
				near = append(near, j)
			}
		}
		if len(near) > neighbours {
			xi, yi := c[i].GetX(), c[i].GetY()
			d := func(j int) float64 { return math.Hypot(c[j].GetX()-xi, c[j].GetY()-yi) }
			sort.Slice(near, func(a, b int) bool { return d(near[a]) < d(near[b]) })
			near = near[:neighbours]
		}
		for a := 0; a < len(near); a++ {
			for b := a + 1; b < len(near); b++ {
				k := [3]int{i, near[a], near[b]}
				sort.Ints(k[:])
				if seen[k] {
					continue
				}
				seen[k] = true
				if t, ok := makeTriple(c[k[0]], c[k[1]], c[k[2]]); ok {
					out = append(out, t)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score < out[j].score })
	return out
}

// neighbours is how many of its nearest compatible candidates each
// candidate is combined with. On a sheet of codes the two other patterns
// of a code are among a pattern's nearest six or so (its own legs, the
// patterns of the codes beside it across the quiet zone).
const neighbours = 9

// compatible says whether two candidates could belong to one code: module
// sizes within makeTriple's ratio, which the √2 of a 45° roll does not
// affect (both chords grow alike), and not so far apart that a version 40
// code would not span them.
func compatible(a, b *detector.FinderPattern) bool {
	ma, mb := a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize()
	if ma <= 0 || mb <= 0 || ma/mb > 2.2 || mb/ma > 2.2 {
		return false
	}
	return math.Hypot(a.GetX()-b.GetX(), a.GetY()-b.GetY()) <= 180*1.5*math.Max(ma, mb)
}

func makeTriple(a, b, c *detector.FinderPattern) (triple, bool) {
	p, q, r := gozxing.ResultPoint_OrderBestPatterns(a, b, c)
	t := newTriple(p.(*detector.FinderPattern), q.(*detector.FinderPattern), r.(*detector.FinderPattern))
	ms := []float64{t.mbl, t.mtl, t.mtr}
	lo, hi := math.Min(ms[0], math.Min(ms[1], ms[2])), math.Max(ms[0], math.Max(ms[1], ms[2]))
	if lo <= 0 || hi/lo > 2.2 {
		return t, false
	}
	ax, ay := t.tr.GetX()-t.tl.GetX(), t.tr.GetY()-t.tl.GetY()
	bx, by := t.bl.GetX()-t.tl.GetX(), t.bl.GetY()-t.tl.GetY()
	la, lb := math.Hypot(ax, ay), math.Hypot(bx, by)
	if la == 0 || lb == 0 {
		return t, false
	}
	legs := la / lb
	cos := (ax*bx + ay*by) / (la * lb)
	mean := (ms[0] + ms[1] + ms[2]) / 3
	// Modules between the centres of two finder patterns: dimension − 7.
	da, db := la/mean, lb/mean
	if legs < 0.45 || legs > 2.2 || math.Abs(cos) > 0.55 || da < 10 || db < 10 || da > 180 || db > 180 {
		return t, false
	}
	// The last term breaks ties on a sheet of codes, whose patterns also
	// form right isosceles triangles across two or four codes: a code's own
	// patterns are the closest in modules (0.04 for a certificate's version
	// 18, little against the shape's terms).
	t.score = math.Log(hi/lo) + math.Abs(cos) + 0.5*math.Abs(math.Log(legs)) + 0.0005*(da+db)
	if t.bl.GetCount() < 2 || t.tl.GetCount() < 2 || t.tr.GetCount() < 2 {
		t.score += 0.5 // seen on one row only: more often texture than a code
	}
	return t, true
}

// detected is a sampled symbol and the map from its modules to the image
// that sampled it.
type detected struct {
	bits      *gozxing.BitMatrix
	transform modulePlacer
	dim       int
}

// modulePlacer maps module coordinates, as x, y pairs, to the image in
// place: a perspective transform for a flat code, a lattice map for a bent
// one.
type modulePlacer interface {
	TransformPoints(pts []float64)
}

// dimensions returns the dimensions worth sampling for a triple, most likely
// first: the one the version information says, else the estimate and its
// neighbours.
func dimensions(m *gozxing.BitMatrix, t triple) []int {
	// Modules between finder centres along each leg, with the module size
	// measured at the leg's two ends: under perspective it differs a lot
	// between a near and a far finder pattern.
	legA := gozxing.ResultPoint_Distance(t.tl, t.tr) / ((t.mtl + t.mtr) / 2)
	legB := gozxing.ResultPoint_Distance(t.tl, t.bl) / ((t.mtl + t.mbl) / 2)
	est := validDimension((legA+legB)/2 + 7)
	dims := []int{est}
	// The version blocks read through the finder patterns' own squares
	// first; from an estimate of version 5 up, which a version-7 code
	// bent or at a slant stays above.
	var v int
	var both, ok bool
	if est >= 37 {
		v, both, ok = finderVersion(m, t)
	}
	if ok && v != est && (both || est >= 45) {
		dims = []int{v, est}
	} else if est >= 45 {
		// Version 7 and up carry their version next to two finder
		// patterns; sampled with an estimate a few modules off, those 18
		// modules still land close enough to be read (and they tolerate 3
		// wrong bits).
		if ds := sample(m, t, est); len(ds) > 0 {
			if v, ok := readVersion(ds[0].bits); ok && v != est {
				dims = []int{v, est}
			}
		}
	}
	for _, d := range []int{est + 4, est - 4} {
		if d >= 21 && d <= 177 && d != dims[0] {
			dims = append(dims, d)
		}
	}
	return dims
}

// validDimension rounds to the nearest dimension a QR code can have (17+4v).
func validDimension(x float64) int {
	v := int(math.Round((x - 17) / 4))
	return 17 + 4*max(1, min(40, v))
}

// readVersion reads the version from the two 6×3 version blocks, trusting
// the grid near the top-right and bottom-left finder patterns only. It is
// gozxing's BitMatrixParser.ReadVersion without the check that the version
// matches the sampled dimension, which is the point here.
func readVersion(bits *gozxing.BitMatrix) (int, bool) {
	dim := bits.GetHeight()
	for _, transpose := range []bool{false, true} {
		v := 0
		for j := 5; j >= 0; j-- {
			for i := dim - 9; i >= dim-11; i-- {
				x, y := i, j
				if transpose {
					x, y = j, i
				}
				v <<= 1
				if bits.Get(x, y) {
					v |= 1
				}
			}
		}
		if version, err := decoder.Version_decodeVersionInformation(v); err == nil && version != nil {
			return version.GetDimensionForVersion(), true
		}
	}
	return 0, false
}

// finderVersion reads the version from the two 6×3 version blocks, each
// sampled through the outer square of the finder pattern beside it
// (finderFrame), so that it needs no dimension: on a curved code or under
// strong perspective the dimension from the module sizes is off by a few
// versions, and a grid of a wrong dimension puts the blocks elsewhere.
// both tells whether the two blocks were read and agree, which random data
// in a code below version 7 seldom does.
func finderVersion(m *gozxing.BitMatrix, t triple) (dim int, both, ok bool) {
	var dims []int
	for _, f := range []struct {
		p         *detector.FinderPattern
		module    float64
		transpose bool
	}{{t.tr, t.mtr, false}, {t.bl, t.mbl, true}} {
		h, ok := finderFrame(m, t, f.p, f.module)
		if !ok {
			continue
		}
		v := 0
		for j := 5; j >= 0; j-- {
			for i := -2; i >= -4; i-- { // columns dim-9..dim-11, from the pattern's left edge at dim-7
				x, y := float64(i)+0.5, float64(j)+0.5
				if f.transpose {
					x, y = y, x
				}
				px, py := h.apply(x, y)
				v <<= 1
				if px >= 0 && py >= 0 && int(px) < m.GetWidth() && int(py) < m.GetHeight() && m.Get(int(px), int(py)) {
					v |= 1
				}
			}
		}
		if version, err := decoder.Version_decodeVersionInformation(v); err == nil && version != nil {
			dims = append(dims, version.GetDimensionForVersion())
		}
	}
	switch {
	case len(dims) == 2 && dims[0] == dims[1]:
		return dims[0], true, true
	case len(dims) > 0:
		return dims[0], false, true
	}
	return 0, false, false
}

// sample builds the module grids of the triple at dimension dim, the most
// likely first. Under perspective the bottom-right of the code is not where
// the parallelogram of the three finder patterns puts it (gozxing's guess):
// the fourth point of the transform is the alignment pattern found near the
// projective estimate of farCorner, else that estimate itself. An alignment
// pattern search can lock onto a look-alike among the data modules, so both
// grids are offered and the Reed–Solomon check of the decoder chooses.
func sample(m *gozxing.BitMatrix, t triple, dim int) []detected {
	bx, by := farCorner(t)
	out := sampleFrom(m, t, dim, bx, by)
	// Under strong perspective the model of farCorner misses; the
	// homography of the finder patterns' own corners does not
	// (corners.go). Sampled too when it puts the corner elsewhere.
	if h, ok := planeHomography(m, t, dim); ok {
		fd := float64(dim)
		hx, hy := h.apply(fd-3.5, fd-3.5)
		if math.Hypot(hx-bx, hy-by) > 2*t.moduleSize() {
			out = append(out, sampleFrom(m, t, dim, hx, hy)...)
		}
	}
	return out
}

// sampleFrom builds the grids of sample for one estimate (bx, by) of the
// fourth corner's pattern centre.
func sampleFrom(m *gozxing.BitMatrix, t triple, dim int, bx, by float64) []detected {
	fd := float64(dim)
	type anchor struct{ x, y, src float64 }
	anchors := []anchor{{bx, by, fd - 3.5}}
	if a := findAlignment(m, t, dim, bx, by); a != nil {
		anchors = []anchor{{a.GetX(), a.GetY(), fd - 6.5}, anchors[0]}
	}
	var out []detected
	grid := func(tr *common.PerspectiveTransform) {
		if bits, err := detector.Detector_sampleGrid(m, tr, dim); err == nil {
			out = append(out, detected{bits: bits, transform: tr, dim: dim})
		}
	}
	if tr := fit(m, t, dim, bx, by); tr != nil {
		// The fit starts from the far-corner estimate and only improves on
		// it: no need to sample that estimate on its own as well.
		anchors = anchors[:len(anchors)-1]
		grid(tr)
	}
	for _, a := range anchors {
		grid(common.PerspectiveTransform_QuadrilateralToQuadrilateral(
			3.5, 3.5, fd-3.5, 3.5, a.src, a.src, 3.5, fd-3.5,
			t.tl.GetX(), t.tl.GetY(), t.tr.GetX(), t.tr.GetY(), a.x, a.y, t.bl.GetX(), t.bl.GetY()))
	}
	return out
}

// bend samples a grid of sample again through the lattice of its
// alignment patterns (lattice.go), followed from the grid's transform: for
// a code on a curved or creased surface, once no flat grid has decoded.
func bend(m *gozxing.BitMatrix, t triple, d detected) (detected, bool) {
	tr, ok := d.transform.(*common.PerspectiveTransform)
	if !ok {
		return detected{}, false
	}
	bits, l, ok := lattice(m, t, tr, d.dim)
	if !ok {
		return detected{}, false
	}
	return detected{bits: bits, transform: l, dim: d.dim}, true
}

// farCorner estimates where the centre of a fourth finder pattern would be,
// at the bottom-right, from the three others and their apparent module
// sizes. A plane seen in perspective has an image scale inversely
// proportional to the homogeneous coordinate w of its homography, and w is
// affine over the plane; so with w ∝ 1/moduleSize at each finder,
// w·p(bottom-right) = w·p(top-right) + w·p(bottom-left) − w·p(top-left).
func farCorner(t triple) (float64, float64) {
	wtl, wtr, wbl := 1/t.mtl, 1/t.mtr, 1/t.mbl
	wbr := wtr + wbl - wtl
	if wbr <= 0.25*wtl {
		// Module sizes too inconsistent for the model: fall back to the
		// parallelogram.
		return t.tr.GetX() - t.tl.GetX() + t.bl.GetX(), t.tr.GetY() - t.tl.GetY() + t.bl.GetY()
	}
	x := (wtr*t.tr.GetX() + wbl*t.bl.GetX() - wtl*t.tl.GetX()) / wbr
	y := (wtr*t.tr.GetY() + wbl*t.bl.GetY() - wtl*t.tl.GetY()) / wbr
	return x, y
}

// findAlignment looks for the bottom-right alignment pattern, three modules
// in from the estimated far corner, widening the search as gozxing does.
func findAlignment(m *gozxing.BitMatrix, t triple, dim int, bx, by float64) *detector.AlignmentPattern {
	if dim <= 21 {
		return nil // version 1 has none
	}
	moduleSize := t.moduleSize()
	corr := 1 - 3/float64(dim-7)
	ex := t.tl.GetX() + corr*(bx-t.tl.GetX())
	ey := t.tl.GetY() + corr*(by-t.tl.GetY())
	w, h := m.GetWidth(), m.GetHeight()
	for f := 4.0; f <= 16; f *= 2 {
		a := f * moduleSize
		x0, x1 := max(0, int(ex-a)), min(w-1, int(ex+a))
		y0, y1 := max(0, int(ey-a)), min(h-1, int(ey+a))
		if float64(x1-x0) < 3*moduleSize || float64(y1-y0) < 3*moduleSize {
			return nil
		}
		if p, err := detector.NewAlignmentPatternFinder(m, x0, y0, x1-x0, y1-y0, moduleSize, nil).Find(); err == nil {
			return p
		}
	}
	return nil
}

// gozxingSample is gozxing's own detection for the triple (its module size,
// dimension and alignment search), with the transform kept.
func gozxingSample(m *gozxing.BitMatrix, t triple) (detected, bool) {
	det, err := detector.NewDetector(m).ProcessFinderPatternInfo(detector.NewFinderPatternInfo(t.bl, t.tl, t.tr))
	if err != nil {
		return detected{}, false
	}
	points := det.GetPoints() // bottom-left, top-left, top-right[, alignment]
	var align *detector.AlignmentPattern
	if len(points) > 3 {
		align, _ = points[3].(*detector.AlignmentPattern)
	}
	dim := det.GetBits().GetWidth()
	return detected{bits: det.GetBits(), transform: detector.Detector_createTransform(t.tl, t.tr, t.bl, align, dim), dim: dim}, true
}
