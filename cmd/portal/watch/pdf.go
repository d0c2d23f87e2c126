package watch

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/verify/calendar"
)

// The summary's page: A4 landscape, in millimetres, so that a plesso's
// name and its five counts fit one line.
const (
	sheetW, sheetH = 297.0, 210.0
	sheetMargin    = 15.0
)

// The columns of the summary's table: the plesso's code and name, then
// the counts, right-aligned.
var summaryColumns = []struct {
	key lang.Key
	w   float64
}{
	{lang.WatchColCode, 28}, {lang.WatchColSchool, 97}, {lang.WatchColReports, 26}, {lang.WatchColAbsent, 26},
	{lang.WatchColIllness, 30}, {lang.WatchColMeasures, 30}, {lang.WatchColAlarms, 30},
}

// PDF writes the summary as a printable A4 page (more pages for a long
// list, the header repeated), in Helvetica with cp1252 so that Italian
// accents print. printed is the moment written in its footer.
func (s *Summary) PDF(w io.Writer, l lang.Lang, printed time.Time) error {
	pdf := fpdf.New("L", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("cp1252")
	title := l.Format(lang.WatchSummaryOf, s.ATS, s.From.Italian(), s.To.Italian())
	pdf.SetTitle(title, true)
	pdf.SetAuthor(s.ATS, true)
	pdf.SetCreator("portal", true)
	pdf.SetLang(string(l))
	pdf.SetCreationDate(printed)
	pdf.SetModificationDate(printed)
	pdf.SetMargins(sheetMargin, sheetMargin, sheetMargin)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	header := func() {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.SetFillColor(0x1f, 0x3a, 0x5f)
		pdf.SetTextColor(255, 255, 255)
		for i, c := range summaryColumns {
			align := "R"
			if i < 2 {
				align = "L"
			}
			pdf.CellFormat(c.w, 7, tr(l.Text(c.key)), "", 0, align, true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.SetHeaderFunc(func() {
		if pdf.PageNo() > 1 {
			header()
		}
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 7.5)
		pdf.SetTextColor(0x55, 0x5b, 0x66)
		pdf.CellFormat(sheetW/2-sheetMargin, 4, tr(l.Format(lang.WatchPrinted, printed.In(calendar.Rome).Format("02/01/2006 15:04"))), "", 0, "L", false, 0, "")
		pdf.CellFormat(sheetW/2-sheetMargin, 4, tr(l.Format(lang.WatchPage, pdf.PageNo(), "{nb}")), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 15)
	pdf.SetTextColor(0x1f, 0x3a, 0x5f)
	pdf.MultiCell(0, 7, tr(title), "", "L", false)
	pdf.SetFont("Helvetica", "", 9)
	pdf.SetTextColor(0x55, 0x5b, 0x66)
	note := lang.WatchSummaryNote
	if s.Regional {
		note = lang.WatchSummaryNoteRegional
	}
	pdf.MultiCell(0, 4.5, tr(l.Text(note)), "", "L", false)
	pdf.Ln(3)
	header()
	row := func(r SummaryRow, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 9)
		name := r.Name
		if r.Code == "" {
			name = l.Text("watch.whole")
		}
		cells := append([]string{r.Code, name}, s.Cells(r)...)
		for i, c := range summaryColumns {
			align := "R"
			if i < 2 {
				align = "L"
			}
			text := cells[i]
			for pdf.GetStringWidth(tr(text)) > c.w-2 && len([]rune(text)) > 4 {
				text = string([]rune(text)[:len([]rune(text))-2]) + "…"
			}
			pdf.CellFormat(c.w, 6, tr(text), "B", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	for _, r := range s.Schools {
		row(r, false)
	}
	row(s.Total, true)
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return fmt.Errorf("weekly summary of %s: writing the PDF: %w", s.ATS, err)
	}
	_, err := w.Write(b.Bytes())
	return err
}
