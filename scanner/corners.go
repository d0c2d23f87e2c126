package scanner

import (
	"math"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// Strong perspective: a code seen at 45° from one side has modules twice
// as wide at its near edge as at its far one. farCorner's model of the
// fourth corner, from the module sizes at the three finder patterns, is
// then off by tens of modules (the sizes are chords, stretched unequally
// along the two axes), farther than fit can search. But each finder
// pattern is a square seen in the same perspective: the four corners of
// its outer ring, with its centre, tie five points of the symbol to the
// image, and the three patterns' fifteen determine the homography of the
// whole plane, the fourth corner included.

// rays is the number of directions in which a finder pattern's outer edge
// is looked for: 48 leave a gap under half a module between neighbouring
// edge points on a pattern seen at 45°.
const rays = 48

// ringCorners returns the corners of the outer edge of the finder pattern
// at p, in the order of the boundary, or false when its edge is not that of
// a quadrilateral. module is its estimated module size in pixels.
func ringCorners(m *gozxing.BitMatrix, p *detector.FinderPattern, module float64) ([4]Point, bool) {
	cx, cy := p.GetX(), p.GetY()
	w, h := m.GetWidth(), m.GetHeight()
	reach := 12 * module // the ring's corner is 4.9 modules out, more under perspective
	var edge []Point
	for i := 0; i < rays; i++ {
		sin, cos := math.Sincos(2 * math.Pi * float64(i) / rays)
		// Black core, white ring, black ring, then the white outside: the
		// edge is past the last black pixel of the third run.
		run, last := 0, 0.0
		for r := 0.0; r < reach; r += 0.5 {
			x, y := int(cx+r*cos), int(cy+r*sin)
			if x < 0 || y < 0 || x >= w || y >= h {
				break
			}
			black := m.Get(x, y)
			if black != (run%2 == 0) {
				run++
				if run == 3 {
					break
				}
			}
			if black && run == 2 {
				last = r
			}
		}
		if run == 3 && last > 0 {
			edge = append(edge, Point{cx + (last+0.5)*cos, cy + (last+0.5)*sin})
		}
	}
	if len(edge) < rays*3/4 {
		return [4]Point{}, false
	}
	return quadOf(edge, Point{cx, cy}, module)
}

// quadOf finds the four corners of a quadrilateral from points along its
// edge in angular order: the farthest from the centre, the farthest from
// that one, the farthest on either side of the diagonal they make; each
// corner then moves to the intersection of the lines fitted to the points
// of its two sides.
func quadOf(edge []Point, c Point, module float64) ([4]Point, bool) {
	// A square's edge is √2 farther from its centre at the corners than
	// halfway along the sides; a round blob's is as far everywhere.
	near, farthest := math.Inf(1), 0.0
	for _, p := range edge {
		d := math.Hypot(p.X-c.X, p.Y-c.Y)
		near, farthest = math.Min(near, d), math.Max(farthest, d)
	}
	if farthest < 1.2*near {
		return [4]Point{}, false
	}
	far := func(from Point) int {
		best, bi := -1.0, 0
		for i, p := range edge {
			if d := math.Hypot(p.X-from.X, p.Y-from.Y); d > best {
				best, bi = d, i
			}
		}
		return bi
	}
	a := far(c)
	b := far(edge[a])
	dx, dy := edge[b].X-edge[a].X, edge[b].Y-edge[a].Y
	side := func(p Point) float64 { return dx*(p.Y-edge[a].Y) - dy*(p.X-edge[a].X) }
	lo, hi := a, a
	for i, p := range edge {
		if side(p) < side(edge[lo]) {
			lo = i
		}
		if side(p) > side(edge[hi]) {
			hi = i
		}
	}
	idx := []int{a, lo, b, hi}
	// Boundary order: sort the corners by their index along the edge,
	// which is angular order round the centre.
	for i := 1; i < 4; i++ {
		for j := i; j > 0 && idx[j] < idx[j-1]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	var q [4]Point
	for i := range q {
		q[i] = edge[idx[i]]
		if i > 0 && idx[i] == idx[i-1] {
			return q, false
		}
	}
	// Each side's points, away from its two corners, give its line.
	var lines [4][3]float64
	for s := 0; s < 4; s++ {
		from, to := idx[s], idx[(s+1)%4]
		if to < from {
			to += len(edge)
		}
		n := to - from
		var pts []Point
		for k := from + n/5 + 1; k < to-n/5; k++ {
			pts = append(pts, edge[k%len(edge)])
		}
		l, ok := fitLine(pts)
		if !ok {
			return q, false
		}
		lines[s] = l
	}
	var out [4]Point
	for i := range out {
		p, ok := intersect(lines[(i+3)%4], lines[i])
		if !ok || math.Hypot(p.X-q[i].X, p.Y-q[i].Y) > 2*module {
			return q, false
		}
		out[i] = p
	}
	// A finder pattern's outer square, 7 modules a side: anything far from
	// that is not one.
	for i := range out {
		j := (i + 1) % 4
		if l := math.Hypot(out[j].X-out[i].X, out[j].Y-out[i].Y); l < 2.5*module || l > 20*module {
			return out, false
		}
	}
	return out, true
}

// fitLine fits a line a·x + b·y = c (a² + b² = 1) to at least three points
// by total least squares.
func fitLine(pts []Point) ([3]float64, bool) {
	if len(pts) < 3 {
		return [3]float64{}, false
	}
	var mx, my float64
	for _, p := range pts {
		mx += p.X
		my += p.Y
	}
	n := float64(len(pts))
	mx, my = mx/n, my/n
	var sxx, sxy, syy float64
	for _, p := range pts {
		dx, dy := p.X-mx, p.Y-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	// The normal is the eigenvector of the smaller eigenvalue.
	theta := 0.5 * math.Atan2(2*sxy, sxx-syy) // direction of the line
	a, b := -math.Sin(theta), math.Cos(theta)
	return [3]float64{a, b, a*mx + b*my}, true
}

func intersect(l, k [3]float64) (Point, bool) {
	det := l[0]*k[1] - l[1]*k[0]
	if math.Abs(det) < 1e-6 {
		return Point{}, false
	}
	return Point{(l[2]*k[1] - l[1]*k[2]) / det, (l[0]*k[2] - l[2]*k[0]) / det}, true
}

// planeHomography fits the homography from the symbol's module coordinates
// to the image through the corners and centres of the triple's three finder
// patterns, for a symbol of dim modules.
func planeHomography(m *gozxing.BitMatrix, t triple, dim int) (homography, bool) {
	fd := float64(dim)
	var from, to []Point
	for _, f := range []struct {
		p      *detector.FinderPattern
		module float64
		centre Point
	}{{t.tl, t.mtl, Point{3.5, 3.5}}, {t.tr, t.mtr, Point{fd - 3.5, 3.5}}, {t.bl, t.mbl, Point{3.5, fd - 3.5}}} {
		q, ok := finderSquare(m, t, f.p, f.module)
		if !ok {
			return homography{}, false
		}
		for i, c := range finderSquareModules {
			from = append(from, Point{f.centre.X - 3.5 + c.X, f.centre.Y - 3.5 + c.Y})
			to = append(to, q[i])
		}
	}
	return fitHomography(from, to)
}

// finderSquareModules are the points finderSquare returns, in modules from
// the pattern's own top-left corner.
var finderSquareModules = [5]Point{{0, 0}, {7, 0}, {7, 7}, {0, 7}, {3.5, 3.5}}

// finderSquare returns the outer corners of the triple's finder pattern p,
// in the code's order (its top-left, top-right, bottom-right and bottom-left
// as the code's axes, the legs of the triple, run), and its centre: the
// points finderSquareModules name.
func finderSquare(m *gozxing.BitMatrix, t triple, p *detector.FinderPattern, module float64) ([5]Point, bool) {
	var out [5]Point
	ux, uy := t.tr.GetX()-t.tl.GetX(), t.tr.GetY()-t.tl.GetY()
	vx, vy := t.bl.GetX()-t.tl.GetX(), t.bl.GetY()-t.tl.GetY()
	det := ux*vy - uy*vx
	if math.Abs(det) < 1 {
		return out, false
	}
	q, ok := ringCorners(m, p, module)
	if !ok {
		return out, false
	}
	seen := [4]bool{}
	for _, c := range q {
		// Which corner of the pattern: its side of the centre along the
		// code's two axes.
		dx, dy := c.X-p.GetX(), c.Y-p.GetY()
		right := (dx*vy-dy*vx)/det > 0
		below := (ux*dy-uy*dx)/det > 0
		i := map[[2]bool]int{{false, false}: 0, {true, false}: 1, {true, true}: 2, {false, true}: 3}[[2]bool{right, below}]
		if seen[i] {
			return out, false
		}
		seen[i] = true
		out[i] = c
	}
	out[4] = Point{p.GetX(), p.GetY()}
	return out, true
}

// finderFrame returns the homography from the modules of the triple's
// finder pattern p, counted from the pattern's own top-left corner as
// finderSquareModules are, to the image: exact at the pattern however the
// code around it bends.
func finderFrame(m *gozxing.BitMatrix, t triple, p *detector.FinderPattern, module float64) (homography, bool) {
	q, ok := finderSquare(m, t, p, module)
	if !ok {
		return homography{}, false
	}
	return fitHomography(finderSquareModules[:], q[:])
}

// fitHomography solves for the homography mapping each from point to its
// to point in the least-squares sense (the linear form, h₈ = 1, with both
// point sets normalised to about unit size for a well-conditioned system).
func fitHomography(from, to []Point) (homography, bool) {
	norm := func(ps []Point) (float64, float64, float64) {
		var mx, my, s float64
		for _, p := range ps {
			mx += p.X
			my += p.Y
		}
		mx, my = mx/float64(len(ps)), my/float64(len(ps))
		for _, p := range ps {
			s += math.Hypot(p.X-mx, p.Y-my)
		}
		s /= float64(len(ps))
		if s == 0 {
			s = 1
		}
		return mx, my, s
	}
	fx, fy, fs := norm(from)
	tx, ty, ts := norm(to)
	var ata [8][8]float64
	var atb [8]float64
	add := func(row [8]float64, rhs float64) {
		for i := 0; i < 8; i++ {
			for j := 0; j < 8; j++ {
				ata[i][j] += row[i] * row[j]
			}
			atb[i] += row[i] * rhs
		}
	}
	for i := range from {
		u, v := (from[i].X-fx)/fs, (from[i].Y-fy)/fs
		x, y := (to[i].X-tx)/ts, (to[i].Y-ty)/ts
		add([8]float64{u, v, 1, 0, 0, 0, -u * x, -v * x}, x)
		add([8]float64{0, 0, 0, u, v, 1, -u * y, -v * y}, y)
	}
	h, ok := solve8(ata, atb)
	if !ok {
		return homography{}, false
	}
	n := homography{h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1}
	// Undo the normalisations: H = T⁻¹ · N · F.
	tInv := homography{ts, 0, tx, 0, ts, ty, 0, 0, 1}
	f := homography{1 / fs, 0, -fx / fs, 0, 1 / fs, -fy / fs, 0, 0, 1}
	return tInv.mul(n).mul(f), true
}

// solve8 solves a·x = b by Gaussian elimination with partial pivoting.
func solve8(a [8][8]float64, b [8]float64) ([8]float64, bool) {
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return b, false
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < 8; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < 8; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	var x [8]float64
	for r := 7; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < 8; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x, true
}

// homography maps plane points to image points: (x, y, w) = H·(u, v, 1).
type homography [9]float64

func (h homography) apply(u, v float64) (float64, float64) {
	w := h[6]*u + h[7]*v + h[8]
	return (h[0]*u + h[1]*v + h[2]) / w, (h[3]*u + h[4]*v + h[5]) / w
}

func (h homography) mul(k homography) homography {
	var out homography
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for n := 0; n < 3; n++ {
				out[3*i+j] += h[3*i+n] * k[3*n+j]
			}
		}
	}
	return out
}
