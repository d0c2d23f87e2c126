package cv

import (
	"testing"

	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/testdata/frames"
)

// TestEveryCodeOfASheet: a thorough decoder (kiosk decode's) reads every
// code in view, not the first stage's only; a live one stops at the first
// but finds one, even where the finder patterns of neighbouring codes form
// triangles as plausible as a code's own.
func TestEveryCodeOfASheet(t *testing.T) {
	a := NewAssist()
	defer a.Close()
	thorough := scanner.NewDecoder(scanner.Options{Assist: a, Budget: capability, Thorough: true})
	live := scanner.NewDecoder(scanner.Options{Assist: a, Budget: capability})
	for _, p := range frames.SheetPresets() {
		for _, size := range [][2]int{{1280, 960}, {4032, 3024}} {
			s := p.Scene
			s.Width, s.Height = size[0], size[1]
			texts := frames.SheetTexts(p.Codes)
			f, err := frames.Sheet(texts, p.Cols, s)
			if err != nil {
				t.Fatal(err)
			}
			got := thorough.Decode(f.Gray)
			missing := 0
			for _, text := range texts {
				if !reads(got, text) {
					missing++
				}
			}
			if missing > 0 || len(got) != len(texts) {
				t.Errorf("%s at %dx%d: read %d codes, %d of the %d missing", p.Name, s.Width, s.Height, len(got), missing, len(texts))
			}
			if n := len(live.Decode(f.Gray)); n == 0 {
				t.Errorf("%s at %dx%d: the live decoder read nothing", p.Name, s.Width, s.Height)
			}
		}
	}
}
