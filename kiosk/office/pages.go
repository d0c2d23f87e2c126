package office

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/office/docs"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/privacy/access"
	"github.com/scuola/kiosk/verify/calendar"
)

// formPage is the data of a page with a form that may come back with
// errors: the values entered and the fields to mark.
type formPage struct {
	Form    url.Values
	Invalid map[string]bool
}

// refuse re-renders a page with the form's errors (400).
func (s *Server) refuse(w http.ResponseWriter, rq *request, name string, p page, f *form) {
	p.Errors = f.texts(rq.lang)
	s.render(w, rq, http.StatusBadRequest, name, p)
}

// ---- login

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, &request{Request: r, lang: requestLang(r)}, http.StatusOK, "")
}

func (s *Server) showLogin(w http.ResponseWriter, rq *request, status int, msg lang.Key) {
	p := page{Title: lang.OfficeLoginTitle, CSRF: loginForm.Issue(w)}
	if msg != "" {
		p.Errors = []string{rq.lang.Text(msg)}
	}
	rq.ses = nil
	s.render(w, rq, status, "login", p)
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) {
	rq := &request{Request: r, lang: requestLang(r)}
	if !loginForm.Check(w, r) {
		s.showLogin(w, rq, http.StatusForbidden, lang.OfficeCSRF)
		return
	}
	tok, err := s.login(r.Context(), strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password"), clientAddr(r))
	switch {
	case errors.Is(err, access.ErrLimited):
		s.showLogin(w, rq, http.StatusTooManyRequests, lang.OfficeLoginLimited)
		return
	case errors.Is(err, access.ErrBadLogin):
		s.showLogin(w, rq, http.StatusUnauthorized, lang.OfficeLoginWrong)
		return
	case err != nil:
		s.internal(w, rq, err)
		return
	}
	loginForm.Done(w)
	access.SetCookie(w, sessionCookie, tok, int(SessionLength.Seconds()))
	http.Redirect(w, r, "/measures", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, rq *request) {
	if c, err := rq.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(rq.Context(), access.TokenHash(c.Value)); err != nil {
			s.internal(w, rq, err)
			return
		}
	}
	access.SetCookie(w, sessionCookie, "", -1)
	http.Redirect(w, rq.Request, "/login", http.StatusSeeOther)
}

// setLang keeps the chosen language and goes back to the page.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	l, err := lang.Parse(r.PathValue("code"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	access.SetCookie(w, langCookie, string(l), 365*24*3600)
	http.Redirect(w, r, access.LocalPath(r.URL.Query().Get("back"), "/measures"), http.StatusSeeOther)
}

// ---- the school

type schoolData struct {
	formPage
	Fields      []schoolField
	Fingerprint string
}

// schoolField is one input of the school page.
type schoolField struct {
	Name        string // the input's
	Docs        string // the documents' field it fills (kiosk/office/docs's FieldError names)
	Label       lang.Key
	Type        string // the input's type
	Wide        bool
	Placeholder string
	Required    bool
	value       func(*store.School) *string
}

// Max is the input's bound; the documents check their own, tighter ones.
func (schoolField) Max() int { return maxSchoolField }

const maxSchoolField = 300

// schoolFields are the school page's inputs, in its order: the plesso,
// then what the documents print (after "address").
var schoolFields = []schoolField{
	{Name: "code", Docs: "school.code", Label: lang.OfficeFieldCode, Type: "text", Placeholder: "MIEE12345X", Required: true, value: func(s *store.School) *string { return &s.Code }},
	{Name: "name", Docs: "school.plesso", Label: lang.OfficeFieldSchoolName, Type: "text", Wide: true, Required: true, value: func(s *store.School) *string { return &s.Name }},
	{Name: "address", Docs: "school.address", Label: lang.OfficeFieldAddress, Type: "text", Wide: true, value: func(s *store.School) *string { return &s.Address }},
	{Name: "institution", Docs: "school.name", Label: lang.OfficeFieldInstitution, Type: "text", Wide: true, value: func(s *store.School) *string { return &s.Institution }},
	{Name: "city", Docs: "school.city", Label: lang.OfficeFieldCity, Type: "text", value: func(s *store.School) *string { return &s.City }},
	{Name: "email", Docs: "school.email", Label: lang.OfficeFieldEmail, Type: "email", value: func(s *store.School) *string { return &s.Email }},
	{Name: "head_teacher", Docs: "head_teacher.name", Label: lang.OfficeFieldHeadTeacher, Type: "text", Wide: true, value: func(s *store.School) *string { return &s.HeadTeacher }},
	{Name: "dpo_name", Docs: "dpo.name", Label: lang.OfficeFieldDPOName, Type: "text", value: func(s *store.School) *string { return &s.DPOName }},
	{Name: "dpo_email", Docs: "dpo.email", Label: lang.OfficeFieldDPOEmail, Type: "email", value: func(s *store.School) *string { return &s.DPOEmail }},
	{Name: "informativa_url", Docs: "notice.url", Label: lang.OfficeFieldInformativaURL, Type: "url", Wide: true, Placeholder: "https://", value: func(s *store.School) *string { return &s.InformativaURL }},
}

func (s *Server) schoolPage(w http.ResponseWriter, rq *request) {
	s.showSchool(w, rq, http.StatusOK, nil)
}

func (s *Server) showSchool(w http.ResponseWriter, rq *request, status int, f *form) {
	sc, err := s.store.School(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	d := schoolData{Fields: schoolFields}
	if block, _ := pem.Decode([]byte(sc.CertPEM)); block != nil {
		d.Fingerprint = fingerprint(block.Bytes)
	}
	p := page{Title: lang.OfficeSchoolTitle, Nav: "school", Data: &d}
	if f == nil {
		d.Form = url.Values{}
		for _, fd := range schoolFields {
			d.Form.Set(fd.Name, *fd.value(&sc))
		}
		s.render(w, rq, status, "school", p)
		return
	}
	d.Form, d.Invalid = f.values, f.invalid()
	s.refuse(w, rq, "school", p, f)
}

// schoolPost saves the school's details. Each is checked by the rules of
// the documents that print it, so that what is saved prints; only the
// code and the plesso's name are required before the documents are made.
func (s *Server) schoolPost(w http.ResponseWriter, rq *request) {
	f := newForm(rq)
	f.values.Set("code", strings.ToUpper(strings.TrimSpace(f.values.Get("code"))))
	var sc store.School
	for _, fd := range schoolFields {
		*fd.value(&sc) = f.text(fd.Name, fd.Label, fd.Required, maxSchoolField)
	}
	if sc.Code != "" && !codePattern.MatchString(sc.Code) {
		f.bad("code", lang.OfficeFieldCode, lang.OfficeErrCode)
	}
	if f.ok() {
		for _, e := range fieldErrors(noticeOf(sc, s.today()).Validate()) {
			if e.Problem != "empty" {
				docsField(f, e)
			}
		}
	}
	if !f.ok() {
		s.showSchool(w, rq, http.StatusBadRequest, f)
		return
	}
	if err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error {
		return tx.SetSchool(rq.Context(), sc)
	}); err != nil {
		s.internal(w, rq, err)
		return
	}
	done(w, rq, "/school", "school")
}

// certificate serves the school's badge certificate, which every kiosk
// receives ([badges] cert). The key is never served.
func (s *Server) certificate(w http.ResponseWriter, rq *request) {
	sc, err := s.store.School(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Header().Set("Content-Disposition", `attachment; filename="badge-cert.pem"`)
	io.WriteString(w, sc.CertPEM)
}

// fingerprint is a certificate's SHA-256, as hex pairs, to compare by eye.
func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// ---- classes

type classesData struct {
	formPage
	Classes []store.Class
	EditID  int64 // the class whose row the errors are about
}

func (s *Server) classesPage(w http.ResponseWriter, rq *request) {
	s.showClasses(w, rq, nil, 0)
}

func (s *Server) showClasses(w http.ResponseWriter, rq *request, f *form, editID int64) {
	cs, err := s.store.Classes(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	d := &classesData{Classes: cs, EditID: editID}
	p := page{Title: lang.OfficeClassesTitle, Nav: "classes", Data: d}
	if f == nil {
		s.render(w, rq, http.StatusOK, "classes", p)
		return
	}
	d.Form, d.Invalid = f.values, f.invalid()
	s.refuse(w, rq, "classes", p, f)
}

// classFields reads a class's name, level and enrolled pupils.
func classFields(f *form) (string, school.Level, int) {
	name := f.className("name")
	level := f.level("level", lang.OfficeFieldLevel)
	enrolled := f.number("enrolled", lang.OfficeFieldEnrolled, 0, maxEnrolled)
	return name, level, enrolled
}

func (s *Server) classAdd(w http.ResponseWriter, rq *request) {
	f := newForm(rq)
	name, level, enrolled := classFields(f)
	if f.ok() {
		err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error {
			_, err := tx.AddClass(rq.Context(), name, level, enrolled)
			return err
		})
		switch {
		case errors.Is(err, store.ErrExists):
			f.bad("name", lang.OfficeFieldClass, lang.OfficeErrExists)
		case err != nil:
			s.internal(w, rq, err)
			return
		default:
			done(w, rq, "/classes", "class_added")
			return
		}
	}
	s.showClasses(w, rq, f, 0)
}

func (s *Server) classEdit(w http.ResponseWriter, rq *request) {
	id, ok := pathID(rq, "id")
	if !ok {
		http.NotFound(w, rq.Request)
		return
	}
	f := newForm(rq)
	name, level, enrolled := classFields(f)
	if f.ok() {
		err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error {
			return tx.EditClass(rq.Context(), id, name, level, enrolled)
		})
		switch {
		case errors.Is(err, store.ErrExists):
			f.bad("name", lang.OfficeFieldClass, lang.OfficeErrExists)
		case errors.Is(err, store.ErrNotFound):
			http.NotFound(w, rq.Request)
			return
		case err != nil:
			s.internal(w, rq, err)
			return
		default:
			done(w, rq, "/classes", "class_saved")
			return
		}
	}
	s.showClasses(w, rq, f, id)
}

func (s *Server) classDelete(w http.ResponseWriter, rq *request) {
	id, ok := pathID(rq, "id")
	if !ok {
		http.NotFound(w, rq.Request)
		return
	}
	s.change(w, rq, "/classes", "class_deleted", func(tx *store.Tx) error { return tx.DeleteClass(rq.Context(), id) })
}

// change makes one change to a record the path named, in one audited
// transaction, and goes back to the page with its notice; a record that
// is gone is a 404.
func (s *Server) change(w http.ResponseWriter, rq *request, back, notice string, fn func(*store.Tx) error) {
	err := s.store.Update(rq.Context(), rq.ses.Account.Name, fn)
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, rq.Request)
		return
	} else if err != nil {
		s.internal(w, rq, err)
		return
	}
	done(w, rq, back, notice)
}

// ---- the CSV import

type importRow struct {
	parsedRow
	Exists bool
	Words  []string
}

type importData struct {
	formPage
	Rows    []importRow
	CSV     string
	Clean   bool // no line has a problem: the import may be confirmed
	Updates int
}

func (s *Server) importPage(w http.ResponseWriter, rq *request) {
	s.render(w, rq, http.StatusOK, "import", page{Title: lang.OfficeImportTitle, Nav: "classes", Data: &importData{}})
}

func (s *Server) importPost(w http.ResponseWriter, rq *request) {
	data := []byte(rq.PostFormValue("csv"))
	if file, _, err := rq.FormFile("file"); err == nil {
		data, err = io.ReadAll(io.LimitReader(file, MaxCSVBytes+1))
		file.Close()
		if err != nil {
			s.internal(w, rq, err)
			return
		}
	}
	p := page{Title: lang.OfficeImportTitle, Nav: "classes"}
	d := &importData{CSV: string(data)}
	p.Data = d
	rows, err := parseClassesCSV(data)
	f := &form{values: url.Values{}}
	var perr *csv.ParseError
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		f.bad("file", lang.OfficeFieldFile, lang.OfficeErrRequired)
	case errors.Is(err, errCSVTooLarge):
		f.bad("file", lang.OfficeFieldFile, lang.OfficeErrCSVSize, MaxCSVBytes/1024, MaxCSVRows)
	case errors.As(err, &perr):
		f.bad("file", lang.OfficeFieldFile, lang.OfficeErrCSVSyntax, perr.Line)
	case err != nil:
		f.bad("file", lang.OfficeFieldFile, lang.OfficeErrCSVText)
	}
	if !f.ok() {
		d.CSV = "" // a broken or oversized file is not shown back
		d.Invalid = f.invalid()
		s.refuse(w, rq, "import", p, f)
		return
	}
	existing, err := s.store.Classes(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	have := map[string]bool{}
	for _, c := range existing {
		have[c.Name] = true
	}
	d.Clean = len(rows) > 0
	for _, r := range rows {
		ir := importRow{parsedRow: r, Exists: have[r.Name]}
		for _, pr := range r.Problems {
			ir.Words = append(ir.Words, format(rq.lang.Text(lang.OfficeLineError), r.Line,
				fieldError{Label: pr.Label, Problem: pr.Problem, Args: pr.Args}.text(rq.lang)))
		}
		if len(ir.Words) > 0 {
			d.Clean = false
			p.Errors = append(p.Errors, ir.Words...)
		}
		if ir.Exists {
			d.Updates++
		}
		d.Rows = append(d.Rows, ir)
	}
	if rq.PostFormValue("action") != "confirm" || !d.Clean {
		status := http.StatusOK
		if !d.Clean {
			status = http.StatusBadRequest
		}
		s.render(w, rq, status, "import", p)
		return
	}
	if err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error {
		for _, r := range rows {
			if err := tx.PutClass(rq.Context(), r.Name, r.Level, r.Enrolled); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		s.internal(w, rq, err)
		return
	}
	done(w, rq, "/classes", "imported")
}

// ---- cases

func (s *Server) casesPage(w http.ResponseWriter, rq *request) {
	s.showCases(w, rq, nil, 0)
}

type casesData struct {
	formPage
	Classes []store.Class
	Today   calendar.Day
	ClassID int64 // the class the errors are about
}

func (s *Server) showCases(w http.ResponseWriter, rq *request, f *form, classID int64) {
	cs, err := s.store.Classes(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	d := &casesData{Classes: cs, Today: s.today(), ClassID: classID}
	p := page{Title: lang.OfficeCasesTitle, Nav: "cases", Data: d}
	if f == nil {
		s.render(w, rq, http.StatusOK, "cases", p)
		return
	}
	d.Form, d.Invalid = f.values, f.invalid()
	s.refuse(w, rq, "cases", p, f)
}

func (s *Server) caseAdd(w http.ResponseWriter, rq *request) {
	id, ok := pathID(rq, "id")
	if !ok {
		http.NotFound(w, rq.Request)
		return
	}
	f := newForm(rq)
	// A case is found today or earlier: a later date is a typo.
	day := f.day("day", lang.OfficeFieldCaseDay, firstDay, s.today())
	if !f.ok() {
		s.showCases(w, rq, f, id)
		return
	}
	err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error { return tx.AddCase(rq.Context(), id, day) })
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, rq.Request)
		return
	} else if err != nil {
		s.internal(w, rq, err)
		return
	}
	done(w, rq, fmt.Sprintf("/cases#class-%d", id), "case_added")
}

func (s *Server) caseDelete(w http.ResponseWriter, rq *request) {
	id, ok1 := pathID(rq, "id")
	caseID, ok2 := pathID(rq, "case")
	if !ok1 || !ok2 {
		http.NotFound(w, rq.Request)
		return
	}
	s.change(w, rq, "/cases", "case_deleted", func(tx *store.Tx) error { return tx.DeleteCase(rq.Context(), id, caseID) })
}

// ---- measures

type measuresData struct {
	formPage
	Day      calendar.Day
	RuleSet  string
	Statuses []school.Status
	IDs      []int64 // the classes' ids, beside Statuses
	RowID    int64   // the class an override's error is about
}

// queryDay is the day a page is asked for (?day=), today when none or a
// wrong one, with the form that names a wrong one.
func (s *Server) queryDay(rq *request) (calendar.Day, *form) {
	day := s.today()
	f := &form{values: rq.URL.Query()}
	if f.values.Get("day") != "" {
		day = f.day("day", lang.OfficeFieldDay, firstDay, lastDay)
	}
	if !f.ok() {
		day = s.today()
	}
	return day, f
}

func (s *Server) measuresPage(w http.ResponseWriter, rq *request) {
	day, f := s.queryDay(rq)
	s.showMeasures(w, rq, day, f, 0)
}

func (s *Server) showMeasures(w http.ResponseWriter, rq *request, day calendar.Day, f *form, rowID int64) {
	cs, err := s.store.Classes(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	rules, err := s.store.Rules(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	d := &measuresData{Day: day, RowID: rowID}
	classes := make([]school.Class, len(cs))
	for i, c := range cs {
		classes[i] = c.Class
		d.IDs = append(d.IDs, c.ID)
	}
	d.Statuses = rules.Statuses(classes, day)
	if rs := rules.InForce(day); rs != nil {
		d.RuleSet = rs.Name
	}
	p := page{Title: lang.OfficeMeasuresTitle, Nav: "measures", Data: d}
	if f.ok() {
		s.render(w, rq, http.StatusOK, "measures", p)
		return
	}
	d.Form, d.Invalid = f.values, f.invalid()
	s.refuse(w, rq, "measures", p, f)
}

func (s *Server) verifyUntil(w http.ResponseWriter, rq *request) {
	id, ok := pathID(rq, "id")
	if !ok {
		http.NotFound(w, rq.Request)
		return
	}
	f := newForm(rq)
	back := s.today()
	if b, err := calendar.Parse(f.values.Get("back")); err == nil {
		back = b
	}
	var until *calendar.Day
	if f.values.Get("action") != "clear" {
		u := f.day("until", lang.OfficeFieldVerifyUntil, firstDay, lastDay)
		until = &u
	}
	if !f.ok() {
		s.showMeasures(w, rq, back, f, id)
		return
	}
	err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error { return tx.SetVerifyUntil(rq.Context(), id, until) })
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, rq.Request)
		return
	} else if err != nil {
		s.internal(w, rq, err)
		return
	}
	done(w, rq, "/measures?day="+back.String(), "verify_until")
}

// ---- delegations

type delegationsData struct {
	formPage
	Delegations []store.Delegation
	Today       calendar.Day
	RowID       int64 // the delegation a renewal error is about
}

func (s *Server) delegationsPage(w http.ResponseWriter, rq *request) {
	s.showDelegations(w, rq, nil, 0)
}

func (s *Server) showDelegations(w http.ResponseWriter, rq *request, f *form, rowID int64) {
	ds, err := s.store.Delegations(rq.Context())
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	d := &delegationsData{Delegations: ds, Today: s.today(), RowID: rowID}
	p := page{Title: lang.OfficeDelegationsTitle, Nav: "delegations", Data: d}
	if f == nil {
		d.Form = url.Values{"valid_until": {(s.today() + 365).String()}}
		s.render(w, rq, http.StatusOK, "delegations", p)
		return
	}
	d.Form, d.Invalid = f.values, f.invalid()
	s.refuse(w, rq, "delegations", p, f)
}

// maxDelegationDays bounds a delegation: a school year and a bit.
const maxDelegationDays = 400

func (s *Server) delegationAdd(w http.ResponseWriter, rq *request) {
	f := newForm(rq)
	name := f.text("name", lang.OfficeFieldDelegate, true, 100)
	role := f.text("role", lang.OfficeFieldRole, true, 100)
	until := f.day("valid_until", lang.OfficeFieldValidUntil, s.today(), s.today()+maxDelegationDays)
	if f.ok() { // the name and role must print on the Allegato A and the badge
		for _, e := range fieldErrors(docs.Delegation{Delegate: name, Role: role}.Validate(docs.School{}, docs.HeadTeacher{})) {
			if e.Field == "delegation.delegate" || e.Field == "delegation.role" {
				docsField(f, e)
			}
		}
	}
	if !f.ok() {
		s.showDelegations(w, rq, f, 0)
		return
	}
	if err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error {
		_, err := tx.AddDelegation(rq.Context(), name, role, until)
		return err
	}); err != nil {
		s.internal(w, rq, err)
		return
	}
	done(w, rq, "/delegations", "delegation_added")
}

func (s *Server) delegationRenew(w http.ResponseWriter, rq *request) {
	id, ok := pathID(rq, "id")
	if !ok {
		http.NotFound(w, rq.Request)
		return
	}
	f := newForm(rq)
	until := f.day("valid_until", lang.OfficeFieldValidUntil, s.today(), s.today()+maxDelegationDays)
	if f.ok() {
		err := s.store.Update(rq.Context(), rq.ses.Account.Name, func(tx *store.Tx) error { return tx.RenewDelegation(rq.Context(), id, until) })
		switch {
		case errors.Is(err, store.ErrNotFound):
			http.NotFound(w, rq.Request)
			return
		case err != nil:
			f.bad("valid_until", lang.OfficeFieldValidUntil, lang.OfficeErrRevoked)
		default:
			done(w, rq, "/delegations", "delegation_renewed")
			return
		}
	}
	s.showDelegations(w, rq, f, id)
}

func (s *Server) delegationRevoke(w http.ResponseWriter, rq *request) {
	id, ok := pathID(rq, "id")
	if !ok {
		http.NotFound(w, rq.Request)
		return
	}
	s.change(w, rq, "/delegations", "delegation_revoked", func(tx *store.Tx) error { return tx.RevokeDelegation(rq.Context(), id) })
}

// ---- audit

func (s *Server) auditPage(w http.ResponseWriter, rq *request) {
	entries, err := s.store.Audit(rq.Context(), 500)
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	s.render(w, rq, http.StatusOK, "audit", page{Title: lang.OfficeAuditTitle, Nav: "audit", Data: entries})
}
