package alarm

import (
	"math"
	"slices"
	"sync"
)

// ESSENCE's EWMA as CDC's Rnssp computes it (R/alert_ewma.R, ewma_loop):
// two exponentially weighted moving averages, w1 = 0.4 for gradual rises
// and w2 = 0.9 for sudden ones (close to C2), each compared with the mean
// of a baseline that ends Guard reports before today and grows from 7 to
// Options.Baseline reports. The sd is corrected for the smoothing and
// floored; the statistic is read on a Student t with n-1 degrees of
// freedom, and the weight with the smaller p-value is reported. A smoothed
// value beyond the 99% limit is pulled back to it, so that an outbreak
// does not inflate the averages that follow.
const (
	ewmaW1       = 0.4
	ewmaW2       = 0.9
	ewmaMinBase  = 7
	ewmaYellow   = 0.05 // alert_ewma's warning level
	ewmaRedLimit = 0.01 // the limit the smoothed values are pulled back to
)

// ewmaWeight is the state of one of the two smoothed series.
type ewmaWeight struct {
	w float64
	z float64 // today's smoothed value, after the pull back
}

func ewma(y []float64, o Options, out []Day) {
	if len(y) <= ewmaMinBase+Guard {
		return
	}
	// Like alert_ewma, a series of proportions (every value below 1) is
	// divided by the median of its positive values, so that the fixed
	// floors of the sd are on the scale of counts. Bounds are given back
	// in the series' own unit.
	scale := proportionScale(y)
	if scale != 1 {
		y = slices.Clone(y)
		for i := range y {
			y[i] /= scale
		}
	}
	ws := [2]ewmaWeight{{w: ewmaW1, z: y[0]}, {w: ewmaW2, z: y[0]}}
	for i := 1; i < ewmaMinBase+Guard; i++ {
		for k := range ws {
			ws[k].z = ws[k].w*y[i] + (1-ws[k].w)*ws[k].z
		}
	}
	for i := ewmaMinBase + Guard; i < len(y); i++ {
		end := i - Guard
		start := max(0, end-o.Baseline)
		n := end - start
		df := n - 1
		lim := limitsFor(df, o.Alpha)
		expected, sigma := meanSD(y[start:end])
		d := Day{Judged: true, Expected: expected, Upper: math.Inf(1), P: math.Inf(1)}
		for k := range ws {
			wk := &ws[k]
			w, L := wk.w, float64(n)
			correction := math.Sqrt(w/(2-w) + 1/L - 2*math.Pow(1-w, Guard+1)*((1-math.Pow(1-w, L))/L))
			minSigma := (w / lim.warning) * (0.01 + 0.05*math.Pow(1-w, 2))
			constant := (0.1289 - (0.2414-0.1826*math.Pow(1-w, 4))*math.Log(10*0.05)) * (w / lim.warning)
			s := math.Max(minSigma, sigma*correction+constant)
			prev := wk.z
			wk.z = w*y[i] + (1-w)*prev
			stat := (wk.z - expected) / s
			if math.Abs(stat) > lim.alert {
				wk.z = expected + sign(stat)*lim.alert*s
			}
			// The value of y[i] at which this weight's statistic reaches
			// the alarm quantile.
			d.Upper = math.Min(d.Upper, (expected+lim.q*s-(1-w)*prev)/w)
			// alert_ewma keeps the second weight on a tie.
			if p := studentUpper(stat, float64(df)); p <= d.P {
				d.P, d.Statistic = p, stat
			}
		}
		d.Expected *= scale
		d.Upper *= scale
		d.Warning = d.P >= o.Alpha && d.P < ewmaYellow
		out[i] = d
	}
}

// tLimits are the Student t quantiles EWMA needs for one number of
// degrees of freedom: alert_ewma's limits, rounded to 5 decimals as it
// rounds them, and the unrounded quantile of the alarm's alpha.
type tLimits struct {
	alert, warning, q float64
}

// tLimitsCache keeps the limits once computed: inverting the t
// distribution is nine tenths of EWMA's time, and a portal judges every
// building with the same few baselines and alpha. Its size is the number
// of (df, alpha) pairs ever used.
var tLimitsCache sync.Map // tKey -> tLimits

type tKey struct {
	df    int
	alpha float64
}

func limitsFor(df int, alpha float64) tLimits {
	key := tKey{df, alpha}
	if l, ok := tLimitsCache.Load(key); ok {
		return l.(tLimits)
	}
	v := float64(df)
	round5 := func(x float64) float64 { return math.Round(x*1e5) / 1e5 }
	l := tLimits{
		alert:   round5(studentQuantile(ewmaRedLimit, v)),
		warning: round5(studentQuantile(ewmaYellow, v)),
		q:       studentQuantile(alpha, v),
	}
	tLimitsCache.Store(key, l)
	return l
}

// proportionScale is alert_ewma's divisor: the median of the positive
// values when every value is below 1, else 1.
func proportionScale(y []float64) float64 {
	var pos []float64
	for _, v := range y {
		if v >= 1 {
			return 1
		}
		if v > 0 {
			pos = append(pos, v)
		}
	}
	if len(pos) == 0 {
		return 1
	}
	slices.Sort(pos)
	if h := len(pos) / 2; len(pos)%2 == 0 {
		return (pos[h-1] + pos[h]) / 2
	}
	return pos[len(pos)/2]
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
