package access

import (
	"errors"
	"mime"
	"net/http"
	"strings"
)

// SetCookie sets a cookie only this site's pages, over HTTPS, can read:
// Secure, HttpOnly, SameSite=Strict, for the whole site (the names start
// __Host-, which makes the browser insist on all of it). maxAge < 0
// deletes it.
func SetCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// PageHeaders are the headers every answer of the pages carries: no
// framing, no sniffing, no caching of pages that show staff data or
// credentials (the static files excepted), and a policy allowing only
// this site's stylesheets and images, and forms sent to itself.
func PageHeaders(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Strict-Transport-Security", "max-age=31536000")
	if !strings.HasPrefix(r.URL.Path, "/static/") {
		h.Set("Cache-Control", "no-store")
	}
}

// LocalPath is back when it is a path of this site, else fallback: a
// link's "go back to" must not lead elsewhere.
func LocalPath(back, fallback string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.Contains(back, "\\") {
		return fallback
	}
	return back
}

// ErrFormTooLarge is a form over ParseForm's bound.
var ErrFormTooLarge = errors.New("the form is too large")

// ParseForm reads a POST's form, multipart or not, of at most max bytes:
// ErrFormTooLarge over it, another error for a malformed one. (Called on
// a body that is not multipart, http.Request.ParseMultipartForm returns
// ErrNotMultipart and hides what ParseForm found.)
func ParseForm(w http.ResponseWriter, r *http.Request, max int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, max)
	var err error
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		err = r.ParseMultipartForm(max)
	} else {
		err = r.ParseForm()
	}
	if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
		return ErrFormTooLarge
	}
	return err
}

// LoginForm is the CSRF defence of a login form, before there is a
// session to hold a token: a token in a cookie of that name, which the
// form's field csrf must repeat.
type LoginForm struct{ Cookie string }

// Issue sets a fresh token and returns it, for the form's field.
func (f LoginForm) Issue(w http.ResponseWriter) string {
	tok := Token()
	SetCookie(w, f.Cookie, tok, 3600)
	return tok
}

// Check reads the posted login form (a few KiB at most) and reports
// whether its field repeats the cookie's token.
func (f LoginForm) Check(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	c, _ := r.Cookie(f.Cookie)
	return r.ParseForm() == nil && c != nil && SameToken(r.PostFormValue("csrf"), c.Value)
}

// Done forgets the token once the login has opened a session.
func (f LoginForm) Done(w http.ResponseWriter) { SetCookie(w, f.Cookie, "", -1) }
