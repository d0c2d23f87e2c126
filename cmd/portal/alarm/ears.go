package alarm

import "math"

// The EARS methods as surveillance::earsC (R/earsC.R, version 1.20.3)
// computes them, in the same order of operations, so that the bounds agree
// to the last few bits. x holds no missing value; out[t] is day t.

// earsC12 is C1 (baseline the b reports before t) and C2 (the b reports
// before t-2): upper = mean + z*max(sd, minSigma).
func earsC12(x []float64, o Options, out []Day) {
	z := zQuantile(o.Alpha)
	lag := 0 // C1
	if o.Method == C2 {
		lag = Guard
	}
	b := o.Baseline
	for t := b + lag; t < len(x); t++ {
		m, sd := meanSD(x[t-lag-b : t-lag])
		out[t] = Day{Judged: true, Expected: m, Upper: m + z*math.Max(sd, o.MinSigma)}
	}
}

// earsC3 is the package's C3: with C2(t) = (x[t]-mean)/max(sd, minSigma)
// on C2's baseline, upper(t) = max(0, x[t] + s(t)*(z - (max(0, C2(t-2)-1)
// + max(0, C2(t-1)-1)))), where s(t) is today's floored sd. So it alarms
// when the excess over one sd of the two reports before exceeds z (for
// x[t] > 0), not when the excess of the three reports up to t does, as
// the textbook C3 has it: today's value enters through the bound.
func earsC3(x []float64, o Options, out []Day) {
	z := zQuantile(o.Alpha)
	b := o.Baseline
	// part[k] is max(0, C2-1) of report k; C2 exists from b+Guard.
	part := func(k int) (p, mean, s float64) {
		m, sd := meanSD(x[k-Guard-b : k-Guard])
		s = math.Max(sd, o.MinSigma)
		return math.Max(0, (x[k]-m)/s-1), m, s
	}
	if len(x) <= b+Guard+2 {
		return
	}
	lag2, _, _ := part(b + Guard)
	lag1, _, _ := part(b + Guard + 1)
	for t := b + Guard + 2; t < len(x); t++ {
		p, m, s := part(t)
		out[t] = Day{Judged: true, Expected: m, Upper: math.Max(0, x[t]+s*(z-(lag2+lag1)))}
		lag2, lag1 = lag1, p
	}
}

// zQuantile is qnorm(1-alpha), the standard normal quantile earsC uses.
func zQuantile(alpha float64) float64 {
	return math.Sqrt2 * math.Erfcinv(2*alpha)
}
