package docs

import (
	"fmt"
	"image"
	"io"

	"codeberg.org/go-pdf/fpdf"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/verify/calendar"
)

// The page: A4, in millimetres, with the margins of an Italian
// administrative letter.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 20.0
	textW        = pageW - 2*margin
)

// body is the size of a document's paragraphs: the font in points, the
// distance of their lines and the gap after each, in millimetres.
type body struct{ size, line, gap float64 }

// The delegation's text is set a little larger than the privacy notice's,
// which must fit one page to be posted at the entrance.
var (
	delegaBody = body{9.5, 4.4, 2.2}
	noticeBody = body{9, 4.0, 1.5}
)

// The colours: the school's dark blue for titles and rules, a gray for
// secondary lines; black text.
var (
	navy = [3]int{0x1f, 0x3a, 0x5f}
	gray = [3]int{0x55, 0x5b, 0x66}
)

// document is one PDF being drawn: fpdf with its cp1252 translator, the
// language and the school whose letterhead every page carries.
type document struct {
	pdf  *fpdf.Fpdf
	tr   func(string) string
	l    lang.Lang
	body body
}

// newDocument starts an A4 PDF with the school's letterhead on every page
// and a footer naming the annex and the page. The creation date is the
// document's own date, so that the same inputs make the same bytes.
func newDocument(l lang.Lang, s School, title string, annex lang.Key, date calendar.Day, b body) *document {
	pdf := fpdf.New("P", "mm", "A4", "")
	d := &document{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("cp1252"), l: l, body: b}
	pdf.SetMargins(margin, 42, margin)
	pdf.SetAutoPageBreak(true, 22)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(s.Name, true)
	pdf.SetSubject(l.Text(annex)+" — "+s.Plesso, true)
	pdf.SetCreator("kiosk office", true)
	pdf.SetLang(string(l))
	pdf.SetCreationDate(date.Start())
	pdf.SetModificationDate(date.Start())
	pdf.SetCatalogSort(true)
	pdf.AliasNbPages("{nb}")
	pdf.SetHeaderFunc(func() { d.letterhead(s, annex) })
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		d.font("", 7.5, gray)
		pdf.CellFormat(textW/2, 4, d.tr(l.Text(annex)+" · "+s.Code+" · "+title), "", 0, "L", false, 0, "")
		pdf.CellFormat(textW/2, 4, d.tr(words(l, lang.DocPage, fmt.Sprint(pdf.PageNo()), "{nb}")), "", 0, "R", false, 0, "")
	})
	return d
}

// letterhead draws the school's name, building, address and code, the
// annex's label and a rule under them.
func (d *document) letterhead(s School, annex lang.Key) {
	p := d.pdf
	const w = textW - 32 // left of the annex label
	p.SetXY(margin, 14)
	d.font("B", d.fit(s.Name, "B", 12.5, 7.5, w), navy)
	p.CellFormat(w, 6, d.tr(s.Name), "", 2, "L", false, 0, "")
	d.font("", d.fit(s.Plesso, "", 9.5, 7, w), [3]int{})
	p.CellFormat(w, 4.6, d.tr(s.Plesso), "", 2, "L", false, 0, "")
	d.font("", 8.5, gray)
	p.CellFormat(textW-30, 4.2, d.tr(s.Address+" · "+s.Email), "", 2, "L", false, 0, "")
	p.CellFormat(textW-30, 4.2, d.tr(words(d.l, lang.DocSchoolCode, s.Code)), "", 2, "L", false, 0, "")
	// The annex label, boxed at the right.
	d.font("B", 8.5, navy)
	p.SetDrawColor(navy[0], navy[1], navy[2])
	p.SetLineWidth(0.3)
	p.SetXY(pageW-margin-28, 14.5)
	p.CellFormat(28, 6, d.tr(d.l.Text(annex)), "1", 0, "C", false, 0, "")
	p.SetLineWidth(0.6)
	p.Line(margin, 35, pageW-margin, 35)
	p.SetLineWidth(0.2)
	p.SetXY(margin, 42)
}

// font sets the font (Helvetica, the style "", "B", "I" or "BI") and the
// text colour.
func (d *document) font(style string, size float64, c [3]int) {
	d.pdf.SetFont("Helvetica", style, size)
	d.pdf.SetTextColor(c[0], c[1], c[2])
}

// paragraph writes justified body text and leaves a paragraph's gap.
func (d *document) paragraph(text string) {
	d.font("", d.body.size, [3]int{})
	d.pdf.MultiCell(0, d.body.line, d.tr(text), "", "J", false)
	d.pdf.Ln(d.body.gap)
}

// centred writes one centred line (a title, a name) and a gap after it.
func (d *document) centred(text, style string, size float64, c [3]int, after float64) {
	d.font(style, size, c)
	d.pdf.MultiCell(0, size*0.45, d.tr(text), "", "C", false)
	d.pdf.Ln(after)
}

// heading writes a section heading of the privacy notice.
func (d *document) heading(text string) {
	d.pdf.Ln(0.4)
	d.font("B", 10, navy)
	d.pdf.MultiCell(0, 4.8, d.tr(text), "", "L", false)
	d.pdf.Ln(0.3)
}

// item writes one entry of a lettered list, its lines hanging after the
// label.
func (d *document) item(label, text string) {
	const indent = 7
	p := d.pdf
	d.font("", d.body.size, [3]int{})
	y := p.GetY()
	p.SetX(margin + 1)
	p.CellFormat(indent-1, d.body.line, label, "", 0, "L", false, 0, "")
	p.SetXY(margin+indent, y)
	p.MultiCell(textW-indent, d.body.line, d.tr(text), "", "J", false)
	p.Ln(1.2)
}

// signature draws a signature block of width w at x: the title, the
// signer's name, and the line to sign on with its label under it.
func (d *document) signature(x, y, w float64, title, name string) {
	p := d.pdf
	p.SetXY(x, y)
	d.font("", d.body.size, [3]int{})
	p.CellFormat(w, 5, d.tr(title), "", 2, "C", false, 0, "")
	d.font("B", d.body.size, [3]int{})
	p.CellFormat(w, 5, d.tr(name), "", 2, "C", false, 0, "")
	p.SetDrawColor(0, 0, 0)
	p.Line(x+6, y+22, x+w-6, y+22)
	p.SetXY(x, y+23)
	d.font("I", 7.5, gray)
	p.CellFormat(w, 3.5, d.tr(d.l.Text(lang.DocSignature)), "", 2, "C", false, 0, "")
}

// qr draws a QR code drawn by scanner/qrimage at one pixel per module
// (qrimage.Draw(text, 0)) with its top-left corner at (x, y) and side
// millimetres across, quiet zone included. The modules are filled
// rectangles (a row's run of dark modules is one): vector shapes stay
// sharp on any printer, where a scaled bitmap would be smoothed by some
// viewers.
func (d *document) qr(img *image.Gray, x, y, side float64) {
	n := img.Rect.Dx()
	m := side / float64(n)
	p := d.pdf
	p.SetFillColor(0, 0, 0)
	for row := 0; row < n; row++ {
		line := img.Pix[row*img.Stride : row*img.Stride+n]
		for col := 0; col < n; {
			if line[col] != 0 {
				col++
				continue
			}
			run := col
			for run < n && line[run] == 0 {
				run++
			}
			// A hair wider than the module, so that viewers' anti-aliasing
			// leaves no seams between rows.
			p.Rect(x+float64(col)*m, y+float64(row)*m, float64(run-col)*m+0.01, m+0.01, "F")
			col = run
		}
	}
}

// fit returns the largest font size, from size down to least, at which
// text is at most w millimetres wide in the given style; least if none.
func (d *document) fit(text, style string, size, least, w float64) float64 {
	for ; size > least; size -= 0.25 {
		d.pdf.SetFont("Helvetica", style, size)
		if d.pdf.GetStringWidth(d.tr(text)) <= w {
			return size
		}
	}
	return least
}

// lines fits text to w millimetres: on one line at the largest size from
// size down to least, or else wrapped at least. It sets that font and
// returns the size and the lines, translated for the core fonts.
func (d *document) lines(text, style string, size, least, w float64) (float64, []string) {
	size = d.fit(text, style, size, least, w)
	d.pdf.SetFont("Helvetica", style, size)
	lines := d.pdf.SplitText(text, w) // measured in UTF-8: Latin-1 widths are cp1252's
	for i := range lines {
		lines[i] = d.tr(lines[i])
	}
	return size, lines
}

// output writes the PDF, or the first error met while drawing it.
func (d *document) output(w io.Writer) error {
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("docs: writing the PDF: %w", err)
	}
	return nil
}
