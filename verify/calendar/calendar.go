// Package calendar counts days as the Italian rules do: calendar days in
// Europe/Rome, whatever the machine's time zone, with the end day of a
// window still inside it.
package calendar

import (
	"fmt"
	"time"
	_ "time/tzdata" // the kiosk must know Italian time even without system tzdata
)

// Rome is the time zone whose calendar days the rules count.
var Rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic("embedded tzdata lacks Europe/Rome: " + err.Error())
	}
	return loc
}()

// Day is a calendar day, counted from 1970-01-01. Adding n to a Day is n
// days later.
type Day int

// Of returns the calendar day of an instant in Rome.
func Of(instant time.Time) Day {
	y, m, d := instant.In(Rome).Date()
	return Date(y, m, d)
}

// Date returns the day of a civil date.
func Date(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Parse reads a day written YYYY-MM-DD.
func Parse(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return Date(t.Date()), nil
}

// String formats the day as YYYY-MM-DD.
func (d Day) String() string { return d.Time().Format(time.DateOnly) }

// Italian formats the day as the screen shows it: dd/mm/yyyy.
func (d Day) Italian() string { return d.Time().Format("02/01/2006") }

// Time is midnight UTC of the day (for formatting, not for comparing with
// instants: use Of for that).
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Start is the first instant of the day in Rome.
func (d Day) Start() time.Time {
	y, m, dd := d.Time().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, Rome)
}

// MarshalText writes the day as YYYY-MM-DD (JSON, and any text form).
func (d Day) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a day written YYYY-MM-DD.
func (d *Day) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// UnmarshalTOML reads a day from a configuration file: a TOML local date
// (2022-02-07) or a string in the same form. It is the TOML library's
// decoding hook, so that a file decodes straight into the types that use
// days; the package needs nothing of the library for it.
func (d *Day) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case time.Time:
		if h, m, s := v.Clock(); h != 0 || m != 0 || s != 0 || v.Nanosecond() != 0 {
			return fmt.Errorf("%s is a time, not a date (YYYY-MM-DD)", v.Format(time.DateTime))
		}
		*d = Date(v.Date())
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	}
	return fmt.Errorf("%v is not a date (YYYY-MM-DD)", v)
}
