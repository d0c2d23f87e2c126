package scanner

import (
	"testing"

	"github.com/scuola/kiosk/testdata/frames"
)

// The pure-Go decoder (CGO_ENABLED=0, no OpenCV stages) on the hot paths.

func BenchmarkPureGoEmpty640x480(b *testing.B) {
	g, err := frames.Empty(frames.Scene{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	d := NewDecoder(Options{})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d.Decode(g)
	}
}

func BenchmarkPureGoCertificate640x480(b *testing.B) {
	benchRead(b, preset(b, "clean-paper"))
}

// A certificate on a bottle: the lattice of alignment patterns (lattice.go)
// is what reads it.
func BenchmarkPureGoCurved640x480(b *testing.B) {
	benchRead(b, frames.Scene{Size: 0.6, Curve: 45, Tilt: 5, Roll: 10})
}

func benchRead(b *testing.B, s frames.Scene) {
	f, err := frames.Render(certificate, s)
	if err != nil {
		b.Fatal(err)
	}
	d := NewDecoder(Options{})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if rs := d.Decode(f.Gray); len(rs) != 1 {
			b.Fatal("not read")
		}
	}
}

func BenchmarkPureGoEmpty1280x720(b *testing.B) {
	g, err := frames.Empty(frames.Scene{Width: 1280, Height: 720, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	d := NewDecoder(Options{})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d.Decode(g)
	}
}
