package verify

import (
	"fmt"
	"time"

	"github.com/scuola/kiosk/verify/calendar"
)

// Day is a calendar day in Rome; the rules compare days, not instants:
// "valid until day N" includes all of day N.
type Day = calendar.Day

// DayOf returns the calendar day of an instant in Europe/Rome.
func DayOf(instant time.Time) Day { return calendar.Of(instant) }

// parseDay reads a DCC date: YYYY-MM-DD, optionally followed by a time
// (some early issuers wrote full timestamps where a date belongs). The
// error names the field, never its value.
func parseDay(s, field string) (Day, error) {
	if len(s) < 10 || (len(s) > 10 && s[10] != 'T' && s[10] != ' ') {
		return 0, fmt.Errorf("%s is not a date (YYYY-MM-DD)", field)
	}
	d, err := calendar.Parse(s[:10])
	if err != nil {
		return 0, fmt.Errorf("%s is not a valid date", field)
	}
	return d, nil
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
