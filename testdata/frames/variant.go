package frames

import (
	"fmt"
	"image"
	"math"
)

// Variant returns photo turned by deg degrees in the plane (counter-clockwise
// as seen) and scaled by scale, on a canvas large enough to hold all of it,
// the uncovered corners white like the table a print lies on. It makes the
// rotated and rescaled views of ZXing's photo sets that the scanner's
// comparison measures: a code held at any angle, a photo taken from further
// away (½×) or a code close to the lens with its JPEG blocks and blur
// magnified (3×).
//
// Right angles at scale 1 move pixels exactly. Otherwise each output pixel
// is the mean of n×n bilinear samples, n = ⌈1/scale⌉, so a reduction
// averages as a camera's larger pixels would instead of aliasing.
func Variant(photo *image.Gray, deg, scale float64) (*image.Gray, error) {
	if scale <= 0.05 || scale > 8 {
		return nil, fmt.Errorf("frames: variant scale %g outside (0.05, 8]", scale)
	}
	sw, sh := float64(photo.Rect.Dx()), float64(photo.Rect.Dy())
	sin, cos := math.Sincos(deg * math.Pi / 180)
	if r := math.Mod(math.Abs(deg), 90); r == 0 {
		sin, cos = math.Round(sin), math.Round(cos) // exact right angles
	}
	w := int(math.Ceil(scale*(math.Abs(cos)*sw+math.Abs(sin)*sh) - 1e-9))
	h := int(math.Ceil(scale*(math.Abs(sin)*sw+math.Abs(cos)*sh) - 1e-9))
	if w > maxSide || h > maxSide {
		return nil, fmt.Errorf("frames: variant of %dx%d pixels larger than %d", w, h, maxSide)
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	n := int(math.Ceil(1/scale - 1e-9))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum := 0.0
			for j := 0; j < n; j++ {
				for i := 0; i < n; i++ {
					// Output point, centred, back through the rotation
					// (y grows downwards, so counter-clockwise as seen is
					// clockwise in these coordinates) and the scale.
					dx := (float64(x)+(float64(i)+0.5)/float64(n))/scale - float64(w)/scale/2
					dy := (float64(y)+(float64(j)+0.5)/float64(n))/scale - float64(h)/scale/2
					sum += bilinear(photo, cos*dx-sin*dy+sw/2, sin*dx+cos*dy+sh/2)
				}
			}
			out.Pix[y*w+x] = uint8(math.Round(sum / float64(n*n)))
		}
	}
	return out, nil
}

// bilinear samples g at the continuous point (x, y), pixel centres at
// half-integers; outside the image it is white.
func bilinear(g *image.Gray, x, y float64) float64 {
	x, y = x-0.5, y-0.5
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	at := func(px, py int) float64 {
		if px < 0 || py < 0 || px >= g.Rect.Dx() || py >= g.Rect.Dy() {
			return 255
		}
		return float64(g.Pix[py*g.Stride+px])
	}
	ix, iy := int(x0), int(y0)
	top := at(ix, iy)*(1-fx) + at(ix+1, iy)*fx
	bottom := at(ix, iy+1)*(1-fx) + at(ix+1, iy+1)*fx
	return top*(1-fy) + bottom*fy
}
