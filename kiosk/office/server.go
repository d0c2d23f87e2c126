// Package office is the school office's web application (`kiosk office`):
// where the head teacher (dirigente) and the secretary (segreteria) keep
// the school, its classes and their positive-case dates, see each class's
// measure on any day, add rule sets, and make, renew and revoke the
// delegations whose badges unlock the kiosks. Until now they edited a TOML
// file on each kiosk.
//
// Pages are server-rendered html/template with no script, Italian first and
// English selectable, every word from kiosk/lang. Accounts log in with
// argon2id passwords; sessions are random tokens kept hashed, in Secure,
// HttpOnly, SameSite=Strict cookies; every form carries a CSRF token that
// every POST must return; logins are rate-limited per account and per
// address. Every change goes through kiosk/office/store in a transaction
// with its audit line.
package office

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/lang/pages"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/office/outbox"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/privacy/access"
	"github.com/scuola/kiosk/verify/calendar"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Config is what a Server needs.
type Config struct {
	Store *store.Store
	// Argon2 is the cost of new password hashes (access.DefaultArgon2 when zero).
	Argon2 access.Argon2
	Logger *slog.Logger
	// Now is the clock (time.Now when nil): tests pick the day.
	Now func() time.Time
	// Link is how the kiosks reach the office.
	Link Link
}

// Server serves the office's pages.
type Server struct {
	store   *store.Store
	log     *slog.Logger
	now     func() time.Time
	pages   map[string]*template.Template
	logins  *access.Logins
	mux     *http.ServeMux
	link    Link
	kiosks  *Kiosks
	invites invitations
	outbox  *outbox.Outbox // the reports to the ATS, sent by SendReports
}

// New prepares a server over an open store, and makes the school's badge
// signing key if it has none yet. The kiosks' bundle is signed again at
// every change until ctx ends.
func New(ctx context.Context, cfg Config) (*Server, error) {
	s := &Server{store: cfg.Store, log: cfg.Logger, now: cfg.Now, link: cfg.Link}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.Argon2 == (access.Argon2{}) {
		cfg.Argon2 = access.DefaultArgon2
	}
	var err error
	if s.logins, err = access.NewLogins(cfg.Argon2); err != nil {
		return nil, err
	}
	if err := EnsureSigner(ctx, s.store, s.now()); err != nil {
		return nil, err
	}
	if s.pages, err = pages.Parse(templateFiles, funcs); err != nil {
		return nil, err
	}
	informativa := ""
	if cfg.Link.URL != "" {
		informativa = strings.TrimSuffix(cfg.Link.URL, "/") + "/informativa"
	}
	if s.kiosks, err = newKiosks(ctx, s.store, s.now, s.log, cfg.Link.Refresh, informativa); err != nil {
		return nil, err
	}
	go s.kiosks.run(ctx)
	s.outbox = outbox.New(s.store, s.portal)
	s.outbox.Now = s.now
	s.routes()
	return s, nil
}

// ServeHTTP serves a request with the headers every answer carries: no
// framing, no sniffing, no caching of pages that show staff data, and a
// policy allowing only this site's stylesheet and images.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	access.PageHeaders(w, r)
	s.mux.ServeHTTP(w, r)
}

// EnsureSigner makes the school's badge key and certificate at first
// start; they stay in the database and the key never leaves the machine.
func EnsureSigner(ctx context.Context, st *store.Store, now time.Time) error {
	sc, err := st.School(ctx)
	if err != nil || sc.KeyPEM != "" {
		return err
	}
	name := sc.Name
	if name == "" {
		name = "Scuola"
	}
	signer, err := badge.NewSchoolKey(name, 5, now)
	if err != nil {
		return err
	}
	both, err := signer.MarshalPEM()
	if err != nil {
		return err
	}
	return st.Update(ctx, "office", func(tx *store.Tx) error {
		return tx.SetSigner(ctx, string(both), string(certPEM(signer.CertDER)))
	})
}

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /login", s.loginPage)
	m.HandleFunc("POST /login", s.loginPost)
	m.HandleFunc("GET /lang/{code}", s.setLang)
	m.HandleFunc("POST /logout", s.guard("", s.logout))
	m.HandleFunc("GET /{$}", s.guard("", func(w http.ResponseWriter, rq *request) {
		http.Redirect(w, rq.Request, "/measures", http.StatusSeeOther)
	}))

	m.HandleFunc("GET /school", s.guard("", s.schoolPage))
	m.HandleFunc("POST /school", s.guard(store.Dirigente, s.schoolPost))
	m.HandleFunc("GET /school/certificate.pem", s.guard(store.Dirigente, s.certificate))
	m.HandleFunc("GET /school/informativa.pdf", s.guard("", s.informativa))
	m.HandleFunc("GET /informativa", s.informativaPage)

	m.HandleFunc("GET /classes", s.guard("", s.classesPage))
	m.HandleFunc("POST /classes", s.guard("", s.classAdd))
	m.HandleFunc("POST /classes/{id}", s.guard("", s.classEdit))
	m.HandleFunc("POST /classes/{id}/delete", s.guard("", s.classDelete))
	m.HandleFunc("GET /classes/import", s.guard("", s.importPage))
	m.HandleFunc("POST /classes/import", s.guard("", s.importPost))

	m.HandleFunc("GET /cases", s.guard("", s.casesPage))
	m.HandleFunc("POST /classes/{id}/cases", s.guard("", s.caseAdd))
	m.HandleFunc("POST /classes/{id}/cases/{case}/delete", s.guard("", s.caseDelete))

	m.HandleFunc("GET /measures", s.guard("", s.measuresPage))
	m.HandleFunc("POST /classes/{id}/verify-until", s.guard(store.Dirigente, s.verifyUntil))

	m.HandleFunc("GET /rules", s.guard("", s.rulesPage))
	m.HandleFunc("POST /rules", s.guard(store.Dirigente, s.ruleAdd))

	m.HandleFunc("GET /delegations", s.guard(store.Dirigente, s.delegationsPage))
	m.HandleFunc("POST /delegations", s.guard(store.Dirigente, s.delegationAdd))
	m.HandleFunc("POST /delegations/{id}/renew", s.guard(store.Dirigente, s.delegationRenew))
	m.HandleFunc("POST /delegations/{id}/revoke", s.guard(store.Dirigente, s.delegationRevoke))
	m.HandleFunc("GET /delegations/{id}/badge.png", s.guard(store.Dirigente, s.delegationBadge))
	m.HandleFunc("GET /delegations/{id}/allegato-a.pdf", s.guard(store.Dirigente, s.delegationPDF))

	m.HandleFunc("GET /reports", s.guard("", s.reportsPage))
	m.HandleFunc("POST /reports/profile", s.guard("", s.reportProfile))
	m.HandleFunc("POST /reports/absences", s.guard("", s.reportAbsences))
	m.HandleFunc("POST /reports/settings", s.guard(store.Dirigente, s.reportSettings))

	m.HandleFunc("GET /audit", s.guard(store.Dirigente, s.auditPage))

	m.HandleFunc("GET /counts", s.guard("", s.countsPage))
	m.HandleFunc("GET /kiosks", s.guard(store.Dirigente, s.kiosksPage))
	m.HandleFunc("POST /kiosks/pair", s.guard(store.Dirigente, s.pairingCode))
	m.HandleFunc("GET /kiosks/pairing/{id}", s.guard(store.Dirigente, s.pairingQR))
	m.HandleFunc("POST /kiosks/{id}/unpair", s.guard(store.Dirigente, s.kioskUnpair))
	// The kiosks' own endpoints: authenticated by their client certificate.
	m.Handle("/kiosk/v1/", &link.Handler{Office: s.kiosks})
	s.mux = m
}

// request is a signed-in request: its session and language.
type request struct {
	*http.Request
	ses  *store.Session
	lang lang.Lang
}

// today is the office's day in Rome.
func (s *Server) today() calendar.Day { return calendar.Of(s.now()) }

// page is what every template receives.
type page struct {
	L       lang.Lang
	Title   lang.Key
	Nav     string // the active menu entry
	Account *store.Account
	CSRF    string
	School  store.School
	Path    string
	Notice  string   // what was just done
	Errors  []string // each naming its field
	Data    any
}

// Dirigente reports whether the signed-in account is the head teacher's.
func (p page) Dirigente() bool { return p.Account != nil && p.Account.Role == store.Dirigente }

// render writes a page with status.
func (s *Server) render(w http.ResponseWriter, rq *request, status int, name string, p page) {
	p.L, p.Path = rq.lang, rq.URL.Path
	if rq.ses != nil {
		p.Account, p.CSRF = &rq.ses.Account, rq.ses.CSRF
	}
	if sc, err := s.store.School(rq.Context()); err == nil {
		sc.KeyPEM = "" // nothing a template could show by mistake
		p.School = sc
	}
	if p.Notice == "" {
		p.Notice = noticeText(rq.lang, rq.URL.Query().Get("done"))
	}
	var b strings.Builder
	if err := s.pages[name].ExecuteTemplate(&b, "layout", p); err != nil {
		s.log.Error("rendering a page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, b.String())
}

// fail shows an error page with one message.
func (s *Server) fail(w http.ResponseWriter, rq *request, status int, msg lang.Key) {
	s.render(w, rq, status, "error", page{Title: lang.OfficeErrorTitle, Errors: []string{rq.lang.Text(msg)}})
}

// internal logs an unexpected error (in English, for the engineer) and
// shows the person a plain page.
func (s *Server) internal(w http.ResponseWriter, rq *request, err error) {
	s.log.Error("office", "path", rq.URL.Path, "err", err)
	s.fail(w, rq, http.StatusInternalServerError, lang.OfficeInternal)
}

// done redirects after a change (POST, redirect, GET), naming what was done.
func done(w http.ResponseWriter, rq *request, to, what string) {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	http.Redirect(w, rq.Request, to+sep+"done="+what, http.StatusSeeOther)
}

// noticeText is the words of a "done" notice, if it is one we know.
func noticeText(l lang.Lang, what string) string {
	if what == "" || strings.ContainsAny(what, " ./") {
		return ""
	}
	k := lang.Key("office.done." + what)
	if t := l.Text(k); t != string(k) {
		return t
	}
	return ""
}

// funcs are the templates' helpers besides the words (kiosk/lang/pages):
// days as the office reads them.
var funcs = template.FuncMap{
	"day":  func(d calendar.Day) string { return d.Italian() },
	"iso":  func(d calendar.Day) string { return d.String() },
	"when": func(t time.Time) string { return t.In(calendar.Rome).Format("02/01/2006 15:04") },
	"level": func(l lang.Lang, v school.Level) string {
		return l.Text(lang.Key("office.level." + string(v)))
	},
	"measure": func(l lang.Lang, m school.Measure) string {
		return l.Text(lang.Key("office.measure." + string(m)))
	},
	"levels":   func() []school.Level { return school.Levels },
	"measures": func() []school.Measure { return school.Measures[1:] },
	"weekday": func(l lang.Lang, d time.Weekday) string {
		return l.Text(lang.Key("office.weekday." + strconv.Itoa(int(d))))
	},
}

// format replaces {0}, {1}… in a text, as the screen's texts do.
func format(text string, args ...any) string {
	for i, a := range args {
		text = strings.ReplaceAll(text, fmt.Sprintf("{%d}", i), fmt.Sprint(a))
	}
	return text
}
