package scanner

import (
	"image"
	"time"

	"github.com/scuola/kiosk/scanner/internal/gray"
)

// DefaultBudget bounds the work on one frame in which a code seems to be
// present but is hard to read. At 15 frames per second a frame lasts 66 ms;
// spending up to half of that on a hard frame still leaves the next frame
// on time, and the next frame usually gives an easier view anyway.
const DefaultBudget = 30 * time.Millisecond

// Options configures a Decoder.
type Options struct {
	// Budget bounds the time spent on one frame (0 means DefaultBudget).
	// The first stage always runs; no stage starts once the budget is
	// spent (a stage under way finishes). Offline tools may give more.
	Budget time.Duration
	// Assist adds the OpenCV stages (CLAHE, stretched and enlarged views,
	// locate and rectify); nil leaves the pure-Go stages only.
	Assist Assist
	// Thorough runs every stage within the budget even where the first
	// ones saw nothing like a finder pattern. Offline tools want it: a
	// washed-out, very dark or badly creased code can show no finder
	// candidate to them. A live camera leaves it off, so that the frames
	// of an empty hall cost two cheap stages.
	//
	// Thorough also looks for every code in the image, not only the first:
	// after a stage reads codes, the next stages and finer levels go on
	// (skipping the finder patterns of the codes read) while plausible
	// triples of finder patterns are left unread, for a photo of several
	// codes or a sheet of them. A live frame shows one pupil's code; the
	// kiosk stops at the first read.
	Thorough bool
}

// Decoder reads QR codes from gray frames with a cascade of increasingly
// expensive attempts. It keeps scratch images between calls, so a Decoder
// must be used by one goroutine at a time; make one per camera.
type Decoder struct {
	budget   time.Duration
	assist   Assist
	thorough bool
	// Scratch images reused from frame to frame.
	compact, exposed, smoothTmp, smoothed, equalized, rectified, enlarged, focused, focusedBelow *image.Gray
	halvings                                                                                     []*image.Gray // pyramid levels 1, 2, …
	levels                                                                                       []*image.Gray // this frame's pyramid
}

// NewDecoder returns a decoder with the given options.
func NewDecoder(o Options) *Decoder {
	if o.Budget <= 0 {
		o.Budget = DefaultBudget
	}
	return &Decoder{budget: o.Budget, assist: o.Assist, thorough: o.Thorough}
}

// Decode returns the codes it reads in frame, or nil. It never fails: a
// frame without a readable code is the common case, not an error. Corners
// are relative to the frame's top-left pixel (frame.Rect.Min).
func (d *Decoder) Decode(frame *image.Gray) []Result {
	return d.DecodeWithin(frame, d.budget)
}

// DecodeWithin is Decode with a budget for this frame only, for offline
// callers whose images differ in size: a 12-megapixel photo has several
// times the pixels of the frames the decoder's budget was chosen for.
func (d *Decoder) DecodeWithin(frame *image.Gray, budget time.Duration) []Result {
	if frame == nil || frame.Rect.Dx() < minSide || frame.Rect.Dy() < minSide {
		return nil
	}
	if t := exposureTable(frame); t != nil {
		d.exposed = remap(frame, t, d.exposed)
		frame = d.exposed
	} else if frame.Stride != frame.Rect.Dx() {
		// A sub-image: the stages want contiguous rows.
		d.compact = gray.Copy(frame, frame.Rect, d.compact)
		frame = d.compact
	}
	return newCascade(d, frame, time.Now().Add(budget)).run()
}

// minSide is the smallest frame worth searching: a version 1 code with its
// quiet zone at one pixel per module.
const minSide = 29
