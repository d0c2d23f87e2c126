package scanner

import (
	"image"

	"github.com/scuola/kiosk/scanner/internal/gray"
)

// Exposure: a photo taken against the light, in a dark hall or of a
// washed-out print holds the whole scene in a few dozen gray levels. The
// hybrid binariser treats an 8×8 block whose levels span less than 24 as
// background, so in such a frame most of a code's blocks come out blank and
// no finder pattern is seen. Stretching the frame's levels first gives the
// modules their contrast back; on a well-exposed frame it is skipped.

// minSpan is the spread of gray levels (1st to 99th percentile) below which
// a frame is stretched. A printed code in ordinary light spans 150 or more.
const minSpan = 160

// exposureTable returns the table that maps g's 1st–99th percentile of gray
// levels linearly onto 0–255, or nil when that range spans minSpan levels
// or more. The histogram samples every fourth pixel of every fourth row.
func exposureTable(g *image.Gray) *[256]uint8 {
	var hist [256]int
	n := 0
	w, h := g.Rect.Dx(), g.Rect.Dy()
	for y := 0; y < h; y += 4 {
		row := g.Pix[y*g.Stride : y*g.Stride+w]
		for x := 0; x < w; x += 4 {
			hist[row[x]]++
			n++
		}
	}
	lo, hi := percentile(&hist, n/100), 255-percentileFromTop(&hist, n/100)
	if hi-lo >= minSpan || hi <= lo {
		return nil
	}
	var t [256]uint8
	for v := range t {
		t[v] = uint8(min(255, max(0, (v-lo)*255/(hi-lo))))
	}
	return &t
}

// percentile is the lowest level with more than k samples at or below it.
func percentile(hist *[256]int, k int) int {
	seen := 0
	for v, c := range hist {
		if seen += c; seen > k {
			return v
		}
	}
	return 255
}

// percentileFromTop is percentile counted from white: 255 minus the highest
// level with more than k samples at or above it.
func percentileFromTop(hist *[256]int, k int) int {
	seen := 0
	for v := 255; v >= 0; v-- {
		if seen += hist[v]; seen > k {
			return 255 - v
		}
	}
	return 255
}

// remap returns g's pixels through table t, in dst's buffer when it is
// large enough, with contiguous rows.
func remap(g *image.Gray, t *[256]uint8, dst *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dst = gray.Reuse(dst, w, h)
	for y := 0; y < h; y++ {
		in, out := g.Pix[y*g.Stride:y*g.Stride+w], dst.Pix[y*w:y*w+w]
		for x, v := range in {
			out[x] = t[v]
		}
	}
	return dst
}
