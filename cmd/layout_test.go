// Package cmd_test keeps the project's layout honest, as the standard
// library's go/build/deps_test.go does: it lists which of our packages each
// package may import, where cgo may be used, and what the top level holds,
// and fails naming the offending import. A new package must be added to
// allowed, which is the moment to decide where it belongs.
package cmd_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/scuola/kiosk"

// allowed lists, for every package of the module (by its path inside the
// module), the packages of the module its non-test files may import. The
// standard library is always allowed; other modules are in external.
//
// The direction is the data path's: cmd on top, then the kiosk's assembly,
// the session, verification, and at the bottom privacy, which imports only
// the standard library because it is what may be kept or leave a school.
var allowed = map[string][]string{
	"privacy": {},

	"verify/calendar":            {},
	"verify/revocation":          {},
	"verify":                     {"privacy", "verify/calendar"},
	"verify/issue":               {"verify", "verify/calendar"},
	"verify/gateway":             {"privacy/loopback", "verify", "verify/revocation"},
	"verify/gateway/gatewaytest": {"verify", "verify/gateway", "verify/revocation"},
	"verify/trustdata":           {"verify", "verify/gateway", "verify/revocation"},

	"scanner/internal/gray": {},
	"scanner":               {"scanner/internal/gray"},
	"scanner/cv":            {"scanner", "scanner/internal/gray"},
	"scanner/qrimage":       {},

	"hardware":                {},
	"hardware/internal/lease": {"hardware"},
	"hardware/gpio":           {"hardware", "hardware/internal/lease"},
	"hardware/sim":            {"hardware", "hardware/internal/lease"},
	"hardware/tone":           {"hardware"},
	"hardware/camera":         {},

	"kiosk/internal/atomicfile": {},
	"kiosk/clock":               {"kiosk/internal/atomicfile"},
	"kiosk/bundle":              {"kiosk/badge", "kiosk/internal/atomicfile", "kiosk/school", "verify/issue"},
	"kiosk/link":                {"kiosk/bundle", "kiosk/internal/atomicfile", "verify/calendar"},
	"kiosk/link/linktest":       {"kiosk/link"},
	"kiosk/lang":                {"verify"},
	"kiosk/lang/pages":          {"kiosk/lang"},
	"kiosk/school":              {"verify/calendar"},
	"kiosk/tally":               {"verify/calendar"},
	"kiosk/badge":               {"verify", "verify/calendar", "verify/issue"},
	"kiosk/config":              {"kiosk/lang", "kiosk/school", "privacy/loopback", "scanner", "verify", "verify/calendar"},
	"kiosk":                     {"hardware", "kiosk/badge", "kiosk/lang", "kiosk/link", "kiosk/school", "privacy", "verify", "verify/calendar"},
	"kiosk/display":             {"kiosk", "kiosk/lang", "privacy", "privacy/loopback", "scanner/qrimage"},
	"kiosk/office/store":        {"kiosk/school", "verify/calendar"},
	"kiosk/office": {"kiosk/badge", "kiosk/bundle", "kiosk/lang", "kiosk/lang/pages", "kiosk/link", "kiosk/office/docs", "kiosk/office/outbox", "kiosk/office/store", "kiosk/school",
		"privacy/access", "privacy/loopback", "privacy/report", "scanner/qrimage", "verify/calendar", "verify/issue"},
	"kiosk/office/outbox": {"kiosk/office/store", "kiosk/school", "privacy/report", "verify/calendar"},
	"kiosk/office/docs":   {"kiosk/badge", "kiosk/lang", "scanner/qrimage", "verify/calendar"},
	"kiosk/daemon": {"hardware", "hardware/camera", "hardware/gpio", "hardware/sim", "hardware/tone",
		"kiosk", "kiosk/badge", "kiosk/bundle", "kiosk/clock", "kiosk/config", "kiosk/display", "kiosk/lang", "kiosk/link", "kiosk/school", "kiosk/tally",
		"privacy/loopback", "scanner", "scanner/cv", "scanner/qrimage",
		"verify", "verify/calendar", "verify/gateway", "verify/issue", "verify/revocation", "verify/trustdata"},

	"privacy/access":   {},
	"privacy/loopback": {},
	"privacy/report":   {"privacy/loopback"},

	"cmd":              {}, // this test only
	"cmd/internal/cli": {},
	"cmd/kiosk": {"cmd/internal/cli", "hardware", "hardware/camera", "hardware/gpio",
		"kiosk", "kiosk/badge", "kiosk/config", "kiosk/daemon", "kiosk/lang", "kiosk/link", "kiosk/office", "kiosk/office/outbox", "kiosk/office/store", "kiosk/school", "kiosk/tally",
		"privacy/access", "privacy/report",
		"scanner", "scanner/cv", "scanner/qrimage",
		"verify", "verify/calendar", "verify/gateway", "verify/issue", "verify/revocation", "verify/trustdata"},
	"cmd/portal":                 {"cmd/internal/cli", "cmd/portal/alarm", "cmd/portal/api", "cmd/portal/registry", "cmd/portal/store", "cmd/portal/watch", "cmd/portal/web", "privacy/access", "privacy/loopback", "privacy/report", "verify/calendar"},
	"cmd/portal/alarm":           {},
	"cmd/portal/alarm/alarmtest": {},
	"cmd/portal/watch":           {"cmd/portal/alarm", "cmd/portal/store", "kiosk/lang", "privacy/access", "verify/calendar"},
	"cmd/portal/store/storetest": {"cmd/portal/store"},
	"cmd/portal/store":           {"privacy/access", "privacy/report"},
	"cmd/portal/store/pgtest":    {},
	"cmd/portal/api":             {"cmd/portal/store", "privacy/access", "privacy/report", "verify/calendar"},
	"cmd/portal/registry":        {"cmd/portal/store", "privacy/report"},
	"cmd/portal/web":             {"cmd/portal/registry", "cmd/portal/store", "kiosk/lang", "kiosk/lang/pages", "privacy/access", "privacy/report", "verify/calendar"},

	// Test infrastructure, imported only by tests.
	"testdata/shared":       {},
	"testdata/dgcvectors":   {"testdata/shared"},
	"testdata/fixtures":     {"kiosk/badge", "scanner/qrimage", "testdata/shared", "verify", "verify/calendar", "verify/issue", "verify/revocation"},
	"testdata/fixtures/gen": {"scanner/qrimage", "testdata/fixtures", "verify", "verify/revocation"},
	"testdata/frames":       {"scanner/qrimage", "testdata/shared"},
	"testdata/syncbuf":      {},
	"testdata/browser":      {},
	"testdata/formclient":   {},
	"testdata/poppler":      {},
}

// external lists the modules outside the standard library and who may
// import them: each is chosen for one job, done in one place. cgo modules
// (gocv, malgo) are confined to the packages that must hold the cgo.
var external = map[string][]string{
	"gocv.io/x/gocv":                     {"scanner/cv", "kiosk/daemon"},
	"github.com/gen2brain/malgo":         {"hardware/tone"},
	"github.com/makiuchi-d/gozxing":      {"scanner", "scanner/qrimage", "testdata/formclient", "testdata/frames"},
	"github.com/x448/float16":            {"verify"},
	"github.com/veraison/go-cose":        {"verify", "verify/issue", "kiosk/badge", "testdata/fixtures"},
	"github.com/fxamacker/cbor/v2":       {"verify", "verify/issue", "kiosk/badge"},
	"github.com/BurntSushi/toml":         {"kiosk/config"},
	"modernc.org/sqlite":                 {"kiosk/tally", "kiosk/office/store", "cmd/portal/store"},
	"github.com/jackc/pgx/v5":            {"cmd/portal/store"},
	"github.com/warthog618/go-gpiocdev":  {"hardware/gpio"},
	"golang.org/x/sys/unix":              {"hardware/gpio", "hardware/camera", "kiosk/clock", "verify/trustdata"},
	"github.com/go-json-experiment/json": {},
	"github.com/chromedp/chromedp":       {"testdata/browser"},
	"github.com/chromedp/cdproto":        {"testdata/browser"},
	"golang.org/x/crypto":                {"privacy/access"},                        // argon2id for the office's and the portal's passwords
	"codeberg.org/go-pdf/fpdf":           {"kiosk/office/docs", "cmd/portal/watch"}, // the office's documents, the ATS's weekly summary
}

// cgoAllowed are the packages that may say import "C" or import a cgo
// module: the camera path, the tone output, and the daemon that links them.
var cgoAllowed = []string{"scanner/cv", "hardware/tone", "kiosk/daemon"}

// cgoModules are the modules that need cgo.
var cgoModules = []string{"gocv.io/x/gocv", "github.com/gen2brain/malgo"}

// topLevel is the project's design card: nothing else at the root.
var topLevel = []string{".ci", ".git", ".gitignore", "README.md", "cmd", "deploy", "go.mod", "go.sum",
	"hardware", "kiosk", "privacy", "scanner", "scripts", "testdata", "verify"}

// pkg is what the layout rules need of one package.
type pkg struct {
	imports     map[string][]string // import path → files importing it (non-test files)
	testImports map[string][]string // the same, of _test.go files
	cgo         []string            // files with import "C"
}

func TestImportDirection(t *testing.T) {
	pkgs, err := readTree(root(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range check(pkgs) {
		t.Error(e)
	}
}

// A planted wrong import is caught and named: the check cannot pass by
// looking at nothing.
func TestPlantedImportsAreCaught(t *testing.T) {
	planted := map[string]pkg{
		"privacy":      {imports: map[string][]string{module + "/verify": {"privacy/person.go"}}},
		"verify":       {imports: map[string][]string{module + "/kiosk": {"verify/x.go"}}},
		"kiosk":        {imports: map[string][]string{module + "/cmd/kiosk": {"kiosk/y.go"}, "gocv.io/x/gocv": {"kiosk/y.go"}}},
		"scanner":      {cgo: []string{"scanner/c.go"}},
		"kiosk/tally":  {imports: map[string][]string{module + "/testdata/fixtures": {"kiosk/tally/t.go"}}},
		"kiosk/newpkg": {},
		"hardware":     {testImports: map[string][]string{module + "/cmd/portal": {"hardware/h_test.go"}}},
	}
	got := strings.Join(check(planted), "\n")
	for _, want := range []string{
		"privacy/person.go: privacy imports github.com/scuola/kiosk/verify",
		"verify/x.go: verify imports github.com/scuola/kiosk/kiosk",
		"kiosk/y.go: kiosk imports github.com/scuola/kiosk/cmd/kiosk",
		"kiosk/y.go: kiosk imports gocv.io/x/gocv",
		"scanner/c.go: scanner uses cgo",
		"kiosk/tally/t.go: kiosk/tally imports github.com/scuola/kiosk/testdata/fixtures",
		"kiosk/newpkg: a package the layout does not list",
		"hardware/h_test.go: hardware imports github.com/scuola/kiosk/cmd/portal",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("planted import not reported: %q\ngot:\n%s", want, got)
		}
	}
}

func TestTopLevelIsTheDesignCard(t *testing.T) {
	entries, err := os.ReadDir(root(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.Contains(topLevel, e.Name()) && !strings.HasPrefix(e.Name(), "bin") {
			t.Errorf("%s at the top level: the root holds only %v (bin/ is the build output, ignored by git)", e.Name(), topLevel)
		}
	}
}

// check applies the rules to a tree and returns one line per violation.
func check(pkgs map[string]pkg) []string {
	var errs []string
	for _, name := range sortedKeys(pkgs) {
		p := pkgs[name]
		ours, listed := allowed[name]
		if !listed {
			errs = append(errs, name+": a package the layout does not list: add it to allowed in cmd/layout_test.go")
		}
		for _, imp := range sortedKeys(p.imports) {
			if !importAllowed(name, imp, ours) {
				for _, f := range p.imports[imp] {
					errs = append(errs, fmt.Sprintf("%s: %s imports %s, which the layout does not allow", f, name, imp))
				}
			}
		}
		for _, imp := range sortedKeys(p.testImports) {
			if rel, ok := strings.CutPrefix(imp, module+"/"); ok && strings.HasPrefix(rel, "cmd/") && !strings.HasPrefix(name, "cmd/") {
				for _, f := range p.testImports[imp] {
					errs = append(errs, fmt.Sprintf("%s: %s imports %s: nothing imports cmd", f, name, imp))
				}
			}
		}
		if len(p.cgo) > 0 && !slices.Contains(cgoAllowed, name) {
			for _, f := range p.cgo {
				errs = append(errs, fmt.Sprintf("%s: %s uses cgo, which only %v may", f, name, cgoAllowed))
			}
		}
	}
	return errs
}

func importAllowed(name, imp string, ours []string) bool {
	if rel, ok := strings.CutPrefix(imp, module+"/"); ok {
		return slices.Contains(ours, rel)
	}
	if imp == "C" {
		return slices.Contains(cgoAllowed, name)
	}
	for mod, users := range external {
		if imp == mod || strings.HasPrefix(imp, mod+"/") {
			if slices.Contains(cgoModules, mod) && !slices.Contains(cgoAllowed, name) {
				return false
			}
			return slices.Contains(users, name)
		}
	}
	// The standard library: its first element has no dot.
	return !strings.Contains(strings.SplitN(imp, "/", 2)[0], ".")
}

// readTree parses the imports of every Go file of the module. It reads the
// files rather than asking go/build so that files of every platform and
// build tag count (lock_flock.go and lock_other.go alike).
func readTree(root string) (map[string]pkg, error) {
	pkgs := map[string]pkg{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." || rel == "testdata/generated" || rel == "bin" ||
				d.Name() == "testdata" && rel != "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		if ignored(f.Comments) {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(rel))
		p, ok := pkgs[dir]
		if !ok {
			p = pkg{imports: map[string][]string{}, testImports: map[string][]string{}}
		}
		test := strings.HasSuffix(path, "_test.go")
		for _, s := range f.Imports {
			imp, _ := strconv.Unquote(s.Path.Value)
			switch {
			case imp == "C":
				p.cgo = append(p.cgo, rel)
			case test:
				p.testImports[imp] = append(p.testImports[imp], rel)
			default:
				p.imports[imp] = append(p.imports[imp], rel)
			}
		}
		pkgs[dir] = p
		return nil
	})
	return pkgs, err
}

// ignored reports a file excluded from every build (//go:build ignore).
func ignored(comments []*ast.CommentGroup) bool {
	for _, g := range comments {
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, "//go:build") && strings.Contains(c.Text, "ignore") {
				return true
			}
		}
	}
	return false
}

func root(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd) // this file is in cmd/
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
