package frames

import (
	"os"
	"path/filepath"
	"testing"
)

// Shared returns the path of parts under the project's shared material
// (../shared beside the repository: ZXing's photo sets, the EU DCC test
// data), which complements the generated frames with real photos. When it
// is missing the test is skipped with a message, or fails when the
// environment says CI=true, where its absence is a broken setup.
func Shared(tb testing.TB, parts ...string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("frames.Shared: no go.mod above the working directory")
		}
		dir = parent
	}
	p := filepath.Join(append([]string{dir, "..", "shared"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared material missing: %v", err)
		}
		tb.Skipf("shared material missing (%v); CI=true makes this a failure", err)
	}
	return p
}
