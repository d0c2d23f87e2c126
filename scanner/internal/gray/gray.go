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
