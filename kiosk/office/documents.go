package office

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"strings"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/office/docs"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/scanner/qrimage"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/issue"
)

// The printable documents: the badge of a delegation, its Allegato A
// (kiosk/office/docs, with the badge's QR on it), and the Allegato B
// privacy notice, as a PDF and as a public page families reach from the
// kiosks' QR.

// delegationBadge serves the badge QR of a current delegation, signed now
// with the school's key.
func (s *Server) delegationBadge(w http.ResponseWriter, rq *request) {
	d, _, text, ok := s.currentBadge(w, rq)
	if !ok {
		return
	}
	s.qrPNG(w, rq, text, 480, fmt.Sprintf("badge-%s.png", d.BadgeID()))
}

// qrPNG serves a QR of text as a PNG of side px.
func (s *Server) qrPNG(w http.ResponseWriter, rq *request, text string, side int, filename string) {
	img, err := qrimage.Draw(text, side)
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		s.internal(w, rq, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename=%q`, filename))
	w.Write(b.Bytes())
}

// currentBadge is the path's current delegation with its badge as the
// kiosks read it, signed now with the school's key.
func (s *Server) currentBadge(w http.ResponseWriter, rq *request) (store.Delegation, store.School, string, bool) {
	d, sc, ok := s.currentDelegation(w, rq)
	if !ok {
		return d, sc, "", false
	}
	signer, err := issue.ParseSignerPEM([]byte(sc.KeyPEM))
	if err == nil {
		var text string
		text, err = badge.Issue(signer, badge.Badge{DelegationID: d.BadgeID(), Name: d.Name, Role: d.Role, ValidUntil: d.ValidUntil, SchoolCode: sc.Code})
		if err == nil {
			return d, sc, text, true
		}
	}
	s.internal(w, rq, fmt.Errorf("signing the badge with the school's key: %w", err))
	return d, sc, "", false
}

// currentDelegation finds the path's delegation, refusing a revoked or
// ended one: its badge or document would be a lie.
func (s *Server) currentDelegation(w http.ResponseWriter, rq *request) (store.Delegation, store.School, bool) {
	id, ok := pathID(rq, "id")
	if !ok {
		http.NotFound(w, rq.Request)
		return store.Delegation{}, store.School{}, false
	}
	d, err := s.store.Delegation(rq.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, rq.Request)
		return d, store.School{}, false
	}
	sc, err2 := s.store.School(rq.Context())
	if err = errors.Join(err, err2); err != nil {
		s.internal(w, rq, err)
		return d, sc, false
	}
	if !d.Current(s.today()) {
		s.fail(w, rq, http.StatusConflict, lang.OfficeNoBadge)
		return d, sc, false
	}
	return d, sc, true
}

// delegationPDF serves the Allegato A of a current delegation, with its
// badge ready to cut out and laminate, dated the day it is printed (the day
// the head teacher signs it).
func (s *Server) delegationPDF(w http.ResponseWriter, rq *request) {
	d, sc, text, ok := s.currentBadge(w, rq)
	if !ok {
		return
	}
	school, head := docsSchool(sc)
	dd := docs.Delegation{Delegate: d.Name, Role: d.Role, Issued: s.today(), Until: d.ValidUntil, BadgePayload: text}
	s.pdf(w, rq, fmt.Sprintf("delega-%s.pdf", d.BadgeID()), func(out io.Writer) error {
		return docs.Delega(out, rq.lang, school, head, dd)
	})
}

// informativa serves the Allegato B as a PDF to publish.
func (s *Server) informativa(w http.ResponseWriter, rq *request) {
	n, err := s.notice(rq)
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	s.pdf(w, rq, "informativa.pdf", func(out io.Writer) error { return docs.Informativa(out, rq.lang, n) })
}

// informativaPage is the privacy notice as a page anyone may read: the
// kiosks' locked screen links to it with a QR a family can scan.
func (s *Server) informativaPage(w http.ResponseWriter, r *http.Request) {
	rq := &request{Request: r, lang: requestLang(r)}
	n, err := s.notice(rq)
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	p, err := docs.NoticePage(rq.lang, n)
	if err != nil {
		s.documentFailed(w, rq, err)
		return
	}
	var b bytes.Buffer
	if err := p.WriteHTML(&b); err != nil {
		s.internal(w, rq, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The page is whole in itself, to be saved or published anywhere: its
	// style is inline. It has no script, form or outside resource.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.Write(b.Bytes())
}

// notice is the privacy notice of the school as it is today.
func (s *Server) notice(rq *request) (docs.Notice, error) {
	sc, err := s.store.School(rq.Context())
	if err != nil {
		return docs.Notice{}, err
	}
	published := sc.Updated
	if published == 0 {
		published = s.today()
	}
	return noticeOf(sc, published), nil
}

// noticeOf is the privacy notice of a school's details.
func noticeOf(sc store.School, published calendar.Day) docs.Notice {
	school, head := docsSchool(sc)
	return docs.Notice{School: school, HeadTeacher: head, DPO: docs.DPO{Name: sc.DPOName, Email: sc.DPOEmail},
		Published: published, URL: sc.InformativaURL}
}

// docsSchool is what the documents print of the school.
func docsSchool(sc store.School) (docs.School, docs.HeadTeacher) {
	return docs.School{Code: sc.Code, Name: sc.Institution, Plesso: sc.Name, Address: sc.Address, City: sc.City, Email: sc.Email},
		docs.HeadTeacher{Name: sc.HeadTeacher}
}

// pdf writes a document whole, or a page naming what the school's details
// lack for it.
func (s *Server) pdf(w http.ResponseWriter, rq *request, name string, write func(io.Writer) error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		s.documentFailed(w, rq, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	w.Write(b.Bytes())
}

// docsInput is where the office takes one of the documents' fields from:
// the input's name on its page, and its label.
type docsInput struct {
	name  string
	label lang.Key
}

// docsFields maps each field the documents check to its input: the school
// page's, and the delegation form's.
var docsFields = func() map[string]docsInput {
	m := map[string]docsInput{
		"delegation.delegate": {"name", lang.OfficeFieldDelegate},
		"delegation.role":     {"role", lang.OfficeFieldRole},
		"delegation.until":    {"valid_until", lang.OfficeFieldValidUntil},
	}
	for _, f := range schoolFields {
		m[f.Docs] = docsInput{f.Name, f.Label}
	}
	return m
}()

// docsField adds a document's field error to a form, in the person's
// words; false for a field the office has no input for.
func docsField(f *form, e *docs.FieldError) bool {
	in, ok := docsFields[e.Field]
	if !ok {
		return false
	}
	problem := lang.OfficeErrDocsField
	switch {
	case e.Problem == "empty":
		problem = lang.OfficeErrRequired
	case strings.HasSuffix(e.Field, "email"):
		problem = lang.OfficeErrEmail
	case e.Field == "notice.url":
		problem = lang.OfficeErrURL
	}
	f.bad(in.name, in.label, problem)
	return true
}

// documentFailed shows what the school's details lack for a document
// (409: they must be completed first), or an internal error for anything
// else.
func (s *Server) documentFailed(w http.ResponseWriter, rq *request, err error) {
	f := &form{}
	for _, e := range fieldErrors(err) {
		if !docsField(f, e) {
			f.errs = nil
			break
		}
	}
	if f.ok() {
		s.internal(w, rq, err)
		return
	}
	s.render(w, rq, http.StatusConflict, "error", page{Title: lang.OfficeDocsIncomplete,
		Errors: append([]string{rq.lang.Text(lang.OfficeDocsIncompleteHint)}, f.texts(rq.lang)...)})
}

// fieldErrors unpacks the documents' joined field errors.
func fieldErrors(err error) []*docs.FieldError {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*docs.FieldError
		for _, e := range j.Unwrap() {
			out = append(out, fieldErrors(e)...)
		}
		return out
	}
	var fe *docs.FieldError
	if errors.As(err, &fe) {
		return []*docs.FieldError{fe}
	}
	return nil
}
