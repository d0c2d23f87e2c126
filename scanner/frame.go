package scanner

import (
	"context"
	"errors"
	"image"
	"sync"
	"time"
)

// Frame is one 8-bit gray image from a Source. Its pixels live in a buffer
// the source recycles: call Release when done with it, and do not touch it
// afterwards. Frames are never written to disk.
type Frame struct {
	image.Gray
	// Seq numbers the frames the source captured, from 1. A gap between two
	// frames returned by Next counts the stale frames skipped in between.
	Seq uint64
	// Time is when the frame was captured (or read, for files).
	Time time.Time

	pool *FramePool
}

// Release hands the frame's buffer back to its pool. It is safe to call on
// a nil frame and more than once.
func (f *Frame) Release() {
	if f == nil || f.pool == nil {
		return
	}
	p := f.pool
	f.pool = nil
	p.put(f)
}

// FramePool recycles frame buffers so that a source in its steady state does
// not allocate per frame. A camera source needs three: one being filled, the
// newest waiting, one held by the decoder.
type FramePool struct {
	mu   sync.Mutex
	free []*Frame
	max  int
}

// NewFramePool returns a pool that keeps at most keep idle buffers.
func NewFramePool(keep int) *FramePool {
	return &FramePool{max: keep}
}

// Get returns a w×h frame whose pixels are to be overwritten.
func (p *FramePool) Get(w, h int) *Frame {
	p.mu.Lock()
	var f *Frame
	if n := len(p.free); n > 0 {
		f = p.free[n-1]
		p.free = p.free[:n-1]
	}
	p.mu.Unlock()
	if f == nil || cap(f.Pix) < w*h {
		f = &Frame{Gray: image.Gray{Pix: make([]uint8, w*h)}}
	}
	f.Pix, f.Stride, f.Rect = f.Pix[:w*h], w, image.Rect(0, 0, w, h)
	f.pool = p
	return f
}

func (p *FramePool) put(f *Frame) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < p.max {
		p.free = append(p.free, f)
	}
}

// Source yields gray frames from a camera, a video file or image files.
type Source interface {
	// Next returns the newest frame not returned before, waiting for one
	// if there is none yet. A camera source returns an error wrapping
	// ErrCameraLost once each time the device disappears, keeps trying to
	// reopen it, and its next call to Next returns the first frame after
	// it is back. A finite source returns io.EOF at its end.
	Next(ctx context.Context) (*Frame, error)
	// Close stops the source and releases the device.
	Close() error
}

// ErrCameraLost reports that the camera stopped delivering frames (it was
// unplugged, or its driver failed). It is not final: see Source.Next.
var ErrCameraLost = errors.New("scanner: camera lost")

// ErrClosed is returned by Next after Close.
var ErrClosed = errors.New("scanner: source closed")
