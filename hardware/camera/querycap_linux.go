package camera

import (
	"bytes"
	"fmt"
	"io/fs"
	"unsafe"

	"golang.org/x/sys/unix"
)

// v4l2Capability is struct v4l2_capability of <linux/videodev2.h>.
type v4l2Capability struct {
	Driver       [16]byte
	Card         [32]byte
	BusInfo      [32]byte
	Version      uint32
	Capabilities uint32
	DeviceCaps   uint32
	Reserved     [3]uint32
}

// vidiocQuerycap is VIDIOC_QUERYCAP, _IOR('V', 0, struct v4l2_capability),
// the same on amd64 and arm64.
const vidiocQuerycap = 2<<30 | uintptr(unsafe.Sizeof(v4l2Capability{}))<<16 | 'V'<<8 | 0

// Capability bits of <linux/videodev2.h>.
const (
	capVideoCapture       = 0x00000001
	capVideoCaptureMplane = 0x00001000
	capVideoM2MMplane     = 0x00004000
	capVideoM2M           = 0x00008000
	capDeviceCaps         = 0x80000000
)

// queryCap opens the node without blocking (a camera in use by another
// program still answers) and asks it VIDIOC_QUERYCAP.
func queryCap(path string) (capability, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return capability{}, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return capability{}, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFCHR {
		return capability{}, fmt.Errorf("%w: not a character device", ErrNotV4L2)
	}
	var c v4l2Capability
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), vidiocQuerycap, uintptr(unsafe.Pointer(&c))); errno != 0 {
		if errno == unix.ENOTTY || errno == unix.EINVAL {
			return capability{}, fmt.Errorf("%w: VIDIOC_QUERYCAP: %w", ErrNotV4L2, errno)
		}
		return capability{}, fmt.Errorf("VIDIOC_QUERYCAP: %w", errno)
	}
	caps := c.Capabilities
	if caps&capDeviceCaps != 0 {
		caps = c.DeviceCaps // this node's own, not the whole device's
	}
	return capability{
		driver:  cString(c.Driver[:]),
		card:    cString(c.Card[:]),
		bus:     cString(c.BusInfo[:]),
		capture: caps&(capVideoCapture|capVideoCaptureMplane) != 0 && caps&(capVideoM2M|capVideoM2MMplane) == 0,
	}, nil
}

// cString returns the NUL-terminated string in b.
func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
