package display

import (
	"strings"
	"testing"
)

func TestListenAddress(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "127.0.0.1:8080",
		"127.0.0.2:0":    "127.0.0.2:0",
		"[::1]:8080":     "[::1]:8080",
		"localhost:8080": "127.0.0.1:8080",
		"LocalHost:0":    "127.0.0.1:0",
	} {
		got, err := listenAddress(addr)
		if err != nil || got != want {
			t.Errorf("listenAddress(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
	for _, addr := range []string{":8080", "0.0.0.0:8080", "[::]:8080", "192.168.1.20:8080", "kiosk.scuola.it:8080", "127.0.0.1", "[fe80::1%eth0]:80"} {
		if _, err := listenAddress(addr); err == nil {
			t.Errorf("listenAddress(%q) accepted", addr)
		}
	}
}

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

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost":             true,
		"LOCALHOST:8080":        true,
		"127.0.0.1":             true,
		"127.0.0.1:8080":        true,
		"127.9.9.9:80":          true,
		"[::1]:8080":            true,
		"[::1]":                 true,
		"[::ffff:127.0.0.1]:80": true,
		"":                      false,
		"evil.example":          false,
		"evil.example:8080":     false,
		"localhost.evil.com":    false,
		"127.0.0.1.nip.io:8080": false,
		"192.168.1.20:8080":     false,
		"0.0.0.0:8080":          false,
		"[fe80::1%25lo]:8080":   false,
	} {
		if got := isLoopbackHost(host); got != want {
			t.Errorf("isLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}
