package hardware

import "errors"

// The faults the kiosk falls back on. Errors from the subpackages wrap them
// and name the chip, line or audio backend, so errors.Is picks the fallback
// and the message says what to fix.
var (
	// ErrNoGPIO: the light's chip or lines could not be opened; the kiosk
	// goes on with the screen only.
	ErrNoGPIO = errors.New("no GPIO light")
	// ErrNoAudioDevice: no audio output could be opened, or the one in use
	// went away; the kiosk goes on silently and says so once.
	ErrNoAudioDevice = errors.New("no audio device")
	// ErrClosed: the output was used after Close.
	ErrClosed = errors.New("output closed")
)
