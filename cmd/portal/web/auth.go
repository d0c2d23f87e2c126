package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/privacy/access"
)

// session returns the request's session, if it has a live one.
func (h *Handler) session(r *http.Request) (store.Session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return store.Session{}, false
	}
	ses, err := h.store.Session(r.Context(), store.HashToken(c.Value), h.opt.Now())
	return ses, err == nil
}

// login checks a name and password under the rate limits (access.ErrLimited,
// access.ErrBadLogin) and, when they match, opens a session and returns
// its token and its user.
func (h *Handler) login(ctx context.Context, name, password, addr string) (string, store.User, error) {
	now := h.opt.Now()
	var u store.User
	err := h.logins.Check(name, addr, password, now, func() (string, error) {
		var err error
		u, err = h.store.User(ctx, name)
		if errors.Is(err, store.ErrNotFound) || err == nil && u.Revoked {
			return "", access.ErrNoAccount
		}
		return u.Password, err
	})
	if errors.Is(err, access.ErrHash) {
		h.opt.Log.Error("portal: a stored password hash is unreadable", "user", u.Name, "err", err)
	}
	if err != nil {
		return "", u, err
	}
	tok := access.Token()
	if err := h.store.CreateSession(ctx, store.HashToken(tok), u.Name, access.Token(), now, now.Add(SessionLength)); err != nil {
		return "", u, err
	}
	return tok, u, nil
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	h.showLogin(w, &request{Request: r, lang: requestLang(r)}, http.StatusOK, "")
}

func (h *Handler) showLogin(w http.ResponseWriter, rq *request, status int, msg lang.Key) {
	p := page{Title: lang.PortalLoginTitle, CSRF: loginForm.Issue(w)}
	if msg != "" {
		p.Errors = []string{rq.lang.Text(msg)}
	}
	rq.ses = nil
	h.render(w, rq, status, "login", p)
}

func (h *Handler) loginPost(w http.ResponseWriter, r *http.Request) {
	rq := &request{Request: r, lang: requestLang(r)}
	if !loginForm.Check(w, r) {
		h.showLogin(w, rq, http.StatusForbidden, lang.PortalCSRF)
		return
	}
	tok, u, err := h.login(r.Context(), strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password"), clientAddr(r))
	switch {
	case errors.Is(err, access.ErrLimited):
		h.showLogin(w, rq, http.StatusTooManyRequests, lang.PortalLoginLimited)
		return
	case errors.Is(err, access.ErrBadLogin):
		h.showLogin(w, rq, http.StatusUnauthorized, lang.PortalLoginWrong)
		return
	case err != nil:
		h.internal(w, rq, err)
		return
	}
	rq.ses = &store.Session{User: u}
	h.audit(rq, u.ATS, "login", clientAddr(r))
	loginForm.Done(w)
	access.SetCookie(w, sessionCookie, tok, int(SessionLength.Seconds()))
	http.Redirect(w, r, "/schools", http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, rq *request) {
	if c, err := rq.Cookie(sessionCookie); err == nil {
		if err := h.store.DeleteSession(rq.Context(), store.HashToken(c.Value)); err != nil {
			h.internal(w, rq, err)
			return
		}
	}
	h.audit(rq, rq.ses.User.ATS, "logout", "")
	access.SetCookie(w, sessionCookie, "", -1)
	http.Redirect(w, rq.Request, "/login", http.StatusSeeOther)
}

// setLang keeps the chosen language and goes back to the page.
func (h *Handler) setLang(w http.ResponseWriter, r *http.Request) {
	l, err := lang.Parse(r.PathValue("code"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	access.SetCookie(w, langCookie, string(l), 365*24*3600)
	http.Redirect(w, r, access.LocalPath(r.URL.Query().Get("back"), "/schools"), http.StatusSeeOther)
}
