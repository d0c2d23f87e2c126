//go:build !linux

package camera

import (
	"errors"
	"fmt"
)

// queryCap: V4L2 is Linux's; elsewhere no node is a camera.
func queryCap(path string) (capability, error) {
	return capability{}, fmt.Errorf("%w: %w", ErrNotV4L2, errors.ErrUnsupported)
}
