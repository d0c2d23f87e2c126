package tone

import (
	"math"
	"time"

	"github.com/scuola/kiosk/hardware"
)

// note is one part of a sound: a tone of frequency freq with the given
// harmonics, or silence when freq is 0.
type note struct {
	freq   float64 // Hz
	length time.Duration
	// harmonics are the amplitudes of the 1st, 2nd, 3rd… harmonic; nil is
	// a pure sine.
	harmonics []float64
}

// softSquare is a square wave's odd harmonics up to the 7th only: a buzz
// nobody takes for the admit chime, without a full square's harshness.
var softSquare = []float64{1, 0, 1.0 / 3, 0, 1.0 / 5, 0, 1.0 / 7}

// melodies are the sounds: admit is two short rising notes (A5, E6), deny
// one longer low buzz (A3), so they differ in pitch, rhythm and timbre;
// checked, the discreet mode's, is one short pure mid note (E5) that says
// nothing of the result.
var melodies = map[hardware.Sound][]note{
	hardware.SoundAdmit: {
		{freq: 880, length: 90 * time.Millisecond},
		{length: 40 * time.Millisecond},
		{freq: 1320, length: 140 * time.Millisecond},
	},
	hardware.SoundDeny: {
		{freq: 220, length: 450 * time.Millisecond, harmonics: softSquare},
	},
	hardware.SoundChecked: {
		{freq: 660, length: 120 * time.Millisecond},
	},
}

// fade is the raised-cosine ramp at both ends of every note. A note that
// starts or stops mid-wave is heard as a click.
const fade = 8 * time.Millisecond

// frames converts a duration to a number of frames at rate.
func frames(d time.Duration, rate int) int {
	return int(math.Round(d.Seconds() * float64(rate)))
}

// render synthesises notes at rate frames per second, mono, scaled so that
// the loudest sample is volume × full scale: never clipped.
func render(notes []note, rate int, volume float64) []int16 {
	total := 0
	for _, n := range notes {
		total += frames(n.length, rate)
	}
	wave := make([]float64, 0, total)
	for _, n := range notes {
		wave = appendNote(wave, n, rate)
	}
	peak := 0.0
	for _, v := range wave {
		peak = max(peak, math.Abs(v))
	}
	out := make([]int16, len(wave))
	if peak == 0 {
		return out
	}
	scale := volume * math.MaxInt16 / peak
	for i, v := range wave {
		out[i] = int16(math.Round(v * scale))
	}
	return out
}

// appendNote appends one note to wave, faded in and out, unscaled.
func appendNote(wave []float64, n note, rate int) []float64 {
	total := frames(n.length, rate)
	start := len(wave)
	wave = append(wave, make([]float64, total)...)
	if n.freq == 0 {
		return wave
	}
	harmonics := n.harmonics
	if harmonics == nil {
		harmonics = []float64{1}
	}
	ramp := min(frames(fade, rate), total/2)
	for i := range total {
		t := float64(i) / float64(rate)
		v := 0.0
		for h, a := range harmonics {
			f := n.freq * float64(h+1)
			if f >= float64(rate)/2 {
				break // above Nyquist it would alias into a wrong, lower note
			}
			if a != 0 {
				v += a * math.Sin(2*math.Pi*f*t)
			}
		}
		wave[start+i] = v * envelope(i, total, ramp)
	}
	return wave
}

// envelope is the gain of frame i of total: a raised cosine over ramp
// frames at each end, 1 in between.
func envelope(i, total, ramp int) float64 {
	edge := min(i, total-1-i)
	if edge >= ramp {
		return 1
	}
	return 0.5 * (1 - math.Cos(math.Pi*float64(edge)/float64(ramp)))
}
