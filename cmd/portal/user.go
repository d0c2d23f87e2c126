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
  portal user add --db DSN --name NAME --role operator|regional [--ats ATS]   (the password on stdin)`

func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, userUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return cli.ExitUsage
	}
	fs := portal.NewFlags("user add", userUsage, stderr)
	dsn := fs.String("db", "", "the store: a SQLite file path or a postgres:// URL")
	var u store.User
	fs.StringVar(&u.Name, "name", "", "the user's name, to log in with")
	role := fs.String("role", "", "operator (the schools of one ATS) or regional (all)")
	fs.StringVar(&u.ATS, "ats", "", "an operator's ATS, as the schools name it")
	if status, ok := fs.Parsed(args[1:]); !ok {
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
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(stderr, "password (it is shown as typed): ")
		}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, access.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fs.UsageError("reading the password from stdin: %v", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := access.CheckPassword(pw); err != nil {
		return fs.UsageError("the password on stdin: %v", err)
	}
	if u.Password, err = access.DefaultArgon2.Hash(pw); err != nil {
		return fail(stderr, "user add", err)
	}
	err = withStore(*dsn, func(ctx context.Context, st store.Store) error {
		if err := st.AddUser(ctx, u); err != nil {
			return err
		}
		return st.Audit(ctx, store.Event{At: time.Now(), Actor: "portal user add", ATS: u.ATS, Action: "user.add", Detail: u.Name + " (" + string(u.Role) + ")"})
	})
	if err != nil {
		return fail(stderr, "user add", err)
	}
	fmt.Fprintf(stdout, "user %s (%s) added\n", u.Name, u.Role)
	return 0
}
