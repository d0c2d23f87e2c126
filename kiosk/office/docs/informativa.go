package docs

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"image/png"
	"io"
	"net/url"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/scanner/qrimage"
	"github.com/scuola/kiosk/verify/calendar"
)

// Notice is what the privacy notice (Allegato B) says about its school:
// the controller (the school and its head teacher), the DPO, the day it is
// published, and the address of its page on the school's website, printed
// with its QR code on the PDF (optional).
type Notice struct {
	School      School
	HeadTeacher HeadTeacher
	DPO         DPO
	Published   calendar.Day
	URL         string
}

// Page is the privacy notice ready for a template: every text filled in
// one language, to be escaped by whoever renders it. The PDF and the HTML
// page are both made from it, so they say the same thing.
type Page struct {
	Lang        string // ISO 639-1, for <html lang>
	Title       string
	Subtitle    string
	School      string // the institution and its building, one line
	Sections    []Section
	Published   string // "Pubblicata il 04/02/2022"
	Translation string // which language prevails, for a translation; empty in Italian
}

// Section is one heading of the notice and its paragraphs.
type Section struct {
	Heading    string
	Paragraphs []string
}

// NoticePage fills the privacy notice for n in l.
func NoticePage(l lang.Lang, n Notice) (Page, error) {
	if err := n.Validate(); err != nil {
		return Page{}, err
	}
	t, err := legalFor(l)
	if err != nil {
		return Page{}, err
	}
	s := n.School
	f := newFiller(map[string]string{
		"school": s.Name + " – " + s.Plesso, "address": s.Address, "code": s.Code, "email": s.Email,
		"head": n.HeadTeacher.Name, "dpo": n.DPO.Name, "dpo_email": n.DPO.Email,
	})
	p := Page{
		Lang:        string(l),
		Title:       l.Text(lang.DocNoticeTitle),
		Subtitle:    l.Text(lang.DocNoticeSubtitle),
		School:      s.Name + " – " + s.Plesso,
		Published:   words(l, lang.DocNoticePublish, n.Published.Italian()),
		Translation: t.translation,
	}
	for _, sec := range t.notice {
		out := Section{Heading: l.Text(sec.heading)}
		for _, para := range sec.paragraphs {
			out.Paragraphs = append(out.Paragraphs, f.fill(para))
		}
		p.Sections = append(p.Sections, out)
	}
	return p, nil
}

//go:embed notice.html
var noticeHTML string

var noticeTemplate = template.Must(template.New("notice").Parse(noticeHTML))

// WriteHTML writes the notice as a complete, self-contained HTML page (no
// script, no outside resource), for the school's website and for the
// kiosks' locked screens to link to. html/template escapes every text.
func (p Page) WriteHTML(w io.Writer) error {
	return noticeTemplate.Execute(w, p)
}

// Informativa writes the Allegato B privacy notice for n as an A4 PDF to
// publish; with n.URL, its last lines give the page's address and its QR
// code.
func Informativa(w io.Writer, l lang.Lang, n Notice) error {
	page, err := NoticePage(l, n)
	if err != nil {
		return err
	}
	doc := newDocument(l, n.School, page.Title, lang.DocAnnexB, n.Published, noticeBody)
	p := doc.pdf
	p.AddPage()
	doc.centred(page.Title, "B", 13, navy, 1.5)
	doc.centred(page.Subtitle, "", 9, gray, 2.5)
	for _, sec := range page.Sections {
		// A heading is kept with the first lines of its section.
		if p.GetY() > pageH-22-14 {
			p.AddPage()
		}
		doc.heading(sec.Heading)
		for _, para := range sec.Paragraphs {
			doc.paragraph(para)
		}
	}
	if page.Translation != "" {
		doc.font("I", 8, gray)
		p.MultiCell(0, 4, doc.tr(page.Translation), "", "L", false)
		p.Ln(doc.body.gap)
	}
	// The closing block, kept whole: the place, date and head teacher's
	// printed signature at the left, the page's address and code at the
	// right.
	const qrSide = 24.0
	if p.GetY() > pageH-22-qrSide-2 {
		p.AddPage()
	}
	y := p.GetY() + 1
	p.SetXY(margin, y)
	doc.font("", doc.body.size, [3]int{})
	p.CellFormat(90, 4.6, doc.tr(n.School.City+", "+n.Published.Italian()), "", 2, "L", false, 0, "")
	p.CellFormat(90, 4.6, doc.tr(l.Text(lang.DocHeadTeacher)), "", 2, "L", false, 0, "")
	doc.font("B", doc.body.size, [3]int{})
	p.CellFormat(90, 4.6, doc.tr(n.HeadTeacher.Name), "", 2, "L", false, 0, "")
	doc.font("I", 7, gray)
	p.MultiCell(80, 3.3, doc.tr(l.Text(lang.DocPrintedSign)), "", "L", false)
	if n.URL != "" {
		code, err := qrimage.Draw(n.URL, 0)
		if err != nil {
			return err
		}
		doc.qr(code, pageW-margin-qrSide, y, qrSide)
		const textX = margin + 92
		p.SetXY(textX, y+2)
		doc.font("", 8, gray)
		p.MultiCell(pageW-margin-qrSide-2-textX, 3.8, doc.tr(l.Text(lang.DocNoticeOnline)), "", "R", false)
		p.SetX(textX)
		doc.font("B", 8, navy)
		p.MultiCell(pageW-margin-qrSide-2-textX, 3.8, doc.tr(n.URL), "", "R", false)
	}
	return doc.output(w)
}

// Bounds of the notice's address and of its QR image.
const (
	maxURL           = 300
	minQRPx, maxQRPx = 64, 2048
)

// NoticeQR returns a PNG of the notice page's address as a QR code, size
// pixels square, for the kiosk's locked screen and for posters: families
// scan it to read the notice on their phone.
func NoticeQR(pageURL string, size int) ([]byte, error) {
	if err := checkURL(pageURL); err != nil {
		return nil, &FieldError{Field: "notice.url", Problem: err.Error()}
	}
	if size < minQRPx || size > maxQRPx {
		return nil, fmt.Errorf("docs: QR size %d pixels, want %d to %d", size, minQRPx, maxQRPx)
	}
	img, err := qrimage.Draw(pageURL, size)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// checkURL accepts the absolute http or https address of a public page.
func checkURL(s string) error {
	if len(s) > maxURL {
		return fmt.Errorf("%d characters, at most %d", len(s), maxURL)
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return errors.New("not a web address")
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return fmt.Errorf("%.40q is not an absolute http(s) address", s)
	case u.User != nil:
		return errors.New("an address with a user name or password")
	}
	return nil
}
