package alarm

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// season is a generated school year of one sentinel school building, as
// the ATS receives it: the absent pupils of every Monday and Thursday from
// mid-September to early June, none in the Christmas and Easter holidays.
type season struct {
	dates  []time.Time
	absent []float64
	ramp   [2]int // the reports of the epidemic's rise, [start, peak); zero without one
}

const seasonEnrolled = 600

// newSeason draws a season: a baseline absence between 2% and 4% (it
// drifts slowly over the year, higher in winter) with the binomial noise
// of 600 pupils and a day-to-day wobble; with epidemic, from the first
// report of February the rate rises over three weeks to 9%, stays a week
// and falls back over three weeks. The same seed gives the same noise
// with and without the epidemic.
func newSeason(seed uint64, epidemic bool) season {
	rng := rand.New(rand.NewPCG(seed, 7))
	var s season
	start := time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC) // a Monday
	end := time.Date(2027, 6, 8, 0, 0, 0, 0, time.UTC)
	holiday := func(d time.Time) bool {
		return !d.Before(time.Date(2026, 12, 23, 0, 0, 0, 0, time.UTC)) && d.Before(time.Date(2027, 1, 7, 0, 0, 0, 0, time.UTC)) ||
			!d.Before(time.Date(2027, 3, 25, 0, 0, 0, 0, time.UTC)) && d.Before(time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC))
	}
	rampStart := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Monday && wd != time.Thursday || holiday(d) {
			continue
		}
		// 3% on average, 4% in January, 2% in September and June.
		year := d.Sub(start).Hours() / 24 / 267
		rate := 0.03 - 0.01*math.Cos(2*math.Pi*year)
		rate *= 1 + 0.08*rng.NormFloat64()
		if weeks := d.Sub(rampStart).Hours() / 24 / 7; epidemic && weeks >= 0 && weeks < 7 {
			peak := 0.09
			switch {
			case weeks < 3:
				rate += (peak - rate) * weeks / 3
			case weeks < 4:
				rate = peak
			default:
				rate += (peak - rate) * (7 - weeks) / 3
			}
		}
		if d.Equal(rampStart) {
			s.ramp[0] = len(s.absent)
		}
		if d.Equal(rampStart.AddDate(0, 0, 21)) {
			s.ramp[1] = len(s.absent)
		}
		s.dates = append(s.dates, d)
		s.absent = append(s.absent, binomial(rng, seasonEnrolled, rate))
	}
	if !epidemic {
		s.ramp = [2]int{}
	}
	return s
}

func binomial(rng *rand.Rand, n int, p float64) float64 {
	k := 0
	for range n {
		if rng.Float64() < p {
			k++
		}
	}
	return float64(k)
}

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
	ep, quiet := newSeason(1, true), newSeason(1, false)
	window := [2]int{ep.ramp[0], ep.ramp[1] + 2}
	check := func(o Options, wholeSeason bool) {
		t.Helper()
		withEp, err := Detect(ep.absent, o)
		if err != nil {
			t.Fatal(err)
		}
		without, _ := Detect(quiet.absent, o)
		if n := alarmsIn(withEp, window[0], window[1]); n == 0 {
			t.Errorf("%+v: no alarm in the rise (reports %d-%d: %v)", o, window[0], window[1], ep.absent[window[0]:window[1]])
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
	check(Options{Method: C3, MinCount: 0.06 * seasonEnrolled}, true)
}

// Over 200 generated seasons: how often each method finds the epidemic
// during its rise, how many reports after its start, and how many seasons
// without an epidemic see a false alarm. The figures are the README's;
// the test holds the ones the design relies on.
func TestSeasonRates(t *testing.T) {
	const seasons = 200
	for _, o := range []Options{{Method: C1}, {Method: C2}, {Method: C3}, {Method: EWMA},
		{Method: C2, MinCount: 0.06 * seasonEnrolled}, {Method: C3, MinCount: 0.06 * seasonEnrolled}, {Method: EWMA, MinCount: 0.06 * seasonEnrolled}} {
		falseSeasons, detected, delays := 0, 0, 0
		for seed := uint64(1); seed <= seasons; seed++ {
			quiet, _ := Detect(newSeason(seed, false).absent, o)
			falseSeasons += b2i(alarmsIn(quiet, 0, len(quiet)) > 0)
			ep := newSeason(seed, true)
			days, _ := Detect(ep.absent, o)
			for i := ep.ramp[0]; i < ep.ramp[1]+2; i++ {
				if days[i].Alarm {
					detected++
					delays += i - ep.ramp[0]
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
