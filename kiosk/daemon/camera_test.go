package daemon

import (
	"context"
	"fmt"
	"image"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/scanner"
)

// flakyCamera delivers a code, disappears (as an unplugged camera reports
// itself), comes back and delivers the same code again.
type flakyCamera struct {
	script []error // nil: a frame
	frame  *image.Gray
	pool   *scanner.FramePool
	i      int
}

func (c *flakyCamera) Next(ctx context.Context) (*scanner.Frame, error) {
	if c.i >= len(c.script) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	err := c.script[c.i]
	c.i++
	if err != nil {
		return nil, err
	}
	f := c.pool.Get(c.frame.Rect.Dx(), c.frame.Rect.Dy())
	copy(f.Pix, c.frame.Pix)
	f.Time = time.Now().Add(time.Duration(c.i) * 2 * time.Second) // frames far apart: each sighting is a new scan
	return f, nil
}

func (c *flakyCamera) Close() error { return nil }

// A lost camera is reported once however many times the source says so,
// its return once, and scanning goes on after it.
func TestScanFramesReportsCameraLossAndReturn(t *testing.T) {
	lost := fmt.Errorf("read failed: %w", scanner.ErrCameraLost)
	cam := &flakyCamera{script: []error{nil, lost, lost, lost, nil}, frame: frame640(t, "HC1:CAMERA"), pool: scanner.NewFramePool(2)}
	scans := make(chan kiosk.Scan, 4)
	var events []kiosk.DeviceEvent
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		scanFrames(ctx, cam, newDecoder(), scans, func(e kiosk.DeviceEvent) { events = append(events, e) }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	for i := 0; i < 2; i++ {
		select {
		case sc := <-scans:
			if sc.Text != "HC1:CAMERA" {
				t.Fatalf("scan %d read %q", i, sc.Text)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("scan %d never came", i)
		}
	}
	cancel()
	<-done
	want := []kiosk.DeviceEvent{{Part: kiosk.PartCamera, OK: false}, {Part: kiosk.PartCamera, OK: true}}
	if len(events) != 2 || events[0] != want[0] || events[1] != want[1] {
		t.Fatalf("device events %+v, want %+v", events, want)
	}
}
