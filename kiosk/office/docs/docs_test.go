package docs

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify/calendar"
)

// The inputs of the tests: a school with accents in its names, as real
// ones have, and a delegation whose badge the school's key signs.
func testSchool() School {
	return School{
		Code:    "MIEE8AB01X",
		Name:    "Istituto Comprensivo «Niccolò Tommaseo»",
		Plesso:  "Scuola primaria «Gianni Rodari»",
		Address: "Via Giosuè Carducci 12, 20123 Milano (MI)",
		City:    "Milano",
		Email:   "miic8ab00x@istruzione.it",
	}
}

func testHead() HeadTeacher { return HeadTeacher{Name: "Prof.ssa Lucia Ferrè"} }

func testDelegation(tb testing.TB) Delegation {
	d := Delegation{
		Delegate: "Maria Annunziata Bianchi",
		Role:     "collaboratrice scolastica",
		Issued:   calendar.Date(2022, 2, 4),
		Until:    calendar.Date(2022, 6, 30),
	}
	text, err := badge.Issue(fixtures.Load(tb).Signers["school"], badge.Badge{
		DelegationID: "D-2022-017", Name: d.Delegate, Role: d.Role, ValidUntil: d.Until, SchoolCode: testSchool().Code})
	if err != nil {
		tb.Fatal(err)
	}
	d.BadgePayload = text
	return d
}

func testNotice() Notice {
	return Notice{
		School: testSchool(), HeadTeacher: testHead(),
		DPO:       DPO{Name: "Studio Privacy Scuole S.r.l. – avv. Paolo Verdi", Email: "dpo@privacyscuole.it"},
		Published: calendar.Date(2022, 2, 7),
		URL:       "https://www.icmanzonimilano.edu.it/privacy/verifica-ingresso",
	}
}

// tool returns the path of a poppler-utils program; missing, it fails the
// test under CI (scripts/test installs it) and skips it elsewhere.
func tool(t *testing.T, name string) string {
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

// pdfText returns the text of one page of a PDF (0: every page), in
// reading order, as pdftotext extracts it.
func pdfText(t *testing.T, pdf []byte, page int) string {
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

// pdfPage renders one page of a PDF at dpi dots per inch, in gray, as the
// camera would see a printed sheet.
func pdfPage(t *testing.T, pdf []byte, page, dpi int) *image.Gray {
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

func writeTemp(t *testing.T, b []byte) string {
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
