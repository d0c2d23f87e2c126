package watch

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/verify/calendar"
)

// Summary is an ATS's week: per plesso and for the ATS, the reports, the
// absences, the absences for illness where reported, the classes under
// measure and the alarms raised. Plessi are there only for the ATS's own
// operator.
type Summary struct {
	ATS      string
	From, To calendar.Day // Monday to Sunday
	Schools  []SummaryRow
	Total    SummaryRow
	Regional bool // the counts are aggregates shown beyond the ATS: suppressed under 3
	Plessi   int  // that reported in the week
	// hiddenAbsent and hiddenIllness: a day of the week whose ATS count
	// the export suppresses (under 3, or fewer than 3 plessi reported),
	// so the week's count is withheld beyond the ATS.
	hiddenAbsent, hiddenIllness bool
}

// SummaryRow is one plesso's week, or the ATS's (Code "").
type SummaryRow struct {
	Code, Name string
	Reports    int
	Absent     int
	Illness    *int // nil when no report of the week gave it
	// Measures is the most classes under measure of one day of the week:
	// a class under a measure for three days is one class, not three.
	Measures *int
	Alarms   int
}

// weekOf is the Monday of d's week.
func weekOf(d calendar.Day) calendar.Day {
	return d - calendar.Day((int(d.Time().Weekday())+6)%7)
}

// summaryOf computes the summary of the week that holds day.
func (p *pages) summaryOf(rq *request, day calendar.Day) (*Summary, error) {
	ctx := rq.Context()
	from := weekOf(day)
	sum := &Summary{ATS: rq.ats, From: from, To: from + 6, Regional: !rq.own(), Total: SummaryRow{Name: rq.ats}}
	// The alarms need the year's baseline up to the week's end.
	wd, err := watch(ctx, p.st, rq.ats, yearStart(sum.To).String(), sum.To.String(), rq.own())
	if err != nil {
		return nil, err
	}
	cov, err := p.st.Coverage(ctx, rq.ats)
	if err != nil {
		return nil, err
	}
	named := names(cov.Sentinels)
	days, err := p.st.SchoolDays(ctx, rq.ats, from.String(), sum.To.String())
	if err != nil {
		return nil, err
	}
	alarms := map[string]int{}
	for _, a := range wd.Alarms {
		if a.Day >= from.String() {
			alarms[a.School]++
		}
	}
	var measures map[string]int // of the ATS, per day
	for _, d := range days {
		if len(sum.Schools) == 0 || sum.Schools[len(sum.Schools)-1].Code != d.School {
			name := named[d.School]
			if name == "" {
				name = d.School
			}
			sum.Schools = append(sum.Schools, SummaryRow{Code: d.School, Name: name, Alarms: alarms[d.School]})
		}
		row := &sum.Schools[len(sum.Schools)-1]
		row.add(d)
		sum.Total.Reports++
		sum.Total.Absent += d.Absent
		sum.Total.Illness = addOpt(sum.Total.Illness, d.AbsentIllness)
		if d.ClassesUnderMeasure != nil {
			if measures == nil {
				measures = map[string]int{}
			}
			measures[d.Day] += *d.ClassesUnderMeasure
		}
	}
	for _, n := range measures {
		sum.Total.Measures = maxOpt(sum.Total.Measures, &n)
	}
	sum.hiddenAbsent, sum.hiddenIllness = hiddenDays(days)
	sum.Total.Alarms = alarms[""]
	sum.Plessi = len(sum.Schools)
	// The sentinels that sent nothing this week are in the list too.
	sent := make(map[string]bool, len(sum.Schools))
	for _, r := range sum.Schools {
		sent[r.Code] = true
	}
	for _, sc := range cov.Sentinels {
		if !sent[sc.Code] {
			sum.Schools = append(sum.Schools, SummaryRow{Code: sc.Code, Name: sc.Name})
		}
	}
	sort.Slice(sum.Schools, func(i, j int) bool { return sum.Schools[i].Code < sum.Schools[j].Code })
	if sum.Regional {
		sum.Schools = nil
	}
	return sum, nil
}

// hiddenDays says whether any day of the reports has an ATS count of
// absences, or of absences for illness, that the export suppresses.
func hiddenDays(days []store.SchoolDay) (absent, illness bool) {
	type total struct {
		plessi, absent, illness int
		withIllness             bool
	}
	byDay := map[string]*total{}
	for _, d := range days {
		t := byDay[d.Day]
		if t == nil {
			t = &total{}
			byDay[d.Day] = t
		}
		t.plessi++
		t.absent += d.Absent
		if d.AbsentIllness != nil {
			t.illness += *d.AbsentIllness
			t.withIllness = true
		}
	}
	for _, t := range byDay {
		few := t.plessi < MinCell
		absent = absent || few || t.absent < MinCell
		illness = illness || t.withIllness && (few || t.illness < MinCell)
	}
	return absent, illness
}

func (r *SummaryRow) add(d store.SchoolDay) {
	r.Reports++
	r.Absent += d.Absent
	r.Illness = addOpt(r.Illness, d.AbsentIllness)
	r.Measures = maxOpt(r.Measures, d.ClassesUnderMeasure)
}

func addOpt(sum, n *int) *int {
	if n == nil {
		return sum
	}
	v := *n
	if sum != nil {
		v += *sum
	}
	return &v
}

func maxOpt(m, n *int) *int {
	if n == nil || m != nil && *m >= *n {
		return m
	}
	v := *n
	return &v
}

// summaryDay is the day the request names (week=YYYY-MM-DD), or the last
// sentinel day.
func summaryDay(rq *request) (calendar.Day, bool) {
	if s := rq.FormValue("week"); s != "" {
		d, err := calendar.Parse(s)
		return d, err == nil
	}
	return lastSentinelDay(rq.today), true
}

// summaryData is the summary's page.
type summaryData struct {
	*Summary
	Week, Prev, Next string
}

func (p *pages) summary(w http.ResponseWriter, rq *request) {
	p.withSummary(w, rq, func(s *Summary) {
		d := &summaryData{Summary: s, Week: s.From.String(), Prev: (s.From - 7).String(), Next: (s.From + 7).String()}
		p.render(w, rq, http.StatusOK, "summary", page{Title: lang.WatchSummaryTitle, Nav: "summary", Data: d})
	})
}

func (p *pages) withSummary(w http.ResponseWriter, rq *request, f func(*Summary)) {
	if rq.ats == "" {
		p.fail(w, rq, http.StatusNotFound, lang.WatchErrNoATS)
		return
	}
	day, ok := summaryDay(rq)
	if !ok {
		p.fail(w, rq, http.StatusBadRequest, lang.WatchErrWeek)
		return
	}
	s, err := p.summaryOf(rq, day)
	if err != nil {
		p.internal(w, rq, err)
		return
	}
	f(s)
}

// cells are a row's counts as the summary shows them: as they are to the
// ATS's own operator, suppressed under 3 beyond it.
func (s *Summary) cells(r SummaryRow) []string {
	count, opt := strconv.Itoa, func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	if r.Reports == 0 { // a sentinel that sent nothing: no count to give
		count = func(int) string { return "" }
	}
	if s.Regional {
		count, opt = Suppress, suppressOpt
		if s.Plessi < MinCell { // the ATS's week would be one or two plessi's
			count, opt = func(int) string { return Suppressed }, func(*int) string { return Suppressed }
		}
	}
	absent, illness := count(r.Absent), opt(r.Illness)
	if s.Regional && s.hiddenAbsent && absent != Suppressed {
		absent = Withheld
	}
	if s.Regional && s.hiddenIllness && illness != Suppressed && illness != "" {
		illness = Withheld
	}
	return []string{strconv.Itoa(r.Reports), absent, illness, opt(r.Measures), strconv.Itoa(r.Alarms)}
}

// Cells are the row's counts for the page.
func (s *Summary) Cells(r SummaryRow) []string {
	c := s.cells(r)
	for i := range c {
		if c[i] == "" {
			c[i] = "—"
		}
	}
	return c
}

func (p *pages) summaryCSV(w http.ResponseWriter, rq *request) {
	p.withSummary(w, rq, func(s *Summary) {
		rows := [][]string{{"ats", "week_from", "week_to", "school", "name", "reports", "absent", "absent_illness", "classes_under_measure", "alarms"}}
		for _, r := range append(s.Schools, s.Total) {
			rows = append(rows, append([]string{s.ATS, s.From.String(), s.To.String(), r.Code, r.Name}, s.cells(r)...))
		}
		attachment(w, "text/csv; charset=utf-8", s.fileName("csv"))
		csv.NewWriter(w).WriteAll(rows)
	})
}

func (p *pages) summaryPDF(w http.ResponseWriter, rq *request) {
	p.withSummary(w, rq, func(s *Summary) {
		attachment(w, "application/pdf", s.fileName("pdf"))
		if err := s.PDF(w, rq.v.Lang, p.o.Now()); err != nil {
			p.internal(w, rq, err)
		}
	})
}

func (s *Summary) fileName(ext string) string {
	return fmt.Sprintf("sintesi-%s-%s.%s", slug(s.ATS), s.From, ext)
}
