package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/cmd/portal/registry"
	"github.com/scuola/kiosk/cmd/portal/store"
)

func init() {
	portal.Commands["school"] = cli.Command{
		Summary: "add a plesso, reissue or revoke its credential, import the region's list",
		Run:     runSchool,
	}
}

const schoolUsage = `usage:
  portal school add --db DSN --code CODE --name NAME --ats ATS [--sentinel] [--pupils-6-19 N]
  portal school token --db DSN --code CODE [--revoke]
  portal school import --db DSN FILE`

// credential is the one line that shows a plesso's token, once: only its
// hash is kept.
type credential struct {
	Code  string `json:"code"`
	Token string `json:"token"`
}

func runSchool(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, schoolUsage)
		return cli.ExitUsage
	}
	switch args[0] {
	case "add":
		return runSchoolAdd(args[1:], stdout, stderr)
	case "token":
		return runSchoolToken(args[1:], stdout, stderr)
	case "import":
		return runSchoolImport(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintln(stderr, schoolUsage)
		return 0
	}
	fmt.Fprintf(stderr, "portal school: unknown subcommand %q\n%s\n", args[0], schoolUsage)
	return cli.ExitUsage
}

func runSchoolAdd(args []string, stdout, stderr io.Writer) int {
	fs := portal.NewFlags("school add", schoolUsage, stderr)
	dsn := fs.String("db", "", "the store: a SQLite file path or a postgres:// URL")
	var s store.School
	fs.StringVar(&s.Code, "code", "", "the plesso's ministry code (codice meccanografico)")
	fs.StringVar(&s.Name, "name", "", "the plesso's name")
	fs.StringVar(&s.ATS, "ats", "", "the ATS it reports to")
	fs.BoolVar(&s.Sentinel, "sentinel", false, "a sentinel school: it reports absences twice a week")
	fs.IntVar(&s.Pupils619, "pupils-6-19", 0, "its pupils aged 6–19")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if fs.NArg() > 0 {
		return fs.UsageError("unexpected argument %q", fs.Arg(0))
	}
	if status, ok := fs.Need("db"); !ok {
		return status
	}
	if field, err := registry.Check(s); err != nil {
		return fs.UsageError("--%s: %v", field, err)
	}
	token, hash := store.NewToken()
	err := withStore(*dsn, func(ctx context.Context, st store.Store) error { return st.AddSchool(ctx, s, hash) })
	if err != nil {
		return fail(stderr, "school add", err)
	}
	return printJSON(stdout, credential{Code: s.Code, Token: token})
}

func runSchoolToken(args []string, stdout, stderr io.Writer) int {
	fs := portal.NewFlags("school token", schoolUsage, stderr)
	dsn := fs.String("db", "", "the store: a SQLite file path or a postgres:// URL")
	code := fs.String("code", "", "the plesso's code")
	revoke := fs.Bool("revoke", false, "revoke its credential and issue none")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if fs.NArg() > 0 {
		return fs.UsageError("unexpected argument %q", fs.Arg(0))
	}
	if status, ok := fs.Need("db", "code"); !ok {
		return status
	}
	if *revoke {
		err := withStore(*dsn, func(ctx context.Context, st store.Store) error { return st.Revoke(ctx, *code) })
		if err != nil {
			return fail(stderr, "school token", err)
		}
		return printJSON(stdout, map[string]any{"code": *code, "revoked": true})
	}
	token, hash := store.NewToken()
	if err := withStore(*dsn, func(ctx context.Context, st store.Store) error { return st.SetToken(ctx, *code, hash) }); err != nil {
		return fail(stderr, "school token", err)
	}
	return printJSON(stdout, credential{Code: *code, Token: token})
}

// runSchoolImport adds or updates the plessi of a CSV file in one
// transaction (a file with any bad line imports nothing) and prints the
// credential of each plesso added, one JSON line each.
func runSchoolImport(args []string, stdout, stderr io.Writer) int {
	fs := portal.NewFlags("school import", schoolUsage, stderr)
	dsn := fs.String("db", "", "the store: a SQLite file path or a postgres:// URL")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	if fs.NArg() != 1 {
		return fs.UsageError("one CSV file is required (code,name,ats,sentinel,pupils_6_19)")
	}
	if status, ok := fs.Need("db"); !ok {
		return status
	}
	schools, err := registry.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "portal school import:", err)
		return 1
	}
	tokens := make([]string, len(schools))
	hashes := make([]string, len(schools))
	for i := range schools {
		tokens[i], hashes[i] = store.NewToken()
	}
	var added []string
	err = withStore(*dsn, func(ctx context.Context, st store.Store) (err error) {
		added, err = st.ImportSchools(ctx, schools, hashes)
		return err
	})
	if err != nil {
		return fail(stderr, "school import", err)
	}
	tokenOf := map[string]string{}
	for i, s := range schools {
		tokenOf[s.Code] = tokens[i]
	}
	for _, code := range added {
		if status := printJSON(stdout, credential{Code: code, Token: tokenOf[code]}); status != 0 {
			return status
		}
	}
	fmt.Fprintf(stderr, "portal school import: %d plessi, %d added, %d updated\n", len(schools), len(added), len(schools)-len(added))
	return 0
}

// withStore opens the store, runs f, and closes it.
func withStore(dsn string, f func(context.Context, store.Store) error) error {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	return f(ctx, st)
}

func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "portal %s: %v\n", cmd, err)
	return 1
}

func printJSON(stdout io.Writer, v any) int {
	if err := json.NewEncoder(stdout).Encode(v); err != nil {
		return 1
	}
	return 0
}
