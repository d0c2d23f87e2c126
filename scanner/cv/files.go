package cv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // registers JPEG for the header check of DecodeGray
	_ "image/png"  // registers PNG for the header check of DecodeGray
	"io"
	"os"

	"gocv.io/x/gocv"

	"github.com/scuola/kiosk/scanner"
)

// MaxFileSize bounds an image file read into memory.
const MaxFileSize = 64 << 20

// ReadGray reads a PNG or JPEG file as an 8-bit gray image. Errors name the
// file and what was wrong with it.
func ReadGray(path string) (*image.Gray, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError already names the file
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, MaxFileSize>>20)
	}
	g, err := DecodeGray(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

// DecodeGray decodes PNG or JPEG bytes to 8-bit gray with OpenCV (libpng
// and libjpeg convert to gray while decoding, faster than Go's decoders
// plus a conversion). The dimensions are checked from the header first, so
// a crafted file cannot make it allocate more than MaxSide² bytes.
func DecodeGray(data []byte) (*image.Gray, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, errors.New("not a PNG or JPEG image")
	}
	if format != "png" && format != "jpeg" {
		return nil, fmt.Errorf("unsupported image format %s (want PNG or JPEG)", format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide {
		return nil, fmt.Errorf("image of %dx%d pixels outside 1..%d", cfg.Width, cfg.Height, MaxSide)
	}
	m, err := gocv.IMDecode(data, gocv.IMReadGrayScale)
	if err != nil {
		return nil, fmt.Errorf("cannot decode %s: %w", format, err)
	}
	defer m.Close()
	// A phone's photo is stored as the sensor saw it, with an EXIF tag
	// saying how to turn it: OpenCV turns it, so a portrait photo comes
	// out with its sides swapped, and the corners reported are those of
	// the picture as every viewer shows it.
	upright := m.Cols() == cfg.Width && m.Rows() == cfg.Height
	turned := m.Cols() == cfg.Height && m.Rows() == cfg.Width
	if m.Empty() || !(upright || turned) || m.Type() != gocv.MatTypeCV8U {
		return nil, fmt.Errorf("cannot decode %s image (corrupt data)", format)
	}
	pix, err := m.DataPtrUint8()
	if err != nil {
		return nil, err
	}
	g := image.NewGray(image.Rect(0, 0, m.Cols(), m.Rows()))
	copy(g.Pix, pix)
	return g, nil
}

// Images is a scanner.Source over image files: each file once, in order,
// then io.EOF. An unreadable file is an error naming it; the next call
// goes on with the following file.
type Images struct {
	paths []string
	seq   uint64
	pool  *scanner.FramePool
}

// OpenImages returns a source over the given files. They are read lazily,
// one per Next.
func OpenImages(paths ...string) *Images {
	return &Images{paths: paths, pool: scanner.NewFramePool(2)}
}

// Next reads the next file.
func (s *Images) Next(ctx context.Context) (*scanner.Frame, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(s.paths) == 0 {
		return nil, io.EOF
	}
	p := s.paths[0]
	s.paths = s.paths[1:]
	s.seq++
	g, err := ReadGray(p)
	if err != nil {
		return nil, err
	}
	f := s.pool.Get(g.Rect.Dx(), g.Rect.Dy())
	copy(f.Pix, g.Pix)
	f.Seq = s.seq
	return f, nil
}

// Close forgets the remaining files.
func (s *Images) Close() error {
	s.paths = nil
	return nil
}

// Video is a scanner.Source over every frame of a video file, in order and
// as fast as they are taken, then io.EOF: for offline debugging and tests.
// To play a file as if it were a camera (newest frame, real-time pace), use
// OpenCamera with the file as Device.
type Video struct {
	path string
	vc   *gocv.VideoCapture
	mat  gocv.Mat
	seq  uint64
	pool *scanner.FramePool
}

// OpenVideo opens a video file.
func OpenVideo(path string) (*Video, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	vc, err := gocv.OpenVideoCapture(path)
	if err != nil || !vc.IsOpened() {
		if vc != nil {
			vc.Close()
		}
		return nil, fmt.Errorf("%s: not a video OpenCV can read", path)
	}
	return &Video{path: path, vc: vc, mat: gocv.NewMat(), pool: scanner.NewFramePool(2)}, nil
}

// Next returns the next frame. Use a Video from one goroutine.
func (v *Video) Next(ctx context.Context) (*scanner.Frame, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if v.vc == nil {
		return nil, scanner.ErrClosed
	}
	if !v.vc.Read(&v.mat) || v.mat.Empty() {
		return nil, io.EOF
	}
	v.seq++
	f, err := grayFrame(v.mat, v.pool, v.seq)
	if err != nil {
		return nil, fmt.Errorf("%s: frame %d: %w", v.path, v.seq, err)
	}
	return f, nil
}

// Close releases the file.
func (v *Video) Close() error {
	if v.vc == nil {
		return nil
	}
	v.mat.Close()
	err := v.vc.Close()
	v.vc = nil
	return err
}
