package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/kiosk/daemon"
)

func init() {
	kiosk.Commands["demo"] = cli.Command{
		Summary: "run the kiosk on generated certificates: no camera, no configuration, no network",
		Run:     runDemo,
	}
}

func runDemo(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := kiosk.NewFlags("demo", "usage: kiosk demo [--addr HOST:PORT] [--once]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "the screen's address (loopback)")
	once := fs.Bool("once", false, "stop after one pass of the video instead of running until stopped")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := daemon.Demo(ctx, daemon.DemoOptions{Out: stdout, Addr: *addr, Once: *once,
		Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		fmt.Fprintf(stderr, "kiosk demo: %v\n", err)
		return 1
	}
	return 0
}
