package verify

import (
	"fmt"
	"time"
	_ "time/tzdata" // the kiosk must know Italian time even on a system without tzdata
)

// rome is the time zone whose calendar days the rules count.
var rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic("embedded tzdata lacks Europe/Rome: " + err.Error())
	}
	return loc
}()

// Day is a calendar day, counted from 1970-01-01. The rules compare days,
// not instants: "valid until day N" includes all of day N in Rome.
type Day int

// DayOf returns the calendar day of an instant in Europe/Rome.
func DayOf(instant time.Time) Day {
	y, m, d := instant.In(rome).Date()
	return civilDay(y, m, d)
}

func civilDay(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// String formats the day as YYYY-MM-DD.
func (d Day) String() string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}

// parseDay reads a DCC date: YYYY-MM-DD, optionally followed by a time
// (some early issuers wrote full timestamps where a date belongs). The
// error names the field, never its value.
func parseDay(s, field string) (Day, error) {
	if len(s) < 10 || (len(s) > 10 && s[10] != 'T' && s[10] != ' ') {
		return 0, fmt.Errorf("%s is not a date (YYYY-MM-DD)", field)
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil {
		return 0, fmt.Errorf("%s is not a valid date", field)
	}
	return civilDay(t.Date()), nil
}

// parseInstant reads a DCC date-time (sample collection of a test).
func parseInstant(s, field string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s is not a date-time with a time zone", field)
}
