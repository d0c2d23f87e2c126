package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/scuola/kiosk/cmd/portal/registry"
	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/privacy/report"
)

// perPage is how many plessi a page of the registry lists: a region has
// thousands, an ATS hundreds.
const perPage = 50

// schoolsData is the registry page's.
type schoolsData struct {
	Schools     []store.School
	Q           string   // the search, in codes and names
	InATS       string   // a regional user's choice of one ATS, "" for all
	ATSList     []string // the ATSs of the region, for a regional user's choice and form
	Total       int      // the plessi found
	Page, Pages int
	Prev, Next  string // the other pages' addresses, "" at an end
	Form        url.Values
	Invalid     map[string]bool
	ATS         string // an operator's, fixed in the form; "" for a regional user
	MaxPupils   int
}

func (h *Handler) schoolsPage(w http.ResponseWriter, rq *request) {
	h.showSchools(w, rq, http.StatusOK, url.Values{}, nil)
}

func (h *Handler) showSchools(w http.ResponseWriter, rq *request, status int, form url.Values, errs []fieldError) {
	all, err := h.store.Schools(rq.Context(), rq.scope())
	if err != nil {
		h.internal(w, rq, err)
		return
	}
	q, inATS := strings.TrimSpace(rq.URL.Query().Get("q")), rq.URL.Query().Get("ats")
	var atsList []string
	found := make([]store.School, 0, len(all))
	for _, sc := range all {
		if !slices.Contains(atsList, sc.ATS) {
			atsList = append(atsList, sc.ATS)
		}
		if (inATS == "" || sc.ATS == inATS) &&
			(q == "" || strings.Contains(strings.ToUpper(sc.Code), strings.ToUpper(q)) || strings.Contains(strings.ToLower(sc.Name), strings.ToLower(q))) {
			found = append(found, sc)
		}
	}
	slices.Sort(atsList)
	d := &schoolsData{Q: q, InATS: inATS, ATSList: atsList, Total: len(found), Pages: max(1, (len(found)+perPage-1)/perPage), Form: form,
		Invalid: map[string]bool{}, MaxPupils: report.MaxCount, ATS: rq.scope()}
	d.Page, _ = strconv.Atoi(rq.URL.Query().Get("page"))
	d.Page = min(max(d.Page, 1), d.Pages)
	d.Schools = found[(d.Page-1)*perPage : min(d.Page*perPage, len(found))]
	link := func(n int) string {
		v := url.Values{"page": {strconv.Itoa(n)}}
		if q != "" {
			v.Set("q", q)
		}
		if inATS != "" {
			v.Set("ats", inATS)
		}
		return "/schools?" + v.Encode()
	}
	if d.Page > 1 {
		d.Prev = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.Next = link(d.Page + 1)
	}
	p := page{Title: lang.PortalSchoolsTitle, Nav: "schools", Data: d}
	for _, e := range errs {
		d.Invalid[e.field] = true
		p.Errors = append(p.Errors, e.text(rq.lang))
	}
	h.render(w, rq, status, "schools", p)
}

// fieldError is a plesso's field that registry.Check refused, in the
// person's words: the field's rule.
type fieldError struct {
	field string // the input's name, as registry.Check names it
	line  int    // of a CSV, 0 for a form
	err   error
}

// ruleOf is each field's rule, as the form and the CSV name the field.
var ruleOf = map[string]lang.Key{
	"code":        lang.PortalRuleCode,
	"name":        lang.PortalRuleName,
	"ats":         lang.PortalRuleATS,
	"sentinel":    lang.PortalRuleSentinel,
	"pupils-6-19": lang.PortalRulePupils,
	"pupils_6_19": lang.PortalRulePupils,
	"pupils":      lang.PortalRulePupils, // the pages' input
	"line":        lang.PortalRuleColumns,
}

func (e fieldError) text(l lang.Lang) string {
	var dup *registry.DuplicateError
	var msg string
	switch k, ok := ruleOf[e.field]; {
	case errors.As(e.err, &dup):
		msg = l.Format(lang.PortalRuleDuplicate, dup.Code, dup.Line)
	case ok:
		msg = l.Format(k, report.MaxCount)
	default:
		msg = l.Format(lang.PortalRuleUnreadable, e.err)
	}
	if e.line > 0 {
		return l.Format(lang.PortalImportLine, e.line, msg)
	}
	return msg
}

// schoolOfForm reads the add form; an operator's plesso is of its ATS,
// whatever the form says.
func schoolOfForm(rq *request) (store.School, []fieldError) {
	s := store.School{
		Code:     strings.ToUpper(strings.TrimSpace(rq.PostFormValue("code"))),
		Name:     strings.TrimSpace(rq.PostFormValue("name")),
		ATS:      strings.TrimSpace(rq.PostFormValue("ats")),
		Sentinel: rq.PostFormValue("sentinel") == "on",
	}
	if !rq.regional() {
		s.ATS = rq.ses.User.ATS
	}
	var errs []fieldError
	if v := strings.TrimSpace(rq.PostFormValue("pupils")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, fieldError{field: "pupils", err: err})
		}
		s.Pupils619 = n
	}
	if field, err := registry.Check(s); err != nil {
		if field == "pupils-6-19" {
			field = "pupils"
		}
		errs = append(errs, fieldError{field: field, err: err})
	}
	return s, errs
}

func (h *Handler) schoolAdd(w http.ResponseWriter, rq *request) {
	s, errs := schoolOfForm(rq)
	if len(errs) > 0 {
		h.showSchools(w, rq, http.StatusBadRequest, rq.PostForm, errs)
		return
	}
	token, hash := store.NewToken()
	err := h.store.AddSchool(rq.Context(), s, hash)
	if errors.Is(err, store.ErrExists) {
		h.showSchools(w, rq, http.StatusConflict, rq.PostForm, []fieldError{{field: "code", err: err}})
		return
	}
	if err != nil {
		h.internal(w, rq, err)
		return
	}
	h.audit(rq, s.ATS, "school.add", s.Code)
	h.showCredentials(w, rq, http.StatusCreated, []credential{{Code: s.Code, Name: s.Name, Token: token}})
}

// credential is a plesso's token, shown once on the answer page.
type credential struct{ Code, Name, Token string }

func (h *Handler) showCredentials(w http.ResponseWriter, rq *request, status int, creds []credential) {
	h.render(w, rq, status, "credential", page{Title: lang.PortalCredentialTitle, Nav: "schools", Data: creds})
}

// schoolData is one plesso's page.
type schoolData struct {
	School    store.School
	MaxPupils int
	Invalid   map[string]bool
}

func (h *Handler) schoolPage(w http.ResponseWriter, rq *request, sc store.School) {
	h.showSchool(w, rq, http.StatusOK, sc, nil)
}

func (h *Handler) showSchool(w http.ResponseWriter, rq *request, status int, sc store.School, errs []fieldError) {
	d := &schoolData{School: sc, MaxPupils: report.MaxCount, Invalid: map[string]bool{}}
	p := page{Title: lang.PortalSchoolTitle, Nav: "schools", Data: d}
	for _, e := range errs {
		d.Invalid[e.field] = true
		p.Errors = append(p.Errors, e.text(rq.lang))
	}
	h.render(w, rq, status, "school", p)
}

func (h *Handler) schoolEdit(w http.ResponseWriter, rq *request, sc store.School) {
	sc.Sentinel = rq.PostFormValue("sentinel") == "on"
	n, err := strconv.Atoi(strings.TrimSpace(rq.PostFormValue("pupils")))
	sc.Pupils619 = n
	if _, cerr := registry.Check(sc); err != nil || cerr != nil {
		h.showSchool(w, rq, http.StatusBadRequest, sc, []fieldError{{field: "pupils", err: errors.Join(err, cerr)}})
		return
	}
	if err := h.store.SetSchoolDetails(rq.Context(), sc.Code, sc.Sentinel, sc.Pupils619); err != nil {
		h.internal(w, rq, err)
		return
	}
	h.audit(rq, sc.ATS, "school.edit", sc.Code+" sentinel="+strconv.FormatBool(sc.Sentinel)+" pupils_6_19="+strconv.Itoa(sc.Pupils619))
	done(w, rq, "/schools/"+sc.Code, "saved")
}

func (h *Handler) schoolToken(w http.ResponseWriter, rq *request, sc store.School) {
	token, hash := store.NewToken()
	if err := h.store.SetToken(rq.Context(), sc.Code, hash); err != nil {
		h.internal(w, rq, err)
		return
	}
	h.audit(rq, sc.ATS, "school.token", sc.Code)
	h.showCredentials(w, rq, http.StatusOK, []credential{{Code: sc.Code, Name: sc.Name, Token: token}})
}

func (h *Handler) schoolRevoke(w http.ResponseWriter, rq *request, sc store.School) {
	if err := h.store.Revoke(rq.Context(), sc.Code); err != nil {
		h.internal(w, rq, err)
		return
	}
	h.audit(rq, sc.ATS, "school.revoke", sc.Code)
	done(w, rq, "/schools/"+sc.Code, "revoked")
}

// importData is the import page's.
type importData struct {
	CSV            string
	Rows           []importRow
	Added, Updated int
	Clean          bool
	ATS            string // an operator's: every line must name it
}

// importRow is a plesso of the preview.
type importRow struct {
	store.School
	Exists bool
}

func (h *Handler) importPage(w http.ResponseWriter, rq *request) {
	h.render(w, rq, http.StatusOK, "import", page{Title: lang.PortalImportTitle, Nav: "import", Data: &importData{ATS: rq.scope()}})
}

// importPost previews a list (action=preview) or imports it (confirm,
// the same text again, checked again): a list with any bad line imports
// nothing. An operator may import only plessi of its ATS, and never
// move a plesso that another ATS has.
func (h *Handler) importPost(w http.ResponseWriter, rq *request) {
	data := []byte(rq.PostFormValue("csv"))
	if file, _, err := rq.FormFile("file"); err == nil {
		data, err = io.ReadAll(io.LimitReader(file, maxForm))
		file.Close()
		if err != nil {
			h.internal(w, rq, err)
			return
		}
	}
	d := &importData{CSV: string(data), ATS: rq.scope()}
	p := page{Title: lang.PortalImportTitle, Nav: "import", Data: d}
	bad := func(errs []fieldError) {
		for _, e := range errs {
			p.Errors = append(p.Errors, e.text(rq.lang))
		}
		h.render(w, rq, http.StatusBadRequest, "import", p)
	}
	if len(strings.TrimSpace(d.CSV)) == 0 {
		p.Errors = []string{rq.lang.Text(lang.PortalImportEmpty)}
		h.render(w, rq, http.StatusBadRequest, "import", p)
		return
	}
	schools, err := registry.Parse("csv", data)
	if err != nil {
		lines := registry.Lines(err)
		if len(lines) == 0 {
			bad([]fieldError{{err: err}})
			return
		}
		errs := make([]fieldError, len(lines))
		for i, le := range lines {
			errs[i] = fieldError{field: le.Column, line: le.Line, err: le.Err}
		}
		bad(errs)
		return
	}
	have, err := h.store.Schools(rq.Context(), "")
	if err != nil {
		h.internal(w, rq, err)
		return
	}
	atsOf := map[string]string{}
	for _, sc := range have {
		atsOf[sc.Code] = sc.ATS
	}
	var refused []string
	for _, sc := range schools {
		ats, exists := atsOf[sc.Code]
		switch {
		case d.ATS != "" && sc.ATS != d.ATS:
			refused = append(refused, rq.lang.Format(lang.PortalImportOtherATS, sc.Code, sc.ATS, d.ATS))
		case d.ATS != "" && exists && ats != d.ATS:
			refused = append(refused, rq.lang.Format(lang.PortalImportTaken, sc.Code))
		}
		d.Rows = append(d.Rows, importRow{School: sc, Exists: exists})
		if exists {
			d.Updated++
		} else {
			d.Added++
		}
	}
	if len(refused) > 0 {
		p.Errors = refused
		h.render(w, rq, http.StatusForbidden, "import", p)
		return
	}
	d.Clean = true
	if rq.PostFormValue("action") != "confirm" {
		h.render(w, rq, http.StatusOK, "import", p)
		return
	}
	tokens := make([]string, len(schools))
	hashes := make([]string, len(schools))
	for i := range schools {
		tokens[i], hashes[i] = store.NewToken()
	}
	added, err := h.store.ImportSchools(rq.Context(), schools, hashes)
	if err != nil {
		h.internal(w, rq, err)
		return
	}
	isNew := map[string]bool{}
	for _, code := range added {
		isNew[code] = true
	}
	// One line of the audit per ATS the list touched, so that each ATS
	// sees what a regional import did to its plessi.
	var atsOrder []string
	counts := map[string]*[2]int{} // added, updated
	var creds []credential
	for i, sc := range schools {
		if counts[sc.ATS] == nil {
			counts[sc.ATS] = &[2]int{}
			atsOrder = append(atsOrder, sc.ATS)
		}
		if isNew[sc.Code] {
			counts[sc.ATS][0]++
			creds = append(creds, credential{Code: sc.Code, Name: sc.Name, Token: tokens[i]})
		} else {
			counts[sc.ATS][1]++
		}
	}
	for _, ats := range atsOrder {
		h.audit(rq, ats, "school.import", strconv.Itoa(counts[ats][0])+" added, "+strconv.Itoa(counts[ats][1])+" updated")
	}
	h.render(w, rq, http.StatusOK, "credential", page{Title: lang.PortalCredentialTitle, Nav: "schools",
		Notice: rq.lang.Format(lang.PortalImportDone, len(added), len(schools)-len(added)), Data: creds})
}

func (h *Handler) auditPage(w http.ResponseWriter, rq *request) {
	events, err := h.store.AuditLog(rq.Context(), rq.scope(), 500)
	if err != nil {
		h.internal(w, rq, err)
		return
	}
	h.render(w, rq, http.StatusOK, "audit", page{Title: lang.PortalAuditTitle, Nav: "audit", Data: events})
}
