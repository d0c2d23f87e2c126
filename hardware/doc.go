// Package hardware names what the kiosk's outputs can say — the light's
// signals and the tone's sounds — and the faults they report; its
// subpackages drive the real devices and their simulated twins.
//
//   - gpio: the entrance light on the Linux GPIO character device (pure Go).
//   - tone: the admit and deny tones through miniaudio (cgo, malgo).
//   - camera: discovery of V4L2 capture devices (pure Go).
//   - sim: the simulated light and tone for tests and the demo (pure Go).
//
// The kiosk declares the small interfaces it needs (a Light that can Show a
// Signal, a Tone that can Play a Sound) and uses these types directly, so
// every implementation agrees on one vocabulary.
//
// Safety: a crash of any part must never leave the light green. Every light
// here holds green as a lease of at most a hold time (DefaultHold unless
// configured) and falls back to off by itself; Close turns everything off;
// gpio.Reset turns the lines off from a fresh process after a crash.
package hardware
