package alarm

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/cmd/portal/alarm/alarmtest"
)

// A school year of one building (71 twice-weekly reports, with an
// epidemic): the series the ATS judges for every sentinel building each
// report day.
func BenchmarkDetect(b *testing.B) {
	y := alarmtest.NewSeason(1, true).Absent
	for _, m := range Methods {
		b.Run(string(m), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Detect(y, Options{Method: m}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The same series through R's surveillance::earsC, side by side with
// BenchmarkDetect: R times earsRReps calls itself (its start and the
// package's loading left out) and the benchmark reports the time of one
// series as its ns/op.
func BenchmarkEarsCInR(b *testing.B) {
	rscript := requireR(b)
	y := alarmtest.NewSeason(1, true).Absent
	values := make([]string, len(y))
	for i, v := range y {
		values[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	const earsRReps = 500
	script := filepath.Join(b.TempDir(), "bench.R")
	err := os.WriteFile(script, []byte(fmt.Sprintf(`
suppressMessages(library(surveillance))
s <- sts(observed = matrix(c(%s), ncol = 1))
for (m in commandArgs(trailingOnly = TRUE)) {
  earsC(s, control = list(method = m))
  t <- system.time(for (i in 1:%d) earsC(s, control = list(method = m)))[["elapsed"]]
  cat(m, t, "\n")
}
`, strings.Join(values, ","), earsRReps)), 0o600)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []Method{C1, C2, C3} {
		b.Run(string(m), func(b *testing.B) {
			for b.Loop() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				out, err := exec.CommandContext(ctx, rscript, "--vanilla", script, strings.ToUpper(string(m))).CombinedOutput()
				cancel()
				if err != nil {
					b.Fatalf("Rscript: %v\n%s", err, out)
				}
				f := strings.Fields(string(out))
				secs, err := strconv.ParseFloat(f[len(f)-1], 64)
				if err != nil {
					b.Fatalf("Rscript said %q", out)
				}
				b.ReportMetric(secs*1e9/earsRReps, "ns/op")
			}
		})
	}
}
