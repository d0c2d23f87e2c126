// Command kiosk is the school-entrance verification kiosk: one binary for the
// daemon, the demo, and the tools that measure and administer it.
//
// Each subcommand lives in its own file and registers itself in commands, so
// that adding one never touches another's code.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one subcommand: run receives the arguments after its name and
// returns the process exit status.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled by the init functions of the subcommand files.
var commands = map[string]command{}

// exitUsage is the exit status of every usage error, as the commands'
// contracts require.
const exitUsage = 2

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "kiosk: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: kiosk <command> [arguments]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'kiosk <command> -h' for a command's options.")
}

// flags is a subcommand's flag set: errors and help go to stderr, after a
// usage line, and usage errors name the subcommand.
type flags struct {
	*flag.FlagSet
	name   string
	stderr io.Writer
}

// newFlags makes the flag set of "kiosk name"; usage is its synopsis.
func newFlags(name, usage string, stderr io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	return &flags{FlagSet: fs, name: name, stderr: stderr}
}

// parse parses args; when it returns false the command ends with status:
// 0 after -h, exitUsage after a bad flag (the flag package has said why).
func (f *flags) parse(args []string) (status int, ok bool) {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return exitUsage, false
	}
	return 0, true
}

// usageError says what is wrong with the command line and returns
// exitUsage.
func (f *flags) usageError(format string, a ...any) int {
	fmt.Fprintf(f.stderr, "kiosk %s: %s\n", f.name, fmt.Sprintf(format, a...))
	return exitUsage
}
