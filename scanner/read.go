package scanner

import (
	"image"
	"slices"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// binarizer selects how a view is turned into black and white.
type binarizer int

const (
	// hybrid thresholds each 8×8 block against its 5×5-block neighbourhood:
	// the right choice for uneven light, shadows and glare.
	hybrid binarizer = iota
	// global uses one threshold from the histogram: it survives blur and
	// low contrast that make local thresholds noisy.
	global
)

// view is one image the cascade hands to gozxing, and how its coordinates
// map back to the frame's.
type view struct {
	img    *image.Gray
	bin    binarizer
	invert bool // light modules on a dark background
	pure   bool // img is a rectified code and nothing else (PURE_BARCODE)
	// countLight also counts the candidates of light-on-dark finder
	// patterns that form a plausible triple (in the complemented matrix, no
	// second thresholding): the evidence that sends a dark-mode screen on
	// to the inverted stage.
	countLight bool
	toFrame    func(x, y float64) Point
	// every looks for all the codes in the view (a file may hold a sheet
	// of them), not only the first few triples; known are the codes read
	// already, in frame pixels, whose finder patterns are not tried again;
	// deadline bounds the decoding attempts.
	every    bool
	known    []Result
	deadline time.Time
}

// outcome is what one read of a view found.
type outcome struct {
	results []Result
	// finders counts the finder-pattern candidates seen, confirmed or not:
	// the cheap evidence that a code may be in view, which decides whether
	// the expensive stages of the cascade are worth their time.
	finders int
	// seen is where the most plausible candidates are and how large their
	// modules, in frame pixels: where the finer pyramid levels are searched.
	seen region
	// pending counts the plausible triples left unread, none of whose
	// patterns belongs to a code read: evidence of further codes.
	pending int
}

// quickMisses ends the quick attempts of a view. On a sheet of codes the
// triples in score order read a code every 10 to 30; past 64 failures in
// a row the rest is texture.
const quickMisses = 64

var (
	qrDecoder = decoder.NewDecoder() // stateless: safe to share between Decoders
	noHints   = map[gozxing.DecodeHintType]interface{}{}
	pureHints = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
)

// read binarises a view and decodes every QR code it can locate in it.
//
// It uses gozxing's parts (binarisers, finder-pattern checks, grid sampler,
// decoder) but not its readers: the choice of finder patterns and of the
// grid is detect.go's and fit.go's, which tolerate perspective, and the
// transform is kept so that each result reports the four corners of its
// code (gozxing's readers return finder-pattern centres only).
func read(v view) outcome {
	var src gozxing.LuminanceSource = luminance(v.img)
	if v.invert {
		src = src.Invert()
	}
	var b gozxing.Binarizer
	if v.bin == global {
		b = gozxing.NewGlobalHistgramBinarizer(src)
	} else {
		b = gozxing.NewHybridBinarizer(src)
	}
	matrix, err := b.GetBlackMatrix()
	if err != nil {
		return outcome{}
	}
	if v.pure {
		return readPure(matrix, v)
	}
	var out outcome
	info, cands := finders(matrix, false)
	out.finders = len(cands)
	cands = unexplained(cands, v.known, v.toFrame)
	ts := triples(cands, maxScanned)

	used := map[*detector.FinderPattern]bool{}
	free := func(t triple) bool { return !used[t.bl] && !used[t.tl] && !used[t.tr] }
	try := func(t triple, quick bool) bool {
		if !free(t) {
			return false
		}
		r, ok := decodeTriple(matrix, t, v, quick)
		if ok {
			out.results = appendNew(out.results, r)
			used[t.bl], used[t.tl], used[t.tr] = true, true, true
		}
		return ok
	}
	// gozxing's own pick first: right whenever it exists; then the more
	// tolerant choices of triples, which also find further codes.
	if info != nil && len(v.known) == 0 {
		try(newTriple(info.GetBottomLeft(), info.GetTopLeft(), info.GetTopRight()), false)
	}
	for i, t := range ts {
		if i == maxTriples {
			break
		}
		try(t, false)
	}
	if len(out.results) == 0 && len(v.known) == 0 && len(cands) >= 3 && len(cands) < maxScanned {
		// gozxing's single-code finder scans more densely once it has seen
		// a pattern, and its refined centres sometimes read what the
		// sparser scan's do not. Not on a frame full of look-alikes, where
		// its unbounded scan would be slow.
		if info, err := detector.NewFinderPatternFinder(matrix, nil).Find(noHints); err == nil {
			try(newTriple(info.GetBottomLeft(), info.GetTopLeft(), info.GetTopRight()), false)
		}
	}
	if v.every {
		// Then the other codes, from a dense scan: a sheet of them has
		// hundreds of plausible triples, most of them across two codes,
		// and the full attempt (fit.go) costs a millisecond. So all of
		// them first with gozxing's sampling alone, which reads a flat
		// code, until quickMisses fail in a row (a photo's texture gives
		// thousands); then as many full attempts as a live frame's for
		// each code read so far, and one more. All within a quarter of the
		// remaining budget, leaving the rest to the later stages (a tiny
		// code needs the enlarged view).
		share := time.Now().Add(time.Until(v.deadline) / 4)
		_, dense := finders(matrix, true)
		out.finders = max(out.finders, len(dense))
		dense = unexplained(dense, slices.Concat(v.known, out.results), v.toFrame)
		used = map[*detector.FinderPattern]bool{}
		ts = triples(dense, maxScannedEvery)
		misses := 0
		for i, t := range ts {
			if misses == quickMisses || (i%4 == 3 && time.Now().After(share)) {
				break
			}
			if free(t) {
				if try(t, true) {
					misses = 0
				} else {
					misses++
				}
			}
		}
		attempts := maxTriples * (1 + len(v.known) + len(out.results))
		for i, t := range ts {
			if i == attempts || (i%4 == 3 && time.Now().After(share)) {
				break
			}
			try(t, false)
		}
	}
	var left []triple
	for _, t := range ts {
		if free(t) {
			left = append(left, t)
		}
	}
	out.pending = len(left)
	if v.every {
		out.seen = candidateRegion(left, v.toFrame) // where codes are left to read
	} else {
		out.seen = candidateRegion(ts, v.toFrame)
	}
	if v.countLight && len(out.results) == 0 {
		// Light candidates count only as a plausible triple: the
		// complement of a scene's texture is full of light blobs on dark.
		matrix.FlipAll()
		_, light := finders(matrix, false)
		if len(triples(light, maxLight)) > 0 {
			out.finders += len(light)
		}
	}
	return out
}

// decodeTriple samples and decodes the code framed by three finder
// patterns, trying the plausible dimensions in turn; quick tries gozxing's
// sampling only.
func decodeTriple(matrix *gozxing.BitMatrix, t triple, v view, quick bool) (Result, bool) {
	// gozxing's own detection first (it measures the module size along the
	// line between the patterns, which is best when the code is flat), then
	// the grids of dimensions and sample.
	if d, ok := gozxingSample(matrix, t); ok {
		if r, ok := decodeSampled(d, v); ok {
			return r, true
		}
	}
	if quick {
		return Result{}, false
	}
	for _, dim := range dimensions(matrix, t) {
		ds := sample(matrix, t, dim)
		for _, d := range ds {
			if r, ok := decodeSampled(d, v); ok {
				return r, true
			}
		}
		for _, d := range ds {
			if b, ok := bend(matrix, t, d); ok {
				if r, ok := decodeSampled(b, v); ok {
					return r, true
				}
			}
		}
	}
	return Result{}, false
}

// decodeSampled decodes a sampled grid and maps its corners to the frame.
func decodeSampled(d detected, v view) (Result, bool) {
	dec, err := qrDecoder.Decode(d.bits, noHints)
	if err != nil {
		return Result{}, false
	}
	fd := float64(d.dim)
	// Module-space corners in the symbol's order; a mirrored symbol was read
	// transposed, so its top-right is our bottom-left.
	pts := []float64{0, 0, fd, 0, fd, fd, 0, fd}
	if meta, ok := dec.GetOther().(*decoder.QRCodeDecoderMetaData); ok && meta.IsMirrored() {
		pts = []float64{0, 0, 0, fd, fd, fd, fd, 0}
	}
	d.transform.TransformPoints(pts)
	var c [4]Point
	for i := range c {
		c[i] = v.toFrame(pts[2*i], pts[2*i+1])
	}
	return Result{Text: dec.GetText(), Corners: c}, true
}

// readPure decodes a view that holds one rectified code and its quiet zone:
// gozxing then samples the grid from the code's bounding box instead of
// searching for finder patterns that glare or moiré may have broken.
func readPure(matrix *gozxing.BitMatrix, v view) outcome {
	bmp, err := gozxing.NewBinaryBitmap(fixed{matrix})
	if err != nil {
		return outcome{}
	}
	r, err := qrcode.NewQRCodeReader().Decode(bmp, pureHints)
	if err != nil {
		return outcome{}
	}
	rect := matrix.GetEnclosingRectangle() // left, top, width, height of the black modules
	var c [4]Point
	if len(rect) == 4 {
		l, t, w, h := float64(rect[0]), float64(rect[1]), float64(rect[2]), float64(rect[3])
		c = [4]Point{v.toFrame(l, t), v.toFrame(l+w, t), v.toFrame(l+w, t+h), v.toFrame(l, t+h)}
	}
	return outcome{results: []Result{{Text: r.GetText(), Corners: c}}, finders: 3}
}

// appendNew adds r unless it is already there: two triples of finder
// patterns, or two views, can frame the same code. The same text elsewhere
// in the image is another code (a sheet of identical labels).
func appendNew(rs []Result, r Result) []Result {
	for _, x := range rs {
		if x.Text == r.Text && (inside(x.Corners, center(r.Corners)) || inside(r.Corners, center(x.Corners))) {
			return rs
		}
	}
	return append(rs, r)
}

// unexplained drops the candidates that lie on a code already read: the
// finder patterns of known (in frame pixels), mapped into the view.
func unexplained(cands []*detector.FinderPattern, known []Result, toFrame func(x, y float64) Point) []*detector.FinderPattern {
	if len(known) == 0 {
		return cands
	}
	var out []*detector.FinderPattern
next:
	for _, c := range cands {
		p := toFrame(c.GetX(), c.GetY())
		for _, k := range known {
			if inside(k.Corners, p) {
				continue next
			}
		}
		out = append(out, c)
	}
	return out
}

// center is the mean of a code's corners.
func center(q [4]Point) Point {
	return Point{(q[0].X + q[1].X + q[2].X + q[3].X) / 4, (q[0].Y + q[1].Y + q[2].Y + q[3].Y) / 4}
}

// inside says whether p lies within the quadrilateral q (convex, corners in
// either winding order).
func inside(q [4]Point, p Point) bool {
	sign := 0.0
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		cross := (b.X-a.X)*(p.Y-a.Y) - (b.Y-a.Y)*(p.X-a.X)
		if cross == 0 {
			continue
		}
		if sign == 0 {
			sign = cross
		} else if (cross > 0) != (sign > 0) {
			return false
		}
	}
	return sign != 0
}

// fixed is a Binarizer over a matrix that is already binarised, so that the
// pure-barcode reader can reuse the view's matrix instead of thresholding the
// image a second time.
type fixed struct{ m *gozxing.BitMatrix }

func (f fixed) GetLuminanceSource() gozxing.LuminanceSource { return nil }
func (f fixed) GetBlackRow(y int, row *gozxing.BitArray) (*gozxing.BitArray, error) {
	return f.m.GetRow(y, row), nil
}
func (f fixed) GetBlackMatrix() (*gozxing.BitMatrix, error)               { return f.m, nil }
func (f fixed) CreateBinarizer(gozxing.LuminanceSource) gozxing.Binarizer { return f }
func (f fixed) GetWidth() int                                             { return f.m.GetWidth() }
func (f fixed) GetHeight() int                                            { return f.m.GetHeight() }
