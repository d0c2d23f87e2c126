package display

import (
	"strings"
	"testing"
)

// The rule itself is privacy/loopback's, tested there; the server applies it.
func TestNewRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.0.2.7:8080"} {
		s, err := New(Config{Addr: addr})
		if err == nil {
			t.Fatalf("New(%q) listens on %s", addr, s.Addr())
		}
		if !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("New(%q): error %q does not name the address and the rule", addr, err)
		}
	}
}
