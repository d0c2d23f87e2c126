// Command kiosk is the school-entrance verification kiosk: one binary for the
// daemon, the demo, and the tools that measure and administer it.
//
// Each subcommand lives in its own file and registers itself in
// kiosk.Commands, so that adding one never touches another's code.
package main

import (
	"os"

	"github.com/scuola/kiosk/cmd/internal/cli"
)

// kiosk is the program; every subcommand file adds itself to it.
var kiosk = cli.New("kiosk")

func main() {
	os.Exit(kiosk.Dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
