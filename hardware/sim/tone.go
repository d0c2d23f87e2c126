package sim

import (
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/scuola/kiosk/hardware"
)

// toneWords is what the demo prints for each sound: Italian, then English.
var toneWords = map[hardware.Sound]string{
	hardware.SoundAdmit:   "suono: ammesso (admit tone)",
	hardware.SoundDeny:    "suono: non ammesso (deny tone)",
	hardware.SoundChecked: "suono: verificato (checked tone)",
}

// Tone is the simulated tone output. It is safe for concurrent use.
type Tone struct {
	mu     sync.Mutex
	w      io.Writer
	played []hardware.Sound
	closed bool
}

// NewTone returns a tone output that prints each sound to w (nil: no
// printing).
func NewTone(w io.Writer) *Tone { return &Tone{w: w} }

// Play records s and prints it. Like the real tone it refuses unknown
// sounds and use after Close.
func (t *Tone) Play(s hardware.Sound) error {
	words, ok := toneWords[s]
	if !ok {
		return fmt.Errorf("sim: unknown sound %v", s)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return fmt.Errorf("sim: play %v: %w", s, hardware.ErrClosed)
	}
	t.played = append(t.played, s)
	if t.w == nil {
		return nil
	}
	_, err := fmt.Fprintln(t.w, words)
	return err
}

// Close ends the output; it is idempotent.
func (t *Tone) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	return nil
}

// Played returns every sound played, in order.
func (t *Tone) Played() []hardware.Sound {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.played)
}
