// Package report is the protocol between a school and its ATS (the local
// health agency), and the only thing that ever leaves a school: counts.
// A plesso (school building) reports once a year how many pupils and
// classes it has, and, if it is a sentinel school, twice a week how many
// pupils were absent (for illness too, when it knows). No name, date of
// birth, certificate or anything of one pupil is in any type of this
// package, and none can be added without changing the protocol that
// other tools and a foreign client measure: keep it exactly.
//
// The wire, JSON over HTTPS, each plesso with its own bearer credential:
//
//	PUT /api/v1/schools/{code}/profile/{year}        Profile   (year like 2025-26)
//	PUT /api/v1/schools/{code}/absences/{YYYY-MM-DD} Absences  (the same day again replaces it)
//	GET /api/v1/schools/{code}/absences?from=D&to=D  {"absences": [DatedAbsences...]}
//
// Answers: 201 created, 200 replaced or read; 400 malformed JSON or an
// unknown field; 401 no or bad credential; 403 the credential of another
// school; 413 a body over MaxBody; 422 a value that cannot be true, with
// {"error": "...", "field": "..."} naming the field as a JSON path
// (classes[2].absent); 429 too many requests. Nothing is stored from a
// refused request.
//
// The same types, validation and decoding serve both sides, so the school
// refuses before sending what the portal would refuse on receipt.
package report

import (
	"fmt"
	"strconv"
	"time"
)

// MaxBody is the largest request body, in bytes: a plesso of 200 classes
// fits many times over; anything bigger is refused unread (413).
const MaxBody = 64 << 10

// MaxCount bounds every count: no plesso has a million pupils, and the
// bound keeps the sums of a report far from overflowing.
const MaxCount = 1_000_000

// MaxClassName bounds a class's name ("3B", "1A liceo scientifico").
const MaxClassName = 64

// MaxRange is the longest period one GET of absences may ask for, in days.
const MaxRange = 400

// Profile is what every plesso enters once a year and whenever it changes.
type Profile struct {
	Enrolled    int `json:"enrolled"`      // pupils enrolled in the plesso
	Classes     int `json:"classes"`       // number of classes
	Enrolled619 int `json:"enrolled_6_19"` // of the enrolled, pupils aged 6–19
}

// Absences is one day's report of a sentinel plesso. Enrolled is
// pre-filled from the profile; the school types Absent.
type Absences struct {
	Enrolled int `json:"enrolled"`
	Absent   int `json:"absent"`
	// AbsentIllness, when known, is the part of Absent due to illness: a
	// better and earlier signal than all-cause absence.
	AbsentIllness *int `json:"absent_illness,omitempty"`
	// ClassesUnderMeasure counts the classes under a health measure
	// (daily verification, suspension) that day.
	ClassesUnderMeasure *int    `json:"classes_under_measure,omitempty"`
	Classes             []Class `json:"classes,omitempty"`
}

// Class is one class's share of a day's report.
type Class struct {
	Name          string `json:"name"`
	Enrolled      int    `json:"enrolled"`
	Absent        int    `json:"absent"`
	AbsentIllness *int   `json:"absent_illness,omitempty"`
}

// DatedAbsences is one day of the answer to a GET of absences.
type DatedAbsences struct {
	Date string `json:"date"`
	Absences
}

// AbsencesList is the body of the answer to a GET of absences.
type AbsencesList struct {
	Absences []DatedAbsences `json:"absences"`
}

// ErrorBody is the body of every refusal: what is wrong, and where.
type ErrorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// FieldError is a value that cannot be true (422), naming its field as a
// JSON path: "absent", "classes[2].absent", or "date" and "year" for the
// day and the school year of the URL.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, a ...any) *FieldError {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, a...)}
}

// Int returns a pointer to n, for the optional counts.
func Int(n int) *int { return &n }

func count(field string, n int) *FieldError {
	switch {
	case n < 0:
		return fieldErr(field, "a count cannot be negative (%d)", n)
	case n > MaxCount:
		return fieldErr(field, "%d is more than any plesso has (at most %d)", n, MaxCount)
	}
	return nil
}

// Validate refuses a profile that cannot be true.
func (p Profile) Validate() error {
	for _, c := range []struct {
		field string
		n     int
	}{{"enrolled", p.Enrolled}, {"classes", p.Classes}, {"enrolled_6_19", p.Enrolled619}} {
		if err := count(c.field, c.n); err != nil {
			return err
		}
	}
	if p.Enrolled619 > p.Enrolled {
		return fieldErr("enrolled_6_19", "%d pupils aged 6–19 is more than the %d enrolled", p.Enrolled619, p.Enrolled)
	}
	if p.Classes > p.Enrolled {
		return fieldErr("classes", "%d classes for %d enrolled pupils", p.Classes, p.Enrolled)
	}
	return nil
}

// Validate refuses a day's report that cannot be true: a negative count,
// more absent than enrolled, more absent for illness than absent, classes
// whose sums exceed the plesso's totals, a class listed twice.
func (a Absences) Validate() error {
	if err := shares("", a.Enrolled, a.Absent, a.AbsentIllness); err != nil {
		return err
	}
	if a.ClassesUnderMeasure != nil {
		if err := count("classes_under_measure", *a.ClassesUnderMeasure); err != nil {
			return err
		}
		if len(a.Classes) > 0 && *a.ClassesUnderMeasure > len(a.Classes) {
			return fieldErr("classes_under_measure", "%d classes under a measure, of the %d listed", *a.ClassesUnderMeasure, len(a.Classes))
		}
	}
	var enrolled, absent, illness int
	names := make(map[string]int, len(a.Classes))
	for i, c := range a.Classes {
		at := "classes[" + strconv.Itoa(i) + "]."
		switch {
		case c.Name == "":
			return fieldErr(at+"name", "a class needs a name")
		case len(c.Name) > MaxClassName:
			return fieldErr(at+"name", "a class name of %d bytes (at most %d)", len(c.Name), MaxClassName)
		}
		if j, dup := names[c.Name]; dup {
			return fieldErr(at+"name", "class %q is listed twice (also classes[%d])", c.Name, j)
		}
		names[c.Name] = i
		if err := shares(at, c.Enrolled, c.Absent, c.AbsentIllness); err != nil {
			return err
		}
		enrolled += c.Enrolled
		absent += c.Absent
		if c.AbsentIllness != nil {
			illness += *c.AbsentIllness
		}
		switch {
		case enrolled > a.Enrolled:
			return fieldErr(at+"enrolled", "the classes enrol %d pupils so far, more than the plesso's %d", enrolled, a.Enrolled)
		case absent > a.Absent:
			return fieldErr(at+"absent", "the classes count %d absent so far, more than the plesso's %d", absent, a.Absent)
		case a.AbsentIllness != nil && illness > *a.AbsentIllness:
			return fieldErr(at+"absent_illness", "the classes count %d absent for illness so far, more than the plesso's %d", illness, *a.AbsentIllness)
		}
	}
	return nil
}

// shares checks enrolled ≥ absent ≥ absent for illness ≥ 0, the fields
// named under prefix.
func shares(prefix string, enrolled, absent int, illness *int) error {
	if err := count(prefix+"enrolled", enrolled); err != nil {
		return err
	}
	if err := count(prefix+"absent", absent); err != nil {
		return err
	}
	if absent > enrolled {
		return fieldErr(prefix+"absent", "%d absent is more than the %d enrolled", absent, enrolled)
	}
	if illness != nil {
		if err := count(prefix+"absent_illness", *illness); err != nil {
			return err
		}
		if *illness > absent {
			return fieldErr(prefix+"absent_illness", "%d absent for illness is more than the %d absent", *illness, absent)
		}
	}
	return nil
}

// CheckDay refuses a day that is not YYYY-MM-DD or that comes after
// today (YYYY-MM-DD, the receiver's calendar day): nobody reports
// tomorrow's absences. field names it in the error ("date", "from").
func CheckDay(field, day, today string) error {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil || t.Format(time.DateOnly) != day {
		return fieldErr(field, "%q is not a day as YYYY-MM-DD", day)
	}
	if day > today {
		return fieldErr(field, "%s is in the future (today is %s)", day, today)
	}
	return nil
}

// CheckYear refuses a school year that is not like 2025-26 (two
// consecutive years), or that starts after the year after today's.
func CheckYear(year, today string) error {
	bad := fieldErr("year", "%q is not a school year like 2025-26", year)
	if len(year) != 7 || year[4] != '-' {
		return bad
	}
	first, err1 := strconv.Atoi(year[:4])
	second, err2 := strconv.Atoi(year[5:])
	if err1 != nil || err2 != nil || year[0] == '+' || year[5] == '+' || first < 2000 || second != (first+1)%100 {
		return bad
	}
	if now, err := strconv.Atoi(today[:4]); err == nil && first > now {
		return fieldErr("year", "school year %s has not started (today is %s)", year, today)
	}
	return nil
}
