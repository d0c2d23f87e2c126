package scanner

import "image"

// Assist is the image processing the cascade borrows from a native library
// when one is linked in: package scanner/cv implements it with OpenCV. The
// decoder works without it (pure Go, CGO_ENABLED=0), reading fewer hard
// frames.
//
// Every method writes into dst when dst is large enough and returns the
// image it wrote, so that a warm decoder does not allocate per frame.
type Assist interface {
	// Locate returns the corners (top-left, top-right, bottom-right,
	// bottom-left) of each QR-like region in img, even one too damaged or
	// distorted for gozxing's own detector.
	Locate(img *image.Gray) [][4]Point
	// Rectify warps the quadrilateral quad of img onto a side×side square
	// framed by margin pixels of what surrounds it (the quiet zone; white
	// beyond the frame's edge): a frontal, evenly sampled view of a code
	// photographed at an angle.
	Rectify(img *image.Gray, quad [4]Point, side, margin int, dst *image.Gray) *image.Gray
	// Equalize applies contrast-limited adaptive histogram equalisation
	// (CLAHE), which restores local contrast under glare, on a dim screen
	// and in a dark hall.
	Equalize(img *image.Gray, dst *image.Gray) *image.Gray
	// Scale resizes img by fx horizontally and fy vertically with smooth
	// interpolation: enlarging gives a code small in the frame modules of
	// several pixels, and stretching one axis makes the finder patterns of
	// a strongly tilted code square again, as gozxing's finder requires.
	Scale(img *image.Gray, fx, fy float64, dst *image.Gray) *image.Gray
}
