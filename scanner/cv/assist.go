package cv

import (
	"errors"
	"image"
	"image/color"

	"gocv.io/x/gocv"

	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/scanner/internal/gray"
)

// Assist implements scanner.Assist with OpenCV. It holds native objects
// (the QR detector, the CLAHE state): create one per decoder, use it from one
// goroutine at a time, and Close it.
type Assist struct {
	qr    gocv.QRCodeDetector
	clahe gocv.CLAHE
}

// NewAssist returns OpenCV's helpers for the scanner's cascade.
func NewAssist() *Assist {
	// Clip 2.5 over 8×8 tiles: strong enough to pull modules out of a glare
	// spot or a dim screen, mild enough not to turn paper grain into modules.
	return &Assist{qr: gocv.NewQRCodeDetector(), clahe: gocv.NewCLAHEWithParams(2.5, image.Pt(8, 8))}
}

// Close releases the native objects.
func (a *Assist) Close() error {
	a.qr.Close()
	return a.clahe.Close()
}

// Locate uses OpenCV's QRCodeDetector.Detect, which finds the four outer
// corners of a code (Debian's OpenCV, built without quirc, cannot decode,
// but its detector works). It reports one region: DetectMulti costs several
// times more and a kiosk shows one code at a time.
func (a *Assist) Locate(img *image.Gray) [][4]scanner.Point {
	src, err := wrap(img)
	if err != nil {
		return nil
	}
	defer src.Close()
	pts := gocv.NewMat()
	defer pts.Close()
	if !a.qr.Detect(src, &pts) || pts.Total() != 4 || pts.Type() != gocv.MatTypeCV32FC2 {
		return nil
	}
	f, err := pts.DataPtrFloat32()
	if err != nil || len(f) < 8 {
		return nil
	}
	var q [4]scanner.Point
	for i := range q {
		q[i] = scanner.Point{X: float64(f[2*i]), Y: float64(f[2*i+1])}
	}
	return [][4]scanner.Point{q}
}

// Rectify warps quad onto a square with WarpPerspective (bilinear); what
// falls outside the frame is white, like a quiet zone.
func (a *Assist) Rectify(img *image.Gray, quad [4]scanner.Point, side, margin int, dst *image.Gray) *image.Gray {
	n := side + 2*margin
	return onMats(img, gray.Reuse(dst, n, n), func(src, out *gocv.Mat) {
		from := gocv.NewPoint2fVectorFromPoints([]gocv.Point2f{
			{X: float32(quad[0].X), Y: float32(quad[0].Y)}, {X: float32(quad[1].X), Y: float32(quad[1].Y)},
			{X: float32(quad[2].X), Y: float32(quad[2].Y)}, {X: float32(quad[3].X), Y: float32(quad[3].Y)},
		})
		defer from.Close()
		m0, m1 := float32(margin), float32(margin+side)
		to := gocv.NewPoint2fVectorFromPoints([]gocv.Point2f{{X: m0, Y: m0}, {X: m1, Y: m0}, {X: m1, Y: m1}, {X: m0, Y: m1}})
		defer to.Close()
		h := gocv.GetPerspectiveTransform2f(from, to)
		defer h.Close()
		gocv.WarpPerspectiveWithParams(*src, out, h, image.Pt(n, n), gocv.InterpolationLinear, gocv.BorderConstant, color.RGBA{255, 255, 255, 255})
	})
}

// Equalize applies CLAHE.
func (a *Assist) Equalize(img *image.Gray, dst *image.Gray) *image.Gray {
	return onMats(img, gray.Reuse(dst, img.Rect.Dx(), img.Rect.Dy()), func(src, out *gocv.Mat) {
		a.clahe.Apply(*src, out)
	})
}

// Scale resizes with bicubic interpolation, which keeps module edges
// sharper than bilinear when a code is only a few pixels per module.
func (a *Assist) Scale(img *image.Gray, fx, fy float64, dst *image.Gray) *image.Gray {
	w, h := int(float64(img.Rect.Dx())*fx), int(float64(img.Rect.Dy())*fy)
	return onMats(img, gray.Reuse(dst, w, h), func(src, out *gocv.Mat) {
		gocv.Resize(*src, out, image.Pt(w, h), 0, 0, gocv.InterpolationCubic)
	})
}

// onMats runs f on Mats that share the pixels of img and dst (no copy),
// and returns dst, or nil when either cannot be wrapped.
func onMats(img, dst *image.Gray, f func(src, out *gocv.Mat)) *image.Gray {
	src, err := wrap(img)
	if err != nil {
		return nil
	}
	defer src.Close()
	out, err := wrap(dst)
	if err != nil {
		return nil
	}
	defer out.Close()
	f(&src, &out)
	return dst
}

// wrap gives OpenCV a Mat header over the image's own bytes: no copy in,
// and OpenCV writes results straight into Go memory when the Mat is an
// output of the right size.
func wrap(g *image.Gray) (gocv.Mat, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if g.Stride != w {
		// Sub-images are not used by the cascade; refuse rather than copy.
		return gocv.Mat{}, errors.New("cv: image rows are not contiguous")
	}
	return gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8U, g.Pix[:w*h])
}
