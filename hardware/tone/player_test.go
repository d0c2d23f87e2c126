package tone

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/hardware"
)

// drain runs the data callback in periods of 480 frames (10 ms at 48 kHz)
// until n bytes have been produced.
func drain(p *Player, n int) []byte {
	var out []byte
	buf := make([]byte, 2*480)
	for len(out) < n {
		p.fill(buf)
		out = append(out, buf...)
	}
	return out[:n]
}

func newTestPlayer(t *testing.T) *Player {
	t.Helper()
	p, err := newPlayer(Config{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFillPlaysTheSoundThenSilence(t *testing.T) {
	p := newTestPlayer(t)
	if got := drain(p, 960); !bytes.Equal(got, make([]byte, 960)) {
		t.Error("the device is given sound before any Play")
	}
	p.Play(hardware.SoundAdmit)
	want := p.sounds[hardware.SoundAdmit]
	got := drain(p, len(want)+960)
	if !bytes.Equal(got[:len(want)], want) {
		t.Error("the device is not given the admit tone as synthesised")
	}
	if !bytes.Equal(got[len(want):], make([]byte, 960)) {
		t.Error("the device is not given silence after the tone")
	}
}

func TestNewSoundReplacesThePlayingOne(t *testing.T) {
	p := newTestPlayer(t)
	p.Play(hardware.SoundDeny)
	drain(p, 960)
	p.Play(hardware.SoundAdmit)
	admit := p.sounds[hardware.SoundAdmit]
	if got := drain(p, len(admit)); !bytes.Equal(got, admit) {
		t.Error("after Play(admit) the device does not start the admit tone from its beginning")
	}
}

func TestPlayNeverWaits(t *testing.T) {
	p := newTestPlayer(t)
	done := make(chan struct{})
	go func() { // a device callback running all the time
		buf := make([]byte, 2*480)
		for {
			select {
			case <-done:
				return
			default:
				p.fill(buf)
			}
		}
	}()
	defer close(done)
	start := time.Now()
	for i := range 1000 {
		p.Play(hardware.Sound(1 + i%2))
	}
	if elapsed := time.Since(start); elapsed > 100*time.Millisecond {
		t.Errorf("1000 Plays against a busy callback took %v", elapsed)
	}
}

func TestPlayRefusals(t *testing.T) {
	p := newTestPlayer(t)
	if err := p.Play(0); err == nil || !strings.Contains(err.Error(), "Sound(0)") {
		t.Errorf("Play(0) = %v, want an error naming the sound", err)
	}
	p.backend = "alsa"
	p.deviceStopped()
	err := p.Play(hardware.SoundAdmit)
	if !errors.Is(err, hardware.ErrNoAudioDevice) || !strings.Contains(err.Error(), "alsa device stopped") {
		t.Errorf("Play after the device was lost = %v, want ErrNoAudioDevice naming the backend", err)
	}
	p.markClosed()
	if err := p.Play(hardware.SoundAdmit); !errors.Is(err, hardware.ErrClosed) {
		t.Errorf("Play after close = %v, want ErrClosed", err)
	}
}

func TestConfigRefusals(t *testing.T) {
	for _, c := range []Config{{SampleRate: 100}, {Volume: 1.5}, {Volume: -1}} {
		if _, err := newPlayer(c); err == nil || !strings.Contains(err.Error(), "tone: config") {
			t.Errorf("newPlayer(%+v) = %v, want a config error", c, err)
		}
	}
}
