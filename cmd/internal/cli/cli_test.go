package cli

import (
	"strings"
	"testing"
)

// Need names the first required flag left empty, with its description,
// and passes when every one has a value.
func TestNeed(t *testing.T) {
	for _, c := range []struct {
		args   []string
		ok     bool
		stderr string
	}{
		{[]string{"--db", "x.sqlite", "--code", "MIEE000001"}, true, ""},
		{[]string{"--code", "MIEE000001"}, false, "portal school token: --db is required (the store)\n"},
		{[]string{"--db", "x.sqlite"}, false, "portal school token: --code is required (the plesso's code)\n"},
		{[]string{"--db", "x.sqlite", "--code", ""}, false, "--code is required"},
	} {
		var stderr strings.Builder
		fs := New("portal").NewFlags("school token", "usage: portal school token", &stderr)
		fs.String("db", "", "the store")
		fs.String("code", "", "the plesso's code")
		if _, ok := fs.Parsed(c.args); !ok {
			t.Fatalf("%q: not parsed: %s", c.args, stderr.String())
		}
		status, ok := fs.Need("db", "code")
		if ok != c.ok || (!ok && status != ExitUsage) || !strings.Contains(stderr.String(), c.stderr) || c.ok && stderr.Len() > 0 {
			t.Errorf("%q: Need = %d, %v; stderr %q, want %q", c.args, status, ok, stderr.String(), c.stderr)
		}
	}
}
