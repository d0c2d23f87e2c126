//go:build !linux

package scanner

import "errors"

// OpenKeyboard is available on Linux only, where the kiosk runs; elsewhere
// read the scanner from standard input with NewLineReader.
func OpenKeyboard(path string, km Keymap) (*EventReader, error) {
	return nil, errors.New("scanner: keyboard input devices need Linux")
}
