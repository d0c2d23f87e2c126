package main

import (
	"encoding/json"
	"fmt"
	"image"
	"io"
	"math"
	"strings"
	"time"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/scanner/cv"
)

func init() {
	kiosk.Commands["decode"] = cli.Command{Summary: "print the QR codes read in image files", Run: runDecode}
}

// decodeBudget is the time the cascade may spend on an image of up to
// budgetPixels. Offline there is no next frame to wait for, so it gets
// several times the live budget; a larger photo gets more in proportion,
// up to maxDecodeBudget: on a 12-megapixel photo a hard view (55° of yaw,
// 60° of tilt) takes about 200 ms on a quiet machine, and a busy or slower
// one must not turn that into a miss.
const (
	decodeBudget    = 250 * time.Millisecond
	budgetPixels    = 2_100_000 // a 1920×1080 frame
	maxDecodeBudget = time.Second
)

// budgetFor is the budget of an image of r's size.
func budgetFor(r image.Rectangle) time.Duration {
	b := time.Duration(float64(decodeBudget) * float64(r.Dx()*r.Dy()) / budgetPixels)
	return min(max(b, decodeBudget), maxDecodeBudget)
}

const decodeUsage = `usage: kiosk decode [--json] IMAGE...

Prints the text of each QR code found in each PNG or JPEG image, one line
per code (nothing for an image without one). With --json, one object per
line per code: {"file", "text", "corners": [[x,y] ×4], "ms"}, where ms is
the decoding time of the image in this process (file reading excluded).
Exit status: 0 even when no code is found; 2 for usage errors and for files
that cannot be read as images.
`

// decodeLine is the --json output of one code.
type decodeLine struct {
	File    string        `json:"file"`
	Text    string        `json:"text"`
	Corners [4][2]float64 `json:"corners"`
	MS      float64       `json:"ms"`
}

// runDecode is the measuring tool of the scanner: the same decoder as the
// kiosk, on image files. It prints codes because that is its contract; the
// scanner itself never prints or logs them.
func runDecode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	asJSON := false
	var files []string
	flags := true
	for _, a := range args {
		switch {
		case flags && a == "--":
			flags = false
		case flags && (a == "--json" || a == "-json"):
			asJSON = true
		case flags && (a == "-h" || a == "--help" || a == "-help"):
			fmt.Fprint(stdout, decodeUsage)
			return 0
		case flags && strings.HasPrefix(a, "-") && a != "-":
			fmt.Fprintf(stderr, "kiosk decode: unknown option %q\n\n%s", a, decodeUsage)
			return cli.ExitUsage
		default:
			files = append(files, a)
		}
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "kiosk decode: no image given\n\n%s", decodeUsage)
		return cli.ExitUsage
	}
	assist := cv.NewAssist()
	defer assist.Close()
	dec := newFileDecoder(assist)
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	status := 0
	for _, f := range files {
		img, err := cv.ReadGray(f)
		if err != nil {
			fmt.Fprintf(stderr, "kiosk decode: %v\n", err)
			status = cli.ExitUsage
			continue
		}
		start := time.Now()
		results := dec.Decode(img)
		ms := float64(time.Since(start).Microseconds()) / 1000
		for _, r := range results {
			if !asJSON {
				fmt.Fprintln(stdout, r.Text)
				continue
			}
			l := decodeLine{File: f, Text: r.Text, MS: ms}
			for i, c := range r.Corners {
				l.Corners[i] = [2]float64{round1(c.X), round1(c.Y)}
			}
			if err := enc.Encode(l); err != nil {
				fmt.Fprintf(stderr, "kiosk decode: %v\n", err)
				return 1
			}
		}
	}
	return status
}

// fileDecoder is the decoder of kiosk decode: the kiosk's cascade, with
// budgetFor each image, thorough (an image file is never an idle camera
// frame).
type fileDecoder struct{ d *scanner.Decoder }

func newFileDecoder(a *cv.Assist) fileDecoder {
	return fileDecoder{scanner.NewDecoder(scanner.Options{Budget: decodeBudget, Assist: a, Thorough: true})}
}

// Decode reads the codes in img.
func (f fileDecoder) Decode(img *image.Gray) []scanner.Result {
	return f.d.DecodeWithin(img, budgetFor(img.Rect))
}

// round1 keeps one decimal: corners are not more precise than that, and
// shorter lines are easier to read and compare.
func round1(x float64) float64 { return math.Round(x*10) / 10 }
