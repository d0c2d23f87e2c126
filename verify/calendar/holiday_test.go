package calendar

import (
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	for y, want := range map[int]string{
		1961: "1961-04-02", 2000: "2000-04-23", 2008: "2008-03-23", 2011: "2011-04-24",
		2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28",
		2038: "2038-04-25", 2285: "2285-03-22",
	} {
		if got := Easter(y).String(); got != want {
			t.Errorf("Easter %d: %s, want %s", y, got, want)
		}
	}
}

func TestHoliday(t *testing.T) {
	for _, c := range []struct {
		day  string
		want bool
	}{
		{"2027-01-01", true}, {"2027-01-06", true}, {"2027-01-07", false},
		{"2026-04-06", true}, {"2027-03-29", true}, {"2027-03-28", false}, // Easter Monday; Easter Sunday is a Sunday anyway
		{"2027-04-25", true}, {"2027-05-01", true}, {"2027-06-02", true}, {"2026-08-15", true},
		{"2025-10-04", false}, {"2026-10-04", true}, {"2026-11-01", true}, {"2026-11-02", false},
		{"2026-12-07", false}, {"2026-12-08", true}, {"2026-12-25", true}, {"2026-12-26", true}, {"2026-12-27", false},
		{"2027-02-22", false},
	} {
		d, err := Parse(c.day)
		if err != nil {
			t.Fatal(err)
		}
		if got := Holiday(d); got != c.want {
			t.Errorf("%s (%s): holiday %v, want %v", c.day, d.Time().Weekday(), got, c.want)
		}
	}
	// Every year has the twelve, none on the same day.
	n := 0
	for d := Date(2027, time.January, 1); d < Date(2028, time.January, 1); d++ {
		if Holiday(d) {
			n++
		}
	}
	if n != 12 {
		t.Errorf("2027: %d holidays, want 12", n)
	}
}
