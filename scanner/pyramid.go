package scanner

import "image"

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
