package watch

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/scuola/kiosk/kiosk/lang"
)

// The chart's drawing area, in SVG units (the picture scales to the
// page's width): a margin left for the rates, one below for the months.
const (
	chartW, chartH         = 900.0, 300.0
	padL, padR, padT, padB = 56.0, 16.0, 16.0, 40.0
)

// chart draws a series as an SVG: the observed rate of each report, the
// expected rate and the alarm threshold of each judged report (dashed
// and red), and a red dot on each alarm. The x axis counts reports, as
// the detector does, and names the first report of each month. Every
// text is escaped; the numbers are ours.
func chart(l lang.Lang, s *series, title string) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		chartW, chartH+34, html.EscapeString(title))
	n := len(s.Days)
	if n == 0 {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle" class="empty">%s</text></svg>`, chartW/2, chartH/2, html.EscapeString(l.Text(lang.WatchChartEmpty)))
		return template.HTML(b.String())
	}
	top := 0.0
	for i := range n {
		top = math.Max(top, nz(s.shown(i)))
		if i < len(s.Judged) && s.Judged[i].Judged {
			top = math.Max(top, math.Max(s.Judged[i].Upper, s.Judged[i].Expected))
		}
	}
	step := tickStep(top)
	top = math.Max(step, math.Ceil(top/step)*step)
	x := func(i int) float64 {
		if n == 1 {
			return padL + (chartW-padL-padR)/2
		}
		return padL + float64(i)*(chartW-padL-padR)/float64(n-1)
	}
	y := func(v float64) float64 { return padT + (1-v/top)*(chartH-padT-padB) }
	// The grid and the rates.
	for v := 0.0; v <= top+step/2; v += step {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="grid"/><text x="%.1f" y="%.1f" text-anchor="end" class="tick">%s</text>`,
			padL, chartW-padR, y(v), y(v), padL-6, y(v)+4, html.EscapeString(percent(v)))
	}
	// The months: the first report of each.
	month := ""
	for i, d := range s.Days {
		if len(d) >= 7 && d[:7] != month {
			month = d[:7]
			fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="month"/><text x="%.1f" y="%.1f" class="tick">%s/%s</text>`,
				x(i), x(i), padT, chartH-padB, x(i)+3, chartH-padB+16, d[5:7], d[2:4])
		}
	}
	line := func(class string, value func(i int) (float64, bool)) {
		var pts []string
		flush := func() {
			if len(pts) > 0 {
				fmt.Fprintf(&b, `<polyline class="%s" points="%s"/>`, class, strings.Join(pts, " "))
				pts = pts[:0]
			}
		}
		for i := range n {
			v, ok := value(i)
			if !ok {
				flush()
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
		}
		flush()
	}
	judged := func(i int) bool { return i < len(s.Judged) && s.Judged[i].Judged }
	line("expected", func(i int) (float64, bool) { return s.Judged[i].Expected, judged(i) })
	line("upper", func(i int) (float64, bool) { return s.Judged[i].Upper, judged(i) })
	line("observed", func(i int) (float64, bool) { r := s.shown(i); return r, !math.IsNaN(r) })
	for i := range n {
		if i < len(s.Alarmed) && s.Alarmed[i] && !math.IsNaN(s.shown(i)) {
			fmt.Fprintf(&b, `<circle class="alarm" cx="%.1f" cy="%.1f" r="5"><title>%s %s</title></circle>`,
				x(i), y(s.rate(i)), html.EscapeString(l.Text(lang.WatchChartAlarm)), s.Days[i])
		}
	}
	// The legend, under the axis.
	lx := padL
	for _, item := range []struct {
		class string
		key   lang.Key
	}{{"observed", lang.WatchChartObserved}, {"expected", lang.WatchChartExpected}, {"upper", lang.WatchChartUpper}} {
		label := l.Text(item.key)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="%s"/><text x="%.1f" y="%.1f" class="legend">%s</text>`,
			lx, lx+26, chartH+18, chartH+18, item.class, lx+32, chartH+22, html.EscapeString(label))
		lx += 48 + 7.5*float64(len([]rune(label)))
	}
	fmt.Fprintf(&b, `<circle class="alarm" cx="%.1f" cy="%.1f" r="5"/><text x="%.1f" y="%.1f" class="legend">%s</text>`,
		lx+8, chartH+18, lx+18, chartH+22, html.EscapeString(l.Text(lang.WatchChartAlarm)))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// nz is x, or 0 when x is not a number.
func nz(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// tickStep is a round step for an axis up to top: 1, 2 or 5 times a
// power of ten, for about four to eight lines.
func tickStep(top float64) float64 {
	if !(top > 0) {
		return 0.01
	}
	raw := top / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}
