package watch

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/scuola/kiosk/kiosk/lang"
)

// MinCell is the smallest count an export shows: Italy's statistical
// confidentiality treats a count as aggregated only from 3 on.
const MinCell = 3

// Suppressed is what an export writes for a count under MinCell.
const Suppressed = "<3"

// Withheld is what a summary writes for a total shown beyond the ATS that,
// less the days the export shows, would give a suppressed day away (a
// week of a Monday under 3 and a Thursday of 8: the week's 10 says the
// Monday's 2). Secondary suppression, in the statisticians' words.
const Withheld = "*"

// Suppress writes a count for an export: the number from MinCell on,
// Suppressed under it — 0 included, since "nobody absent" of a small
// group says as much of each pupil as "one absent" does.
func Suppress(n int) string {
	if n < MinCell {
		return Suppressed
	}
	return strconv.Itoa(n)
}

// suppressOpt is Suppress of an optional count; "" when not reported.
func suppressOpt(n *int) string {
	if n == nil {
		return ""
	}
	return Suppress(*n)
}

// export writes the ATS's daily aggregates as CSV: per report day the
// plessi that reported, their pupils, absent, absent for illness and
// classes under measure, the rate and the detector's expected value and
// threshold. Counts under 3 are suppressed, and a day on which fewer than
// 3 plessi reported is suppressed whole (its sums would be one plesso's);
// a rate is shown only with the count it is made of.
func (p *pages) export(w http.ResponseWriter, rq *request) {
	if rq.ats == "" {
		p.fail(w, rq, http.StatusNotFound, lang.WatchErrNoATS)
		return
	}
	wd, err := watch(rq.Context(), p.st, rq.ats, yearStart(rq.today).String(), rq.today.String(), false)
	if err != nil {
		p.internal(w, rq, err)
		return
	}
	rows := [][]string{{"ats", "day", "schools", "enrolled", "absent", "absent_illness", "classes_under_measure", "rate", "expected", "threshold", "alarm"}}
	for i, t := range wd.Totals {
		rows = append(rows, aggregateRow(rq.ats, t, wd.ATS, i))
	}
	attachment(w, "text/csv; charset=utf-8", fmt.Sprintf("assenze-%s-%s.csv", slug(rq.ats), rq.today))
	cw := csv.NewWriter(w)
	cw.WriteAll(rows)
}

// aggregateRow is one day of the export, suppressed as export says.
func aggregateRow(ats string, t DayTotal, s *series, i int) []string {
	row := []string{ats, t.Day, strconv.Itoa(t.Schools)}
	if t.Schools < MinCell {
		return append(row, Suppressed, Suppressed, "", "", "", "", "", "")
	}
	row = append(row, Suppress(t.Enrolled), Suppress(t.Absent), suppressOpt(t.AbsentIllness), suppressOpt(t.ClassesUnderMeasure))
	rate, expected, upper, alarm := "", "", "", ""
	if t.Absent >= MinCell && t.Enrolled > 0 {
		rate = strconv.FormatFloat(s.rate(i), 'f', 5, 64)
		if d := s.Judged[i]; d.Judged {
			expected, upper = strconv.FormatFloat(d.Expected, 'f', 5, 64), strconv.FormatFloat(d.Upper, 'f', 5, 64)
			alarm = strconv.FormatBool(s.Alarmed[i])
		}
	}
	return append(row, rate, expected, upper, alarm)
}

// attachment sets the headers of a file to download.
func attachment(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// slug is a name fit for a file: letters and digits, the rest dashes.
func slug(s string) string {
	b := []rune{}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b = append(b, r)
		case r >= 'A' && r <= 'Z':
			b = append(b, r+'a'-'A')
		case len(b) > 0 && b[len(b)-1] != '-':
			b = append(b, '-')
		}
	}
	return string(b)
}
