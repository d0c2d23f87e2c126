package alarm

import "math"

// Student's t distribution, which EWMA reads its statistic on: the upper
// tail through the regularized incomplete beta function, and its inverse.
// The standard library has neither, and this package stays within it.

// studentUpper is P(T > t) for T of df degrees of freedom (R's
// 1 - pt(t, df), without the cancellation when the tail is tiny).
func studentUpper(t, df float64) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	// P(|T| > |t|) = I_x(df/2, 1/2) with x = df/(df+t²).
	t2 := t * t
	tail := incBeta(df/2, 0.5, df/(df+t2), t2/(df+t2)) / 2
	if t < 0 {
		return 1 - tail
	}
	return tail
}

// studentQuantile is the t with P(T > t) = p (R's qt(1-p, df)), p < 0.5,
// by Newton's method on the tail from the normal quantile, kept inside a
// bracket that halves when a step would leave it.
func studentQuantile(p, df float64) float64 {
	lo, hi := 0.0, math.Inf(1)
	t := zQuantile(p)
	logNorm := lgamma((df+1)/2) - lgamma(df/2) - 0.5*math.Log(df*math.Pi)
	for range 100 {
		f := studentUpper(t, df) - p
		if f > 0 {
			lo = t
		} else {
			hi = t
		}
		density := math.Exp(logNorm - (df+1)/2*math.Log1p(t*t/df))
		next := t + f/density
		if !(next > lo && next < hi) {
			next = lo + (min(hi, 2*lo+1)-lo)/2
		}
		// A few ulps: closer, Newton only oscillates in the last bit.
		if math.Abs(next-t) <= 1e-14*math.Abs(t) {
			return next
		}
		t = next
	}
	return t
}

// incBeta is the regularized incomplete beta function I_x(a, b); y is
// 1-x, passed in so that callers that know it exactly lose no digits. It
// is the continued fraction of Numerical Recipes (betacf, modified
// Lentz), on the side of the symmetry where it converges fast.
func incBeta(a, b, x, y float64) float64 {
	switch {
	case x <= 0:
		return 0
	case y <= 0:
		return 1
	}
	front := math.Exp(lgamma(a+b) - lgamma(a) - lgamma(b) + a*math.Log(x) + b*math.Log(y))
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(a, b, x) / a
	}
	return 1 - front*betaFraction(b, a, y)/b
}

func betaFraction(a, b, x float64) float64 {
	const tiny = 1e-300
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1.0; m <= 300; m++ {
		// The even step, then the odd one.
		for _, num := range [2]float64{
			m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m)),
			-(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1)),
		} {
			d = 1 + num*d
			if math.Abs(d) < tiny {
				d = tiny
			}
			c = 1 + num/c
			if math.Abs(c) < tiny {
				c = tiny
			}
			d = 1 / d
			h *= d * c
		}
		if math.Abs(d*c-1) < 1e-15 {
			break
		}
	}
	return h
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}
