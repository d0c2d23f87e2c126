//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package trustdata

// lockDir does not lock where flock is missing: the kiosk runs on Linux,
// and elsewhere only one sync at a time must be run by hand.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }
