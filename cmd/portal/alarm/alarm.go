// Package alarm holds the early-warning detectors the ATS runs on a
// school's absence series: CDC's EARS C1, C2 and C3, computed exactly as
// R's surveillance::earsC computes them, and ESSENCE's EWMA, computed as
// CDC's Rnssp alert_ewma does. Matching those two references value by
// value is the point: an epidemiologist can check any alarm of the portal
// in R and find the same number.
//
// A series is a slice of values, one per report day, oldest first; NaN is
// a report day whose value is missing. Baselines and guard bands count
// values, not calendar days: the sentinel schools report twice a week, and
// holidays send nothing, so the n-th value before today is the n-th report
// before today.
//
// Missing values: earsC lets an NA into the baseline and then gives NA for
// every day whose baseline holds it (seven days for C1, eleven for C3), and
// alert_ewma stops with an error. A school that forgets one report would
// then blind the detector for weeks, so here a missing value is judged on
// no day and left out of every baseline: the baseline is the last reports
// that arrived. On a series without missing values both give the same
// numbers as the references; with missing values they give the references'
// numbers on the series without them.
package alarm

import (
	"errors"
	"fmt"
	"math"
)

// Method is a detector.
type Method string

const (
	C1   Method = "c1"   // EARS C1: baseline the 7 reports before today
	C2   Method = "c2"   // EARS C2: the same after a guard band of 2 reports
	C3   Method = "c3"   // EARS C3: C2 with the excess of the two reports before
	EWMA Method = "ewma" // ESSENCE EWMA: two smoothed series against a baseline of up to 28 reports
)

// Methods lists every method, in the order a usage text shows them.
var Methods = []Method{C1, C2, C3, EWMA}

// Guard is the guard band of C2, C3 and EWMA, in reports: the reports
// just before today, kept out of the baseline so that the start of an
// outbreak does not raise its own expectation.
const Guard = 2

// Options choose the method and its parameters. A zero field takes the
// reference's default.
type Options struct {
	Method Method // default C1

	// Baseline is the number of reports the expectation is computed on:
	// 7 by default for EARS (at least 3, as earsC requires), 28 for EWMA
	// (at least 7, as alert_ewma requires; EWMA starts with 7 and grows).
	Baseline int

	// Alpha is the false alarm rate of one test: an alarm is raised when
	// the observed value exceeds the (1-Alpha) quantile. Defaults: 0.001
	// for C1 and C2, 0.025 for C3 (earsC's), 0.01 for EWMA (its red).
	Alpha float64

	// MinSigma floors the baseline's standard deviation (EARS only, as
	// earsC's minSigma): on a constant baseline the sd is 0 and any
	// increase would alarm; EWMA has its own floors.
	MinSigma float64

	// MinCount is the smallest observed value that may raise an alarm
	// (0: any). The bound is unchanged: a school of 40 pupils going from
	// 0 to 2 absent is beyond three sd but no signal worth a phone call.
	MinCount float64
}

// Day is the judgement of one report.
type Day struct {
	// Judged is false when there is nothing to judge: the value is
	// missing, the baseline is not full yet, or the bound is undefined
	// (C3 on a constant baseline with MinSigma 0, where earsC gives NaN).
	Judged bool
	// Upper is the largest value that raises no alarm (earsC's
	// upperbound; for EWMA, the value whose smaller p-value is Alpha).
	Upper float64
	// Alarm is Observed > Upper (and Observed >= MinCount).
	Alarm bool
	// Expected is the baseline's mean (for C3, that of today's C2).
	Expected float64
	// EWMA only: the test statistic and p-value of the weight with the
	// smaller p-value, as alert_ewma reports them, and Warning, alert_ewma's
	// yellow (Alpha <= p < 0.05).
	Statistic, P float64
	Warning      bool
}

// WithDefaults returns o with every zero field set to its method's default.
func (o Options) WithDefaults() Options {
	if o.Method == "" {
		o.Method = C1
	}
	if o.Baseline == 0 {
		o.Baseline = 7
		if o.Method == EWMA {
			o.Baseline = 28
		}
	}
	if o.Alpha == 0 {
		switch o.Method {
		case C3:
			o.Alpha = 0.025
		case EWMA:
			o.Alpha = 0.01
		default:
			o.Alpha = 0.001
		}
	}
	return o
}

// Check says what is wrong with options already given their defaults.
func (o Options) Check() error {
	switch o.Method {
	case C1, C2, C3:
		if o.Baseline < 3 {
			return fmt.Errorf("baseline %d: EARS needs at least 3 reports", o.Baseline)
		}
	case EWMA:
		if o.Baseline < 7 {
			return fmt.Errorf("baseline %d: EWMA needs at least 7 reports", o.Baseline)
		}
		if o.MinSigma != 0 {
			return errors.New("min sigma applies to c1, c2 and c3 only: EWMA has its own floors")
		}
	default:
		return fmt.Errorf("unknown method %q (c1, c2, c3, ewma)", o.Method)
	}
	switch {
	case !(o.Alpha > 0 && o.Alpha < 1):
		return fmt.Errorf("alpha %v: must be between 0 and 1", o.Alpha)
	case !(o.MinSigma >= 0) || math.IsInf(o.MinSigma, 1):
		return fmt.Errorf("min sigma %v: must be a number, 0 or more", o.MinSigma)
	case !(o.MinCount >= 0) || math.IsInf(o.MinCount, 1):
		return fmt.Errorf("min count %v: must be a number, 0 or more", o.MinCount)
	}
	return nil
}

// Detect judges every report of a series (NaN: missing) and returns one
// Day per value.
func Detect(series []float64, o Options) ([]Day, error) {
	o = o.WithDefaults()
	if err := o.Check(); err != nil {
		return nil, err
	}
	present := make([]float64, 0, len(series))
	for _, v := range series {
		if !math.IsNaN(v) {
			present = append(present, v)
		}
	}
	judged := make([]Day, len(present))
	switch o.Method {
	case C1, C2:
		earsC12(present, o, judged)
	case C3:
		earsC3(present, o, judged)
	case EWMA:
		ewma(present, o, judged)
	}
	days := make([]Day, len(series))
	j := 0
	for i, v := range series {
		if math.IsNaN(v) {
			continue
		}
		d := judged[j]
		j++
		if d.Judged = d.Judged && !math.IsNaN(d.Upper); d.Judged {
			d.Alarm = v > d.Upper && v >= o.MinCount
		}
		days[i] = d
	}
	return days, nil
}

// meanSD is the mean and the sample standard deviation (n-1), computed in
// two passes as R's mean and sd are.
func meanSD(x []float64) (mean, sd float64) {
	var s float64
	for _, v := range x {
		s += v
	}
	mean = s / float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}
