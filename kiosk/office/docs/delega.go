package docs

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/scanner/qrimage"
)

// The kiosk's camera, for which the badge's code is sized: 640 pixels
// across a horizontal field of view of 60° (USB webcams have 55–65°, the
// Raspberry Pi camera v2 62°), and the 2 pixels per module the kiosk's
// decoder needs on a camera-like view, with blur and sensor noise (the
// tests measure it with testdata/frames).
const (
	cameraPixels    = 640
	cameraFOV       = 60.0 // degrees, horizontal
	pixelsPerModule = 2.0
)

// The badge: a portrait card of the ID-1 size (85.6 × 54 mm, the size of
// a bank card, which laminating pouches and badge holders take), its QR
// code as wide as the card allows with a millimetre of white either side
// beyond the code's own quiet zone.
const (
	cardW, cardH = 54.0, 85.6
	cardQR       = 50.0 // side of the code, quiet zone included
)

// ReadingDistance is how far from the kiosk's camera, in millimetres, a
// printed code of side millimetres (quiet zone included) and modules
// modules across still gives the decoder its pixels per module.
func ReadingDistance(side float64, modules int) float64 {
	module := side / float64(modules)
	return cameraPixels * module / (2 * math.Tan(cameraFOV/2*math.Pi/180) * pixelsPerModule)
}

// Delega writes the Allegato A delegation as an A4 PDF: on the first page
// the head teacher's delegation of d's delegate, limited to viewing the
// check's result and the pupil's identity, with the delegate's duties and
// both signatures; on the second the badge that unlocks the kiosk, a card
// to cut out and laminate with the signed badge's QR code, the delegate's
// name, role and the delegation's last day.
//
// The badge payload is printed as given: the office makes it with
// kiosk/badge.Issue from the same delegation, so that the name on the card
// is the name the kiosk shows as operator.
func Delega(w io.Writer, l lang.Lang, s School, h HeadTeacher, d Delegation) error {
	if err := d.Validate(s, h); err != nil {
		return err
	}
	t, err := legalFor(l)
	if err != nil {
		return err
	}
	f := newFiller(map[string]string{
		"plesso": s.Plesso, "address": s.Address, "role": d.Role, "until": d.Until.Italian(),
	})
	title := l.Text(lang.DocDelegaTitle)
	doc := newDocument(l, s, title, lang.DocAnnexA, d.Issued, delegaBody)
	p := doc.pdf

	p.AddPage()
	doc.font("", doc.body.size, [3]int{})
	y := p.GetY()
	p.CellFormat(textW/2, 5, doc.tr(l.Text(lang.DocProtocol)), "", 0, "L", false, 0, "")
	p.CellFormat(textW/2, 5, doc.tr(s.City+", "+d.Issued.Italian()), "", 1, "R", false, 0, "")
	p.SetY(y + 10)
	doc.centred(title, "B", 12.5, navy, 5)
	doc.centred(strings.ToUpper(l.Text(lang.DocHeadTeacher)), "B", 10.5, [3]int{}, 3)
	for _, premise := range t.premises {
		doc.paragraph(f.fill(premise))
	}
	p.Ln(1)
	doc.centred(l.Text(lang.DocDelegaGrants), "B", 10.5, [3]int{}, 2.5)
	doc.centred(d.Delegate, "B", 11.5, navy, 2.5)
	doc.paragraph(f.fill(t.grant))
	doc.font("B", doc.body.size, [3]int{})
	p.CellFormat(0, doc.body.line+1, doc.tr(l.Text(lang.DocDelegaDuties)), "", 1, "L", false, 0, "")
	for i, duty := range t.duties {
		doc.item(string(rune('a'+i))+")", f.fill(duty))
	}
	p.Ln(doc.body.gap - 1.2)
	doc.paragraph(f.fill(t.terms))

	// The signatures: the head teacher's at the right, the delegate's
	// acceptance at the left, on one row; on a new page if the text ran
	// long.
	if p.GetY() > pageH-22-34 {
		p.AddPage()
	}
	y = p.GetY() + 4
	doc.signature(margin, y, 75, l.Text(lang.DocDelegaAccepts), d.Delegate)
	doc.signature(pageW-margin-75, y, 75, l.Text(lang.DocHeadTeacher), h.Name)
	if t.translation != "" {
		p.SetXY(margin, y+30)
		doc.font("I", 8, gray)
		p.MultiCell(0, 4, doc.tr(t.translation), "", "L", false)
	}

	if err := doc.badge(s, d); err != nil {
		return err
	}
	return doc.output(w)
}

// badge draws the second page: the instructions and the card to cut out,
// centred, with a dashed cutting line and the scissors on it.
func (doc *document) badge(s School, d Delegation) error {
	p := doc.pdf
	l := doc.l
	code, err := qrimage.Draw(d.BadgePayload, 0)
	if err != nil {
		return err
	}
	p.AddPage()
	doc.centred(l.Text(lang.DocBadgeTitle), "B", 12.5, navy, 4)
	// Rounded down: a distance promised to a person must not be overstated.
	cm := int(math.Floor(ReadingDistance(cardQR, code.Rect.Dx()) / 10))
	doc.paragraph(words(l, lang.DocBadgeHowTo, strconv.Itoa(cm)))

	x, y := (pageW-cardW)/2, p.GetY()+12
	// The cutting line, 1 mm outside the card so that a crooked cut
	// does not eat into it, and the scissors on its top edge.
	p.SetDrawColor(gray[0], gray[1], gray[2])
	p.SetLineWidth(0.25)
	p.SetDashPattern([]float64{2, 1.5}, 0)
	p.Rect(x-1, y-1, cardW+2, cardH+2, "D")
	p.SetDashPattern(nil, 0)
	p.SetFont("ZapfDingbats", "", 11)
	p.SetTextColor(gray[0], gray[1], gray[2])
	p.Text(x+6, y-0.1, "\x22") // ✂ in ZapfDingbats

	// The card: a band in the school's colour with its name, building and
	// code; the heading; the code; the delegate's name, role and last day.
	// Long names shrink, then wrap; a card they would overflow is an error
	// rather than a badge with hidden words.
	p.SetFillColor(navy[0], navy[1], navy[2])
	p.Rect(x, y, cardW, 14, "F")
	p.SetTextColor(255, 255, 255)
	p.SetXY(x+2, y+1.6)
	doc.cardLines(s.Name, "B", 7.5, 5, cardW-4)
	doc.cardLines(s.Plesso, "", 6.5, 4.5, cardW-4)
	p.SetFont("Helvetica", "", 5.5)
	p.CellFormat(cardW-4, 2.6, doc.tr(s.Code), "", 2, "C", false, 0, "")
	if p.GetY() > y+14 {
		return fmt.Errorf("docs: the school's name and building overflow the badge's band")
	}

	p.SetXY(x, y+15.3)
	doc.font("B", 7, navy)
	p.CellFormat(cardW, 3.5, doc.tr(l.Text(lang.DocBadgeHeading)), "", 2, "C", false, 0, "")

	qrY := y + 19
	doc.qr(code, x+(cardW-cardQR)/2, qrY, cardQR)
	p.SetXY(x+1.5, qrY+cardQR+0.4)
	p.SetTextColor(0, 0, 0)
	doc.cardLines(d.Delegate, "B", 10, 6, cardW-3)
	p.SetTextColor(gray[0], gray[1], gray[2])
	doc.cardLines(d.Role, "", 7.5, 5, cardW-3)
	until := y + cardH - 5
	if p.GetY() > until {
		return fmt.Errorf("docs: the delegate's name and role overflow the badge")
	}
	p.SetXY(x, until)
	doc.font("B", 8, navy)
	p.CellFormat(cardW, 4, doc.tr(words(l, lang.DocBadgeUntil, d.Until.Italian())), "", 2, "C", false, 0, "")
	p.SetLineWidth(0.2)
	return nil
}

// cardLines writes centred lines of the card at the current position,
// fitted by lines, and moves below them.
func (doc *document) cardLines(text, style string, size, least, w float64) {
	p := doc.pdf
	x := p.GetX()
	size, lines := doc.lines(text, style, size, least, w)
	for _, line := range lines {
		p.SetX(x)
		p.CellFormat(w, size*0.42, line, "", 2, "C", false, 0, "")
	}
}
