package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/cmd/portal/alarm"
	"github.com/scuola/kiosk/verify/calendar"
)

func init() {
	portal.Commands["alarms"] = cli.Command{
		Summary: "run an early-warning detector on a date,value series (JSON lines)",
		Run:     runAlarms,
	}
}

// Bounds of the series read: a line holds a date and a number, and a
// century of daily reports is 36,525 lines.
const (
	maxLineBytes = 1024
	maxLines     = 100_000
)

// alarmLine is one report's line of `portal alarms`: a contract other
// tools read, so its fields and their spelling never change. Upperbound
// and Alarm are null when the day is not judged (baseline not full yet,
// value missing); Observed is null when the value is missing.
type alarmLine struct {
	Date       string   `json:"date"`
	Observed   *float64 `json:"observed"`
	Upperbound *float64 `json:"upperbound"`
	Alarm      *bool    `json:"alarm"`
}

func runAlarms(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := portal.NewFlags("alarms",
		"usage: portal alarms --method c1|c2|c3|ewma [--baseline N] [--alpha A] [--min-sigma S] [--min-count C] [FILE|-]", stderr)
	method := fs.String("method", "", "the detector: c1, c2, c3 (EARS, as R's surveillance::earsC) or ewma (ESSENCE, as Rnssp's alert_ewma)")
	baseline := fs.Int("baseline", 0, "reports in the baseline (default 7 for EARS, 28 for ewma)")
	alpha := fs.Float64("alpha", 0, "false alarm rate of one test (default 0.001 for c1 and c2, 0.025 for c3, 0.01 for ewma)")
	minSigma := fs.Float64("min-sigma", 0, "floor of the baseline's standard deviation (EARS only)")
	minCount := fs.Float64("min-count", 0, "smallest observed value that may alarm")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if *method == "" {
		return fs.UsageError("--method c1|c2|c3|ewma is required")
	}
	if fs.NArg() > 1 {
		return fs.UsageError("unexpected argument %q: one FILE at most", fs.Arg(1))
	}
	opts := alarm.Options{Method: alarm.Method(strings.ToLower(*method)), Baseline: *baseline, Alpha: *alpha, MinSigma: *minSigma, MinCount: *minCount}
	if err := opts.WithDefaults().Check(); err != nil {
		return fs.UsageError("%v", err)
	}

	in, name := stdin, "stdin"
	if path := fs.Arg(0); path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fs.UsageError("%v", err)
		}
		defer f.Close()
		in, name = f, path
	}
	reports, err := readSeries(in)
	if err != nil {
		return fs.UsageError("%s: %v", name, err)
	}
	values := make([]float64, len(reports))
	for i, r := range reports {
		values[i] = r.value
	}
	days, err := alarm.Detect(values, opts)
	if err != nil {
		return fs.UsageError("%v", err)
	}
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	for i, r := range reports {
		line := alarmLine{Date: r.date}
		if !math.IsNaN(r.value) {
			line.Observed = &reports[i].value
		}
		if d := days[i]; d.Judged {
			line.Upperbound, line.Alarm = &days[i].Upper, &days[i].Alarm
		}
		if err := enc.Encode(line); err != nil {
			return 1
		}
	}
	if w.Flush() != nil {
		return 1
	}
	return 0
}

// seriesDay is one line of the series: its date as written, and its value
// (NaN when missing).
type seriesDay struct {
	date  string
	value float64
}

// readSeries reads "date,value" lines, oldest first: a header line is
// allowed, dates are YYYY-MM-DD and strictly increasing, a value is a
// number of 0 or more, or empty or NA when the report is missing. Fields
// may be quoted (as R's write.csv quotes them). Errors name the line.
func readSeries(r io.Reader) ([]seriesDay, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, maxLineBytes+1), maxLineBytes+1) // the line and its newline
	var (
		out  []seriesDay
		last calendar.Day
		n    int
	)
	for sc.Scan() {
		n++
		if n > maxLines {
			return nil, fmt.Errorf("line %d: more than %d lines", n, maxLines)
		}
		text := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			text = strings.TrimPrefix(text, "\ufeff") // a spreadsheet's byte order mark
		}
		fields := strings.Split(text, ",")
		if len(fields) != 2 {
			return nil, fmt.Errorf("line %d: %d fields, want date,value", n, len(fields))
		}
		dateText, valueText := field(fields[0]), field(fields[1])
		day, err := calendar.Parse(dateText)
		if err != nil {
			if n == 1 && !startsWithDigit(dateText) {
				continue // the header
			}
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		if len(out) > 0 && day <= last {
			return nil, fmt.Errorf("line %d: date %s is not after %s: one report a day, oldest first", n, dateText, out[len(out)-1].date)
		}
		value, err := parseValue(valueText)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		out = append(out, seriesDay{date: dateText, value: value})
		last = day
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes", n+1, maxLineBytes)
		}
		return nil, fmt.Errorf("line %d: %v", n+1, err)
	}
	return out, nil
}

// field is a CSV field without its spaces and quotes.
func field(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	return s
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// parseValue reads a decimal number of 0 or more; "" and NA are a
// missing report (NaN). NaN, Inf and hexadecimal, which strconv accepts,
// are refused, as is "-0".
func parseValue(s string) (float64, error) {
	if s == "" || s == "NA" {
		return math.NaN(), nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("value %s is negative", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.Trim(s, "0123456789.eE+-") != "" || !startsWithDigit(strings.TrimPrefix(s, ".")) {
		return 0, fmt.Errorf("value %q is not a number (empty or NA when missing)", s)
	}
	return v, nil
}
