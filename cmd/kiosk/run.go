package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/hardware/camera"
	"github.com/scuola/kiosk/kiosk/config"
	"github.com/scuola/kiosk/kiosk/daemon"
)

func init() {
	kiosk.Commands["run"] = cli.Command{
		Summary: "run the kiosk (with no configuration and no camera: the demo)",
		Run:     runRun,
	}
}

func runRun(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := kiosk.NewFlags("run", "usage: kiosk run [--config FILE] [--print-config] [--debug]", stderr)
	cfgPath := fs.String("config", "", "the configuration file (TOML); see --print-config")
	printCfg := fs.Bool("print-config", false, "print the documented configuration with every default, and exit")
	debug := fs.Bool("debug", false, "log at debug level (counts and timings only, as always)")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if *printCfg {
		fmt.Fprint(stdout, config.Reference)
		return 0
	}
	if *cfgPath == "" {
		if d, err := camera.Discover(camera.DevDir); err == nil && len(d.Cameras) > 0 {
			return fs.UsageError("a camera is connected (%s) but no configuration was given: see kiosk run --print-config", d.Cameras[0])
		}
		fmt.Fprintln(stdout, "Nessuna configurazione e nessuna telecamera: avvio della demo (kiosk run --config FILE per il kiosk vero).")
		return runDemo(nil, nil, stdout, stderr)
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return fs.UsageError("%v", err)
	}
	if err := daemon.Run(ctx, cfg, daemon.Options{Log: log}); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "kiosk run: %v\n", err)
		return 1
	}
	return 0
}
