//go:build !cgo

package tone

import (
	"fmt"

	"github.com/scuola/kiosk/hardware"
)

// New, in a build without cgo, checks c and reports that there is no
// audio output: miniaudio is C. The kiosk then runs silently, as it does
// on a machine without a sound card.
func New(c Config) (*Player, error) {
	if _, err := newPlayer(c); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("tone: built without cgo, so without miniaudio: %w", hardware.ErrNoAudioDevice)
}
