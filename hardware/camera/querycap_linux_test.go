package camera

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The real VIDIOC_QUERYCAP path, on nodes that are not cameras: regular
// files in a fake /dev, a character device that is not V4L2 (/dev/null)
// and a node gone before it was opened.
func TestRealQueryOnNonCameras(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "video0"), nil, 0o600)
	d, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Cameras) != 0 || len(d.Skipped) != 1 || !errors.Is(d.Skipped[0], ErrNotV4L2) {
		t.Errorf("Discover on a regular file: %+v, want it skipped as not V4L2", d)
	}
	if _, err := queryCap("/dev/null"); !errors.Is(err, ErrNotV4L2) || !strings.Contains(err.Error(), "VIDIOC_QUERYCAP") {
		t.Errorf("queryCap(/dev/null) = %v, want ErrNotV4L2 from the ioctl", err)
	}
	if _, err := queryCap(filepath.Join(dir, "video9")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("queryCap(missing) = %v, want fs.ErrNotExist", err)
	}
}

func TestRealPermissionError(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root opens any file; the permission path is covered by TestPermissionIsToldApartFromUnplugged")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "video0"), nil, 0o000)
	d, _ := Discover(dir)
	if len(d.Skipped) != 1 || !errors.Is(d.Skipped[0], fs.ErrPermission) {
		t.Errorf("Discover on an unreadable node: %+v, want a permission error", d)
	}
}

func TestQuerycapIsTheKernelsNumber(t *testing.T) {
	if vidiocQuerycap != 0x80685600 {
		t.Errorf("VIDIOC_QUERYCAP = %#x, want 0x80685600 (<linux/videodev2.h>)", vidiocQuerycap)
	}
}
