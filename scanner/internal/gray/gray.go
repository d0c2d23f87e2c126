// Package gray holds the scratch-image helper shared by the scanner's
// pure-Go cascade and its OpenCV stages.
package gray

import "image"

// Reuse returns a w×h gray image backed by dst's buffer when it is large
// enough, and a new one otherwise, so that a warm decoder does not allocate
// per frame. The returned image may be dst itself, resized.
func Reuse(dst *image.Gray, w, h int) *image.Gray {
	if dst != nil && cap(dst.Pix) >= w*h {
		dst.Pix, dst.Stride, dst.Rect = dst.Pix[:w*h], w, image.Rect(0, 0, w, h)
		return dst
	}
	return image.NewGray(image.Rect(0, 0, w, h))
}

// Copy returns the part r of g with contiguous rows, in dst's buffer when
// it is large enough: the stages want a frame whose stride is its width.
func Copy(g *image.Gray, r image.Rectangle, dst *image.Gray) *image.Gray {
	w, h := r.Dx(), r.Dy()
	dst = Reuse(dst, w, h)
	for y := 0; y < h; y++ {
		i := g.PixOffset(r.Min.X, r.Min.Y+y)
		copy(dst.Pix[y*w:(y+1)*w], g.Pix[i:i+w])
	}
	return dst
}
