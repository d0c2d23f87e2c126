package watch

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scuola/kiosk/cmd/portal/alarm"
	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/lang"
)

// States are the review states of an alarm, in the order a form offers
// them.
var States = []string{"new", "seen", "dismissed"}

// maxNote bounds a review's note: a sentence, not a report.
const maxNote = 500

// maxListed bounds the alarm list: the newest first, a season's worth of
// a large ATS's, not a page no one scrolls.
const maxListed = 300

// alarmsData is the alarm list.
type alarmsData struct {
	Settings store.Settings
	Alarms   []Alarm // the newest maxListed
	All      int     // how many there are
	Names    map[string]string
	States   []string
}

func (p *pages) alarms(w http.ResponseWriter, rq *request) {
	p.showAlarms(w, rq, http.StatusOK, nil)
}

func (p *pages) showAlarms(w http.ResponseWriter, rq *request, status int, errs []string) {
	ctx := rq.Context()
	d := &alarmsData{States: States}
	if rq.ats != "" {
		wd, err := watch(ctx, p.st, rq.ats, yearStart(rq.today).String(), rq.today.String(), rq.own())
		if err != nil {
			p.internal(w, rq, err)
			return
		}
		cov, err := p.st.Coverage(ctx, rq.ats)
		if err != nil {
			p.internal(w, rq, err)
			return
		}
		d.Settings, d.Alarms, d.All, d.Names = wd.Settings, wd.Alarms[:min(len(wd.Alarms), maxListed)], len(wd.Alarms), names(cov.Sentinels)
	}
	p.render(w, rq, status, "alarms", page{Title: lang.WatchAlarmsTitle, Nav: "alarms", Errors: errs, Data: d})
}

// review keeps what the operator said of one alarm of the list: the alarm
// must be one the list shows now, and dismissing it needs a note.
func (p *pages) review(w http.ResponseWriter, rq *request) {
	if !rq.own() {
		p.fail(w, rq, http.StatusForbidden, lang.WatchErrReadOnly)
		return
	}
	ctx := rq.Context()
	r := store.Review{ATS: rq.ats, School: rq.FormValue("school"), Method: rq.FormValue("method"), Day: rq.FormValue("day"),
		State: rq.FormValue("state"), Note: strings.TrimSpace(rq.FormValue("note")), By: rq.v.Name, At: p.o.Now().Unix()}
	l := rq.v.Lang
	switch {
	case !slices.Contains(States, r.State):
		p.showAlarms(w, rq, http.StatusUnprocessableEntity, []string{l.Text(lang.WatchErrState)})
		return
	case r.State == "dismissed" && r.Note == "":
		p.showAlarms(w, rq, http.StatusUnprocessableEntity, []string{l.Text(lang.WatchErrNoteNeeded)})
		return
	case utf8.RuneCountInString(r.Note) > maxNote || strings.IndexFunc(r.Note, unicode.IsControl) >= 0:
		p.showAlarms(w, rq, http.StatusUnprocessableEntity, []string{l.Format(lang.WatchErrNote, maxNote)})
		return
	}
	wd, err := watch(ctx, p.st, rq.ats, yearStart(rq.today).String(), rq.today.String(), true)
	if err != nil {
		p.internal(w, rq, err)
		return
	}
	found := false
	for _, a := range wd.Alarms {
		found = found || a.School == r.School && a.Method == r.Method && a.Day == r.Day
	}
	if !found {
		p.showAlarms(w, rq, http.StatusUnprocessableEntity, []string{l.Text(lang.WatchErrNoAlarm)})
		return
	}
	if err := p.st.PutReview(ctx, r); err != nil {
		p.internal(w, rq, err)
		return
	}
	slog.Info("ats alarm reviewed", "ats", r.ATS, "school", r.School, "method", r.Method, "day", r.Day, "state", r.State, "by", r.By)
	done(w, rq, "/ats/alarms", "review")
}

// settingsData is the settings form.
type settingsData struct {
	Settings, Defaults store.Settings
	Methods            []alarm.Method
	Stored             bool // the ATS has set its own
}

func (p *pages) settings(w http.ResponseWriter, rq *request) {
	if rq.ats == "" {
		p.fail(w, rq, http.StatusNotFound, lang.WatchErrNoATS)
		return
	}
	set, err := p.st.Settings(rq.Context(), rq.ats)
	stored := err == nil
	if !stored {
		if set, err = settingsOf(rq.Context(), p.st, rq.ats); err != nil {
			p.internal(w, rq, err)
			return
		}
	}
	p.showSettings(w, rq, http.StatusOK, set, stored, nil)
}

func (p *pages) showSettings(w http.ResponseWriter, rq *request, status int, set store.Settings, stored bool, errs []string) {
	d := &settingsData{Settings: set, Defaults: DefaultSettings, Methods: alarm.Methods, Stored: stored}
	p.render(w, rq, status, "settings", page{Title: lang.WatchSettingsTitle, Nav: "settings", Errors: errs, Data: d})
}

// saveSettings replaces the ATS's settings, naming who set them.
func (p *pages) saveSettings(w http.ResponseWriter, rq *request) {
	if !rq.own() {
		p.fail(w, rq, http.StatusForbidden, lang.WatchErrReadOnly)
		return
	}
	set, field, err := parseSettings(rq.ats, rq.FormValue)
	if err != nil {
		l := rq.v.Lang
		msg := l.Format(lang.WatchErrSetting, l.Text(lang.Key("watch.settings."+field)), l.Text(lang.Key("watch.settings."+field+".hint")))
		p.showSettings(w, rq, http.StatusUnprocessableEntity, set, false, []string{msg})
		return
	}
	set.By, set.At = rq.v.Name, p.o.Now().Unix()
	if err := p.st.PutSettings(rq.Context(), set); err != nil {
		p.internal(w, rq, err)
		return
	}
	slog.Info("ats alarm settings changed", "ats", set.ATS, "method", set.Method, "alpha", set.Alpha, "baseline", set.Baseline,
		"min_sigma", set.MinSigma, "min_count", set.MinCount, "by", set.By)
	done(w, rq, "/ats/settings", "settings")
}
