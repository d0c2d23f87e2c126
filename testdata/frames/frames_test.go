package frames

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

// Every preset must keep the whole symbol and its quiet zone in the frame:
// a fixture whose code is cut off measures the generator, not the scanner.
func TestPresetsKeepTheCodeInFrame(t *testing.T) {
	text := CertificateLike(1, 560)
	for _, p := range Presets() {
		for seed := int64(0); seed < 3; seed++ {
			p.Scene.Seed = seed
			f, err := Render(text, p.Scene)
			if err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
			w, h := float64(f.Gray.Rect.Dx()), float64(f.Gray.Rect.Dy())
			side := (f.Corners[1][0] - f.Corners[0][0]) / float64(f.Modules)
			margin := 4 * max(side, 1)
			for _, c := range f.Corners {
				if c[0] < margin || c[1] < margin || c[0] > w-margin || c[1] > h-margin {
					t.Errorf("%s seed %d: corner %v outside the frame", p.Name, seed, c)
				}
			}
		}
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	s := Scene{Tilt: 20, Noise: 10, Glare: 1, Screen: true, Moire: 0.5, Seed: 7}
	a, err := Render("HC1:TEST", s)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Render("HC1:TEST", s)
	if !bytes.Equal(a.Gray.Pix, b.Gray.Pix) {
		t.Fatal("same scene and seed gave different frames")
	}
	s.Seed = 8
	c, _ := Render("HC1:TEST", s)
	if bytes.Equal(a.Gray.Pix, c.Gray.Pix) {
		t.Fatal("different seeds gave the same frame")
	}
}

func TestRenderRejectsBadScenes(t *testing.T) {
	for _, s := range []Scene{{Width: 100000, Height: 480}, {Width: 8, Height: 8}, {Tilt: 89}, {Curve: -1}, {Curve: 181}, {Lens: -0.6}} {
		if _, err := Render("x", s); err == nil {
			t.Errorf("scene %+v accepted", s)
		}
	}
}

func TestEmptyHasNoCode(t *testing.T) {
	g, err := Empty(Scene{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if g.Rect.Dx() != 640 || g.Rect.Dy() != 480 {
		t.Fatalf("default size %v", g.Rect)
	}
}

// Four quarter turns give the photo back pixel for pixel, and a variant's
// canvas holds the whole turned and scaled photo.
func TestVariant(t *testing.T) {
	f, err := Render("VARIANT", Scene{Width: 120, Height: 90, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	g := f.Gray
	for i := 0; i < 4; i++ {
		if g, err = Variant(g, 90, 1); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(g.Pix, f.Gray.Pix) || g.Rect != f.Gray.Rect {
		t.Fatal("four quarter turns changed the photo")
	}
	for _, c := range []struct {
		deg, scale float64
		w, h       int
	}{{90, 1, 90, 120}, {0, 0.5, 60, 45}, {0, 3, 360, 270}, {45, 1, 149, 149}} {
		v, err := Variant(f.Gray, c.deg, c.scale)
		if err != nil {
			t.Fatal(err)
		}
		if v.Rect.Dx() != c.w || v.Rect.Dy() != c.h {
			t.Errorf("%g° ×%g: %v, want %dx%d", c.deg, c.scale, v.Rect, c.w, c.h)
		}
	}
	if v, _ := Variant(f.Gray, 45, 1); v.Pix[0] != 255 {
		t.Errorf("corner of a turned photo is %d, want white", v.Pix[0])
	}
	if _, err := Variant(f.Gray, 0, 0); err == nil {
		t.Error("scale 0 accepted")
	}
}

// PhoneJPEG refuses orientations EXIF does not define, and its file is a
// JPEG of the stored pixels (Go's decoder ignores the tag).
func TestPhoneJPEG(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 64, 48))
	for _, o := range []uint16{0, 9} {
		if _, err := PhoneJPEG(g, o); err == nil {
			t.Errorf("orientation %d accepted", o)
		}
	}
	b, err := PhoneJPEG(g, 6)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width != 64 || cfg.Height != 48 {
		t.Fatalf("%v %+v", err, cfg)
	}
	if !bytes.Contains(b[:64], []byte("Exif\x00\x00II")) {
		t.Error("no EXIF segment after SOI")
	}
}

func TestSheetHoldsEveryCode(t *testing.T) {
	texts := []string{"one", "two", "three", "four", "five"}
	f, err := Sheet(texts, 3, Scene{Width: 1280, Height: 960, Size: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	// The scanner's tests check that every code on it is read.
	if f.Modules != 3*(21+8) {
		t.Errorf("sheet of %d modules, want %d (three cells of a version 1 code and its quiet zone)", f.Modules, 3*29)
	}
	if _, err := Sheet(texts, 2, Scene{}); err == nil {
		t.Error("five texts on a 2×2 sheet accepted")
	}
	if _, err := Sheet(nil, 2, Scene{}); err == nil {
		t.Error("an empty sheet accepted")
	}
}
