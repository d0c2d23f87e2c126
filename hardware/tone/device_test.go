//go:build cgo

package tone

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gen2brain/malgo"

	"github.com/scuola/kiosk/hardware"
)

// capture collects what the device callback produced.
type capture struct {
	mu        sync.Mutex
	out       []byte
	callbacks int
}

func (c *capture) tap(out []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.out = append(c.out, out...)
	c.callbacks++
}

func (c *capture) snapshot() ([]byte, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.out), c.callbacks
}

// openNull opens the player on miniaudio's null backend: the real device
// path, with no sound card.
func openNull(t *testing.T) (*Player, *capture) {
	t.Helper()
	var c capture
	p, err := open(Config{}, []malgo.Backend{nullBackend}, c.tap)
	if err != nil {
		t.Fatalf("null backend: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p, &c
}

// waitFor waits up to 3 s for the device to have produced sound, and
// returns where it starts in the capture and the capture.
func (c *capture) waitFor(t *testing.T, sound []byte) (int, []byte) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		out, calls := c.snapshot()
		if i := bytes.Index(out, sound); i >= 0 {
			return i, out
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 3 s and %d callbacks (%d bytes) the device has not produced the %d bytes of the tone", calls, len(out), len(sound))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNullBackendDrivesTheCallbackWithTheTone(t *testing.T) {
	p, c := openNull(t)
	if p.Backend() != "null" {
		t.Errorf("backend %q, want null", p.Backend())
	}
	start := time.Now()
	if err := p.Play(hardware.SoundAdmit); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Millisecond {
		t.Errorf("Play blocked for %v", d)
	}
	want := p.sounds[hardware.SoundAdmit]
	at, out := c.waitFor(t, want)
	if !bytes.Equal(out[:at], make([]byte, at)) {
		t.Error("the device produced sound before the tone")
	}
	got := out[at : at+len(want)]
	samples := make([]int16, len(got)/2)
	binary.Decode(got, binary.NativeEndian, samples)
	first := samples[:frames(90*time.Millisecond, 48000)]
	if f := pitch(first, 48000); math.Abs(f-880) > 0.015*880 {
		t.Errorf("first note from the device at %.1f Hz, want 880", f)
	}
	_, calls := c.snapshot()
	t.Logf("%d callbacks, %d frames of tone", calls, len(samples))
}

func TestLostDeviceIsReported(t *testing.T) {
	p := newTestPlayer(t)
	d, err := startDevice(nullBackend, p.rate, p.callbacks(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	p.backend = "null"
	// The kiosk never stops its device, so a stop is a lost device (here
	// provoked through miniaudio itself, which then calls the callback).
	if err := d.dev.Stop(); err != nil {
		t.Fatal(err)
	}
	err = p.Play(hardware.SoundDeny)
	if !errors.Is(err, hardware.ErrNoAudioDevice) || !strings.Contains(err.Error(), "null device stopped") {
		t.Errorf("Play after the device stopped = %v, want ErrNoAudioDevice naming the backend", err)
	}
}

func TestCloseIsIdempotentAndLeavesNothingRunning(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 5 {
		p, c := openNull(t)
		p.Play(hardware.SoundDeny)
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		if err := p.Close(); err != nil {
			t.Errorf("second Close = %v", err)
		}
		_, calls := c.snapshot()
		time.Sleep(30 * time.Millisecond)
		if _, after := c.snapshot(); after != calls {
			t.Errorf("the callback ran %d times after Close", after-calls)
		}
		if err := p.Play(hardware.SoundAdmit); !errors.Is(err, hardware.ErrClosed) {
			t.Errorf("Play after Close = %v, want ErrClosed", err)
		}
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before, %d after five players", before, after)
	}
}

func TestNoBackendIsReportedByName(t *testing.T) {
	// Core Audio does not exist on Linux: the error names it and wraps
	// ErrNoAudioDevice, so the kiosk goes on silently.
	_, err := open(Config{}, []malgo.Backend{malgo.BackendCoreaudio}, nil)
	if !errors.Is(err, hardware.ErrNoAudioDevice) || !strings.Contains(err.Error(), "coreaudio: init:") {
		t.Errorf("open(coreaudio) = %v, want ErrNoAudioDevice naming coreaudio", err)
	}
}

// New on this machine: CI has no sound card, a developer's laptop has one.
// Either it plays, or it says which backends failed and why.
func TestNewHereEitherPlaysOrSaysWhy(t *testing.T) {
	p, err := New(Config{})
	if err != nil {
		t.Log(err)
		if !errors.Is(err, hardware.ErrNoAudioDevice) || !strings.Contains(err.Error(), "alsa: ") {
			t.Errorf("New = %v, want ErrNoAudioDevice saying what ALSA answered", err)
		}
		return
	}
	t.Logf("playing through %s", p.Backend())
	if err := p.Close(); err != nil {
		t.Error(err)
	}
}
