package loopback

import "testing"

// Hostile spellings of "this machine": each is decided here, once.
func TestCheckURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://gateway.example.it/v1": true,
		"http://127.0.0.1:8080/":        true,
		"http://127.9.9.9/":             true, // all of 127.0.0.0/8 is loopback
		"http://[::1]:8080/":            true,
		"http://localhost/":             true,
		"HTTP://LOCALHOST/":             true, // schemes and hosts ignore case
		"http://[::ffff:127.0.0.1]/":    true, // IPv4-mapped loopback is loopback

		"http://127.0.0.1.example.org/": false, // a name that starts like the address
		"http://localhost.evil.com/":    false,
		"http://127.0.0.1@evil.com/":    false, // the host is evil.com
		"http://localhost:80@evil/":     false,
		"http://evil.com#@127.0.0.1":    false, // the host is evil.com
		"http://0x7f000001/":            false, // resolvers disagree on hex forms
		"http://127.1/":                 false, // and on short forms
		"http://[fe80::1%25eth0]/":      false, // link-local with a zone
		"http://192.168.1.10/":          false,
		"http:///path":                  false, // no host
		"https://":                      false,
		"ftp://127.0.0.1/":              false,
		"http://user:pw@127.0.0.1/":     false, // credentials in a URL
	} {
		if err := CheckURL(raw); (err == nil) != ok {
			t.Errorf("CheckURL(%q) = %v; want accepted %v", raw, err, ok)
		}
	}
}

func TestListenAddress(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080":          "127.0.0.1:8080",
		"localhost:8080":          "127.0.0.1:8080",
		"[::1]:8080":              "[::1]:8080",
		":8080":                   "",
		"0.0.0.0:8080":            "",
		"10.0.0.5:8080":           "",
		"127.0.0.1":               "",
		"localhost.evil.com:8080": "",
		"127.0.0.2:0":             "127.0.0.2:0",
		"LocalHost:0":             "127.0.0.1:0",
		"[::]:8080":               "",
		"kiosk.scuola.it:8080":    "",
		"[fe80::1%eth0]:80":       "",
	} {
		got, err := ListenAddress(addr)
		if got != want || (err == nil) != (want != "") {
			t.Errorf("ListenAddress(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}

func TestIsHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost:8080": true, "127.0.0.1": true, "[::1]": true, "[::1]:80": true,
		"127.9.9.9:80": true, "[::ffff:127.0.0.1]:80": true,
		"": false, "127.0.0.1.nip.io": false, "::1%lo": false, "example.org": false, "evil.example:8080": false,
		"localhost.evil.com": false, "127.0.0.1.nip.io:8080": false, "0.0.0.0:8080": false, "[fe80::1%25lo]:8080": false,
	} {
		if got := IsHost(host); got != want {
			t.Errorf("IsHost(%q) = %v, want %v", host, got, want)
		}
	}
}
