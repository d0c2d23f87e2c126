package tone

import (
	"math"
	"testing"
	"time"

	"github.com/scuola/kiosk/hardware"
)

const testRate = 48000

// crossings counts the sign changes of s, skipping exact zeros.
func crossings(s []int16) int {
	n, prev := 0, 0
	for _, v := range s {
		sign := 0
		switch {
		case v > 0:
			sign = 1
		case v < 0:
			sign = -1
		}
		if sign != 0 {
			if prev != 0 && sign != prev {
				n++
			}
			prev = sign
		}
	}
	return n
}

// pitch estimates the frequency of s from its zero crossings: two per
// period.
func pitch(s []int16, rate int) float64 {
	return float64(crossings(s)) / 2 / (float64(len(s)) / float64(rate))
}

// magnitude is the amplitude of the f component of s (Goertzel).
func magnitude(s []int16, f float64, rate int) float64 {
	w := 2 * math.Pi * f / float64(rate)
	coeff := 2 * math.Cos(w)
	var s1, s2 float64
	for _, v := range s {
		s0 := float64(v) + coeff*s1 - s2
		s2, s1 = s1, s0
	}
	power := s1*s1 + s2*s2 - coeff*s1*s2
	return 2 * math.Sqrt(power) / float64(len(s))
}

// segments splits a rendered sound into its notes.
func segments(notes []note, s []int16, rate int) [][]int16 {
	var out [][]int16
	for _, n := range notes {
		k := frames(n.length, rate)
		out = append(out, s[:k])
		s = s[k:]
	}
	return out
}

func TestSoundsHaveTheirNotes(t *testing.T) {
	for sound, notes := range melodies {
		s := render(notes, testRate, 0.5)
		var total time.Duration
		for _, n := range notes {
			total += n.length
		}
		if want := frames(total, testRate); len(s) != want {
			t.Errorf("%v: %d frames, want %d (%v)", sound, len(s), want, total)
		}
		for i, seg := range segments(notes, s, testRate) {
			n := notes[i]
			if n.freq == 0 {
				for _, v := range seg {
					if v != 0 {
						t.Errorf("%v note %d: the gap is not silent", sound, i)
						break
					}
				}
				continue
			}
			if got := pitch(seg, testRate); math.Abs(got-n.freq) > 0.015*n.freq {
				t.Errorf("%v note %d: pitch %.1f Hz, want %.0f", sound, i, got, n.freq)
			}
		}
	}
}

func TestAdmitRisesAndDenyBuzzes(t *testing.T) {
	admit := segments(melodies[hardware.SoundAdmit], render(melodies[hardware.SoundAdmit], testRate, 0.5), testRate)
	if first, second := pitch(admit[0], testRate), pitch(admit[2], testRate); second <= first {
		t.Errorf("admit notes %.0f Hz then %.0f Hz: not rising", first, second)
	}
	// A pure sine has no third harmonic; the deny buzz has one about a
	// third of its fundamental.
	if h := magnitude(admit[0], 3*880, testRate) / magnitude(admit[0], 880, testRate); h > 0.01 {
		t.Errorf("admit note is not a pure tone: 3rd harmonic at %.3f of the fundamental", h)
	}
	deny := render(melodies[hardware.SoundDeny], testRate, 0.5)
	if h := magnitude(deny, 660, testRate) / magnitude(deny, 220, testRate); h < 0.28 || h > 0.38 {
		t.Errorf("deny 3rd harmonic at %.3f of the fundamental, want about 1/3", h)
	}
	if d := time.Duration(len(deny)) * time.Second / testRate; d < 2*90*time.Millisecond {
		t.Errorf("deny lasts %v: it should be clearly longer than an admit note", d)
	}
}

func TestNoClippingAndTheRequestedVolume(t *testing.T) {
	for _, volume := range []float64{0.1, 0.5, 1} {
		for sound, notes := range melodies {
			peak := 0
			for _, v := range render(notes, testRate, volume) {
				peak = max(peak, int(math.Abs(float64(v))))
			}
			want := volume * math.MaxInt16
			if float64(peak) > want+0.5 || float64(peak) < 0.99*want {
				t.Errorf("%v at volume %v: peak %d, want %.0f", sound, volume, peak, want)
			}
		}
	}
}

// Every note starts and ends at silence and ramps over the fade, so the
// speaker does not click.
func TestNotesFadeInAndOut(t *testing.T) {
	const full = 0.5 * math.MaxInt16
	ms := testRate / 1000
	for sound, notes := range melodies {
		s := render(notes, testRate, 0.5)
		for i, seg := range segments(notes, s, testRate) {
			if notes[i].freq == 0 {
				continue
			}
			if seg[0] != 0 || math.Abs(float64(seg[len(seg)-1])) > 0.01*full {
				t.Errorf("%v note %d starts at %d and ends at %d, want silence", sound, i, seg[0], seg[len(seg)-1])
			}
			for _, edge := range [][]int16{seg[:ms], seg[len(seg)-ms:]} {
				for _, v := range edge {
					if math.Abs(float64(v)) > 0.1*full {
						t.Errorf("%v note %d: sample %d within 1 ms of an end: no fade", sound, i, v)
						break
					}
				}
			}
		}
	}
}

// At a sample rate of 3000 Hz the deny buzz's 7th harmonic (1540 Hz) is
// above Nyquist; rendered anyway it would alias to 1460 Hz, a wrong note.
func TestHarmonicsAboveNyquistAreDropped(t *testing.T) {
	const rate = 3000
	deny := render(melodies[hardware.SoundDeny], rate, 0.5)
	fundamental := magnitude(deny, 220, rate)
	if alias := magnitude(deny, rate-7*220, rate) / fundamental; alias > 0.01 {
		t.Errorf("alias of the 7th harmonic at %.3f of the fundamental", alias)
	}
	if fifth := magnitude(deny, 5*220, rate) / fundamental; fifth < 0.15 {
		t.Errorf("5th harmonic (below Nyquist) at %.3f of the fundamental, want about 1/5", fifth)
	}
}

func BenchmarkRender(b *testing.B) {
	for sound, notes := range melodies {
		b.Run(sound.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				render(notes, testRate, 0.5)
			}
		})
	}
}
