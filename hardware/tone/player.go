package tone

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/scuola/kiosk/hardware"
)

// Config sets how tones are synthesised. The zero value is the default.
type Config struct {
	// SampleRate is the device's rate in frames per second; 0 means
	// 48000. miniaudio converts when the hardware differs.
	SampleRate int
	// Volume is the loudest sample as a fraction of full scale, in (0, 1];
	// 0 means 0.5.
	Volume float64
}

func (c Config) withDefaults() (Config, error) {
	if c.SampleRate == 0 {
		c.SampleRate = 48000
	}
	if c.Volume == 0 {
		c.Volume = 0.5
	}
	if c.SampleRate < 8000 || c.SampleRate > 192000 {
		return c, fmt.Errorf("tone: config: sample rate %d outside 8000–192000", c.SampleRate)
	}
	if c.Volume < 0 || c.Volume > 1 {
		return c, fmt.Errorf("tone: config: volume %v outside (0, 1]", c.Volume)
	}
	return c, nil
}

// Player plays the admit and deny tones. It is safe for concurrent use.
type Player struct {
	rate   int
	sounds map[hardware.Sound][]byte // signed 16-bit mono, native byte order

	mu     sync.Mutex
	rest   []byte // what is left to play of the current sound
	closed bool
	lost   bool // the device stopped without being asked

	backend string
	close   func() error
}

// newPlayer synthesises the sounds for c. The caller attaches a device.
func newPlayer(c Config) (*Player, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Player{rate: c.SampleRate, sounds: make(map[hardware.Sound][]byte, len(melodies))}
	for s, notes := range melodies {
		samples := render(notes, c.SampleRate, c.Volume)
		b := make([]byte, 0, 2*len(samples))
		for _, v := range samples {
			b = binary.NativeEndian.AppendUint16(b, uint16(v))
		}
		p.sounds[s] = b
	}
	return p, nil
}

// Play starts s, replacing any sound still playing, and returns at once:
// the device's callback plays it. It fails with hardware.ErrNoAudioDevice
// once the device has gone away, and with hardware.ErrClosed after Close.
func (p *Player) Play(s hardware.Sound) error {
	sound, ok := p.sounds[s]
	if !ok {
		return fmt.Errorf("tone: unknown sound %v", s)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.closed:
		return fmt.Errorf("tone: play %v: %w", s, hardware.ErrClosed)
	case p.lost:
		return fmt.Errorf("tone: play %v: %s device stopped: %w", s, p.backend, hardware.ErrNoAudioDevice)
	}
	p.rest = sound
	return nil
}

// Backend names the audio backend in use, e.g. "alsa", for the kiosk's
// start-up log.
func (p *Player) Backend() string { return p.backend }

// Close stops and releases the device. It is idempotent: later calls
// return the first call's result.
func (p *Player) Close() error { return p.close() }

// fill is the device's data callback: it copies the next samples of the
// current sound into out and silences the rest.
func (p *Player) fill(out []byte) {
	p.mu.Lock()
	n := copy(out, p.rest)
	p.rest = p.rest[n:]
	p.mu.Unlock()
	clear(out[n:])
}

// deviceStopped is the device's stop callback. The device only stops by
// itself when it is lost (a USB speaker unplugged, the sound server gone):
// Close removes the callback before it stops the device.
func (p *Player) deviceStopped() {
	p.mu.Lock()
	p.lost = true
	p.mu.Unlock()
}

// markClosed makes later Plays fail; the device is released after it.
func (p *Player) markClosed() {
	p.mu.Lock()
	p.closed = true
	p.rest = nil
	p.mu.Unlock()
}
