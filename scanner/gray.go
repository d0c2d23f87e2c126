package scanner

import (
	"image"

	"github.com/makiuchi-d/gozxing"

	"github.com/scuola/kiosk/scanner/internal/gray"
)

// luminance wraps the bytes of a gray image as a gozxing luminance source
// without copying them: gozxing's planar (YUV) source reads the first plane,
// which is exactly an 8-bit gray image with its row stride. Converting frames
// through image.Image per pixel would cost more than the decoding itself.
func luminance(g *image.Gray) gozxing.LuminanceSource {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	// The arguments always fit (left and top 0, width ≤ stride), so the
	// error path of the constructor cannot be taken.
	src, err := gozxing.NewPlanarYUVLuminanceSource(g.Pix, g.Stride, h, 0, 0, w, h, false)
	if err != nil {
		panic("scanner: luminance source: " + err.Error())
	}
	return src
}

// halve returns g at half its size, each pixel the mean of a 2×2 block, in
// dst's buffer when it is large enough. Halving before binarisation merges
// a screen's pixel grid and sensor noise into clean modules, and it lets
// the finder-pattern search see codes whose modules are large and blurred.
func halve(g *image.Gray, dst *image.Gray) *image.Gray {
	w, h := g.Rect.Dx()/2, g.Rect.Dy()/2
	dst = gray.Reuse(dst, w, h)
	for y := 0; y < h; y++ {
		r0 := g.Pix[2*y*g.Stride : 2*y*g.Stride+2*w]
		r1 := g.Pix[(2*y+1)*g.Stride : (2*y+1)*g.Stride+2*w]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		for x := range out {
			a, b := r0[2*x:2*x+2:2*x+2], r1[2*x:2*x+2:2*x+2] // one bounds check per row pair
			out[x] = uint8((uint(a[0]) + uint(a[1]) + uint(b[0]) + uint(b[1]) + 2) >> 2)
		}
	}
	return dst
}

// smooth returns g low-passed by the kernel [1 4 1]/6 in both directions
// (about a Gaussian of σ 0.6 px), in dst's buffer when it is large enough;
// tmp is its scratch. It removes what is finer than a module — the aliased
// pixel grid of a phone screen (moiré), sensor noise — and keeps modules of
// 2 px and up. Measured on generated screens, [1 2 1]/4 blurred small codes
// away and [1 6 1]/8 left too much moiré.
func smooth(g *image.Gray, tmp, dst *image.Gray) (*image.Gray, *image.Gray) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp = gray.Reuse(tmp, w, h)
	dst = gray.Reuse(dst, w, h)
	for y := 0; y < h; y++ {
		in := g.Pix[y*g.Stride : y*g.Stride+w]
		out := tmp.Pix[y*w : y*w+w]
		out[0], out[w-1] = in[0], in[w-1]
		for x := 1; x < w-1; x++ {
			out[x] = uint8((uint(in[x-1]) + 4*uint(in[x]) + uint(in[x+1]) + 3) / 6)
		}
	}
	for y := 0; y < h; y++ {
		up, mid, down := tmp.Pix[max(y-1, 0)*w:][:w], tmp.Pix[y*w:][:w], tmp.Pix[min(y+1, h-1)*w:][:w]
		out := dst.Pix[y*w:][:w]
		for x := range out {
			out[x] = uint8((uint(up[x]) + 4*uint(mid[x]) + uint(down[x]) + 3) / 6)
		}
	}
	return tmp, dst
}
