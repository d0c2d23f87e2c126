package alarm

import (
	"math"
	"testing"
)

// The quantiles and tails EWMA and EARS read, against R 4's qnorm, qt and
// pt (printed with options(digits=17)).
func TestDistributionsMatchR(t *testing.T) {
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*math.Abs(want) {
			t.Errorf("%s = %.17g, R gives %.17g", name, got, want)
		}
	}
	near("qnorm(0.999)", zQuantile(0.001), 3.0902323061678132, 1e-15)
	near("qnorm(0.975)", zQuantile(0.025), 1.9599639845400536, 1e-15)
	for _, r := range []struct{ df, q99, q95, q999, up25, low13, up8 float64 }{
		{6, 3.14266840329098240403, 1.94318028051530244937, 5.20762623872536245528, 0.02326411614208367951, 0.12065258731139306969, 0.00010173225103952536},
		{13, 2.6503088379121906, 1.7709333959868725, 3.8519823911683861, 1.3294391405428652e-02, 1.0808936028059947e-01, 1.1180826292990424e-06},
		{27, 2.4726599119560064, 1.7032884457221269, 3.4210336212293053, 9.3971228452118805e-03, 1.0229501909298772e-01, 6.7277918267038235e-09},
	} {
		near("qt(0.99)", studentQuantile(0.01, r.df), r.q99, 1e-12)
		near("qt(0.95)", studentQuantile(0.05, r.df), r.q95, 1e-12)
		near("qt(0.999)", studentQuantile(0.001, r.df), r.q999, 1e-12)
		near("1-pt(2.5)", studentUpper(2.5, r.df), r.up25, 1e-12)
		near("pt(-1.3)", 1-studentUpper(-1.3, r.df), r.low13, 1e-12)
		near("pt(8, lower=FALSE)", studentUpper(8, r.df), r.up8, 1e-12)
	}
}
