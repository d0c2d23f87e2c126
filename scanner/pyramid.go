package scanner

import (
	"image"
	"math"
	"slices"

	"github.com/scuola/kiosk/scanner/internal/gray"
)

// baseSide is the longest side of the pyramid level searched first. A
// phone photo's code of a few centimetres spans a few hundred of those
// pixels, its modules two to ten; a screen's pixel grid, aliased into moiré
// at full size, averages out; and every stage costs what it costs on a
// 1280×720 frame. Measured on photos scaled to 640, 1280 and 4032 pixels,
// the scanner read most at 640–1280 (scanner/BENCHMARKS.md).
const baseSide = 1280

// pyramid is a frame and its successive halvings, each computed on first
// use into the decoder's scratch images.
type pyramid struct {
	d      *Decoder
	levels []*image.Gray // levels[0] is the frame
}

// level returns the frame halved l times.
func (p *pyramid) level(l int) *image.Gray {
	for len(p.levels) <= l {
		i := len(p.levels) - 1 // index of the scratch image for the next level
		if len(p.d.halvings) <= i {
			p.d.halvings = append(p.d.halvings, nil)
		}
		p.d.halvings[i] = halve(p.levels[i], p.d.halvings[i])
		p.levels = append(p.levels, p.d.halvings[i])
	}
	return p.levels[l]
}

// base is the level searched first: the frame halved until its long side
// is at most baseSide.
func (p *pyramid) base() int {
	w, h := p.levels[0].Rect.Dx(), p.levels[0].Rect.Dy()
	l := 0
	for max(w, h)>>l > baseSide && min(w, h)>>(l+1) >= minSide {
		l++
	}
	return l
}

// Focus: a 12-megapixel photo's finer levels cost 4 and 16 times the base
// level per stage, more than the whole budget; yet what they are searched
// for when the base level saw a code-like triple of finder patterns and
// could not read it (strong perspective, blur, modules under 3 px) lies
// where that triple is. So a finer level is then searched only there.

// region is where finder-pattern candidates were seen, in frame pixels,
// and the module sizes at them.
type region struct {
	x0, y0, x1, y1 float64
	modules        []float64
}

func (r *region) add(p Point, module float64) {
	if len(r.modules) == 0 {
		r.x0, r.y0, r.x1, r.y1 = p.X, p.Y, p.X, p.Y
	}
	r.x0, r.y0 = math.Min(r.x0, p.X), math.Min(r.y0, p.Y)
	r.x1, r.y1 = math.Max(r.x1, p.X), math.Max(r.y1, p.Y)
	r.modules = append(r.modules, module)
}

func (r *region) merge(o region) {
	if len(o.modules) == 0 {
		return
	}
	if len(r.modules) == 0 {
		r.x0, r.y0, r.x1, r.y1 = o.x0, o.y0, o.x1, o.y1
	}
	r.x0, r.y0 = math.Min(r.x0, o.x0), math.Min(r.y0, o.y0)
	r.x1, r.y1 = math.Max(r.x1, o.x1), math.Max(r.y1, o.y1)
	r.modules = append(r.modules, o.modules...)
}

// module is the median module size of the candidates.
func (r region) module() float64 {
	m := slices.Clone(r.modules)
	slices.Sort(m)
	return m[len(m)/2]
}

// candidateRegion is the region of the plausible triples (the first
// maxTriples, those read tries), each with the fourth corner it implies
// (a turned code's lies outside the box of its three patterns), mapped to
// the frame. Lone candidates do not count: a scene's texture has them
// everywhere, and a code too small for their level is elsewhere.
func candidateRegion(ts []triple, toFrame func(x, y float64) Point) region {
	var r region
	add := func(x, y, m float64) {
		c := toFrame(x, y)
		dx, dy := toFrame(x+m, y), toFrame(x, y+m)
		r.add(c, (math.Hypot(dx.X-c.X, dx.Y-c.Y)+math.Hypot(dy.X-c.X, dy.Y-c.Y))/2)
	}
	for i, t := range ts {
		if i == maxTriples {
			break
		}
		add(t.bl.GetX(), t.bl.GetY(), t.mbl)
		add(t.tl.GetX(), t.tl.GetY(), t.mtl)
		add(t.tr.GetX(), t.tr.GetY(), t.mtr)
		add(t.tr.GetX()+t.bl.GetX()-t.tl.GetX(), t.tr.GetY()+t.bl.GetY()-t.tl.GetY(), t.mtl)
	}
	return r
}

// focus returns the part of level l to search and its origin in level
// pixels: the whole level when no triple was seen, else the seen region
// with room for the codes around its finder patterns.
func (c *cascade) focus(l int) (*image.Gray, image.Point) {
	img := c.pyramid.level(l)
	if len(c.seen.modules) == 0 {
		return img, image.Point{}
	}
	f, m := float64(int(1)<<l), c.seen.module()
	// Beyond its finder patterns' centres a code goes on 3.5 modules and
	// its quiet zone 4 more (12 allow for perspective); a quarter of the
	// region more, for a triple whose third pattern was a stray one.
	margin := math.Max(12*m, 0.25*math.Max(c.seen.x1-c.seen.x0, c.seen.y1-c.seen.y0))
	r := image.Rect(int((c.seen.x0-margin)/f), int((c.seen.y0-margin)/f),
		int(math.Ceil((c.seen.x1+margin)/f)), int(math.Ceil((c.seen.y1+margin)/f))).Intersect(img.Rect)
	if r.Dx() < minSide || r.Dy() < minSide || 2*r.Dx()*r.Dy() > img.Rect.Dx()*img.Rect.Dy() {
		return img, image.Point{} // most of the level anyway: no copy
	}
	c.d.focused = gray.Copy(img, r, c.d.focused)
	return c.d.focused, r.Min
}
