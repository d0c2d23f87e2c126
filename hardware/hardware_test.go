package hardware

import "testing"

func TestNames(t *testing.T) {
	for v, want := range map[interface{ String() string }]string{
		SignalOff: "off", SignalAdmit: "admit", SignalDeny: "deny", SignalAttention: "attention", Signal(7): "Signal(7)",
		SoundAdmit: "admit", SoundDeny: "deny", SoundChecked: "checked", Sound(0): "Sound(0)",
	} {
		if got := v.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", v, got, want)
		}
	}
}

// The zero values are the harmless ones: a light that is off, and no sound
// (refused by the outputs) rather than the admit tone.
func TestZeroValuesAreSafe(t *testing.T) {
	var s Signal
	var snd Sound
	if s != SignalOff || snd == SoundAdmit || snd == SoundDeny {
		t.Errorf("zero Signal is %v, zero Sound is %v", s, snd)
	}
}
