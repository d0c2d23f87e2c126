package main

import (
	"fmt"
	"io"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/hardware/gpio"
	"github.com/scuola/kiosk/kiosk/config"
	"github.com/scuola/kiosk/kiosk/daemon"
)

func init() {
	kiosk.Commands["light-off"] = cli.Command{
		Summary: "turn the entrance light off (systemd's ExecStopPost, after any stop or crash)",
		Run:     runLightOff,
	}
}

// runLightOff turns off every line of the configured light. It is what the
// systemd unit runs after the daemon ends, however it ended, so that the
// light is never left green with nobody checking.
func runLightOff(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := kiosk.NewFlags("light-off", "usage: kiosk light-off [--config FILE]", stderr)
	cfgPath := fs.String("config", "", "the kiosk's configuration file ([gpio])")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	cfg := config.Default()
	if *cfgPath != "" {
		var err error
		if cfg, err = config.Load(*cfgPath); err != nil {
			return fs.UsageError("%v", err)
		}
	}
	if !cfg.GPIO.Enabled {
		fmt.Fprintln(stdout, "kiosk light-off: no GPIO light configured")
		return 0
	}
	if err := gpio.Reset(daemon.GPIOConfig(cfg)); err != nil {
		fmt.Fprintf(stderr, "kiosk light-off: %v\n", err)
		return 1
	}
	return 0
}
