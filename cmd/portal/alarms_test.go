package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = portal.Dispatch(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// The research notes' synthetic series (earsC C1 at its defaults: bound
// 8.1528 on day 8, alarm on day 12), written as a school's twice-weekly
// reports with a header, one missing report and quoted fields, read from
// stdin and from a file: one line per report, nulls where nothing is
// judged.
func TestAlarmsCommand(t *testing.T) {
	values := []string{"3", "5", "4", "6", "5", "4", "6", "5", "NA", "7", "6", "5", "15", "18", "6", "5"}
	var in strings.Builder
	in.WriteString("date,value\r\n")
	day := 0
	for i, v := range values {
		if i == 3 {
			v = `"` + v + `"`
		}
		fmt.Fprintf(&in, "%s,%s\r\n", reportDate(day), v)
		day++
	}
	file := filepath.Join(t.TempDir(), "series.csv")
	if err := os.WriteFile(file, []byte(in.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"alarms", "--method", "c1"}, {"alarms", "--method", "C1", "-"}, {"alarms", "--method", "c1", file}} {
		code, out, errs := runCmd(t, in.String(), args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != len(values) {
			t.Fatalf("%v: %d lines for %d reports:\n%s", args, len(lines), len(values), out)
		}
		var alarms []string
		for i, l := range lines {
			var got struct {
				Date       string
				Observed   *float64
				Upperbound *float64
				Alarm      *bool
			}
			if err := json.Unmarshal([]byte(l), &got); err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf(`{"date":%q,`, reportDate(i)); !strings.HasPrefix(l, want) || !strings.Contains(l, `"upperbound":`) || !strings.HasSuffix(l, "}") {
				t.Errorf("line %d: %s, want the contract's fields in order", i+1, l)
			}
			judged := i >= 7 && values[i] != "NA"
			if (got.Upperbound != nil) != judged || (got.Alarm != nil) != judged || (got.Observed == nil) != (values[i] == "NA") {
				t.Errorf("line %d: %s: judged should be %v", i+1, l, judged)
			}
			if got.Alarm != nil && *got.Alarm {
				alarms = append(alarms, got.Date)
			}
		}
		if !strings.HasPrefix(lines[7], `{"date":"`+reportDate(7)+`","observed":5,"upperbound":8.1527`) {
			t.Errorf("day 8: %s, earsC's bound is 8.1528", lines[7])
		}
		// The missing report is left out of the baseline: day 12 of the
		// series is the 13th line.
		if want := []string{reportDate(12)}; fmt.Sprint(alarms) != fmt.Sprint(want) {
			t.Errorf("alarms on %v, want %v", alarms, want)
		}
	}

	// The other methods and options run; min-count silences the alarm.
	for _, args := range [][]string{
		{"--method", "c2"}, {"--method", "c3", "--alpha", "0.05"}, {"--method", "ewma", "--baseline", "7"},
		{"--method", "c1", "--baseline", "3", "--min-sigma", "0.5"},
	} {
		if code, out, errs := runCmd(t, in.String(), append([]string{"alarms"}, args...)...); code != 0 || strings.Count(out, "\n") != len(values) {
			t.Errorf("%v: exit %d, %d lines, %s", args, code, strings.Count(out, "\n"), errs)
		}
	}
	if _, out, _ := runCmd(t, in.String(), "alarms", "--method", "c1", "--min-count", "16"); strings.Contains(out, `"alarm":true`) {
		t.Errorf("--min-count 16 still alarms on 15:\n%s", out)
	}

	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{}, "--method c1|c2|c3|ewma is required"},
		{"", []string{"--method", "c4"}, `unknown method "c4"`},
		{"", []string{"--method", "c1", "--baseline", "2"}, "baseline 2"},
		{"", []string{"--method", "c1", "--baseline", "-1"}, "baseline -1"},
		{"", []string{"--method", "ewma", "--baseline", "6"}, "baseline 6"},
		{"", []string{"--method", "c1", "--alpha", "1.5"}, "alpha 1.5"},
		{"", []string{"--method", "c1", "--min-sigma", "-1"}, "min sigma -1"},
		{"", []string{"--method", "ewma", "--min-sigma", "1"}, "c1, c2 and c3 only"},
		{"", []string{"--method", "c1", "--bogus"}, "bogus"},
		{"", []string{"--method", "c1", "a", "b"}, `unexpected argument "b"`},
		{"", []string{"--method", "c1", filepath.Join(t.TempDir(), "none.csv")}, "none.csv"},
		{"date,value\n2022-02-30,3\n", []string{"--method", "c1"}, `line 2: "2022-02-30" is not a date`},
		{"xx,3\n", []string{"--method", "c1"}, ""}, // a header alone: no output, no error
		{"2022-01-10,3\nday,3\n", []string{"--method", "c1"}, `line 2: "day" is not a date`},
		{"2022-01-10,3\n2022-01-13,tre\n", []string{"--method", "c1"}, `line 2: value "tre" is not a number`},
		{"2022-01-10,NaN\n", []string{"--method", "c1"}, `line 1: value "NaN"`},
		{"2022-01-10,0x10\n", []string{"--method", "c1"}, `line 1: value "0x10"`},
		{"2022-01-10,Inf\n", []string{"--method", "c1"}, `line 1: value "Inf"`},
		{"2022-01-10,-2\n", []string{"--method", "c1"}, "line 1: value -2 is negative"},
		{"2022-01-10,3,5\n", []string{"--method", "c1"}, "line 1: 3 fields"},
		{"2022-01-10;3\n", []string{"--method", "c1"}, "line 1: 1 fields"},
		{"2022-01-10,3\n2022-01-10,4\n", []string{"--method", "c1"}, "line 2: date 2022-01-10 is not after 2022-01-10"},
		{"2022-01-10,3\n2022-01-13," + strings.Repeat("1", maxLineBytes) + "\n", []string{"--method", "c1"}, "line 2: longer than 1024 bytes"},
		{longSeries(maxLines + 1), []string{"--method", "c1"}, fmt.Sprintf("line %d: more than %d lines", maxLines+1, maxLines)},
	} {
		code, out, errs := runCmd(t, tc.stdin, append([]string{"alarms"}, tc.args...)...)
		if tc.want == "" {
			if code != 0 || out != "" {
				t.Errorf("%v on %q: exit %d, stdout %q, stderr %q", tc.args, tc.stdin, code, out, errs)
			}
			continue
		}
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v on %.40q: exit %d, stdout %.80q, stderr %q; want 2 and %q", tc.args, tc.stdin, code, out, errs, tc.want)
		}
	}
	if code, out, errs := runCmd(t, longSeries(maxLines), "alarms", "--method", "c3"); code != 0 || strings.Count(out, "\n") != maxLines {
		t.Errorf("%d lines, the bound: exit %d, %s", maxLines, code, errs)
	}
}

// reportDate is the date of the i-th report of a twice-weekly school
// series starting on Monday 2026-09-14: Mondays and Thursdays.
func reportDate(i int) string {
	y, m, d := 2026, 9, 14+7*(i/2)+3*(i%2)
	return dateOf(y, m, d)
}

// dateOf formats a civil date, normalising an overflowing day.
func dateOf(y, m, d int) string {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func longSeries(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s,%d\n", dateOf(2000, 1, 1+i), 3+i%5)
	}
	return b.String()
}

// FuzzReadSeries: whatever the input, the reader returns reports or an
// error naming a line, never panics, and what it returns is what the
// command may print: increasing dates, finite values of 0 or more or NaN.
func FuzzReadSeries(f *testing.F) {
	for _, s := range []string{"date,value\n2022-01-10,3\n2022-01-13,NA\n2022-01-17,\n", "\ufeff\"date\",\"value\"\r\n\"2022-01-10\",\"4.5\"\r\n", "2022-01-10,1e3\n", "a,b,c\n", "2022-01-10,-0\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reports, err := readSeries(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error %q does not name the line", err)
			}
			return
		}
		for i, r := range reports {
			if !(math.IsNaN(r.value) || r.value >= 0 && !math.IsInf(r.value, 1)) {
				t.Fatalf("report %d: value %v", i, r.value)
			}
			if i > 0 && r.date <= reports[i-1].date {
				t.Fatalf("report %d: date %s after %s", i, r.date, reports[i-1].date)
			}
		}
	})
}
