package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/kiosk/config"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
)

func init() {
	kiosk.Commands["measures"] = cli.Command{
		Summary: "print the measure the law sets for each class on a day (JSON lines)",
		Run:     runMeasures,
	}
}

// measureLine is one class's line of `kiosk measures`: a contract other
// tools read, so its fields and their spelling never change.
type measureLine struct {
	Class   string `json:"class"`
	Level   string `json:"level"`
	Cases   int    `json:"cases"`
	Measure string `json:"measure"`
	Until   string `json:"until"` // the last day, included; "" for none
}

// runMeasures applies the rule sets of a configuration to its classes on
// one day, one JSON object per class in the file's order.
func runMeasures(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := kiosk.NewFlags("measures", "usage: kiosk measures (--config FILE | --data DIR) --at YYYY-MM-DD", stderr)
	cfgPath := fs.String("config", "", "the kiosk's configuration: its [[classes]] and [[rule_sets]]")
	dataDir := fs.String("data", "", "the school office's data folder (kiosk office), instead of --config")
	at := fs.String("at", "", "the day, YYYY-MM-DD")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	switch {
	case fs.NArg() > 0:
		return fs.UsageError("unexpected argument %q", fs.Arg(0))
	case *cfgPath != "" && *dataDir != "":
		return fs.UsageError("--config and --data: one or the other")
	case *cfgPath == "" && *dataDir == "":
		return fs.UsageError("--config FILE is required (or --data DIR)")
	case *at == "":
		return fs.UsageError("--at YYYY-MM-DD is required")
	}
	day, err := calendar.Parse(*at)
	if err != nil {
		return fs.UsageError("--at: %v", err)
	}
	classes, rules, err := loadMeasures(*cfgPath, *dataDir)
	if err != nil {
		return fs.UsageError("%v", err)
	}
	enc := json.NewEncoder(stdout)
	for _, st := range rules.Statuses(classes, day) {
		line := measureLine{Class: st.Class.Name, Level: string(st.Class.Level), Cases: st.Cases, Measure: string(st.Measure)}
		if st.Measure != school.None {
			line.Until = st.Until.String()
		}
		if err := enc.Encode(line); err != nil {
			return 1
		}
	}
	return 0
}

// loadMeasures reads the classes and rule sets from a kiosk's
// configuration or from the office's database.
func loadMeasures(cfgPath, dataDir string) ([]school.Class, school.Rules, error) {
	if cfgPath != "" {
		cfg, err := config.Load(cfgPath)
		if err != nil {
			return nil, nil, err
		}
		return cfg.Classes, cfg.Rules, nil
	}
	st, err := openOfficeStore(dataDir)
	if err != nil {
		return nil, nil, fmt.Errorf("--data: %w", err)
	}
	defer st.Close()
	ctx := context.Background()
	classes, err := st.SchoolClasses(ctx)
	if err != nil {
		return nil, nil, err
	}
	rules, err := st.Rules(ctx)
	return classes, rules, err
}
