package office

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/office/store"
)

// The cookies. The __Host- prefix makes the browser refuse them unless
// Secure, for the whole site and for this host only.
const (
	sessionCookie = "__Host-office-session"
	loginCookie   = "__Host-office-login" // the login form's CSRF token, before any session
	langCookie    = "__Host-office-lang"
)

// SessionLength is how long a login lasts: a working day.
const SessionLength = 9 * time.Hour

// Login rate limits: failures per account name and per address in a
// window. An account under attack is locked for its owner too, which the
// page says; the address limit stops one machine sweeping many names.
const (
	maxFailsPerAccount = 5
	maxFailsPerAddress = 20
	failWindow         = 15 * time.Minute
)

// token returns 32 random bytes, URL-safe base64.
func token() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the database keeps of a session token.
func tokenHash(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

func setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// sameToken compares two tokens in constant time; empty never matches.
func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// clientAddr is the address a request comes from (the office is reached
// directly, never behind a proxy, so the connection says it).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// errLimited: too many failed logins for the account or the address.
var errLimited = errors.New("too many failed logins")

// errBadLogin: unknown account or wrong password, never said apart.
var errBadLogin = errors.New("wrong name or password")

// login checks a name and password under the rate limits and, when they
// match, opens a session and returns its token.
func (s *Server) login(ctx context.Context, name, password, addr string) (string, error) {
	now := s.now()
	acctKey, addrKey := strings.ToLower(name), addr
	if !s.limits.allowed(acctKey, now) || !s.addrLimit.allowed(addrKey, now) {
		return "", errLimited
	}
	acct, err := s.store.Account(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		acct.Password = s.dummyHash // the same work as for a real account: the timing says nothing
	} else if err != nil {
		return "", err
	}
	ok, verr := VerifyPassword(acct.Password, password)
	if err != nil || verr != nil || !ok {
		s.limits.fail(acctKey, now)
		s.addrLimit.fail(addrKey, now)
		if verr != nil && err == nil {
			s.log.Error("a stored password hash is unreadable", "account", acct.Name, "err", verr)
		}
		return "", errBadLogin
	}
	s.limits.reset(acctKey)
	tok := token()
	if err := s.store.CreateSession(ctx, tokenHash(tok), acct.ID, token(), now.Add(SessionLength), now); err != nil {
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
	ses, err := s.store.Session(r.Context(), tokenHash(c.Value), s.now())
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
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseMultipartForm(maxForm); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				s.fail(w, rq, http.StatusRequestEntityTooLarge, lang.OfficeTooLarge)
				return
			}
			if !sameToken(r.PostFormValue("csrf"), ses.CSRF) {
				s.fail(w, rq, http.StatusForbidden, lang.OfficeCSRF)
				return
			}
		}
		h(w, rq)
	}
}

// maxForm bounds every form's body: the largest is a CSV of classes.
const maxForm = 256 << 10
