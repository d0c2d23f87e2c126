package camera

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// DevDir is where the kernel puts the video device nodes.
const DevDir = "/dev"

// Why a node is not offered as a camera, for errors.Is. A node that cannot
// be opened wraps the open error instead (fs.ErrPermission: the kiosk's
// user is not in the video group; fs.ErrNotExist: unplugged while
// listing).
var (
	ErrNoCamera   = errors.New("no camera")
	ErrNotV4L2    = errors.New("not a V4L2 device")
	ErrNotCapture = errors.New("not a video capture device")
)

// Camera is a V4L2 video-capture device.
type Camera struct {
	Path   string // "/dev/video0"
	Index  int    // 0 for /dev/video0: what OpenCV's VideoCapture takes
	Card   string // the device's name, e.g. "HD Pro Webcam C920"
	Driver string // e.g. "uvcvideo"
	Bus    string // where it is plugged, e.g. "usb-0000:01:00.0-1.2"
}

func (c Camera) String() string {
	return fmt.Sprintf("%s (%s, %s) at %s", c.Card, c.Driver, c.Bus, c.Path)
}

// NodeError says why a video node is not offered as a camera.
type NodeError struct {
	Path string
	Err  error
}

func (e *NodeError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *NodeError) Unwrap() error { return e.Err }

// Discovery is what Discover found.
type Discovery struct {
	Dir string
	// Cameras are the capture devices, USB ones first (on a Raspberry Pi
	// the ISP's capture nodes are no camera the kiosk can use alone), then
	// by number.
	Cameras []Camera
	// Skipped are the other video nodes, each with its reason.
	Skipped []*NodeError
}

// capability is what VIDIOC_QUERYCAP says of a node.
type capability struct {
	driver, card, bus string
	capture           bool // a video capture device, not a codec or metadata node
}

// querier asks a node for its capability; queryCap is the real one.
type querier func(path string) (capability, error)

// Discover lists the videoN nodes in dir (DevDir on a kiosk) and sorts
// them into cameras and skipped nodes. It fails only when dir cannot be
// read; no camera at all is an empty Discovery (see Pick).
func Discover(dir string) (Discovery, error) {
	return discover(dir, queryCap)
}

func discover(dir string, query querier) (Discovery, error) {
	d := Discovery{Dir: dir}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return d, fmt.Errorf("camera: list %s: %w", dir, err)
	}
	for _, e := range entries {
		index, ok := videoIndex(e.Name())
		if !ok {
			continue
		}
		path := filepath.Join(dir, e.Name())
		c, err := query(path)
		switch {
		case errors.Is(err, fs.ErrPermission):
			d.Skipped = append(d.Skipped, &NodeError{path, fmt.Errorf("%w (is the kiosk's user in the video group?)", err)})
		case err != nil:
			d.Skipped = append(d.Skipped, &NodeError{path, err})
		case !c.capture:
			d.Skipped = append(d.Skipped, &NodeError{path, fmt.Errorf("%w: %q (%s)", ErrNotCapture, c.card, c.driver)})
		default:
			d.Cameras = append(d.Cameras, Camera{Path: path, Index: index, Card: c.card, Driver: c.driver, Bus: c.bus})
		}
	}
	slices.SortStableFunc(d.Cameras, func(a, b Camera) int {
		if ua, ub := isUSB(a), isUSB(b); ua != ub {
			if ua {
				return -1
			}
			return 1
		}
		return a.Index - b.Index
	})
	slices.SortFunc(d.Skipped, func(a, b *NodeError) int { return strings.Compare(a.Path, b.Path) })
	return d, nil
}

// videoIndex returns N for a node named videoN.
func videoIndex(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "video")
	if !ok || digits == "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n >= 0 && strconv.Itoa(n) == digits
}

func isUSB(c Camera) bool { return strings.HasPrefix(c.Bus, "usb-") }

// Pick returns the camera named by want — its path, card name or bus — or
// the first camera when want is empty. When there is none, the error wraps
// ErrNoCamera and every skipped node's error (so errors.Is tells "no
// permission" from "unplugged"), and says why each node was skipped.
func (d Discovery) Pick(want string) (Camera, error) {
	for _, c := range d.Cameras {
		if want == "" || want == c.Path || want == c.Card || want == c.Bus {
			return c, nil
		}
	}
	e := &noCameraError{causes: []error{ErrNoCamera}}
	var msg strings.Builder
	msg.WriteString("camera: no camera")
	if want != "" {
		fmt.Fprintf(&msg, " %q", want)
	}
	fmt.Fprintf(&msg, " in %s", d.Dir)
	switch {
	case len(d.Cameras) > 0:
		names := make([]string, len(d.Cameras))
		for i, c := range d.Cameras {
			names[i] = c.String()
		}
		fmt.Fprintf(&msg, "; cameras there: %s", strings.Join(names, ", "))
	case len(d.Skipped) == 0:
		msg.WriteString(": no video device (is the camera plugged in?)")
	}
	for _, s := range d.Skipped {
		msg.WriteString("; " + s.Error())
		e.causes = append(e.causes, s)
	}
	e.msg = msg.String()
	return Camera{}, e
}

// noCameraError is Pick's error: one line, wrapping ErrNoCamera and the
// reason of each skipped node.
type noCameraError struct {
	msg    string
	causes []error
}

func (e *noCameraError) Error() string   { return e.msg }
func (e *noCameraError) Unwrap() []error { return e.causes }
