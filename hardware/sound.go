package hardware

import "strconv"

// Sound is a tone the kiosk plays. The zero value is no sound and is
// refused, so that a forgotten field never plays the admit tone.
type Sound uint8

// The sounds.
const (
	SoundAdmit Sound = iota + 1 // two short rising notes
	SoundDeny                   // one longer low buzz
	// SoundChecked is the discreet mode's one soft note for every result:
	// classmates in the queue hear that a check happened, not its outcome.
	SoundChecked
)

// String returns the sound's English name, for logs.
func (s Sound) String() string {
	switch s {
	case SoundAdmit:
		return "admit"
	case SoundDeny:
		return "deny"
	case SoundChecked:
		return "checked"
	}
	return "Sound(" + strconv.Itoa(int(s)) + ")"
}
