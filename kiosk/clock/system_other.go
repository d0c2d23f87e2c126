//go:build !linux

package clock

import "errors"

// System is the kernel's view of the clock; off Linux it is unknown, and
// only witnesses confirm the clock.
type System struct{}

// Synchronized implements Sync.
func (System) Synchronized() (bool, error) {
	return false, errors.New("clock: the synchronisation state is read on Linux only")
}
