package frames

import (
	"errors"
	"fmt"
	"math/rand"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// Sheet encodes each text as a QR code (error correction M, as labels and
// posters use), lays the codes out cols to a row on one square sheet, each
// in its cell turned by a right angle drawn from the seed, and photographs
// the sheet as the scene says; Size is the sheet's side as a fraction of
// the frame height. It makes the views of several codes at once (a page of
// labels, a poster, two phones) in which a reader must find every code,
// not only the first. Cells left over stay blank; the frame's Corners and
// Modules are the sheet's.
func Sheet(texts []string, cols int, s Scene) (*Frame, error) {
	if cols < 1 || len(texts) == 0 || len(texts) > cols*cols {
		return nil, fmt.Errorf("frames: %d texts do not fit a sheet of %d×%d", len(texts), cols, cols)
	}
	codes := make([][]bool, len(texts))
	dims := make([]int, len(texts))
	cell := 0
	for i, t := range texts {
		code, err := encoder.Encoder_encode(t, decoder.ErrorCorrectionLevel_M, map[gozxing.EncodeHintType]interface{}{})
		if err != nil {
			return nil, fmt.Errorf("frames: encode text %d: %w", i, err)
		}
		m := code.GetMatrix()
		n := m.GetWidth()
		codes[i], dims[i] = make([]bool, n*n), n
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				codes[i][y*n+x] = m.Get(x, y) == 1
			}
		}
		cell = max(cell, n+2*quiet)
	}
	side := cols * cell
	if side > 2000 {
		return nil, errors.New("frames: sheet of more than 2000 modules")
	}
	rng := rand.New(rand.NewSource(s.Seed ^ 0x5ee7))
	sheet := make([]bool, side*side)
	for i, c := range codes {
		n := dims[i]
		x0 := (i%cols)*cell + (cell-n)/2
		y0 := (i/cols)*cell + (cell-n)/2
		turn := rng.Intn(4)
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				// The module at (x, y) after turn quarter turns.
				u, v := x, y
				for k := 0; k < turn; k++ {
					u, v = n-1-v, u
				}
				sheet[(y0+v)*side+x0+u] = c[y*n+x]
			}
		}
	}
	return render(sheet, side, s)
}

// SheetPreset is a named view of several codes at once.
type SheetPreset struct {
	Name  string
	Codes int // how many codes, cols to a row
	Cols  int
	Scene Scene
}

// SheetPresets are the views of several codes the scanner's tests and
// benchmarks cover: a page of labels held at an angle, in dim light, a
// poster of 25 seen obliquely. Each keeps the whole sheet in frame.
func SheetPresets() []SheetPreset {
	return []SheetPreset{
		{"2×2, roll 30°, tilt 20°", 4, 2, Scene{Size: 0.6, Roll: 30, Tilt: 20}},
		{"3×3, flat", 9, 3, Scene{Size: 0.85, Tilt: 5}},
		{"3×3 less one, roll 135°, dim", 8, 3, Scene{Size: 0.65, Roll: 135, Light: 0.3, Noise: 4}},
		{"5×5, roll 60°, tilt 25°", 25, 5, Scene{Size: 0.65, Roll: 60, Tilt: 25}},
	}
}

// SheetTexts are n distinct texts of a URL's length for a sheet.
func SheetTexts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("https://scuola.example/etichetta/%03d", i)
	}
	return out
}
