package cv

import (
	"fmt"
	"time"

	"gocv.io/x/gocv"

	"github.com/scuola/kiosk/scanner"
)

// MaxSide bounds the width and height of a frame or image accepted from
// outside: far above any camera mode the kiosk uses, far below what would
// let a malformed file or driver make us allocate gigabytes.
const MaxSide = 8192

// grayFrame converts a captured Mat (BGR, BGRA or already gray) into a
// pooled gray frame, writing straight into the frame's Go buffer.
func grayFrame(m gocv.Mat, pool *scanner.FramePool, seq uint64) (*scanner.Frame, error) {
	w, h := m.Cols(), m.Rows()
	if w <= 0 || h <= 0 || w > MaxSide || h > MaxSide {
		return nil, fmt.Errorf("frame of %dx%d pixels outside 1..%d", w, h, MaxSide)
	}
	f := pool.Get(w, h)
	dst, err := wrap(&f.Gray)
	if err != nil {
		f.Release()
		return nil, err
	}
	defer dst.Close()
	switch m.Channels() {
	case 1:
		m.CopyTo(&dst)
	case 3:
		gocv.CvtColor(m, &dst, gocv.ColorBGRToGray)
	case 4:
		gocv.CvtColor(m, &dst, gocv.ColorBGRAToGray)
	default:
		f.Release()
		return nil, fmt.Errorf("frame with %d channels", m.Channels())
	}
	if dst.Cols() != w || dst.Rows() != h || dst.Type() != gocv.MatTypeCV8U {
		// OpenCV reallocated instead of writing into our buffer (a depth
		// other than 8 bits): refuse rather than hand over stale pixels.
		f.Release()
		return nil, fmt.Errorf("frame of type %v, want 8-bit", m.Type())
	}
	f.Seq, f.Time = seq, time.Now()
	return f, nil
}
