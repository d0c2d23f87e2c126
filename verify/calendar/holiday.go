package calendar

import "time"

// Holiday says whether d is an Italian national public holiday, on which
// schools are closed and no sentinel school reports: New Year's Day,
// Epiphany, Easter Monday, Liberation Day (25 April), Labour Day, Republic
// Day (2 June), Assumption (15 August), Saint Francis (4 October, a
// national holiday again from 2026), All Saints, the Immaculate
// Conception (8 December), Christmas and Saint Stephen. A patron saint's
// day and a region's school holidays (Christmas and Easter breaks) are
// local and not among them.
func Holiday(d Day) bool {
	t := d.Time()
	y, m, dd := t.Date()
	switch {
	case m == time.January && (dd == 1 || dd == 6),
		m == time.April && dd == 25,
		m == time.May && dd == 1,
		m == time.June && dd == 2,
		m == time.August && dd == 15,
		m == time.October && dd == 4 && y >= 2026,
		m == time.November && dd == 1,
		m == time.December && (dd == 8 || dd == 25 || dd == 26):
		return true
	}
	return d == Easter(y)+1
}

// Easter is Easter Sunday of year y in the Gregorian calendar (the
// anonymous algorithm of Meeus, Jones and Butcher).
func Easter(y int) Day {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date(y, time.Month(month), day)
}
