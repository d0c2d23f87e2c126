package cv

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/frames"
)

func writePNG(t *testing.T, dir, name, text string) string {
	t.Helper()
	f, err := frames.Render(text, frames.Scene{Width: 320, Height: 240, Size: 0.6})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, f.Gray); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// hugePNG is a valid PNG header claiming 100000×100000 pixels.
func hugePNG() []byte {
	var b bytes.Buffer
	b.Write([]byte("\x89PNG\r\n\x1a\n"))
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit gray
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestReadGrayErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	good := writePNG(t, dir, "good.png", "HC1:X")
	data, _ := os.ReadFile(good)
	cases := map[string][]byte{
		"text.png":      []byte("not an image"),
		"truncated.png": data[:len(data)/2],
		"huge.png":      hugePNG(),
		"empty.jpg":     nil,
	}
	for name, content := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadGray(p); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name the file", name, err)
		}
	}
	if _, err := ReadGray(filepath.Join(dir, "missing.png")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	g, err := ReadGray(good)
	if err != nil || g.Rect.Dx() != 320 || g.Rect.Dy() != 240 {
		t.Fatalf("good file: %v %v", g.Rect, err)
	}
}

func TestImagesSource(t *testing.T) {
	dir := t.TempDir()
	a := writePNG(t, dir, "a.png", "HC1:A")
	b := writePNG(t, dir, "b.png", "HC1:B")
	src := OpenImages(a, filepath.Join(dir, "missing.png"), b)
	defer src.Close()
	ctx := context.Background()
	if f, err := src.Next(ctx); err != nil || f.Seq != 1 {
		t.Fatalf("first: %v", err)
	}
	if _, err := src.Next(ctx); err == nil || !strings.Contains(err.Error(), "missing.png") {
		t.Fatalf("missing file: %v", err)
	}
	if f, err := src.Next(ctx); err != nil || f.Seq != 3 {
		t.Fatalf("third: %v", err)
	}
	if _, err := src.Next(ctx); !errors.Is(err, io.EOF) {
		t.Fatalf("end: %v", err)
	}
}

func TestVideoSourceReadsEveryFrame(t *testing.T) {
	p := writeVideo(t, t.TempDir())
	v, err := OpenVideo(p)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	n := 0
	for {
		f, err := v.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if f.Seq != uint64(n) || f.Rect.Dx() != 320 || f.Rect.Dy() != 240 {
			t.Fatalf("frame %d: seq %d size %v", n, f.Seq, f.Rect)
		}
		f.Release()
	}
	if n != videoFrames {
		t.Fatalf("read %d frames, want %d", n, videoFrames)
	}
	if _, err := OpenVideo(filepath.Join(t.TempDir(), "none.avi")); err == nil {
		t.Fatal("missing video opened")
	}
}

// exifJPEG writes the gray frame of text as a JPEG whose EXIF orientation
// tag is o, as a phone stores a photo taken upright or on its side.
func exifJPEG(t *testing.T, dir, name, text string, o uint16) string {
	t.Helper()
	f, err := frames.Render(text, frames.Scene{Width: 320, Height: 240, Size: 0.6})
	if err != nil {
		t.Fatal(err)
	}
	b, err := frames.PhoneJPEG(f.Gray, o)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A portrait phone photo is stored landscape with orientation 6 (or 8):
// it used to be refused as corrupt because OpenCV turns it upright.
func TestReadGrayTurnsPhotosByTheirEXIFOrientation(t *testing.T) {
	dir := t.TempDir()
	dec := newDecoder(t, time.Second)
	for _, c := range []struct {
		orientation uint16
		w, h        int
	}{{1, 320, 240}, {3, 320, 240}, {6, 240, 320}, {8, 240, 320}} {
		name := fmt.Sprintf("o%d.jpg", c.orientation)
		g, err := ReadGray(exifJPEG(t, dir, name, "HC1:EXIF", c.orientation))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if g.Rect.Dx() != c.w || g.Rect.Dy() != c.h {
			t.Errorf("%s: %v, want %d×%d", name, g.Rect, c.w, c.h)
		}
		if !reads(dec.Decode(g), "HC1:EXIF") {
			t.Errorf("%s: code not read", name)
		}
	}
}
