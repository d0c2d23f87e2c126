// Package web is the portal's pages for the people of the ATS (`portal
// serve`, next to the report protocol at /api/v1/): their login, the
// registry of the plessi with their credentials, the audit, and the mount
// point of the dashboard (/ats/). An operator sees and changes the plessi
// of its own ATS only; a regional user, all of them.
//
// The care is the school office's (kiosk/office), from the same package,
// privacy/access: argon2id passwords, logins rate-limited per account and
// per address, random session tokens kept only as their hash, in Secure,
// HttpOnly, SameSite=Strict cookies, and a CSRF field `csrf` that every
// POST must carry, checked here before any page, the dashboard's included,
// sees the request. Pages are server-rendered html/template with no
// script, Italian first and English selectable, every word from
// kiosk/lang. Every change is in the audit, with the ATS it concerns.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/lang/pages"
	"github.com/scuola/kiosk/privacy/access"
	"github.com/scuola/kiosk/verify/calendar"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Options tune the pages; the zero value is the defaults.
type Options struct {
	// Dashboard serves the paths under /ats/ (cmd/portal/watch), behind
	// the session and the CSRF check; ViewerOf tells it who is looking.
	// Nil: no dashboard, and no menu entry for it.
	Dashboard http.Handler
	// Argon2 is the cost of the hash checked for an unknown name: that of
	// the users' passwords (access.DefaultArgon2 when zero).
	Argon2 access.Argon2
	// Log receives what went wrong (never a password). Default: discarded.
	Log *slog.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
}

// SessionLength is how long a login lasts: a working day.
const SessionLength = 9 * time.Hour

// The cookies. The __Host- prefix makes the browser refuse them unless
// Secure, for the whole site and for this host only.
const (
	sessionCookie = "__Host-portal-session"
	langCookie    = "__Host-portal-lang"
)

// loginForm's cookie holds the login form's CSRF token, before any session.
var loginForm = access.LoginForm{Cookie: "__Host-portal-login"}

// maxForm bounds a form's body: the largest is the region's list of
// plessi (5,000 lines of about 80 bytes).
const maxForm = 2 << 20

// Handler serves the pages.
type Handler struct {
	store  store.Store
	opt    Options
	logins *access.Logins
	pages  map[string]*template.Template
	mux    *http.ServeMux
}

// New returns the pages' handler over st.
func New(st store.Store, opt Options) (*Handler, error) {
	if opt.Argon2 == (access.Argon2{}) {
		opt.Argon2 = access.DefaultArgon2
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	h := &Handler{store: st, opt: opt}
	var err error
	if h.logins, err = access.NewLogins(opt.Argon2); err != nil {
		return nil, err
	}
	if h.pages, err = pages.Parse(templateFiles, funcs); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

func (h *Handler) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /login", h.loginPage)
	m.HandleFunc("POST /login", h.loginPost)
	m.HandleFunc("GET /lang/{code}", h.setLang)
	m.HandleFunc("POST /logout", h.guard(h.logout))
	m.HandleFunc("GET /{$}", h.guard(func(w http.ResponseWriter, rq *request) {
		http.Redirect(w, rq.Request, "/schools", http.StatusSeeOther)
	}))
	m.HandleFunc("GET /schools", h.guard(h.schoolsPage))
	m.HandleFunc("POST /schools", h.guard(h.schoolAdd))
	m.HandleFunc("GET /schools/import", h.guard(h.importPage))
	m.HandleFunc("POST /schools/import", h.guard(h.importPost))
	m.HandleFunc("GET /schools/{code}", h.guard(h.ofViewer(h.schoolPage)))
	m.HandleFunc("POST /schools/{code}", h.guard(h.ofViewer(h.schoolEdit)))
	m.HandleFunc("POST /schools/{code}/token", h.guard(h.ofViewer(h.schoolToken)))
	m.HandleFunc("POST /schools/{code}/revoke", h.guard(h.ofViewer(h.schoolRevoke)))
	m.HandleFunc("GET /audit", h.guard(h.auditPage))
	if d := h.opt.Dashboard; d != nil {
		m.Handle("/ats/", h.guard(func(w http.ResponseWriter, rq *request) { d.ServeHTTP(w, rq.Request) }))
	}
	h.mux = m
}

// ServeHTTP serves a request with the headers every answer carries
// (access.PageHeaders).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	access.PageHeaders(w, r)
	h.mux.ServeHTTP(w, r)
}

// Viewer is who looks at a page, as the dashboard needs it: the fields
// of cmd/portal/watch's Viewer, in its order, so that one converts to
// the other (watch.Viewer(v)).
type Viewer struct {
	Name, ATS string
	Regional  bool
	CSRF      string // the session's, for the dashboard's forms
	Lang      lang.Lang
}

type viewerKey struct{}

// ViewerOf is who is signed in for a request the pages passed on to the
// dashboard; false for any other request.
func ViewerOf(r *http.Request) (Viewer, bool) {
	v, ok := r.Context().Value(viewerKey{}).(Viewer)
	return v, ok
}

// request is a signed-in request: its session and language.
type request struct {
	*http.Request
	ses  *store.Session
	lang lang.Lang
}

// regional reports whether the signed-in user sees the whole region.
func (rq *request) regional() bool { return rq.ses.User.Role == store.Regional }

// scope is the ATS whose plessi the user sees: "" for all of them.
func (rq *request) scope() string {
	if rq.regional() {
		return ""
	}
	return rq.ses.User.ATS
}

// guard wraps a page: it needs a session (else the login page), and on
// POST the form's CSRF field equal to the session's.
func (h *Handler) guard(next func(http.ResponseWriter, *request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rq := &request{Request: r, lang: requestLang(r)}
		ses, ok := h.session(r)
		if !ok {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		rq.ses = &ses
		if r.Method == http.MethodPost {
			err := access.ParseForm(w, r, maxForm)
			if errors.Is(err, access.ErrFormTooLarge) {
				h.fail(w, rq, http.StatusRequestEntityTooLarge, lang.PortalTooLarge)
				return
			}
			if err != nil {
				h.fail(w, rq, http.StatusBadRequest, lang.PortalCSRF)
				return
			}
			if !access.SameToken(r.PostFormValue("csrf"), ses.CSRF) {
				h.fail(w, rq, http.StatusForbidden, lang.PortalCSRF)
				return
			}
		}
		v := Viewer{Name: ses.User.Name, ATS: ses.User.ATS, Regional: ses.User.Role == store.Regional, CSRF: ses.CSRF, Lang: rq.lang}
		rq.Request = r.WithContext(context.WithValue(r.Context(), viewerKey{}, v))
		next(w, rq)
	}
}

// ofViewer wraps a page of one plesso: it must exist and, for an
// operator, be of its ATS (403 otherwise, in the audit).
func (h *Handler) ofViewer(next func(http.ResponseWriter, *request, store.School)) func(http.ResponseWriter, *request) {
	return func(w http.ResponseWriter, rq *request) {
		sc, err := h.store.School(rq.Context(), rq.PathValue("code"))
		switch {
		case errors.Is(err, store.ErrNotFound):
			h.fail(w, rq, http.StatusNotFound, lang.PortalNoSchool)
			return
		case err != nil:
			h.internal(w, rq, err)
			return
		case !rq.regional() && sc.ATS != rq.ses.User.ATS:
			if rq.Method == http.MethodPost {
				h.audit(rq, sc.ATS, "school.refused", "POST "+rq.URL.Path)
			}
			h.fail(w, rq, http.StatusForbidden, lang.PortalForbidden)
			return
		}
		next(w, rq, sc)
	}
}

// audit records a change; a failure is logged, the change stays done.
func (h *Handler) audit(rq *request, ats, action, detail string) {
	e := store.Event{At: h.opt.Now(), Actor: rq.ses.User.Name, ATS: ats, Action: action, Detail: detail}
	if err := h.store.Audit(rq.Context(), e); err != nil {
		h.opt.Log.Error("portal: recording the audit", "action", action, "err", err)
	}
}

// requestLang is the language the person chose (a cookie), Italian first.
func requestLang(r *http.Request) lang.Lang {
	if c, err := r.Cookie(langCookie); err == nil {
		if l, err := lang.Parse(c.Value); err == nil {
			return l
		}
	}
	return lang.Default
}

// clientAddr is the address a request comes from, for the login's rate
// limit. Behind a TLS proxy on this machine (portal serve --plain-http,
// which listens on loopback only) the proxy's X-Forwarded-For names it:
// its last entry, the one the proxy wrote.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		if fwd := r.Header.Values("X-Forwarded-For"); len(fwd) > 0 {
			list := strings.Split(fwd[len(fwd)-1], ",")
			if last := strings.TrimSpace(list[len(list)-1]); last != "" {
				return last
			}
		}
	}
	return host
}

// page is what every template receives.
type page struct {
	L         lang.Lang
	Title     lang.Key
	Nav       string // the active menu entry
	User      *store.User
	CSRF      string
	Path      string
	Dashboard bool
	Notice    string   // what was just done
	Errors    []string // each naming its field or line
	Data      any
}

// render writes a page with status.
func (h *Handler) render(w http.ResponseWriter, rq *request, status int, name string, p page) {
	p.L, p.Path, p.Dashboard = rq.lang, rq.URL.Path, h.opt.Dashboard != nil
	if rq.ses != nil {
		p.User, p.CSRF = &rq.ses.User, rq.ses.CSRF
	}
	if p.Notice == "" {
		p.Notice = noticeText(rq.lang, rq.URL.Query().Get("done"))
	}
	var b strings.Builder
	if err := h.pages[name].ExecuteTemplate(&b, "layout", p); err != nil {
		h.opt.Log.Error("portal: rendering a page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, b.String())
}

// fail shows an error page with one message.
func (h *Handler) fail(w http.ResponseWriter, rq *request, status int, msg lang.Key) {
	h.render(w, rq, status, "error", page{Title: lang.PortalErrorTitle, Errors: []string{rq.lang.Text(msg)}})
}

// internal logs an unexpected error (in English, for the engineer) and
// shows the person a plain page.
func (h *Handler) internal(w http.ResponseWriter, rq *request, err error) {
	h.opt.Log.Error("portal: a page failed", "path", rq.URL.Path, "err", err)
	h.fail(w, rq, http.StatusInternalServerError, lang.PortalInternal)
}

// done redirects after a change (POST, redirect, GET), naming what was done.
func done(w http.ResponseWriter, rq *request, to, what string) {
	http.Redirect(w, rq.Request, to+"?done="+what, http.StatusSeeOther)
}

// noticeText is the words of a "done" notice, if it is one we know.
func noticeText(l lang.Lang, what string) string {
	if what == "" || strings.ContainsAny(what, " ./") {
		return ""
	}
	k := lang.Key("portal.done." + what)
	if t := l.Text(k); t != string(k) {
		return t
	}
	return ""
}

// funcs are the templates' helpers besides the words (kiosk/lang/pages):
// times in Rome, a credential's state.
var funcs = template.FuncMap{
	"when": func(t time.Time) string { return t.In(calendar.Rome).Format("02/01/2006 15:04") },
	"credstate": func(l lang.Lang, s store.School) credState {
		c := credState{Active: s.HasToken, Revoked: !s.HasToken && s.Revoked}
		switch {
		case c.Active:
			c.Text = l.Text("portal.credential.active")
		case c.Revoked:
			c.Text = l.Text("portal.credential.revoked")
		default:
			c.Text = l.Text("portal.credential.missing")
		}
		return c
	},
}

// credState is a plesso's credential as the registry shows it.
type credState struct {
	Active, Revoked bool
	Text            string
}
