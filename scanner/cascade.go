package scanner

import (
	"image"
	"math"
	"time"

	"github.com/makiuchi-d/gozxing/common"
	"github.com/scuola/kiosk/scanner/internal/gray"
)

// cascade is the work on one frame.
type cascade struct {
	d        *Decoder
	pyramid  pyramid
	level    int         // the pyramid level being searched
	frame    *image.Gray // that level's image
	deadline time.Time
	finders  int         // finder-pattern candidates seen at this level
	eq       *image.Gray // computed on first use at this level
	origin   image.Point // of frame in the level's pixels (a focused part)
	seen     region      // where triples were seen, at any level so far
	// In a search for every code (Options.Thorough): the codes read so
	// far, and the unread triples the last stage left.
	found   []Result
	pending int
}

func newCascade(d *Decoder, frame *image.Gray, deadline time.Time) *cascade {
	return &cascade{d: d, pyramid: pyramid{d: d, levels: []*image.Gray{frame}}, frame: frame, deadline: deadline}
}

// stage is one attempt of the cascade.
type stage struct {
	name string
	// locate stages run on every level searched; the others only if these
	// saw finder-pattern candidates there (or the decoder is thorough).
	locate bool
	// coarser stages look at the next pyramid level down as it is: at a
	// level above the first one searched, that level was searched already.
	coarser bool
	assist  bool // needs the Assist; skipped without one
	run     func(c *cascade) []Result
}

// stages is the cascade, cheapest and most productive first. The order was
// measured (scanner/BENCHMARKS.md): on ZXing's photo sets and on generated
// camera frames, each stage is the one that reads the most of what the
// earlier ones missed per millisecond spent.
var stages = []stage{
	// Locate: the whole frame with local thresholds, then at half size
	// (codes large and blurred, screens' pixel grids). Both also count
	// finder-pattern candidates (the full-size one light ones too: at
	// half size a dark-mode code's patterns are too fine); without any, the frame is empty.
	{"full-hybrid", true, false, false, func(c *cascade) []Result {
		return c.try(view{img: c.frame, bin: hybrid, countLight: true, toFrame: identity})
	}},
	{"half-hybrid", true, true, false, func(c *cascade) []Result {
		return c.try(view{img: c.coarser(), bin: hybrid, toFrame: scaled(2)})
	}},
	// A code seems to be there. Low-passed: phone screens' moiré and noise.
	{"smooth", false, false, false, func(c *cascade) []Result {
		c.d.smoothTmp, c.d.smoothed = smooth(c.frame, c.d.smoothTmp, c.d.smoothed)
		return c.try(view{img: c.d.smoothed, bin: hybrid, toFrame: identity})
	}},
	// The other binarisation.
	{"full-global", false, false, false, func(c *cascade) []Result {
		return c.try(view{img: c.frame, bin: global, toFrame: identity})
	}},
	// Glare, dim screens, dark halls: local contrast restored.
	{"clahe-hybrid", false, false, true, func(c *cascade) []Result {
		return c.try(view{img: c.equalized(), bin: hybrid, toFrame: identity})
	}},
	// Dark-mode apps show light modules on black.
	{"inverted", false, false, false, func(c *cascade) []Result {
		return c.try(view{img: c.frame, bin: hybrid, invert: true, toFrame: identity})
	}},
	// Codes tilted 30–40°: make the foreshortened axis long again.
	stretchStage("stretch-vertical", false, 1, stretch),
	stretchStage("stretch-horizontal", false, stretch, 1),
	// Codes tilted 45–55°, more strongly stretched at half size (as well
	// read there, at a quarter of the cost).
	stretchStage("half-stretch-vertical", true, 1, strongStretch),
	stretchStage("half-stretch-horizontal", true, strongStretch, 1),
	// Codes tilted 45–50° read at some frame sizes and not at others (a
	// 50° tilt: 1600 and 2560 px wide yes, 2000 no): how the modules fall
	// on the pixel grid decides. The stretched views again at three
	// quarters of the size, between this level and the next.
	stretchStage("three-quarter-stretch-vertical", false, threeQuarters, threeQuarters*stretch),
	stretchStage("three-quarter-stretch-horizontal", false, threeQuarters*stretch, threeQuarters),
	// Small codes: modules of under two pixels.
	{"enlarge", false, false, true, func(c *cascade) []Result {
		c.d.enlarged = c.d.assist.Scale(c.frame, 2, 2, c.d.enlarged)
		return c.try(view{img: c.d.enlarged, bin: hybrid, toFrame: scaled(0.5)})
	}},
	// OpenCV's own detector finds the corners of codes whose finder
	// patterns gozxing cannot confirm (creases, curved paper).
	{"rectify", false, false, true, func(c *cascade) []Result {
		return c.rectify(c.frame)
	}},
	{"half-global", false, true, false, func(c *cascade) []Result {
		return c.try(view{img: c.coarser(), bin: global, toFrame: scaled(2)})
	}},
	{"clahe-global", false, false, true, func(c *cascade) []Result {
		return c.try(view{img: c.equalized(), bin: global, toFrame: identity})
	}},
}

// stretchStage reads the frame (or the next level down) scaled by fx and fy.
// It is never a repeat: a finer level's stretch of the next level down is
// not what that level read (its own stretch was of the level below it),
// and a 1920×1080 frame's 55° yaw reads only from the 960-px level
// stretched.
func stretchStage(name string, coarser bool, fx, fy float64) stage {
	return stage{name, false, false, true, func(c *cascade) []Result {
		img, f := c.frame, 1.0
		if coarser {
			img, f = c.coarser(), 2
			if c.origin != (image.Point{}) {
				// A focused part of this level: the same part of the
				// level below, so that try maps it from the same origin.
				r := image.Rectangle{c.origin.Div(2), c.origin.Add(c.frame.Rect.Size()).Div(2)}.Intersect(img.Rect)
				c.d.focusedBelow = gray.Copy(img, r, c.d.focusedBelow)
				img = c.d.focusedBelow
			}
		}
		c.d.enlarged = c.d.assist.Scale(img, fx, fy, c.d.enlarged)
		return c.try(view{img: c.d.enlarged, bin: hybrid, toFrame: scaled2(f/fx, f/fy)})
	}}
}

// stretch is the factor by which the stretch stages lengthen one axis. A
// code tilted by 40° is foreshortened to 0.6–0.75 along the tilt; gozxing's
// finder rejects a pattern whose height and width differ by 40% or more.
const stretch = 1.35

// threeQuarters is the scale of the in-between stretched views. Measured
// on generated 50° and 45° tilts at 640×480 to 4032×3024, it took them from
// 0/5 and 3/5 to 5/5 at the sizes where they failed.
const threeQuarters = 0.75

// strongStretch is for codes tilted by 45–55°; measured on generated
// frames, 1.6 and 2.2 read fewer of them.
const strongStretch = 1.8

// run searches the pyramid level whose long side is at most baseSide
// first, with every stage: there a code that fills a phone photo has
// modules of a few pixels, a screen's pixel grid is averaged away, and a
// stage costs what it costs on a 1280×720 frame. Then, as long as the
// budget lasts, the finer levels up to the frame itself, for codes too
// small for the first (their coarser stages are skipped: the level below
// did them), each only around the triples seen so far if there were any
// (focus, pyramid.go).
func (c *cascade) run() []Result {
	first := c.pyramid.base()
	for l := first; l >= 0; l-- {
		c.level, c.finders, c.eq = l, 0, nil
		if l == first {
			c.frame, c.origin = c.pyramid.level(l), image.Point{}
		} else {
			c.frame, c.origin = c.focus(l)
		}
		before := len(c.found)
		for i, s := range stages {
			if !s.locate && c.finders == 0 && !c.d.thorough {
				break // nothing that looks like a code at this level
			}
			if (s.coarser && l != first) || (s.assist && c.d.assist == nil) {
				continue
			}
			if (l != first || i > 0) && time.Now().After(c.deadline) {
				return c.found
			}
			r := s.run(c)
			if !c.d.thorough {
				if len(r) > 0 {
					return r
				}
				continue
			}
			for _, x := range r {
				c.found = appendNew(c.found, x)
			}
			if len(c.found) > 0 && c.pending == 0 && !s.coarser {
				// Every plausible triple at this resolution belongs to a
				// code read: nothing suggests another here. Codes too small
				// for this level may show at the next finer one; once a
				// finer level adds none, none is expected further up.
				if l == 0 || (l != first && len(c.found) == before) {
					return c.found
				}
				break
			}
		}
	}
	return c.found
}

// coarser is the next pyramid level down from the one being searched.
func (c *cascade) coarser() *image.Gray { return c.pyramid.level(c.level + 1) }

func (c *cascade) equalized() *image.Gray {
	if c.eq == nil {
		c.d.equalized = c.d.assist.Equalize(c.frame, c.d.equalized)
		c.eq = c.d.equalized
	}
	return c.eq
}

// rectify locates codes with the assist, warps each to a frontal square and
// reads it as a pure barcode, then with the ordinary detector.
func (c *cascade) rectify(img *image.Gray) []Result {
	if c.d.assist == nil {
		return nil
	}
	var out []Result
	for _, q := range c.d.assist.Locate(img) {
		side := rectSide(q)
		margin := side / 16
		r := c.d.assist.Rectify(img, q, side, margin, c.d.rectified)
		if r == nil {
			continue
		}
		c.d.rectified = r
		m0, m1 := float64(margin), float64(margin+side)
		t := common.PerspectiveTransform_QuadrilateralToQuadrilateral(
			m0, m0, m1, m0, m1, m1, m0, m1,
			q[0].X, q[0].Y, q[1].X, q[1].Y, q[2].X, q[2].Y, q[3].X, q[3].Y)
		back := func(x, y float64) Point {
			p := []float64{x, y}
			t.TransformPoints(p)
			return Point{p[0], p[1]}
		}
		for _, v := range []view{
			{img: r, bin: hybrid, pure: true, toFrame: back},
			{img: r, bin: hybrid, toFrame: back},
			{img: r, bin: global, toFrame: back},
		} {
			if res := c.try(v); len(res) > 0 {
				out = append(out, res...)
				break
			}
		}
	}
	return out
}

// rectSide picks the size of the rectified square: about the code's longest
// edge, so no detail is lost, within bounds that keep the warp and the read
// cheap.
func rectSide(q [4]Point) int {
	longest := 0.0
	for i := range q {
		j := (i + 1) % 4
		longest = math.Max(longest, math.Hypot(q[j].X-q[i].X, q[j].Y-q[i].Y))
	}
	return int(math.Min(math.Max(longest*1.2, 160), 800))
}

func identity(x, y float64) Point { return Point{x, y} }

func scaled(f float64) func(x, y float64) Point { return scaled2(f, f) }

func scaled2(fx, fy float64) func(x, y float64) Point {
	return func(x, y float64) Point { return Point{x * fx, y * fy} }
}

// try reads one view and records the evidence it saw. A nil image (an
// assist that could not produce its view) reads nothing.
func (c *cascade) try(v view) []Result {
	if v.img == nil {
		return nil
	}
	if c.level > 0 || c.origin != (image.Point{}) {
		f, toLevel := float64(int(1)<<c.level), v.toFrame
		ox, oy := float64(c.origin.X), float64(c.origin.Y)
		v.toFrame = func(x, y float64) Point {
			p := toLevel(x, y)
			return Point{(p.X + ox) * f, (p.Y + oy) * f}
		}
	}
	if c.d.thorough {
		v.every, v.known, v.deadline = true, c.found, c.deadline
	}
	o := read(v)
	c.pending = o.pending
	c.finders += o.finders
	c.seen.merge(o.seen)
	return o.results
}
