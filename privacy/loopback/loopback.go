// Package loopback is the one rule for "this machine only": the entrance
// screen shows pupils' names, so it is served to this machine's loopback
// and nowhere else; and plain HTTP is acceptable only to this machine,
// where nothing travels over a network. The display, the configuration
// and the gateway client all ask here, so they cannot disagree.
package loopback

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// IsHost reports whether host names this machine's loopback: "localhost"
// (any letter case) or an IP literal in 127.0.0.0/8 or ::1, an IPv4-mapped
// one included, with or without a port or brackets. Zones, short or hex
// forms (127.1, 0x7f000001) and names that merely start like one
// (127.0.0.1.example.org, localhost.evil.com) are not: a resolver could send
// them anywhere.
func IsHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else {
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}

// ListenAddress checks that addr (host:port) names a loopback address and
// returns the address to listen on; "localhost" becomes 127.0.0.1, so that
// the listener does not depend on what the resolver answers first. An
// empty host (every interface) is refused.
func ListenAddress(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q is not host:port: %w", addr, err)
	}
	if !IsHost(host) || host == "" {
		return "", fmt.Errorf("address %q is not a loopback address (use 127.0.0.1 or [::1])", addr)
	}
	if strings.EqualFold(host, "localhost") {
		return net.JoinHostPort("127.0.0.1", port), nil
	}
	return addr, nil
}

// CheckURL accepts an https URL to anywhere, and an http URL only to this
// machine, judged on the parsed host (never on a prefix of the text, and
// never with credentials in the URL, which hide the real host from a
// reader).
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("URL %q: %w", raw, err)
	}
	if u.User != nil {
		return fmt.Errorf("URL %q carries credentials", u.Redacted())
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		if u.Host == "" {
			return fmt.Errorf("URL %q has no host", raw)
		}
		return nil
	case "http":
		if !IsHost(u.Host) {
			return fmt.Errorf("URL %q: plain http is allowed to this machine only (127.0.0.1, [::1], localhost); use https", raw)
		}
		return nil
	}
	return fmt.Errorf("URL %q: the scheme must be https (or http to this machine)", raw)
}
