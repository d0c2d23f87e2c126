package display

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/scuola/kiosk/privacy/loopback"
)

// securityHeaders are set on every response, errors included. The page
// shows personal data, so nothing may be cached, sniffed, framed, referred
// or loaded from anywhere but this server; the page has no inline script and
// builds its DOM with textContent only, which Trusted Types enforces. The
// page must not open the camera or the microphone: the scanner owns them.
var securityHeaders = map[string]string{
	"Cache-Control":          "no-store",
	"Pragma":                 "no-cache",
	"X-Content-Type-Options": "nosniff",
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; " +
		"require-trusted-types-for 'script'; trusted-types 'none'",
	"Referrer-Policy":              "no-referrer",
	"X-Frame-Options":              "DENY",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Permissions-Policy":           "camera=(), microphone=(), geolocation=()",
}

// guard wraps the server's routes: it sets securityHeaders on every response
// and refuses, before any route sees it, a request that a web page elsewhere
// could have sent — a Host that is not loopback (DNS rebinding), a fetch
// from another site (Sec-Fetch-Site), or a POST from another origin.
// Requests without those headers come from programs on this machine, which
// could reach the loopback anyway.
func guard(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaders {
			h.Set(k, v)
		}
		if reason := refusal(r); reason != "" {
			log.Warn("display: request refused", "reason", reason, "method", r.Method, "path", r.URL.Path)
			http.Error(w, "forbidden: "+reason, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// refusal says why r must be refused, or "" when it may go on.
func refusal(r *http.Request) string {
	if !loopback.IsHost(r.Host) {
		return "host is not loopback"
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none": // none: the kiosk browser opening the page
	default:
		return "request from another site"
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if origin := r.Header.Get("Origin"); origin != "" && !strings.EqualFold(origin, "http://"+r.Host) {
			return "request from another origin"
		}
	}
	return ""
}
