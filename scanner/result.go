package scanner

import "fmt"

// Point is a position in frame pixels. Sub-pixel precision matters for the
// corners of a small code, so it is not an image.Point.
type Point struct{ X, Y float64 }

// Result is one code read from a frame.
//
// Text is personal data when the code is a certificate: keep it in memory,
// never log it. String and the fmt verbs print a redacted form for that reason.
type Result struct {
	Text string
	// Corners of the symbol (its outer edge, without the quiet zone), in
	// frame pixels, in the symbol's own order: top-left, top-right,
	// bottom-right, bottom-left as printed, whatever its rotation in the frame.
	Corners [4]Point
}

// String omits the text: a Result that reaches a log by accident must not
// carry a pupil's name there.
func (r Result) String() string {
	return fmt.Sprintf("QR(%d bytes) at %v", len(r.Text), r.Corners)
}

// GoString makes %#v as safe as %v.
func (r Result) GoString() string { return r.String() }
