package watch

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/verify/calendar"
)

// Target is the part of an ATS's pupils aged 6–19 its sentinel plessi must
// cover (Piano pandemico Pan Flu 2021–2023, 6.1.1).
const Target = 0.05

// yearStart is the first day of the school year of day d: 1 September.
func yearStart(d calendar.Day) calendar.Day {
	t := d.Time()
	y := t.Year()
	if t.Month() < time.September {
		y--
	}
	return calendar.Date(y, time.September, 1)
}

// lastSentinelDay is the latest Monday or Thursday up to d that is not a
// national holiday: the sentinel plessi report on those days, and a
// holiday Monday would list every one of them as missing.
func lastSentinelDay(d calendar.Day) calendar.Day {
	for {
		if wd := d.Time().Weekday(); (wd == time.Monday || wd == time.Thursday) && !calendar.Holiday(d) {
			return d
		}
		d--
	}
}

// dashboardData is the ATS's first page.
type dashboardData struct {
	Coverage store.Coverage
	Share    float64
	Target   float64
	LastDay  string
	Missing  []store.School
	// Closed: no sentinel reported on LastDay, which is past: the schools
	// were most likely closed (a region's school holidays, a patron
	// saint's day), which the list alone would not say.
	Closed bool
	Chart  template.HTML
	Alarms []Alarm // the newest, not reviewed yet
	Names  map[string]string
}

func (p *pages) dashboard(w http.ResponseWriter, rq *request) {
	ctx := rq.Context()
	if rq.ats == "" {
		p.render(w, rq, http.StatusOK, "dashboard", page{Title: lang.WatchDashboardTitle, Nav: "dashboard", Data: &dashboardData{}})
		return
	}
	cov, err := p.st.Coverage(ctx, rq.ats)
	if err != nil {
		p.internal(w, rq, err)
		return
	}
	lastDay := lastSentinelDay(rq.today)
	last := lastDay.String()
	missing, err := p.st.Missing(ctx, rq.ats, last)
	if err != nil {
		p.internal(w, rq, err)
		return
	}
	wd, err := watch(ctx, p.st, rq.ats, yearStart(rq.today).String(), rq.today.String(), rq.own())
	if err != nil {
		p.internal(w, rq, err)
		return
	}
	closed := len(missing) > 1 && len(missing) == len(cov.Sentinels) && lastDay < rq.today
	d := &dashboardData{Coverage: cov, Share: cov.Share(), Target: Target, LastDay: last, Missing: missing, Closed: closed,
		Chart: chart(rq.v.Lang, wd.ATS, rq.v.Lang.Text(lang.WatchChartATS)), Names: names(cov.Sentinels)}
	for _, a := range wd.Alarms {
		if a.Review.State == "new" && len(d.Alarms) < 5 {
			d.Alarms = append(d.Alarms, a)
		}
	}
	p.render(w, rq, http.StatusOK, "dashboard", page{Title: lang.WatchDashboardTitle, Nav: "dashboard", Data: d})
}

// names maps the plessi's codes to their names.
func names(list []store.School) map[string]string {
	m := make(map[string]string, len(list))
	for _, s := range list {
		m[s.Code] = s.Name
	}
	return m
}

// schoolData is one plesso's page.
type schoolData struct {
	School store.School
	Chart  template.HTML
	Rows   []schoolRow // newest first
}

// schoolRow is one report of the plesso, as judged.
type schoolRow struct {
	store.SchoolDay
	Rate            float64
	Judged, Alarm   bool
	Expected, Upper float64
}

// school is one plesso's series: only its own ATS sees it.
func (p *pages) school(w http.ResponseWriter, rq *request) {
	if !rq.own() {
		p.fail(w, rq, http.StatusForbidden, lang.WatchErrNotYours)
		return
	}
	ctx := rq.Context()
	sc, err := p.st.School(ctx, rq.PathValue("code"))
	if errors.Is(err, store.ErrNotFound) || err == nil && sc.ATS != rq.ats {
		p.fail(w, rq, http.StatusNotFound, lang.WatchErrNoSchool)
		return
	}
	if err != nil {
		p.internal(w, rq, err)
		return
	}
	set, err := settingsOf(ctx, p.st, rq.ats)
	if err != nil {
		p.internal(w, rq, err)
		return
	}
	reports, err := p.st.Absences(ctx, sc.Code, yearStart(rq.today).String(), rq.today.String())
	if err != nil {
		p.internal(w, rq, err)
		return
	}
	days := make([]store.SchoolDay, len(reports))
	s := &series{School: sc.Code}
	for i, r := range reports {
		days[i] = store.SchoolDay{School: sc.Code, Day: r.Date, Enrolled: r.Enrolled, Absent: r.Absent,
			AbsentIllness: r.AbsentIllness, ClassesUnderMeasure: r.ClassesUnderMeasure}
		s.Days, s.Enrolled, s.Absent = append(s.Days, r.Date), append(s.Enrolled, r.Enrolled), append(s.Absent, r.Absent)
	}
	if _, err := detect(s, set); err != nil {
		p.internal(w, rq, err)
		return
	}
	d := &schoolData{School: sc, Chart: chart(rq.v.Lang, s, sc.Name)}
	for i := len(days) - 1; i >= 0; i-- {
		j := s.Judged[i]
		d.Rows = append(d.Rows, schoolRow{SchoolDay: days[i], Rate: s.rate(i), Judged: j.Judged, Alarm: s.Alarmed[i],
			Expected: j.Expected, Upper: j.Upper})
	}
	p.render(w, rq, http.StatusOK, "school", page{Title: lang.WatchSchoolTitle, Nav: "dashboard", Data: d})
}
