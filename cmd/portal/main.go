// Command portal is the ATS's side of the reporting chain: it receives the
// anonymous counts the sentinel schools send, keeps them (SQLite, or the
// region's PostgreSQL), and watches their trend for an early warning.
//
// Each subcommand lives in its own file and registers itself in
// portal.Commands, so that adding one never touches another's code.
package main

import (
	"os"

	"github.com/scuola/kiosk/cmd/internal/cli"
)

// portal is the program; every subcommand file adds itself to it.
var portal = cli.New("portal")

func main() {
	os.Exit(portal.Dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
