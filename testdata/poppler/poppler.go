// Package poppler reads back the PDFs our programs make (the delegation, the
// privacy notice, the ATS's weekly summary) with poppler-utils, as a
// person's viewer and a camera would see them, for the tests that check
// their words and their codes.
package poppler

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tool returns the path of a poppler-utils program; missing, it fails the
// test under CI (scripts/test installs it) and skips it elsewhere.
func tool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not installed (poppler-utils): required under CI", name)
	}
	t.Skipf("%s not installed (apt-get install poppler-utils)", name)
	return ""
}

// Text returns the text of one page of a PDF (0: every page, separated by
// form feeds), in reading order, as pdftotext extracts it.
func Text(t testing.TB, pdf []byte, page int) string {
	t.Helper()
	args := []string{"-enc", "UTF-8"}
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	out, err := exec.Command(tool(t, "pdftotext"), append(args, writeTemp(t, pdf), "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// OneLine joins a text's words with single spaces, so that a phrase
// wrapped across lines still reads as one.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Page renders one page of a PDF at dpi dots per inch, in gray, as the
// camera would see a printed sheet.
func Page(t testing.TB, pdf []byte, page, dpi int) *image.Gray {
	t.Helper()
	out := filepath.Join(t.TempDir(), "page")
	p := strconv.Itoa(page)
	cmd := exec.Command(tool(t, "pdftoppm"), "-png", "-gray", "-r", strconv.Itoa(dpi), "-f", p, "-l", p, "-singlefile", writeTemp(t, pdf), out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
	f, err := os.ReadFile(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

func writeTemp(t testing.TB, b []byte) string {
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
