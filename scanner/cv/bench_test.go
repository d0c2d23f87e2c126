package cv

import (
	"fmt"
	"image"
	"testing"
	"time"

	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/testdata/frames"
)

// The live decoder: the kiosk's budget and the OpenCV assist.
func liveDecoder(b *testing.B) *scanner.Decoder {
	return newDecoder(b, scanner.DefaultBudget)
}

func benchFrame(b *testing.B, d *scanner.Decoder, g *image.Gray, want string) {
	b.Helper()
	b.ReportAllocs()
	read := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if reads(d.Decode(g), want) {
			read++
		}
	}
	b.StopTimer()
	if want != "" {
		b.ReportMetric(float64(read)/float64(b.N), "read/op")
	}
}

// An idle kiosk: a scene with nobody in front of the camera.
func benchEmpty(b *testing.B, w, h int) {
	g, err := frames.Empty(frames.Scene{Width: w, Height: h, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchFrame(b, liveDecoder(b), g, "")
}

func benchCertificate(b *testing.B, w, h int) {
	f, err := frames.Render(certificate, frames.Scene{Width: w, Height: h, Size: 0.55, Tilt: 5, Roll: 3})
	if err != nil {
		b.Fatal(err)
	}
	benchFrame(b, liveDecoder(b), f.Gray, certificate)
}

func BenchmarkEmpty640x480(b *testing.B)         { benchEmpty(b, 640, 480) }
func BenchmarkEmpty1280x720(b *testing.B)        { benchEmpty(b, 1280, 720) }
func BenchmarkEmpty1920x1080(b *testing.B)       { benchEmpty(b, 1920, 1080) }
func BenchmarkCertificate640x480(b *testing.B)   { benchCertificate(b, 640, 480) }
func BenchmarkCertificate1280x720(b *testing.B)  { benchCertificate(b, 1280, 720) }
func BenchmarkCertificate1920x1080(b *testing.B) { benchCertificate(b, 1920, 1080) }

// BenchmarkPresets reports, per camera-like condition, the time per frame
// and the share of frames read (read/op) over presetSeeds seeds.
func BenchmarkPresets(b *testing.B) {
	for _, p := range frames.Presets() {
		var imgs []*image.Gray
		for seed := int64(0); seed < presetSeeds; seed++ {
			p.Scene.Seed = seed
			f, err := frames.Render(certificate, p.Scene)
			if err != nil {
				b.Fatal(err)
			}
			imgs = append(imgs, f.Gray)
		}
		b.Run(p.Name, func(b *testing.B) {
			d := liveDecoder(b)
			b.ReportAllocs()
			read := 0
			for i := 0; i < b.N; i++ {
				if reads(d.Decode(imgs[i%len(imgs)]), certificate) {
					read++
				}
			}
			b.ReportMetric(float64(read)/float64(b.N), "read/op")
		})
	}
}

// BenchmarkBlackbox decodes each qr-blackbox set image after image, with
// the budget of kiosk decode; read/op is the share read correctly.
func BenchmarkBlackbox(b *testing.B) {
	for n := 1; n <= 6; n++ {
		set := blackbox(b, n)
		b.Run(fmt.Sprintf("qrcode-%d", n), func(b *testing.B) {
			d := newDecoder(b, 250*time.Millisecond)
			b.ReportAllocs()
			read := 0
			for i := 0; i < b.N; i++ {
				s := set[i%len(set)]
				if reads(d.Decode(s.img), s.text) {
					read++
				}
			}
			b.ReportMetric(float64(read)/float64(b.N), "read/op")
		})
	}
}
