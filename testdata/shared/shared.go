// Package shared finds the team's shared material (../shared beside the
// repository: EU conformance vectors, QR photo sets, gateway fixtures) for
// tests. Tests read it in place; it is never copied into the project.
package shared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the path of ../shared/<sub>. When it is missing the test
// fails under CI=true (CI always has it beside the clone) and is skipped,
// with a message saying so, elsewhere.
func Dir(tb testing.TB, sub string) string {
	tb.Helper()
	p := filepath.Join(Root(), "..", "shared", sub)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared material missing under CI: %v", err)
		}
		tb.Skipf("shared material not found (%v): skipping; CI=true makes this a failure", err)
	}
	return p
}

// Root is the repository root (the folder of go.mod).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}
