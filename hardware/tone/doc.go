// Package tone plays the kiosk's admit and deny tones: synthesised in Go
// (no sound files) and played through a miniaudio playback device via
// github.com/gen2brain/malgo, which needs cgo. A build without cgo
// compiles and reports hardware.ErrNoAudioDevice from New, so the rest of
// the kiosk still cross-compiles pure Go and runs silently.
//
// The device runs from New to Close, playing silence between tones, so
// Play only hands a sound to the device's callback: it never waits for the
// device, and a new sound replaces one still playing.
//
// Backends: on Linux PulseAudio (PipeWire's pulse server on Raspberry Pi
// OS), then ALSA, then JACK. Never miniaudio's null backend, which accepts
// sound and plays it to nobody: a kiosk with no speaker must know it has
// none and say so. The tests, which run where there is no sound card, use
// exactly that null backend so that the real device path runs; it is
// malgo.Backend(14), not malgo.BackendNull, which is wrong in malgo
// v0.11.24 (see nullBackend).
package tone
