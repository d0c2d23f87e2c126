package camera

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// fakeDev makes a directory holding the named (empty) files, standing for
// /dev, and a querier that answers for them from answers.
func fakeDev(t *testing.T, answers map[string]capability, failures map[string]error, others ...string) (string, querier) {
	t.Helper()
	dir := t.TempDir()
	for _, name := range slices.Concat(slices.Collect(maps.Keys(answers)), slices.Collect(maps.Keys(failures)), others) {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, func(path string) (capability, error) {
		name := filepath.Base(path)
		if err, ok := failures[name]; ok {
			return capability{}, err
		}
		if c, ok := answers[name]; ok {
			return c, nil
		}
		t.Errorf("queried %s, which is no video node", path)
		return capability{}, errors.New("unexpected")
	}
}

var (
	webcam = capability{driver: "uvcvideo", card: "HD Pro Webcam C920", bus: "usb-0000:01:00.0-1.2", capture: true}
	meta   = capability{driver: "uvcvideo", card: "HD Pro Webcam C920", bus: "usb-0000:01:00.0-1.2"}
	codec  = capability{driver: "bcm2835-codec", card: "bcm2835-codec-decode", bus: "platform:bcm2835-codec"}
	isp    = capability{driver: "bcm2835-isp", card: "bcm2835-isp-capture0", bus: "platform:bcm2835-isp", capture: true}
)

func denied(name string) error {
	return &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
}

func TestDiscoverSortsCamerasAndSaysWhyOthersAreNot(t *testing.T) {
	dir, query := fakeDev(t,
		map[string]capability{"video0": webcam, "video1": meta, "video10": codec, "video14": isp},
		map[string]error{"video2": denied("video2")},
		"video", "videoX", "video01", "media0", "vchiq")
	d, err := discover(dir, query)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range d.Cameras {
		paths = append(paths, filepath.Base(c.Path))
	}
	if want := []string{"video0", "video14"}; !slices.Equal(paths, want) {
		t.Errorf("cameras %v, want %v (USB first)", paths, want)
	}
	if got := d.Cameras[0]; got.Index != 0 || got.Card != webcam.card || got.Bus != webcam.bus || got.Driver != "uvcvideo" {
		t.Errorf("camera %+v", got)
	}
	want := map[string]string{
		"video1":  `not a video capture device: "HD Pro Webcam C920" (uvcvideo)`,
		"video10": `not a video capture device: "bcm2835-codec-decode" (bcm2835-codec)`,
		"video2":  "permission denied (is the kiosk's user in the video group?)",
	}
	if len(d.Skipped) != len(want) {
		t.Errorf("skipped %v, want %d nodes", d.Skipped, len(want))
	}
	for _, s := range d.Skipped {
		if w := want[filepath.Base(s.Path)]; !strings.Contains(s.Error(), w) || !strings.HasPrefix(s.Error(), s.Path) {
			t.Errorf("skipped %q, want it to name the node and say %q", s.Error(), w)
		}
	}
}

func TestNoDevicesAtAll(t *testing.T) {
	dir, query := fakeDev(t, nil, nil, "null", "tty0")
	d, err := discover(dir, query)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Pick("")
	if !errors.Is(err, ErrNoCamera) || !strings.Contains(err.Error(), "no video device (is the camera plugged in?)") {
		t.Errorf("Pick = %v, want ErrNoCamera saying there is no video device", err)
	}
}

func TestOnlyNonCaptureNodes(t *testing.T) {
	dir, query := fakeDev(t, map[string]capability{"video10": codec, "video11": codec}, nil)
	d, _ := discover(dir, query)
	_, err := d.Pick("")
	if !errors.Is(err, ErrNoCamera) || !errors.Is(err, ErrNotCapture) {
		t.Errorf("Pick = %v, want ErrNoCamera and ErrNotCapture", err)
	}
	if !strings.Contains(err.Error(), "video10: not a video capture device") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Pick = %q, want one line naming each node", err)
	}
}

func TestPermissionIsToldApartFromUnplugged(t *testing.T) {
	dir, query := fakeDev(t, nil, map[string]error{"video0": denied("video0")})
	d, _ := discover(dir, query)
	_, err := d.Pick("")
	if !errors.Is(err, ErrNoCamera) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Pick = %v, want ErrNoCamera and fs.ErrPermission", err)
	}
	var ne *NodeError
	if !errors.As(err, &ne) || filepath.Base(ne.Path) != "video0" {
		t.Errorf("Pick = %v, want the node's error", err)
	}
}

func TestPickByPathCardOrBus(t *testing.T) {
	dir, query := fakeDev(t, map[string]capability{"video0": webcam, "video14": isp}, nil)
	d, _ := discover(dir, query)
	for _, want := range []string{filepath.Join(dir, "video14"), "bcm2835-isp-capture0", "platform:bcm2835-isp"} {
		if c, err := d.Pick(want); err != nil || c.Index != 14 {
			t.Errorf("Pick(%q) = %v, %v; want video14", want, c, err)
		}
	}
	_, err := d.Pick("Logitech BRIO")
	if !errors.Is(err, ErrNoCamera) || !strings.Contains(err.Error(), `no camera "Logitech BRIO"`) ||
		!strings.Contains(err.Error(), "HD Pro Webcam C920 (uvcvideo, usb-0000:01:00.0-1.2)") {
		t.Errorf("Pick(absent) = %v, want ErrNoCamera listing the cameras there", err)
	}
}

func TestUnreadableDirIsAnError(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "dev")
	if _, err := Discover(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Discover(%s) = %v, want an error naming it", missing, err)
	}
}
