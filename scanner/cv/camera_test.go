package cv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/testdata/frames"
)

const videoFrames = 24

// writeVideo records a camera-like video in dir: frame k shows a QR code
// reading FRAME-k, so a test can tell which frame it was handed. MJPG in
// AVI is what OpenCV writes and reads without any external codec.
func writeVideo(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "camera.avi")
	w, err := gocv.VideoWriterFile(p, "MJPG", 30, 320, 240, false)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for k := 0; k < videoFrames; k++ {
		f, err := frames.Render(fmt.Sprintf("FRAME-%02d", k), frames.Scene{Width: 320, Height: 240, Size: 0.7, Tilt: 10, Noise: 3, Seed: int64(k)})
		if err != nil {
			t.Fatal(err)
		}
		m, err := gocv.NewMatFromBytes(240, 320, gocv.MatTypeCV8U, f.Gray.Pix)
		if err != nil {
			t.Fatal(err)
		}
		err = w.Write(m)
		m.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// frameNumber decodes the frame and returns k of its FRAME-k code.
func frameNumber(t *testing.T, d *scanner.Decoder, f *scanner.Frame) int {
	t.Helper()
	rs := d.Decode(&f.Gray)
	if len(rs) != 1 {
		t.Fatalf("frame %d: %d codes", f.Seq, len(rs))
	}
	var k int
	if _, err := fmt.Sscanf(rs[0].Text, "FRAME-%d", &k); err != nil {
		t.Fatalf("frame %d: %v", f.Seq, err)
	}
	return k
}

func next(t *testing.T, c scanner.Source) (*scanner.Frame, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Next(ctx)
}

// A slow consumer gets the newest frame, never a backlog: frame numbers
// increase, skip the frames that went stale meanwhile, and match the
// content of the frame.
func TestCameraHandsOverTheNewestFrame(t *testing.T) {
	p := writeVideo(t, t.TempDir())
	cam, err := OpenCamera(CameraConfig{Device: p, FPS: 200})
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	d := scanner.NewDecoder(scanner.Options{})
	var last uint64
	skipped := false
	for i := 0; i < 8; i++ {
		f, err := next(t, cam)
		if err != nil {
			t.Fatal(err)
		}
		if f.Seq <= last {
			t.Fatalf("frame %d after frame %d", f.Seq, last)
		}
		if last != 0 && f.Seq > last+1 {
			skipped = true
		}
		if got, want := frameNumber(t, d, f), int(f.Seq-1)%videoFrames; got != want {
			t.Fatalf("frame %d shows FRAME-%d, want FRAME-%d", f.Seq, got, want)
		}
		last = f.Seq
		f.Release()
		time.Sleep(40 * time.Millisecond) // a hard frame: 8 frames go by
	}
	if !skipped {
		t.Fatal("a slow consumer was handed every frame: a backlog, not the newest")
	}
}

// The camera disappears (its file is gone) and comes back: Next reports the
// loss once, then delivers frames again without reopening anything.
func TestCameraReportsLossAndRecovers(t *testing.T) {
	dir := t.TempDir()
	p := writeVideo(t, dir)
	cam, err := OpenCamera(CameraConfig{Device: p, FPS: 100, Retry: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	f, err := next(t, cam)
	if err != nil {
		t.Fatal(err)
	}
	f.Release()
	hidden := p + ".unplugged"
	if err := os.Rename(p, hidden); err != nil {
		t.Fatal(err)
	}
	// Frames still queued may come first; the loss must follow.
	for {
		f, err := next(t, cam)
		if errors.Is(err, scanner.ErrCameraLost) {
			if !strings.Contains(err.Error(), p) {
				t.Fatalf("loss does not name the device: %v", err)
			}
			break
		}
		if err != nil {
			t.Fatalf("want ErrCameraLost, got %v", err)
		}
		f.Release()
	}
	if err := os.Rename(hidden, p); err != nil {
		t.Fatal(err)
	}
	f, err = next(t, cam)
	if err != nil {
		t.Fatalf("after the camera came back: %v", err)
	}
	if got := frameNumber(t, scanner.NewDecoder(scanner.Options{}), f); got < 0 || got >= videoFrames {
		t.Fatalf("frame shows FRAME-%d", got)
	}
	f.Release()
}

func TestCameraAbsentAtStart(t *testing.T) {
	cam, err := OpenCamera(CameraConfig{Device: "/dev/video-none-here", Retry: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := next(t, cam); !errors.Is(err, scanner.ErrCameraLost) {
		t.Fatalf("absent camera: %v", err)
	}
	done := make(chan struct{})
	go func() { cam.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs while the camera is away")
	}
	if _, err := next(t, cam); !errors.Is(err, scanner.ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

func TestOpenCameraRejectsBadConfig(t *testing.T) {
	for _, c := range []CameraConfig{{}, {Device: "0", Width: 100000}, {Device: "0", FPS: -1}} {
		if _, err := OpenCamera(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
