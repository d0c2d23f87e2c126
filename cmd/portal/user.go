package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/privacy/access"
)

func init() {
	portal.Commands["user"] = cli.Command{
		Summary: "add a person who uses the portal's pages (an ATS operator or a regional user)",
		Run:     runUser,
	}
}

const userUsage = `usage:
  portal user add --db DSN --name NAME --role operator|regional [--ats ATS]   (the password on stdin)
  portal user password --db DSN --name NAME   (a new password on stdin; it lifts a revocation)
  portal user revoke --db DSN --name NAME`

func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runUserAdd(args[1:], stdin, stdout, stderr)
		case "password":
			return runUserPassword(args[1:], stdin, stdout, stderr)
		case "revoke":
			return runUserRevoke(args[1:], stdout, stderr)
		case "-h", "--help", "help":
			fmt.Fprintln(stderr, userUsage)
			return 0
		}
	}
	fmt.Fprintln(stderr, userUsage)
	return cli.ExitUsage
}

func runUserAdd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := portal.NewFlags("user add", userUsage, stderr)
	dsn := fs.String("db", "", "the store: a SQLite file path or a postgres:// URL")
	var u store.User
	fs.StringVar(&u.Name, "name", "", "the user's name, to log in with")
	role := fs.String("role", "", "operator (the schools of one ATS) or regional (all)")
	fs.StringVar(&u.ATS, "ats", "", "an operator's ATS, as the schools name it")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if fs.NArg() > 0 {
		return fs.UsageError("unexpected argument %q", fs.Arg(0))
	}
	if status, ok := fs.Need("db", "name", "role"); !ok {
		return status
	}
	var err error
	if u.Role, err = store.ParseRole(*role); err != nil {
		return fs.UsageError("--role: %v", err)
	}
	switch {
	case u.Role == store.Operator && strings.TrimSpace(u.ATS) == "":
		return fs.UsageError("--ats is required for an operator")
	case u.Role == store.Regional && u.ATS != "":
		return fs.UsageError("--ats: a regional user sees every ATS")
	}
	if err := access.CheckName(u.Name); err != nil {
		return fs.UsageError("--name: %v", err)
	}
	var status int
	if u.Password, status = readPassword(fs, stdin, stderr); status != 0 {
		return status
	}
	err = withStore(*dsn, func(ctx context.Context, st store.Store) error {
		if err := st.AddUser(ctx, u); err != nil {
			return err
		}
		// An ATS is matched by its name exactly: a misspelt one shows no plesso.
		if schools, err := st.Schools(ctx, u.ATS); err == nil && len(schools) == 0 && u.ATS != "" {
			fmt.Fprintf(stderr, "portal user add: no plesso names the ATS %q yet: check that it is spelt as the region's list spells it\n", u.ATS)
		}
		return st.Audit(ctx, store.Event{At: time.Now(), Actor: "portal user add", ATS: u.ATS, Action: "user.add", Detail: u.Name + " (" + string(u.Role) + ")"})
	})
	if err != nil {
		return fail(stderr, "user add", err)
	}
	fmt.Fprintf(stdout, "user %s (%s) added\n", u.Name, u.Role)
	return 0
}

func runUserPassword(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, dsn, name, status := userFlags("user password", args, stderr)
	if fs == nil {
		return status
	}
	phc, status := readPassword(fs, stdin, stderr)
	if status != 0 {
		return status
	}
	if err := changeUser(dsn, name, "user.password", func(ctx context.Context, st store.Store) error { return st.SetPassword(ctx, name, phc) }); err != nil {
		return fail(stderr, "user password", err)
	}
	fmt.Fprintf(stdout, "user %s: a new password; its sessions are ended\n", name)
	return 0
}

func runUserRevoke(args []string, stdout, stderr io.Writer) int {
	fs, dsn, name, status := userFlags("user revoke", args, stderr)
	if fs == nil {
		return status
	}
	if err := changeUser(dsn, name, "user.revoke", func(ctx context.Context, st store.Store) error { return st.RevokeUser(ctx, name) }); err != nil {
		return fail(stderr, "user revoke", err)
	}
	fmt.Fprintf(stdout, "user %s revoked; its sessions are ended\n", name)
	return 0
}

// userFlags reads the --db and --name of a change to one user; a nil
// flag set means the command ends with status.
func userFlags(cmd string, args []string, stderr io.Writer) (fs *cli.Flags, dsn, name string, status int) {
	fs = portal.NewFlags(cmd, userUsage, stderr)
	d := fs.String("db", "", "the store: a SQLite file path or a postgres:// URL")
	n := fs.String("name", "", "the user's name")
	if status, ok := fs.Parsed(args); !ok {
		return nil, "", "", status
	}
	if fs.NArg() > 0 {
		return nil, "", "", fs.UsageError("unexpected argument %q", fs.Arg(0))
	}
	if status, ok := fs.Need("db", "name"); !ok {
		return nil, "", "", status
	}
	return fs, *d, *n, 0
}

// changeUser changes one user and records it, with the user's ATS.
func changeUser(dsn, name, action string, change func(context.Context, store.Store) error) error {
	return withStore(dsn, func(ctx context.Context, st store.Store) error {
		if err := change(ctx, st); err != nil {
			return err
		}
		u, err := st.User(ctx, name)
		if err != nil {
			return err
		}
		return st.Audit(ctx, store.Event{At: time.Now(), Actor: "portal " + strings.ReplaceAll(action, ".", " "), ATS: u.ATS, Action: action, Detail: u.Name})
	})
}

// readPassword reads a password from stdin (prompting on a terminal),
// checks it and returns its argon2id hash; a status != 0 ends the command.
func readPassword(fs *cli.Flags, stdin io.Reader, stderr io.Writer) (string, int) {
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(stderr, "password (it is shown as typed): ")
		}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, access.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fs.UsageError("reading the password from stdin: %v", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := access.CheckPassword(pw); err != nil {
		return "", fs.UsageError("the password on stdin: %v", err)
	}
	phc, err := access.DefaultArgon2.Hash(pw)
	if err != nil {
		return "", fail(stderr, fs.Name(), err)
	}
	return phc, 0
}
