package docs

import (
	"bytes"
	"errors"
	"html/template"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/testdata/poppler"
)

// The privacy notice names the controller, the DPO, the purpose, the legal
// basis, what is (not) kept and the rights, on one page to post, with
// the QR code of its page that reads back to the address.
func TestInformativa(t *testing.T) {
	n := testNotice()
	for _, tc := range []struct {
		l    lang.Lang
		want []string
	}{
		{lang.IT, []string{
			"Allegato B", "Informativa sul trattamento dei dati personali", "Titolare del trattamento",
			"nella persona del Dirigente Scolastico Prof.ssa Lucia Ferrè",
			"Studio Privacy Scuole S.r.l. – avv. Paolo Verdi", "dpo@privacyscuole.it",
			"decreto-legge 4 febbraio 2022, n. 5", "articolo 6, paragrafo 1, lettere c) ed e)",
			"I dati sono soltanto visualizzati: non vengono registrati, salvati, conservati né trasmessi",
			"Conservazione", "Nessuna", "articoli da 15 a 22", "Garante per la protezione dei dati personali",
			"Milano, 07/02/2022", "Firma autografa sostituita a mezzo stampa",
		}},
		{lang.EN, []string{
			"Annex B", "Privacy notice", "Data controller", "represented by the Head Teacher Prof.ssa Lucia Ferrè",
			"Decree-Law no. 5 of 4 February 2022", "article 6(1)(c) and (e)",
			"The data are only viewed: they are not recorded, saved, kept or transmitted",
			"Retention", "articles 15 to 22", "the Italian text prevails",
		}},
	} {
		var b bytes.Buffer
		if err := Informativa(&b, tc.l, n); err != nil {
			t.Fatal(err)
		}
		all := poppler.Text(t, b.Bytes(), 0)
		if pages := strings.Count(all, "\f"); pages != 1 {
			t.Errorf("%s: %d pages, want one to post", tc.l, pages)
		}
		text := poppler.OneLine(all)
		for _, w := range append(tc.want, "Istituto Comprensivo «Niccolò Tommaseo»", "MIEE8AB01X", "miic8ab00x@istruzione.it",
			"Via Giosuè Carducci 12, 20123 Milano (MI)") {
			if !strings.Contains(text, w) {
				t.Errorf("%s notice lacks %q:\n%s", tc.l, w, text)
			}
		}
		rs := scanner.NewDecoder(scanner.Options{Budget: time.Second}).Decode(poppler.Page(t, b.Bytes(), 1, 150))
		if len(rs) != 1 || rs[0].Text != n.URL {
			t.Errorf("%s: the page's code read as %d codes, want its address", tc.l, len(rs))
		}
	}
}

// The HTML page says what the PDF says (both come from NoticePage), in
// its language, escaping what the office typed.
func TestNoticePageHTML(t *testing.T) {
	n := testNotice()
	n.School.Plesso = `Plesso <b>"Rodari" & C.</b>`
	for _, l := range lang.All() {
		p, err := NoticePage(l, n)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Sections) != 9 {
			t.Errorf("%s: %d sections", l, len(p.Sections))
		}
		var b bytes.Buffer
		if err := p.WriteHTML(&b); err != nil {
			t.Fatal(err)
		}
		html := b.String()
		for _, w := range []string{`<html lang="` + string(l) + `">`, "<h1>" + p.Title + "</h1>",
			"&lt;b&gt;&#34;Rodari&#34; &amp; C.&lt;/b&gt;", "Prof.ssa Lucia Ferrè", "dpo@privacyscuole.it", p.Published} {
			if !strings.Contains(html, w) {
				t.Errorf("%s page lacks %q", l, w)
			}
		}
		if strings.Contains(html, "<b>") || strings.Contains(html, "<script") || strings.Contains(html, "http://") {
			t.Errorf("%s page: unescaped input, a script or an outside resource", l)
		}
		for _, s := range p.Sections {
			for _, para := range s.Paragraphs {
				if !strings.Contains(html, "<p>"+template.HTMLEscapeString(para)+"</p>") {
					t.Errorf("%s page lacks the paragraph %.40q", l, para)
				}
			}
		}
	}
}

func TestNoticeQR(t *testing.T) {
	url := testNotice().URL
	b, err := NoticeQR(url, 400)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("a %T, want gray", img)
	}
	if rs := scanner.NewDecoder(scanner.Options{}).Decode(g); len(rs) != 1 || rs[0].Text != url {
		t.Fatalf("the PNG read as %d codes", len(rs))
	}
	for _, bad := range []string{"", "www.scuola.it/privacy", "ftp://scuola.it/x", "https://", "https://u:p@scuola.it/",
		"https://scuola.it/" + strings.Repeat("a", maxURL), "javascript:alert(1)"} {
		var fe *FieldError
		if _, err := NoticeQR(bad, 400); !errors.As(err, &fe) || fe.Field != "notice.url" {
			t.Errorf("NoticeQR(%.30q): %v", bad, err)
		}
	}
	for _, size := range []int{0, minQRPx - 1, maxQRPx + 1} {
		if _, err := NoticeQR(url, size); err == nil {
			t.Errorf("size %d accepted", size)
		}
	}
}
