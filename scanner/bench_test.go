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
	f, err := frames.Render(certificate, preset(b, "clean-paper"))
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
