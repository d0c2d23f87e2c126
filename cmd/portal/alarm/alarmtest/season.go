// Package alarmtest generates the school years the alarm tests run on: the
// detectors' own (cmd/portal/alarm) and the ATS pages' (cmd/portal/watch),
// which store them as reports and must find the same epidemic.
package alarmtest

import (
	"math"
	"math/rand/v2"
	"time"
)

// Season is a generated school year of one sentinel school building, as
// the ATS receives it: the absent pupils of every Monday and Thursday from
// mid-September to early June, none in the Christmas and Easter holidays.
type Season struct {
	Dates  []time.Time
	Absent []float64
	Ramp   [2]int // the reports of the epidemic's rise, [start, peak); zero without one
}

// Enrolled is the pupils of a generated school building.
const Enrolled = 600

// NewSeason draws a season: a baseline absence between 2% and 4% (it
// drifts slowly over the year, higher in winter) with the binomial noise
// of 600 pupils and a day-to-day wobble; with epidemic, from the first
// report of February the rate rises over three weeks to 9%, stays a week
// and falls back over three weeks. The same seed gives the same noise
// with and without the epidemic.
func NewSeason(seed uint64, epidemic bool) Season {
	rng := rand.New(rand.NewPCG(seed, 7))
	var s Season
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
			s.Ramp[0] = len(s.Absent)
		}
		if d.Equal(rampStart.AddDate(0, 0, 21)) {
			s.Ramp[1] = len(s.Absent)
		}
		s.Dates = append(s.Dates, d)
		s.Absent = append(s.Absent, binomial(rng, Enrolled, rate))
	}
	if !epidemic {
		s.Ramp = [2]int{}
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
