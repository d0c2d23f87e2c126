package alarm

import (
	"testing"

	"github.com/scuola/kiosk/cmd/portal/alarm/alarmtest"
)

// alarmsIn counts the alarms of days[from:to].
func alarmsIn(days []Day, from, to int) int {
	n := 0
	for _, d := range days[from:to] {
		n += b2i(d.Alarm)
	}
	return n
}

// One generated season: every method at its defaults alarms during the
// epidemic's rise (or the report after its peak), and on the same season
// without the epidemic, the same noise, none does then: the alarms are
// the epidemic's. With a minimum count of 6% of the enrolled pupils, C3
// raises no alarm in the whole season without the epidemic.
func TestSeasonAlarms(t *testing.T) {
	ep, quiet := alarmtest.NewSeason(1, true), alarmtest.NewSeason(1, false)
	window := [2]int{ep.Ramp[0], ep.Ramp[1] + 2}
	check := func(o Options, wholeSeason bool) {
		t.Helper()
		withEp, err := Detect(ep.Absent, o)
		if err != nil {
			t.Fatal(err)
		}
		without, _ := Detect(quiet.Absent, o)
		if n := alarmsIn(withEp, window[0], window[1]); n == 0 {
			t.Errorf("%+v: no alarm in the rise (reports %d-%d: %v)", o, window[0], window[1], ep.Absent[window[0]:window[1]])
		}
		from, to := window[0], window[1]
		if wholeSeason {
			from, to = 0, len(without)
		}
		if n := alarmsIn(without, from, to); n > 0 {
			t.Errorf("%+v: %d alarms on reports %d-%d of the season without the epidemic", o, n, from, to)
		}
	}
	for _, m := range Methods {
		check(Options{Method: m}, false)
	}
	check(Options{Method: C3, MinCount: 0.06 * alarmtest.Enrolled}, true)
}

// Over 200 generated seasons: how often each method finds the epidemic
// during its rise, how many reports after its start, and how many seasons
// without an epidemic see a false alarm. The figures are the README's;
// the test holds the ones the design relies on.
func TestSeasonRates(t *testing.T) {
	const seasons = 200
	for _, o := range []Options{{Method: C1}, {Method: C2}, {Method: C3}, {Method: EWMA},
		{Method: C2, MinCount: 0.06 * alarmtest.Enrolled}, {Method: C3, MinCount: 0.06 * alarmtest.Enrolled}, {Method: EWMA, MinCount: 0.06 * alarmtest.Enrolled}} {
		falseSeasons, detected, delays := 0, 0, 0
		for seed := uint64(1); seed <= seasons; seed++ {
			quiet, _ := Detect(alarmtest.NewSeason(seed, false).Absent, o)
			falseSeasons += b2i(alarmsIn(quiet, 0, len(quiet)) > 0)
			ep := alarmtest.NewSeason(seed, true)
			days, _ := Detect(ep.Absent, o)
			for i := ep.Ramp[0]; i < ep.Ramp[1]+2; i++ {
				if days[i].Alarm {
					detected++
					delays += i - ep.Ramp[0]
					break
				}
			}
		}
		t.Logf("%-5s min count %2.0f: rise found in %3d/%d seasons, %.1f reports after its start; false alarm in %3d/%d quiet seasons",
			o.Method, o.MinCount, detected, seasons, float64(delays)/float64(max(detected, 1)), falseSeasons, seasons)
		if o.Method != C1 && detected < seasons*95/100 {
			t.Errorf("%+v finds the rise in %d of %d seasons", o, detected, seasons)
		}
		if o.Method == C3 && o.MinCount > 0 && falseSeasons > seasons*5/100 {
			t.Errorf("%+v: a false alarm in %d of %d quiet seasons", o, falseSeasons, seasons)
		}
	}
}
