package office

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/privacy/access"
)

// The cookies. The __Host- prefix makes the browser refuse them unless
// Secure, for the whole site and for this host only.
const (
	sessionCookie = "__Host-office-session"
	langCookie    = "__Host-office-lang"
)

// loginForm's cookie holds the login form's CSRF token, before any session.
var loginForm = access.LoginForm{Cookie: "__Host-office-login"}

// SessionLength is how long a login lasts: a working day.
const SessionLength = 9 * time.Hour

// clientAddr is the address a request comes from (the office is reached
// directly, never behind a proxy, so the connection says it).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// login checks a name and password under the rate limits (access.ErrLimited,
// access.ErrBadLogin) and, when they match, opens a session and returns
// its token.
func (s *Server) login(ctx context.Context, name, password, addr string) (string, error) {
	now := s.now()
	var acct store.Account
	err := s.logins.Check(name, addr, password, now, func() (string, error) {
		var err error
		acct, err = s.store.Account(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return "", access.ErrNoAccount
		}
		return acct.Password, err
	})
	if errors.Is(err, access.ErrHash) {
		s.log.Error("a stored password hash is unreadable", "account", acct.Name, "err", err)
	}
	if err != nil {
		return "", err
	}
	tok := access.Token()
	if err := s.store.CreateSession(ctx, access.TokenHash(tok), acct.ID, access.Token(), now.Add(SessionLength), now); err != nil {
		return "", err
	}
	return tok, nil
}

// session returns the request's session, if it has a valid one.
func (s *Server) session(r *http.Request) (store.Session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return store.Session{}, false
	}
	ses, err := s.store.Session(r.Context(), access.TokenHash(c.Value), s.now())
	return ses, err == nil
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

// guard wraps a page: it needs a session, the role when one is named
// (dirigente pages answer 403 to the segreteria), and on POST the form's
// CSRF token equal to the session's.
func (s *Server) guard(role store.Role, h func(http.ResponseWriter, *request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rq := &request{Request: r, lang: requestLang(r)}
		ses, ok := s.session(r)
		if !ok {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		rq.ses = &ses
		if role != "" && ses.Account.Role != role {
			s.fail(w, rq, http.StatusForbidden, lang.OfficeForbidden)
			return
		}
		if r.Method == http.MethodPost {
			if err := access.ParseForm(w, r, maxForm); err != nil {
				s.fail(w, rq, http.StatusRequestEntityTooLarge, lang.OfficeTooLarge)
				return
			}
			if !access.SameToken(r.PostFormValue("csrf"), ses.CSRF) {
				s.fail(w, rq, http.StatusForbidden, lang.OfficeCSRF)
				return
			}
		}
		h(w, rq)
	}
}

// maxForm bounds every form's body: the largest is a CSV of classes.
const maxForm = 256 << 10
