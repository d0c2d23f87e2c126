// Package cli is the command-line frame shared by the project's programs
// (kiosk, portal): subcommands that register themselves, one usage text,
// and flag sets whose errors name the subcommand and end with the same
// usage status, as every command's contract requires.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
)

// ExitUsage is the exit status of every usage error.
const ExitUsage = 2

// Command is one subcommand: Run receives the arguments after its name and
// returns the process exit status.
type Command struct {
	Summary string
	Run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// Program is a binary made of subcommands. Each subcommand lives in its own
// file and adds itself to Commands in an init function, so that adding one
// never touches another's code.
type Program struct {
	Name     string
	Commands map[string]Command
}

// New returns a program with no subcommands yet.
func New(name string) *Program {
	return &Program{Name: name, Commands: map[string]Command{}}
}

// Dispatch runs the subcommand named by args[0] and returns its status.
func (p *Program) Dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		p.usage(stderr)
		if len(args) == 0 {
			return ExitUsage
		}
		return 0
	}
	cmd, ok := p.Commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n", p.Name, args[0])
		p.usage(stderr)
		return ExitUsage
	}
	return cmd.Run(args[1:], stdin, stdout, stderr)
}

func (p *Program) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s <command> [arguments]\n", p.Name)
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(p.Commands))
	for n := range p.Commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, p.Commands[n].Summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> -h' for a command's options.\n", p.Name)
}

// Flags is a subcommand's flag set: errors and help go to stderr, after a
// usage line, and usage errors name the program and the subcommand.
type Flags struct {
	*flag.FlagSet
	prefix string
	stderr io.Writer
}

// NewFlags makes the flag set of "program name"; usage is its synopsis.
func (p *Program) NewFlags(name, usage string, stderr io.Writer) *Flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	return &Flags{FlagSet: fs, prefix: p.Name + " " + name, stderr: stderr}
}

// Parsed parses args; when it returns false the command ends with status:
// 0 after -h, ExitUsage after a bad flag (the flag package has said why).
func (f *Flags) Parsed(args []string) (status int, ok bool) {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return ExitUsage, false
	}
	return 0, true
}

// Need checks that each named flag was given a value; for the first one
// left empty it says so, with the flag's own description, and returns
// ExitUsage and false.
func (f *Flags) Need(names ...string) (status int, ok bool) {
	for _, n := range names {
		fl := f.Lookup(n)
		if fl == nil {
			panic("cli: Need of an undefined flag --" + n)
		}
		if fl.Value.String() == "" {
			return f.UsageError("--%s is required (%s)", n, fl.Usage), false
		}
	}
	return 0, true
}

// UsageError says what is wrong with the command line and returns
// ExitUsage.
func (f *Flags) UsageError(format string, a ...any) int {
	fmt.Fprintf(f.stderr, "%s: %s\n", f.prefix, fmt.Sprintf(format, a...))
	return ExitUsage
}
