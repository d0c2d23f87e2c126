// Package watch is what the ATS sees of its sentinel schools: their
// coverage of the pupils aged 6–19 against the regional 5%, who has not
// reported on the last sentinel day, the absence rates over time as
// charts with the expected value and the alarm threshold, the alarm list
// with its review state, the ATS's own alarm settings, a CSV export of
// aggregates and a weekly summary (CSV, PDF).
//
// Pages are server-rendered html/template with no script and nothing
// fetched at run time (charts are SVG drawn here), Italian first. The
// outer handler (cmd/portal/web) has checked the session and the CSRF
// token of every POST; Viewer says who is looking. An ATS operator sees
// its own ATS only, plessi included; a regional viewer picks an ATS and
// sees its aggregates only, as the Garante asks (weekly counts per
// building can identify pupils), and changes nothing.
package watch

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/privacy/access"
	"github.com/scuola/kiosk/verify/calendar"
)

// Viewer is the person looking, as the outer handler knows them.
type Viewer struct {
	Name     string
	ATS      string // the operator's ATS; "" for a regional viewer
	Regional bool
	CSRF     string // the session's token, sent back by every form
	Lang     lang.Lang
}

// Options connect the pages to the outer handler.
type Options struct {
	// Viewer returns the person of a request; false answers 401.
	Viewer func(*http.Request) (Viewer, bool)
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Every and Burst are each viewer's rate: a request per Every on
	// average, Burst at once (DefaultEvery and DefaultBurst when zero).
	// A page recomputes the year's alarms, about 200 ms on the largest
	// ATS, so an account must not be able to keep the server busy.
	Every time.Duration
	Burst int
}

// The default rate: a person reading pages and reviewing alarms never
// reaches it.
const (
	DefaultEvery = time.Second
	DefaultBurst = 20
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages serves the ATS's pages.
type pages struct {
	st     store.Store
	o      Options
	pages  map[string]*template.Template
	limits *access.Buckets // per viewer
}

// Pages returns the handler of the paths under /ats/.
func Pages(st store.Store, o Options) http.Handler {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Every <= 0 {
		o.Every = DefaultEvery
	}
	if o.Burst <= 0 {
		o.Burst = DefaultBurst
	}
	p := &pages{st: st, o: o, pages: mustParse(), limits: access.NewBuckets(o.Every, o.Burst)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ats/{$}", p.with(p.dashboard))
	mux.HandleFunc("GET /ats/schools/{code}", p.with(p.school))
	mux.HandleFunc("GET /ats/alarms", p.with(p.alarms))
	mux.HandleFunc("POST /ats/alarms", p.with(p.review))
	mux.HandleFunc("GET /ats/settings", p.with(p.settings))
	mux.HandleFunc("POST /ats/settings", p.with(p.saveSettings))
	mux.HandleFunc("GET /ats/export.csv", p.with(p.export))
	mux.HandleFunc("GET /ats/summary", p.with(p.summary))
	mux.HandleFunc("GET /ats/summary.csv", p.with(p.summaryCSV))
	mux.HandleFunc("GET /ats/summary.pdf", p.with(p.summaryPDF))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The pages draw their coverage bars and charts with inline
		// styles; still no script, no other origin.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		mux.ServeHTTP(w, r)
	})
}

// request is one request with its viewer and the ATS it is about.
type request struct {
	*http.Request
	v     Viewer
	ats   string
	atses []string // the regional viewer's choice; nil for an operator
	today calendar.Day
}

// own reports whether the viewer is the ATS's own operator, who sees its
// plessi and changes its settings and reviews.
func (rq *request) own() bool { return !rq.v.Regional && rq.v.ATS == rq.ats }

// with answers 401 without a viewer and picks the ATS: the operator's
// own, or for a regional viewer the one asked for (the first otherwise).
func (p *pages) with(h func(http.ResponseWriter, *request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := p.o.Viewer(r)
		if !ok {
			http.Error(w, "401 unauthorized", http.StatusUnauthorized)
			return
		}
		if v.Lang == "" {
			v.Lang = lang.Default
		}
		now := p.o.Now()
		rq := &request{Request: r, v: v, ats: v.ATS, today: calendar.Of(now)}
		if ok, wait := p.limits.Allow(v.Name, now); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			p.fail(w, rq, http.StatusTooManyRequests, lang.WatchErrBusy)
			return
		}
		if v.Regional {
			atses, err := p.st.ATSs(r.Context())
			if err != nil {
				p.internal(w, rq, err)
				return
			}
			rq.atses, rq.ats = atses, ""
			if want := r.FormValue("ats"); slices.Contains(atses, want) {
				rq.ats = want
			} else if len(atses) > 0 {
				rq.ats = atses[0]
			}
		} else if v.ATS == "" {
			http.Error(w, "403 forbidden: an operator without an ATS", http.StatusForbidden)
			return
		}
		h(w, rq)
	}
}

// page is what every template receives.
type page struct {
	L      lang.Lang
	Title  lang.Key
	Nav    string
	V      Viewer
	ATS    string
	ATSs   []string
	Own    bool
	Path   string
	Notice string
	Errors []string
	Data   any
}

// Q is the query that keeps a regional viewer's choice of ATS in a link.
func (p page) Q() string {
	if p.ATSs == nil {
		return ""
	}
	return "?ats=" + url.QueryEscape(p.ATS)
}

// QAnd is Q ready for more parameters (ends with ? or &).
func (p page) QAnd() string {
	if q := p.Q(); q != "" {
		return q + "&"
	}
	return "?"
}

func (p *pages) render(w http.ResponseWriter, rq *request, status int, name string, pg page) {
	pg.L, pg.V, pg.ATS, pg.ATSs, pg.Own, pg.Path = rq.v.Lang, rq.v, rq.ats, rq.atses, rq.own(), rq.URL.Path
	if pg.Notice == "" && rq.URL.Query().Get("done") != "" {
		if k := lang.Key("watch.done." + rq.URL.Query().Get("done")); rq.v.Lang.Text(k) != string(k) {
			pg.Notice = rq.v.Lang.Text(k)
		}
	}
	var b strings.Builder
	if err := p.pages[name].ExecuteTemplate(&b, "layout", pg); err != nil {
		p.internal(w, rq, fmt.Errorf("rendering %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, b.String())
}

// fail answers with a plain page saying what is wrong.
func (p *pages) fail(w http.ResponseWriter, rq *request, status int, msg lang.Key) {
	p.render(w, rq, status, "error", page{Title: lang.WatchErrorTitle, Errors: []string{rq.v.Lang.Text(msg)}})
}

// internal logs an unexpected error for the engineer and shows a plain
// page.
func (p *pages) internal(w http.ResponseWriter, rq *request, err error) {
	slog.Error("ats pages", "path", rq.URL.Path, "err", err)
	http.Error(w, "500 internal error", http.StatusInternalServerError)
}

// done redirects after a change (POST, redirect, GET), naming what was
// done. Only an ATS's own operator changes anything, so no choice of ATS
// is to be kept.
func done(w http.ResponseWriter, rq *request, to, what string) {
	http.Redirect(w, rq.Request, to+"?done="+what, http.StatusSeeOther)
}

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"t":  func(l lang.Lang, k any) string { return l.Text(lang.Key(fmt.Sprint(k))) },
	"tf": func(l lang.Lang, k string, args ...any) string { return l.Format(lang.Key(k), args...) },
	"day": func(iso string) string {
		if d, err := calendar.Parse(iso); err == nil {
			return d.Italian()
		}
		return iso
	},
	"pct": func(x float64) string { return percent(x) },
	// barWidth is a share as the width of a bar, in percent of the bar
	// that stands for twice the target.
	"barWidth": func(x float64) float64 { return math.Round(math.Min(100, 100*x/(2*Target))*10) / 10 },
	"when":     func(unix int64) string { return time.Unix(unix, 0).In(calendar.Rome).Format("02/01/2006 15:04") },
	"opt": func(n *int) string {
		if n == nil {
			return "—"
		}
		return fmt.Sprint(*n)
	},
}

// percent writes a rate as Italians read it: 3,2 %.
func percent(x float64) string {
	return strings.Replace(fmt.Sprintf("%.1f %%", 100*x), ".", ",", 1)
}

func mustParse() map[string]*template.Template {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", n))
	}
	return out
}
