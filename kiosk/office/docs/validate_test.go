package docs

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/testdata/poppler"
)

// Each wrong input is refused with an error naming its field, and nothing
// is written.
func TestValidationNamesTheField(t *testing.T) {
	good := testDelegation(t)
	cases := []struct {
		field  string
		change func(*School, *HeadTeacher, *Delegation)
	}{
		{"school.code", func(s *School, _ *HeadTeacher, _ *Delegation) { s.Code = "MI12" }},
		{"school.code", func(s *School, _ *HeadTeacher, _ *Delegation) { s.Code = "miee8ab01x" }},
		{"school.name", func(s *School, _ *HeadTeacher, _ *Delegation) { s.Name = "  " }},
		{"school.plesso", func(s *School, _ *HeadTeacher, _ *Delegation) { s.Plesso = strings.Repeat("Rodari ", 15) }},
		{"school.address", func(s *School, _ *HeadTeacher, _ *Delegation) { s.Address = "Via Roma 1\n20100 Milano" }},
		{"school.city", func(s *School, _ *HeadTeacher, _ *Delegation) { s.City = "" }},
		{"school.email", func(s *School, _ *HeadTeacher, _ *Delegation) { s.Email = "segreteria della scuola" }},
		{"school.email", func(s *School, _ *HeadTeacher, _ *Delegation) { s.Email = "Segreteria <a@b.it>" }},
		{"head_teacher.name", func(_ *School, h *HeadTeacher, _ *Delegation) { h.Name = "" }},
		{"delegation.delegate", func(_ *School, _ *HeadTeacher, d *Delegation) { d.Delegate = "Łucja Kowalska" }},
		{"delegation.delegate", func(_ *School, _ *HeadTeacher, d *Delegation) { d.Delegate = " Maria" }},
		{"delegation.delegate", func(_ *School, _ *HeadTeacher, d *Delegation) { d.Delegate = strings.Repeat("à", maxName+1) }},
		{"delegation.delegate", func(_ *School, _ *HeadTeacher, d *Delegation) { d.Delegate = "Maria\xff" }},
		{"delegation.role", func(_ *School, _ *HeadTeacher, d *Delegation) { d.Role = "" }},
		{"delegation.issued", func(_ *School, _ *HeadTeacher, d *Delegation) { d.Issued = 0 }},
		{"delegation.until", func(_ *School, _ *HeadTeacher, d *Delegation) { d.Until = d.Issued - 1 }},
		{"delegation.until", func(_ *School, _ *HeadTeacher, d *Delegation) { d.Until = d.Issued + 3650 }},
		{"delegation.badge_payload", func(_ *School, _ *HeadTeacher, d *Delegation) { d.BadgePayload = "HC1:NOTABADGE" }},
		{"delegation.badge_payload", func(_ *School, _ *HeadTeacher, d *Delegation) { d.BadgePayload = "KB1:" + strings.Repeat("A", 3000) }},
	}
	for _, tc := range cases {
		s, h, d := testSchool(), testHead(), good
		tc.change(&s, &h, &d)
		var b bytes.Buffer
		err := Delega(&b, lang.IT, s, h, d)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(err.Error(), tc.field+": ") {
			t.Errorf("%s: got %v", tc.field, err)
		}
		if b.Len() != 0 {
			t.Errorf("%s: %d bytes written for a refused input", tc.field, b.Len())
		}
	}
	// Every wrong field at once: one error each, for the form to mark.
	err := Delegation{}.Validate(School{}, HeadTeacher{})
	if n := strings.Count(err.Error(), "docs: "); n != 11 {
		t.Errorf("empty inputs: %d errors, want 11:\n%v", n, err)
	}

	n := testNotice()
	n.DPO.Email, n.Published, n.URL = "", 0, "scuola.it"
	err = Informativa(io.Discard, lang.IT, n)
	for _, f := range []string{"dpo.email", "notice.published", "notice.url"} {
		if err == nil || !strings.Contains(err.Error(), f+": ") {
			t.Errorf("notice: %s not named in %v", f, err)
		}
	}
	if _, err := NoticePage("de", testNotice()); err == nil {
		t.Error("a language without legal texts accepted")
	}
}

// The longest names the fields accept still fit the page and the card.
func TestLongestInputsFit(t *testing.T) {
	d := testDelegation(t)
	d.Delegate = strings.Repeat("Maria Annunziata ", 5)[:maxName-1] + "à"
	d.Role = strings.Repeat("collaboratrice ", 6)[:maxName]
	s := testSchool()
	s.Name = strings.Repeat("Istituto Comprensivo ", 6)[:maxTitle]
	s.Plesso = strings.Repeat("Scuola primaria ", 8)[:maxTitle]
	var b bytes.Buffer
	if err := Delega(&b, lang.IT, s, testHead(), d); err != nil {
		t.Fatal(err)
	}
	// The signatures may move to a page of their own; the badge is last.
	text := poppler.Text(t, b.Bytes(), 0)
	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	if last := poppler.OneLine(pages[len(pages)-1]); !strings.Contains(last, "Valida fino al 30/06/2022") || !strings.Contains(last, d.Delegate) {
		t.Errorf("the badge is not the last page:\n%s", last)
	}
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// The legal tables: every language of kiosk/lang has them, with as many
// clauses and sections as the Italian; every placeholder is one that the
// documents fill; every character prints with the core fonts.
func TestLegalTables(t *testing.T) {
	filled := map[string]bool{}
	for _, k := range []string{"plesso", "address", "role", "until", "school", "code", "email", "head", "dpo", "dpo_email"} {
		filled["{"+k+"}"] = true
	}
	it := legalTexts[lang.IT]
	for _, l := range lang.All() {
		tab, err := legalFor(l)
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.premises) != len(it.premises) || len(tab.duties) != len(it.duties) || len(tab.notice) != len(it.notice) {
			t.Errorf("%s: the tables' shape differs from the Italian", l)
		}
		all := append(append([]string{tab.grant, tab.terms, tab.translation}, tab.premises...), tab.duties...)
		for i, sec := range tab.notice {
			if sec.heading != it.notice[i].heading {
				t.Errorf("%s: section %d is %s, the Italian's %s", l, i, sec.heading, it.notice[i].heading)
			}
			all = append(append(all, l.Text(sec.heading)), sec.paragraphs...)
		}
		for _, s := range all {
			for _, p := range placeholder.FindAllString(s, -1) {
				if !filled[p] {
					t.Errorf("%s: %s is never filled (%.40q)", l, p, s)
				}
			}
			for _, r := range s {
				if !printable(r) {
					t.Errorf("%s: %q does not print (%.40q)", l, r, s)
				}
			}
		}
	}
	if legalTexts[lang.IT].translation != "" {
		t.Error("the Italian text is the original, not a translation")
	}
}

// Same inputs, same bytes: the PDF carries its own date, not the clock's.
func TestDelegaIsReproducible(t *testing.T) {
	d := testDelegation(t)
	if !bytes.Equal(makeDelega(t, lang.IT, d), makeDelega(t, lang.IT, d)) {
		t.Error("two runs made different PDFs")
	}
}

func BenchmarkDelega(b *testing.B) {
	d := testDelegation(b)
	s, h := testSchool(), testHead()
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := Delega(&out, lang.IT, s, h, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len()), "bytes/pdf")
}

// Whatever the office types, Delega returns an error or a PDF, never a
// panic.
func FuzzDelega(f *testing.F) {
	d := testDelegation(f)
	f.Add(d.Delegate, d.Role, "Scuola primaria")
	f.Add("", "\x00", strings.Repeat("W", 200))
	f.Fuzz(func(t *testing.T, delegate, role, plesso string) {
		dd := d
		dd.Delegate, dd.Role = delegate, role
		s := testSchool()
		s.Plesso = plesso
		var b bytes.Buffer
		err := Delega(&b, lang.IT, s, testHead(), dd)
		if err == nil && !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
			t.Fatal("no error and no PDF")
		}
	})
}
