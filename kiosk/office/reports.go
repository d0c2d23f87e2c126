package office

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/office/outbox"
	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/privacy/loopback"
	"github.com/scuola/kiosk/privacy/report"
	"github.com/scuola/kiosk/verify/calendar"
)

// The reports page: the yearly profile and, on the sentinel days, the
// day's absences (the Lombardia letter's form), both pre-filled from the
// classes so that the secretary types one number; the outbox with each
// report's state; the portal's address, the plesso's credential and the
// sentinel days (head teacher only). Only counts leave the school.

// SendReports sends the outbox in the background until ctx ends, each
// report when due, with backoff: `kiosk office` runs it beside the pages.
func (s *Server) SendReports(ctx context.Context) error { return s.outbox.Run(ctx) }

// portal is the client of the plesso's portal as the office is set up
// now: a change of address or credential applies to the next attempt.
func (s *Server) portal(school string) (outbox.Portal, error) {
	rs, err := s.store.ReportSettings(context.Background())
	if err != nil {
		return nil, err
	}
	if rs.PortalURL == "" || rs.Token == "" {
		return nil, errors.New("the portal's address or the school's credential is not set (reports page)")
	}
	return report.NewClient(rs.PortalURL, school, rs.Token, nil)
}

// maxOutboxShown bounds the outbox the page lists: two reports a week
// and a profile a year are a few years.
const maxOutboxShown = 300

// weekdays are the days a sentinel day may be: the school's week.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}

type reportsData struct {
	formPage
	Today       calendar.Day
	Year        string       // today's school year
	Day         calendar.Day // the absences form's day
	Sentinel    bool         // Day is a sentinel day, or a past day asked for
	NextDay     calendar.Day // the next sentinel day, when today is none
	LastDay     calendar.Day // the last sentinel day before today
	Pre         outbox.Prefill
	Settings    store.ReportSettings
	Weekdays    []time.Weekday
	Outbox      []store.Report
	Invalidated string // the form the errors are about: profile, absences or settings
}

// Value is what a field of form shows: what was posted, when the page
// comes back with that form's errors, or else the pre-fill.
func (d *reportsData) Value(form, field string, pre any) string {
	if d.Invalidated == form {
		return d.Form.Get(field)
	}
	return fmt.Sprint(pre)
}

// Bad reports whether a field of form is to be marked.
func (d *reportsData) Bad(form, field string) bool { return d.Invalidated == form && d.Invalid[field] }

// slot is one of the two sentinel days' fields.
type slot struct {
	Field   string
	N       int
	Current string // the weekday's number, as the option's value
}

// Slots are the sentinel days' fields, with the days set or posted.
func (d *reportsData) Slots() []slot {
	var out []slot
	for i, field := range []string{"sentinel_1", "sentinel_2"} {
		cur := time.Monday + time.Weekday(3*i) // the defaults, Monday and Thursday
		if i < len(d.Settings.SentinelDays) {
			cur = d.Settings.SentinelDays[i]
		}
		out = append(out, slot{Field: field, N: i + 1, Current: d.Value("settings", field, int(cur))})
	}
	return out
}

// ClassAbsent is the per-class field of the i-th class.
func (reportsData) ClassAbsent(i int) string { return "class_absent_" + strconv.Itoa(i) }

// ClassIllness is the per-class illness field of the i-th class.
func (reportsData) ClassIllness(i int) string { return "class_illness_" + strconv.Itoa(i) }

// IsSentinel reports whether d is one of the sentinel weekdays.
func (d *reportsData) IsSentinel(w time.Weekday) bool {
	for _, s := range d.Settings.SentinelDays {
		if s == w {
			return true
		}
	}
	return false
}

func (s *Server) reportsPage(w http.ResponseWriter, rq *request) {
	f := &form{values: rq.URL.Query()}
	var day calendar.Day
	if f.values.Get("day") != "" {
		day = f.day("day", lang.OfficeFieldDay, firstDay, s.today())
	}
	s.showReports(w, rq, day, f, "")
}

// showReports renders the page; day is the absences form's day (zero:
// today if it is a sentinel day); f carries the values and errors of the
// form named by which.
func (s *Server) showReports(w http.ResponseWriter, rq *request, day calendar.Day, f *form, which string) {
	ctx := rq.Context()
	d := &reportsData{Today: s.today(), Year: outbox.SchoolYear(s.today()), Weekdays: weekdays, Invalidated: which}
	var err error
	if d.Settings, err = s.store.ReportSettings(ctx); err != nil {
		s.internal(w, rq, err)
		return
	}
	d.Settings.Token = d.Settings.TokenHint() // nothing a template could show by mistake
	for i := 1; i <= 7; i++ {
		if next := d.Today + calendar.Day(i); d.NextDay == 0 && d.IsSentinel(next.Time().Weekday()) {
			d.NextDay = next
		}
		if last := d.Today - calendar.Day(i); d.LastDay == 0 && d.IsSentinel(last.Time().Weekday()) {
			d.LastDay = last
		}
	}
	d.Day, d.Sentinel = day, day != 0
	if day == 0 && d.IsSentinel(d.Today.Time().Weekday()) {
		d.Day, d.Sentinel = d.Today, true
	}
	preDay := d.Day
	if preDay == 0 {
		preDay = d.Today
	}
	if d.Pre, err = outbox.Prefilled(ctx, s.store, preDay); err != nil {
		s.internal(w, rq, err)
		return
	}
	if d.Outbox, err = s.store.Reports(ctx, maxOutboxShown); err != nil {
		s.internal(w, rq, err)
		return
	}
	p := page{Title: lang.OfficeReportsTitle, Nav: "reports", Data: d}
	if which != "" {
		d.Form, d.Invalid = f.values, f.invalid()
		s.refuse(w, rq, "reports", p, f)
		return
	}
	if !f.ok() { // a bad ?day=: the page without the late form
		d.Invalid = f.invalid()
		p.Errors = f.texts(rq.lang)
	}
	s.render(w, rq, http.StatusOK, "reports", p)
}

// school is the plesso's code the reports go under, or a form error.
func (s *Server) schoolCode(ctx context.Context, f *form) string {
	sc, err := s.store.School(ctx)
	if err == nil && sc.Code == "" {
		f.bad("code", lang.OfficeFieldCode, lang.OfficeErrReportsNoCode)
	}
	return sc.Code
}

func (s *Server) reportProfile(w http.ResponseWriter, rq *request) {
	f := newForm(rq)
	year := f.text("year", lang.OfficeFieldSchoolYear, true, 7)
	if report.CheckYear(year, s.today().String()) != nil {
		f.bad("year", lang.OfficeFieldSchoolYear, lang.OfficeErrSchoolYear)
	}
	p := report.Profile{
		Enrolled:    f.number("enrolled", lang.OfficeFieldEnrolled, 0, report.MaxCount),
		Classes:     f.number("classes", lang.OfficeFieldClasses, 0, report.MaxCount),
		Enrolled619: f.number("enrolled_6_19", lang.OfficeFieldEnrolled619, 0, report.MaxCount),
	}
	if f.ok() && p.Enrolled619 > p.Enrolled {
		f.bad("enrolled_6_19", lang.OfficeFieldEnrolled619, lang.OfficeErrAtMost, p.Enrolled)
	}
	if f.ok() && p.Classes > p.Enrolled {
		f.bad("classes", lang.OfficeFieldClasses, lang.OfficeErrAtMost, p.Enrolled)
	}
	code := s.schoolCode(rq.Context(), f)
	s.queue(w, rq, f, "profile", 0, func() error {
		return s.outbox.EnqueueProfile(rq.Context(), rq.ses.Account.Name, code, year, p)
	})
}

func (s *Server) reportAbsences(w http.ResponseWriter, rq *request) {
	f := newForm(rq)
	day := f.day("date", lang.OfficeFieldDay, firstDay, s.today())
	a := report.Absences{
		Enrolled: f.number("enrolled", lang.OfficeFieldEnrolled, 0, report.MaxCount),
		Absent:   f.number("absent", lang.OfficeFieldAbsent, 0, report.MaxCount),
	}
	a.AbsentIllness = optionalCount(f, "absent_illness", lang.OfficeFieldAbsentIllness)
	if f.ok() {
		atMost(f, "absent", lang.OfficeFieldAbsent, a.Absent, a.Enrolled)
		if a.AbsentIllness != nil {
			atMost(f, "absent_illness", lang.OfficeFieldAbsentIllness, *a.AbsentIllness, a.Absent)
		}
	}
	if !f.ok() {
		s.showReports(w, rq, day, f, "absences")
		return
	}
	pre, err := outbox.Prefilled(rq.Context(), s.store, day)
	if err != nil {
		s.internal(w, rq, err)
		return
	}
	a.ClassesUnderMeasure = report.Int(pre.UnderMeasure)
	a.Classes = classShares(f, pre.Classes)
	if f.ok() {
		var absent, illness int
		for _, c := range a.Classes {
			absent += c.Absent
			if c.AbsentIllness != nil {
				illness += *c.AbsentIllness
			}
		}
		atMost(f, "absent", lang.OfficeFieldClassesAbsent, absent, a.Absent)
		if a.AbsentIllness != nil {
			atMost(f, "absent_illness", lang.OfficeFieldClassesIllness, illness, *a.AbsentIllness)
		}
	}
	code := s.schoolCode(rq.Context(), f)
	s.queue(w, rq, f, "absences", day, func() error {
		return s.outbox.EnqueueAbsences(rq.Context(), rq.ses.Account.Name, code, day.String(), a)
	})
}

// queue commits a report the form made, or shows the form's errors.
// A report the protocol still refuses (a check the form lacks) is shown
// with the protocol's words, naming its field.
func (s *Server) queue(w http.ResponseWriter, rq *request, f *form, which string, day calendar.Day, enqueue func() error) {
	if f.ok() {
		var fe *report.FieldError
		err := enqueue()
		switch {
		case errors.As(err, &fe):
			f.bad(fe.Field, lang.OfficeFieldReport, lang.OfficeErrReport, fe.Error())
		case err != nil:
			s.internal(w, rq, err)
			return
		default:
			done(w, rq, "/reports", "report_queued")
			return
		}
	}
	s.showReports(w, rq, day, f, which)
}

// optionalCount reads a count that may be left empty (nil).
func optionalCount(f *form, field string, label lang.Key) *int {
	if strings.TrimSpace(f.values.Get(field)) == "" {
		return nil
	}
	return report.Int(f.number(field, label, 0, report.MaxCount))
}

// atMost refuses n over limit.
func atMost(f *form, field string, label lang.Key, n, limit int) {
	if n > limit {
		f.bad(field, label, lang.OfficeErrAtMost, limit)
	}
}

// classShares reads the optional per-class absences, all or none: a
// share of the classes would not add up to the plesso's numbers, nor hold
// every class under a measure. Each is within its class's enrolled.
func classShares(f *form, classes []store.Class) []report.Class {
	var d reportsData
	given := false
	for i := range classes {
		given = given || strings.TrimSpace(f.values.Get(d.ClassAbsent(i))) != "" || strings.TrimSpace(f.values.Get(d.ClassIllness(i))) != ""
	}
	if !given {
		return nil
	}
	out := make([]report.Class, 0, len(classes))
	for i, c := range classes {
		cf := f.scoped(lang.Key(c.Name)) // no text has a class's name as key: the name is shown
		c := report.Class{Name: c.Name, Enrolled: c.Enrolled}
		c.AbsentIllness = optionalCount(cf, d.ClassIllness(i), lang.OfficeFieldAbsentIllness)
		c.Absent = cf.number(d.ClassAbsent(i), lang.OfficeFieldAbsent, 0, c.Enrolled)
		if c.AbsentIllness != nil {
			atMost(cf, d.ClassIllness(i), lang.OfficeFieldAbsentIllness, *c.AbsentIllness, c.Absent)
		}
		out = append(out, c)
	}
	return out
}

// maxToken bounds the credential typed: the portal's are 43 characters.
const maxToken = 256

func (s *Server) reportSettings(w http.ResponseWriter, rq *request) {
	f := newForm(rq)
	portalURL := f.text("portal_url", lang.OfficeFieldPortalURL, true, 300)
	if portalURL != "" && loopback.CheckURL(portalURL) != nil {
		f.bad("portal_url", lang.OfficeFieldPortalURL, lang.OfficeErrPortalURL)
	}
	token := f.text("token", lang.OfficeFieldToken, false, maxToken)
	if strings.ContainsAny(token, " \t") {
		f.bad("token", lang.OfficeFieldToken, lang.OfficeErrControl)
	}
	var days []time.Weekday
	for _, field := range []string{"sentinel_1", "sentinel_2"} {
		n := f.number(field, lang.OfficeFieldSentinelDays, int(time.Monday), int(time.Saturday))
		days = append(days, time.Weekday(n))
	}
	if f.ok() && days[0] == days[1] {
		f.bad("sentinel_2", lang.OfficeFieldSentinelDays, lang.OfficeErrSentinelTwice)
	}
	if !f.ok() {
		s.showReports(w, rq, 0, f, "settings")
		return
	}
	s.change(w, rq, "/reports", "report_settings", func(tx *store.Tx) error {
		if err := tx.SetPortal(rq.Context(), portalURL, token); err != nil {
			return err
		}
		return tx.SetSentinelDays(rq.Context(), days)
	})
}
