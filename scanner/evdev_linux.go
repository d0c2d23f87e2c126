package scanner

import (
	"fmt"
	"os"
	"syscall"
)

// evIOCGrab is EVIOCGRAB, _IOW('E', 0x90, int): exclusive access to an
// input device.
const evIOCGrab = 0x40044590

// OpenKeyboard opens a keyboard-wedge scanner's input device (for example
// /dev/input/by-id/usb-…-event-kbd) and grabs it, so that what it types —
// a pupil's certificate — reaches this reader only, not the console or
// another program. The caller needs read access to the device (the input
// group).
func OpenKeyboard(path string, km Keymap) (*EventReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scanner: open keyboard: %w", err)
	}
	raw, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("scanner: keyboard %s: %w", path, err)
	}
	var errno syscall.Errno
	if err := raw.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, evIOCGrab, 1)
	}); err != nil || errno != 0 {
		f.Close()
		if err == nil {
			err = errno
		}
		return nil, fmt.Errorf("scanner: keyboard %s: not an input device or already grabbed: %w", path, err)
	}
	return NewEventReader(f, km), nil
}
