package alarm

import (
	"math"
	"slices"
	"testing"
)

// alarmDays lists the 1-based days that alarm, as R numbers them.
func alarmDays(days []Day) []int {
	var got []int
	for i, d := range days {
		if d.Alarm {
			got = append(got, i+1)
		}
	}
	return got
}

// The synthetic series of the team's research notes
// (docs/research/absence-surveillance.md), whose values were computed
// with surveillance::earsC 1.20.3 at its defaults.
func TestEARSResearchSeries(t *testing.T) {
	y := []float64{3, 5, 4, 6, 5, 4, 6, 5, 7, 6, 5, 15, 18, 6, 5}
	c1, err := Detect(y, Options{Method: C1})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{8.1528, 7.5232, 8.7242, 8.5872, 8.4443, 18.3408, 25.3476, 25.3476} {
		d := c1[7+i]
		if !d.Judged || math.Abs(d.Upper-want) > 5e-5 {
			t.Errorf("C1 day %d: upper %v (judged %v), earsC %v", 8+i, d.Upper, d.Judged, want)
		}
	}
	for i := range 7 {
		if c1[i].Judged {
			t.Errorf("C1 day %d judged before its baseline is full", i+1)
		}
	}
	for m, want := range map[Method][]int{C1: {12}, C2: {12, 13}, C3: {13, 14, 15}} {
		days, err := Detect(y, Options{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		if got := alarmDays(days); !slices.Equal(got, want) {
			t.Errorf("%s alarms on days %v, earsC on %v", m, got, want)
		}
	}
}

// The daily series of the research notes, with the expected value,
// statistic and p-value CDC's Rnssp alert_ewma (R/alert_ewma.R at commit
// 50b4761, B = 28, g = 2) gives on it; the notes list days 10 and 20-26,
// and the other days come from the same ewma_loop run in R 4.
func TestEWMARnsspSeries(t *testing.T) {
	y := []float64{10, 12, 11, 9, 10, 13, 12, 11, 10, 12, 11, 10, 9, 12, 13, 11, 10, 12, 11, 10, 14, 18, 25, 30, 22, 15, 12, 11, 10, 12, 11}
	ref := []struct {
		expected, stat, p float64
	}{
		10: {11, 0.532415045878103843, 3.0678439458053985e-01},
		11: {11, 0.208214516190711740, 4.2049504518051406e-01},
		12: {10.888888888888889, -0.244754819318525135, 5.9359634799825978e-01},
		13: {11, -1.302727742074397899, 8.8749378292812164e-01},
		14: {11, 0.557654824937045102, 2.9467235791217317e-01},
		15: {10.916666666666666, 1.558546510732147006, 7.3695857422491962e-02},
		16: {10.769230769230770, 0.878294369816731701, 1.9851461611482701e-01},
		17: {10.857142857142858, -0.013391859047641504, 5.0524074849165412e-01},
		18: {11, 0.587084953058713777, 2.8324734260960316e-01},
		19: {11, 0.250181907457850905, 4.0292040348447755e-01},
		20: {10.941176470588236, -0.315780265059410314, 6.2187446184835304e-01},
		21: {11, 1.994263774515314225, 3.1207645107746318e-02},
		22: {11, 5.145114470232925008, 3.3944710856381732e-05},
		23: {10.949999999999999, 10.266883279577170285, 1.7187821166331219e-09},
		24: {11.095238095238095, 12.375723788808169701, 3.9349190572579573e-11},
		25: {11.409090909090908, 4.967951122049036883, 3.2325937936450444e-05},
		26: {12, 1.346683493116983765, 9.5896457223528797e-02},
		27: {12.75, 0.282398377955350610, 3.9008189021267248e-01},
		28: {13.119999999999999, -0.222032540825113561, 5.8691646383579354e-01},
		29: {13.192307692307692, -0.618977239173877813, 7.2923441635285990e-01},
		30: {13.148148148148149, -0.278553733345159094, 6.0860460274631833e-01},
		31: {13.071428571428571, -0.421268834054504437, 6.6155319417405212e-01},
	}
	days, err := Detect(y, Options{Method: EWMA})
	if err != nil {
		t.Fatal(err)
	}
	// alert_ewma's colours: red p < 0.01, yellow p < 0.05.
	wantRed, wantYellow := []int{22, 23, 24, 25}, []int{21}
	var red, yellow []int
	for i, d := range days {
		day := i + 1
		if day < 10 {
			if d.Judged {
				t.Errorf("day %d judged: alert_ewma starts on day 10", day)
			}
			continue
		}
		r := ref[day]
		// 1 - pt(...) in R loses the digits of a tiny tail: compare p
		// with an absolute floor.
		if !d.Judged || !within(d.Expected, r.expected, 1e-12) || !within(d.Statistic, r.stat, 1e-9) ||
			math.Abs(d.P-r.p) > 1e-9*r.p+1e-15 {
			t.Errorf("day %d: expected %.15g stat %.15g p %.6g; Rnssp %.15g %.15g %.6g", day, d.Expected, d.Statistic, d.P, r.expected, r.stat, r.p)
		}
		if d.Alarm {
			red = append(red, day)
		}
		if d.Warning {
			yellow = append(yellow, day)
		}
		if d.Alarm != (d.P < 0.01) {
			t.Errorf("day %d: alarm %v with p %v: the bound %v and the p-value disagree", day, d.Alarm, d.P, d.Upper)
		}
	}
	if !slices.Equal(red, wantRed) || !slices.Equal(yellow, wantYellow) {
		t.Errorf("red %v yellow %v; alert_ewma: red %v yellow %v", red, yellow, wantRed, wantYellow)
	}
}

// within is |a-b| within rel of b.
func within(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Abs(b)
}
