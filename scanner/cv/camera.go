package cv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"gocv.io/x/gocv"

	"github.com/scuola/kiosk/scanner"
)

// CameraConfig says which camera to open and how. The zero value of every
// field but Device has a working default.
type CameraConfig struct {
	// Device is a V4L2 index ("0"), a device node ("/dev/video0",
	// "/dev/v4l/by-id/…") or a video file, which is then played in a loop
	// as if it were a camera (the demo, tests).
	Device string
	// Width and Height of the capture mode; default 640×480.
	Width, Height int
	// FPS is the rate asked of the camera, and the pace at which a video
	// file is played; default 15.
	FPS float64
	// Retry is the interval between attempts to reopen a lost camera;
	// default 1 s.
	Retry time.Duration
}

// Camera is a scanner.Source over a gocv VideoCapture. A goroutine keeps
// reading frames as the camera delivers them — V4L2 queues several, and a
// reader that falls behind would decode the past — and hands only the
// newest to Next. When the camera stops delivering (unplugged, driver
// error), Next reports scanner.ErrCameraLost once and the goroutine keeps
// reopening the device every Retry until it is back.
type Camera struct {
	cfg    CameraConfig
	file   bool // Device is a video file, not a camera
	newest *scanner.Newest
	pool   *scanner.FramePool
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// OpenCamera starts capturing. It does not fail when the camera is absent:
// the kiosk must start and wait for it, so the absence is reported by Next
// as scanner.ErrCameraLost.
func OpenCamera(cfg CameraConfig) (*Camera, error) {
	if cfg.Device == "" {
		return nil, errors.New("cv: camera: no device given")
	}
	if cfg.Width == 0 {
		cfg.Width = 640
	}
	if cfg.Height == 0 {
		cfg.Height = 480
	}
	if cfg.FPS == 0 {
		cfg.FPS = 15
	}
	if cfg.Retry == 0 {
		cfg.Retry = time.Second
	}
	if cfg.Width < 0 || cfg.Height < 0 || cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.FPS < 0 || cfg.Retry < 0 {
		return nil, fmt.Errorf("cv: camera %s: invalid mode %dx%d at %g fps", cfg.Device, cfg.Width, cfg.Height, cfg.FPS)
	}
	_, isIndex := deviceIndex(cfg.Device)
	c := &Camera{
		cfg:    cfg,
		file:   !isIndex && !strings.HasPrefix(cfg.Device, "/dev/"),
		newest: scanner.NewNewest(),
		pool:   scanner.NewFramePool(4),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go c.run()
	return c, nil
}

// Next returns the newest frame (see scanner.Source).
func (c *Camera) Next(ctx context.Context) (*scanner.Frame, error) {
	return c.newest.Take(ctx)
}

// Close stops the capture goroutine and releases the device. It waits for
// the read in progress, at most one frame interval on a working camera.
func (c *Camera) Close() error {
	c.once.Do(func() {
		close(c.stop)
		c.newest.Close()
	})
	<-c.done
	return nil
}

func deviceIndex(dev string) (int, bool) {
	n, err := strconv.Atoi(dev)
	return n, err == nil && n >= 0
}

// open opens the device and asks for the configured mode: MJPG, because
// at 640×480 and up uncompressed YUYV does not fit USB 2.0 bandwidth at a
// useful rate on many cameras.
func (c *Camera) open() (*gocv.VideoCapture, error) {
	// Check the node or file first: OpenCV would try every backend on a
	// missing one and print warnings, once per Retry while it is unplugged.
	path := c.cfg.Device
	if n, ok := deviceIndex(path); ok {
		path = fmt.Sprintf("/dev/video%d", n)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	var vc *gocv.VideoCapture
	var err error
	if n, ok := deviceIndex(c.cfg.Device); ok {
		vc, err = gocv.OpenVideoCaptureWithAPI(n, gocv.VideoCaptureV4L2)
	} else if !c.file {
		vc, err = gocv.OpenVideoCaptureWithAPI(c.cfg.Device, gocv.VideoCaptureV4L2)
	} else {
		vc, err = gocv.OpenVideoCapture(c.cfg.Device)
	}
	if err != nil {
		return nil, err
	}
	if !vc.IsOpened() {
		vc.Close()
		return nil, errors.New("not opened")
	}
	if !c.file {
		vc.Set(gocv.VideoCaptureFOURCC, vc.ToCodec("MJPG"))
		vc.Set(gocv.VideoCaptureFrameWidth, float64(c.cfg.Width))
		vc.Set(gocv.VideoCaptureFrameHeight, float64(c.cfg.Height))
		vc.Set(gocv.VideoCaptureFPS, c.cfg.FPS)
	}
	return vc, nil
}

// run is the capture goroutine; it owns the VideoCapture (OpenCV objects
// are used from one goroutine only).
func (c *Camera) run() {
	defer close(c.done)
	mat := gocv.NewMat()
	defer mat.Close()
	var seq uint64
	lost := false // the loss has been reported and not yet healed
	for {
		delivered := false
		if vc, err := c.open(); err == nil {
			delivered = c.read(vc, &mat, &seq)
			vc.Close()
		}
		if c.stopped() {
			return
		}
		if delivered {
			lost = false
			if c.file {
				continue // end of the video: play it again at once
			}
		}
		if !lost {
			lost = true
			c.newest.PutErr(fmt.Errorf("%w: %s", scanner.ErrCameraLost, c.cfg.Device))
		}
		select {
		case <-c.stop:
			return
		case <-time.After(c.cfg.Retry):
		}
	}
}

// read delivers frames until the capture fails or Close is called, and
// reports whether it delivered any.
func (c *Camera) read(vc *gocv.VideoCapture, mat *gocv.Mat, seq *uint64) bool {
	var pace *time.Ticker
	if c.file && c.cfg.FPS > 0 {
		pace = time.NewTicker(time.Duration(float64(time.Second) / c.cfg.FPS))
		defer pace.Stop()
	}
	delivered := false
	for !c.stopped() {
		if !vc.Read(mat) || mat.Empty() {
			return delivered
		}
		*seq++
		f, err := grayFrame(*mat, c.pool, *seq)
		if err != nil {
			return delivered // a device sending garbage is as good as lost
		}
		c.newest.Put(f)
		delivered = true
		if pace != nil {
			select {
			case <-pace.C:
			case <-c.stop:
			}
		}
	}
	return delivered
}

func (c *Camera) stopped() bool {
	select {
	case <-c.stop:
		return true
	default:
		return false
	}
}
