package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/scuola/kiosk/hardware/camera"
	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/config"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/scanner/cv"
)

// cameraRetry is how often the kiosk looks again for a camera that is not
// there.
const cameraRetry = 2 * time.Second

// openCamera opens the configured camera, waiting for one to be plugged in
// when there is none ("auto"); the screen says the camera is missing
// meanwhile. It returns nil only when ctx ends first.
func openCamera(ctx context.Context, cfg *config.Config, report func(kiosk.DeviceEvent), log *slog.Logger) scanner.Source {
	missing := false
	for {
		dev := cfg.Camera.Device
		if dev == "auto" {
			dev = ""
			if d, err := camera.Discover(camera.DevDir); err == nil {
				if c, err := d.Pick(""); err == nil {
					dev = c.Path
				} else if !missing {
					log.Warn("no camera yet; waiting for one", "err", err)
				}
			}
		}
		if dev != "" {
			src, err := cv.OpenCamera(cv.CameraConfig{Device: dev, Width: cfg.Camera.Width, Height: cfg.Camera.Height, FPS: float64(cfg.Camera.FPS)})
			if err == nil {
				if missing {
					report(kiosk.DeviceEvent{Part: kiosk.PartCamera, OK: true})
				}
				return src
			}
			if !missing {
				log.Warn("camera not available; retrying", "device", dev, "err", err)
			}
		}
		if !missing {
			missing = true
			report(kiosk.DeviceEvent{Part: kiosk.PartCamera, OK: false})
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(cameraRetry):
		}
	}
}

// newDecoder is the kiosk's decoder: the cascade with OpenCV's help.
func newDecoder() *scanner.Decoder {
	return scanner.NewDecoder(scanner.Options{Assist: cv.NewAssist()})
}

// scanFrames decodes the newest frame, again and again, and sends each new
// code (one per code shown: the suppressor drops repeats) to the session.
// A lost camera is reported once, and its return too.
func scanFrames(ctx context.Context, src scanner.Source, dec *scanner.Decoder, scans chan<- kiosk.Scan, report func(kiosk.DeviceEvent), log *slog.Logger) {
	sup := scanner.NewSuppressor(0)
	lost := false
	for {
		f, err := src.Next(ctx)
		switch {
		case err == nil:
		case errors.Is(err, scanner.ErrCameraLost):
			if !lost {
				log.Warn("camera lost; reconnecting", "err", err)
				report(kiosk.DeviceEvent{Part: kiosk.PartCamera, OK: false})
			}
			lost = true
			continue
		case ctx.Err() != nil || errors.Is(err, io.EOF) || errors.Is(err, scanner.ErrClosed):
			return
		default:
			log.Error("camera", "err", err)
			continue
		}
		if lost {
			log.Info("camera back")
			report(kiosk.DeviceEvent{Part: kiosk.PartCamera, OK: true})
			lost = false
		}
		results := dec.Decode(&f.Gray)
		seen := f.Time
		f.Release()
		for _, r := range sup.Filter(seen, results) {
			select {
			case scans <- kiosk.Scan{Text: r.Text, Seen: seen}:
			case <-ctx.Done():
				return
			}
		}
	}
}
