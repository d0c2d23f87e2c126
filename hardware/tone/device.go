//go:build cgo

package tone

import (
	"fmt"
	"strings"
	"sync"

	"github.com/gen2brain/malgo"

	"github.com/scuola/kiosk/hardware"
)

// nullBackend is miniaudio's null backend, ma_backend_null = 14. malgo
// v0.11.24's malgo.BackendNull is 13, which miniaudio reads as
// ma_backend_custom: malgo's enumeration lacks ma_backend_custom, so its
// last constant is one short. The constants before it are right.
const nullBackend = malgo.Backend(14)

// playbackBackends are the backends New tries, in order (see the package
// doc: never the null backend).
var playbackBackends = []malgo.Backend{malgo.BackendPulseaudio, malgo.BackendAlsa, malgo.BackendJack}

// backendNames are miniaudio's names of its backends (ma_get_backend_name).
var backendNames = map[malgo.Backend]string{
	malgo.BackendWasapi: "wasapi", malgo.BackendDsound: "dsound", malgo.BackendWinmm: "winmm",
	malgo.BackendCoreaudio: "coreaudio", malgo.BackendSndio: "sndio", malgo.BackendAudio4: "audio4",
	malgo.BackendOss: "oss", malgo.BackendPulseaudio: "pulseaudio", malgo.BackendAlsa: "alsa",
	malgo.BackendJack: "jack", malgo.BackendAaudio: "aaudio", malgo.BackendOpensl: "opensl",
	malgo.BackendWebaudio: "webaudio", nullBackend - 1: "custom", nullBackend: "null",
}

func backendName(b malgo.Backend) string {
	if name, ok := backendNames[b]; ok {
		return name
	}
	return fmt.Sprintf("backend %d", b)
}

// New synthesises the tones and starts a playback device on the first
// backend that has one. When none has, the error wraps
// hardware.ErrNoAudioDevice and says what each backend answered.
func New(c Config) (*Player, error) {
	return open(c, playbackBackends, nil)
}

// open is New with the backends to try and, for tests, a tap that sees
// every buffer the device is given after the player has filled it.
func open(c Config, backends []malgo.Backend, tap func(out []byte)) (*Player, error) {
	p, err := newPlayer(c)
	if err != nil {
		return nil, err
	}
	var failed []string
	for _, b := range backends {
		d, err := startDevice(b, p.rate, p.callbacks(tap))
		if err != nil {
			failed = append(failed, backendName(b)+": "+err.Error())
			continue
		}
		p.backend = backendName(b)
		p.close = sync.OnceValue(func() error {
			p.markClosed()
			return d.close()
		})
		return p, nil
	}
	return nil, fmt.Errorf("tone: %w: %s", hardware.ErrNoAudioDevice, strings.Join(failed, "; "))
}

// callbacks connect a device to p: it pulls samples with fill, and tells
// p when it stops. tap, when not nil, sees each buffer after fill.
func (p *Player) callbacks(tap func(out []byte)) malgo.DeviceCallbacks {
	return malgo.DeviceCallbacks{
		Data: func(out, _ []byte, _ uint32) {
			p.fill(out)
			if tap != nil {
				tap(out)
			}
		},
		Stop: p.deviceStopped,
	}
}

// device is a started miniaudio playback device and its context.
type device struct {
	ctx *malgo.AllocatedContext
	dev *malgo.Device
}

// startDevice opens and starts the default playback device of backend b:
// signed 16-bit mono at rate.
func startDevice(b malgo.Backend, rate int, callbacks malgo.DeviceCallbacks) (*device, error) {
	ctx, err := malgo.InitContext([]malgo.Backend{b}, malgo.ContextConfig{}, nil)
	if err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	cfg := malgo.DefaultDeviceConfig(malgo.Playback)
	cfg.Playback.Format = malgo.FormatS16
	cfg.Playback.Channels = 1
	cfg.SampleRate = uint32(rate)
	dev, err := malgo.InitDevice(ctx.Context, cfg, callbacks)
	if err != nil {
		freeContext(ctx)
		return nil, fmt.Errorf("open playback device: %w", err)
	}
	if err := dev.Start(); err != nil {
		dev.Uninit()
		freeContext(ctx)
		return nil, fmt.Errorf("start playback device: %w", err)
	}
	return &device{ctx, dev}, nil
}

// close stops the device and frees it and its context. Uninit drops the
// callbacks first, so the stop is not taken for a lost device.
func (d *device) close() error {
	d.dev.Uninit()
	return freeContext(d.ctx)
}

func freeContext(ctx *malgo.AllocatedContext) error {
	err := ctx.Uninit()
	ctx.Free()
	if err != nil {
		return fmt.Errorf("tone: release audio context: %w", err)
	}
	return nil
}
