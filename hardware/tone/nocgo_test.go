//go:build !cgo

package tone

import (
	"errors"
	"testing"

	"github.com/scuola/kiosk/hardware"
)

func TestWithoutCgoThereIsNoAudio(t *testing.T) {
	if _, err := New(Config{}); !errors.Is(err, hardware.ErrNoAudioDevice) {
		t.Errorf("New without cgo = %v, want ErrNoAudioDevice", err)
	}
	if _, err := New(Config{Volume: 2}); err == nil || errors.Is(err, hardware.ErrNoAudioDevice) {
		t.Errorf("New without cgo, bad config = %v, want the config error", err)
	}
}
