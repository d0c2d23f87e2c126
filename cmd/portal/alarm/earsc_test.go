package alarm

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// requireR returns the path of Rscript once it is known to load the
// surveillance package; without them the test fails under CI (scripts/test
// installs r-base-core and r-cran-surveillance) and is skipped elsewhere.
func requireR(t testing.TB) string {
	t.Helper()
	rscript, err := exec.LookPath("Rscript")
	if err == nil {
		err = exec.Command(rscript, "--vanilla", "-e", "suppressMessages(library(surveillance))").Run()
	}
	if err != nil {
		msg := fmt.Sprintf("Rscript with the surveillance package is needed to compare with earsC (Debian: r-base-core r-cran-surveillance): %v", err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return rscript
}

// rEarsC runs surveillance::earsC on every (series, options) pair; the
// series hold no missing value. It returns, per pair, the upperbound and
// alarm of every day earsC judges (1-based as R numbers them; NaN and
// alarm "NA" where R gives NA).
func rEarsC(t *testing.T, rscript string, series [][]float64, runs []earsRun) []map[int]rDay {
	t.Helper()
	dir := t.TempDir()
	var data strings.Builder
	data.WriteString("series,value\n")
	for s, y := range series {
		for _, v := range y {
			fmt.Fprintf(&data, "%d,%s\n", s, strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	var cfg strings.Builder
	cfg.WriteString("run,series,method,baseline,alpha,minSigma\n")
	for i, r := range runs {
		alpha := "NA" // earsC's own default
		if r.opts.Alpha != 0 {
			alpha = strconv.FormatFloat(r.opts.Alpha, 'g', -1, 64)
		}
		fmt.Fprintf(&cfg, "%d,%d,%s,%d,%s,%s\n", i, r.series, strings.ToUpper(string(r.opts.Method)),
			r.opts.Baseline, alpha, strconv.FormatFloat(r.opts.MinSigma, 'g', -1, 64))
	}
	const script = `
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(surveillance))
d <- read.csv(args[1])
cfg <- read.csv(args[2])
out <- vector("list", nrow(cfg))
for (k in seq_len(nrow(cfg))) {
  y <- d$value[d$series == cfg$series[k]]
  ctl <- list(method = cfg$method[k], baseline = cfg$baseline[k], minSigma = cfg$minSigma[k])
  if (!is.na(cfg$alpha[k])) ctl$alpha <- cfg$alpha[k]
  r <- earsC(sts(observed = matrix(y, ncol = 1)), control = ctl)
  out[[k]] <- data.frame(run = cfg$run[k], t = r@control$range,
    upper = sprintf("%.17g", upperbound(r)[, 1]), alarm = as.character(alarms(r)[, 1]))
}
write.csv(do.call(rbind, out), args[3], row.names = FALSE, na = "NA")
`
	files := []string{"earsc.R", "series.csv", "runs.csv", "out.csv"}
	for i, content := range []string{script, data.String(), cfg.String()} {
		if err := os.WriteFile(filepath.Join(dir, files[i]), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, rscript, "--vanilla", filepath.Join(dir, files[0]),
		filepath.Join(dir, files[1]), filepath.Join(dir, files[2]), filepath.Join(dir, files[3]))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("Rscript: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, files[3]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	res := make([]map[int]rDay, len(runs))
	for i := range res {
		res[i] = map[int]rDay{}
	}
	for _, row := range rows[1:] {
		run, _ := strconv.Atoi(row[0])
		day, _ := strconv.Atoi(row[1])
		upper := math.NaN()
		if row[2] != "NA" {
			if upper, err = strconv.ParseFloat(row[2], 64); err != nil {
				t.Fatalf("R upperbound %q: %v", row[2], err)
			}
		}
		res[run][day] = rDay{upper: upper, alarm: row[3]}
	}
	return res
}

type rDay struct {
	upper float64 // NaN: R's NA or NaN
	alarm string  // TRUE, FALSE or NA
}

type earsRun struct {
	series int
	opts   Options
}

// testSeries are the series compared with R, made by a seeded generator:
// counts with a step, mostly zeros, constant stretches (sd 0, where
// MinSigma matters and C3 has no bound), a percentage series, a long one;
// a tenth of the reports of the last ones is missing (NaN).
func testSeries() [][]float64 {
	rng := rand.New(rand.NewPCG(2026, 12))
	noisy := func(n int, mean, sd float64) []float64 {
		y := make([]float64, n)
		for i := range y {
			y[i] = math.Max(0, math.Round(mean+sd*rng.NormFloat64()))
		}
		return y
	}
	step := noisy(80, 12, 3)
	for i := 50; i < 60; i++ {
		step[i] += 15 + float64(i-50)*2
	}
	zeros := make([]float64, 70)
	for i := range zeros {
		if rng.IntN(8) == 0 {
			zeros[i] = 1
		}
	}
	zeros[40], zeros[41] = 4, 6
	flat := noisy(90, 20, 4)
	for i := 10; i < 28; i++ {
		flat[i] = 5
	}
	for i := 55; i < 70; i++ {
		flat[i] = 3
	}
	flat[70], flat[71] = 9, 12
	percent := make([]float64, 72)
	for i := range percent {
		percent[i] = math.Round((3+0.5*rng.NormFloat64())*100) / 100
	}
	for i := 45; i < 56; i++ {
		percent[i] += float64(i-44) * 0.5
	}
	long := noisy(300, 40, 6)
	for i := 200; i < 215; i++ {
		long[i] *= 1.6
	}
	missing := func(y []float64) []float64 {
		y = append([]float64(nil), y...)
		for i := range y {
			if rng.IntN(10) == 0 {
				y[i] = math.NaN()
			}
		}
		return y
	}
	return [][]float64{step, zeros, flat, percent, long, missing(step), missing(flat), missing(long)}
}

// Every EARS method, on every test series, with baselines 3, 7 and 12,
// earsC's default alpha and 0.05, MinSigma 0 and 0.5: upperbound and
// alarm of every day as surveillance::earsC computes them. A series with
// missing values is compared with earsC on the same series without them.
func TestEARSMatchesR(t *testing.T) {
	rscript := requireR(t)
	series := testSeries()
	var runs []earsRun
	for s := range series {
		for _, m := range []Method{C1, C2, C3} {
			for _, b := range []int{3, 7, 12} {
				for _, alpha := range []float64{0, 0.05} {
					for _, minSigma := range []float64{0, 0.5} {
						runs = append(runs, earsRun{s, Options{Method: m, Baseline: b, Alpha: alpha, MinSigma: minSigma}})
					}
				}
			}
		}
	}
	present := make([][]float64, len(series))
	for s, y := range series {
		for _, v := range y {
			if !math.IsNaN(v) {
				present[s] = append(present[s], v)
			}
		}
	}
	ref := rEarsC(t, rscript, present, runs)
	var compared, alarms, undefined int
	for i, run := range runs {
		days, err := Detect(series[run.series], run.opts)
		if err != nil {
			t.Fatal(err)
		}
		k := 0 // the 1-based day of R's series without the missing values
		for j, d := range days {
			y := series[run.series][j]
			if math.IsNaN(y) {
				if d.Judged {
					t.Errorf("%+v: missing day %d judged", run, j+1)
				}
				continue
			}
			k++
			r, inRange := ref[i][k]
			if !inRange || math.IsNaN(r.upper) {
				if d.Judged {
					t.Errorf("series %d %+v: day %d judged (upper %v), earsC gives none", run.series, run.opts, k, d.Upper)
				}
				undefined += b2i(inRange)
				continue
			}
			compared++
			alarms += b2i(d.Alarm)
			if !d.Judged || math.Abs(d.Upper-r.upper) > 1e-9*math.Max(1, math.Abs(r.upper)) || strconv.FormatBool(d.Alarm) != strings.ToLower(r.alarm) {
				t.Errorf("series %d %+v: day %d: upper %.17g alarm %v (judged %v); earsC %.17g %s", run.series, run.opts, k, d.Upper, d.Alarm, d.Judged, r.upper, r.alarm)
			}
		}
	}
	t.Logf("%d runs, %d days compared, %d alarms, %d days without a bound in earsC either", len(runs), compared, alarms, undefined)
	if compared < 10000 || alarms < 100 || undefined == 0 {
		t.Errorf("the comparison covers too little: %d days, %d alarms, %d undefined", compared, alarms, undefined)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
