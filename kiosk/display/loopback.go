package display

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// listenAddress checks that addr names a loopback address and returns the
// address to listen on. The screen shows pupils' names, so it must never be
// reachable from the school's network: an empty host (every interface), a
// host name other than localhost and any non-loopback IP are refused.
// "localhost" is mapped to 127.0.0.1 so that the listener does not depend on
// what the resolver returns first.
func listenAddress(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("display: address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return net.JoinHostPort("127.0.0.1", port), nil
	}
	if !isLoopbackIP(host) {
		return "", fmt.Errorf("display: refusing to listen on %q: not a loopback address (use 127.0.0.1 or [::1])", addr)
	}
	return addr, nil
}

// isLoopbackHost reports whether the value of a Host header names this
// machine's loopback: "localhost" or a loopback IP literal, with or without
// a port. Checking it defeats DNS rebinding, where a hostile name is made to
// resolve to 127.0.0.1 and the browser sends that name as the Host.
func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	} else {
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	}
	return strings.EqualFold(host, "localhost") || isLoopbackIP(host)
}

// isLoopbackIP reports whether s is an IP literal in 127.0.0.0/8 or ::1
// (zones are refused: they never appear in a legitimate URL of the page).
func isLoopbackIP(s string) bool {
	ip, err := netip.ParseAddr(s)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}
