package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/privacy/access"
)

func TestUserAdd(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "portal.db")
	out, errOut, status := runIn(t, "una-password-lunga\n", "user", "add", "--db", dsn, "--name", "rossi", "--role", "operator", "--ats", "ATS Milano")
	if status != 0 || !strings.Contains(out, "rossi (operator)") || !strings.Contains(errOut, `no plesso names the ATS "ATS Milano" yet`) {
		t.Fatalf("user add: %d %q %q", status, out, errOut)
	}
	if _, errOut, status := runIn(t, "una-password-lunga\n", "user", "add", "--db", dsn, "--name", "ROSSI", "--role", "regional"); status != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("the same name again: %d %q", status, errOut)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.User(ctx, "rossi")
	if err != nil || u.Role != store.Operator || u.ATS != "ATS Milano" {
		t.Fatalf("the user: %+v %v", u, err)
	}
	if ok, err := access.VerifyPassword(u.Password, "una-password-lunga"); !ok || err != nil {
		t.Errorf("the stored hash does not verify the password: %v %v", ok, err)
	}
	if log, _ := st.AuditLog(ctx, "ATS Milano", 10); len(log) != 1 || log[0].Action != "user.add" || log[0].Detail != "rossi (operator)" {
		t.Errorf("the audit: %+v", log)
	}
	for _, k := range []struct {
		stdin string
		args  []string
	}{
		{"una-password-lunga\n", []string{"user"}},
		{"una-password-lunga\n", []string{"user", "remove"}},
		{"una-password-lunga\n", []string{"user", "add", "--db", dsn, "--name", "bianchi", "--role", "operator"}},
		{"una-password-lunga\n", []string{"user", "add", "--db", dsn, "--name", "bianchi", "--role", "regional", "--ats", "ATS Milano"}},
		{"una-password-lunga\n", []string{"user", "add", "--db", dsn, "--name", "bianchi", "--role", "admin"}},
		{"una-password-lunga\n", []string{"user", "add", "--db", dsn, "--name", "a b", "--role", "regional"}},
		{"una-password-lunga\n", []string{"user", "add", "--name", "bianchi", "--role", "regional"}},
		{"corta\n", []string{"user", "add", "--db", dsn, "--name", "bianchi", "--role", "regional"}},
		{"", []string{"user", "add", "--db", dsn, "--name", "bianchi", "--role", "regional"}},
	} {
		if _, errOut, status := runIn(t, k.stdin, k.args...); status != 2 || errOut == "" {
			t.Errorf("%v: status %d, %q", k.args, status, errOut)
		}
	}
	if _, err := st.User(ctx, "bianchi"); err == nil {
		t.Error("a refused command line added a user")
	}

	// Revoked, then given a new password.
	if out, errOut, status := run(t, "user", "revoke", "--db", dsn, "--name", "Rossi"); status != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("user revoke: %d %q %q", status, out, errOut)
	}
	if u, _ := st.User(ctx, "rossi"); !u.Revoked {
		t.Error("user revoke did not revoke")
	}
	if _, errOut, status := runIn(t, "una-nuova-password\n", "user", "password", "--db", dsn, "--name", "rossi"); status != 0 {
		t.Fatalf("user password: %d %q", status, errOut)
	}
	u, _ = st.User(ctx, "rossi")
	if ok, _ := access.VerifyPassword(u.Password, "una-nuova-password"); !ok || u.Revoked {
		t.Errorf("after user password: %+v", u)
	}
	if log, _ := st.AuditLog(ctx, "ATS Milano", 10); len(log) != 3 || log[0].Action != "user.password" || log[1].Action != "user.revoke" {
		t.Errorf("the audit: %+v", log)
	}
	for _, args := range [][]string{
		{"user", "revoke", "--db", dsn},
		{"user", "revoke", "--name", "rossi"},
		{"user", "password", "--db", dsn, "--name", "rossi"}, // no password on stdin
	} {
		if _, errOut, status := run(t, args...); status != 2 || errOut == "" {
			t.Errorf("%v: status %d, %q", args, status, errOut)
		}
	}
	if _, errOut, status := run(t, "user", "revoke", "--db", dsn, "--name", "nessuno"); status != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("revoking an unknown user: %d %q", status, errOut)
	}
}

// The real binary serves the pages next to the protocol: a user made by
// `portal user add` logs in over HTTPS and sees the registry.
func TestServePages(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "portal.db")
	addSchool(t, dsn, "MIEE00100A")
	if _, errOut, status := runIn(t, "una-password-lunga\n", "user", "add", "--db", dsn, "--name", "rossi", "--role", "operator", "--ats", "ATS Milano"); status != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	base, hc := serve(t, dsn)
	jar, _ := cookiejar.New(nil)
	hc.Jar = jar
	resp, err := hc.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("the login page: %d %s", resp.StatusCode, page)
	}
	resp, err = hc.PostForm(base+"/login", url.Values{"csrf": {string(m[1])}, "name": {"rossi"}, "password": {"una-password-lunga"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/schools" || !strings.Contains(string(page), "MIEE00100A") {
		t.Errorf("after login: %d %s", resp.StatusCode, resp.Request.URL)
	}
	// The ATS's dashboard is mounted behind the same login, and the menu
	// leads to it.
	if !strings.Contains(string(page), `href="/ats/"`) {
		t.Error("the registry's menu has no link to the dashboard")
	}
	resp, err = hc.Get(base + "/ats/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "ATS Milano") {
		t.Errorf("the dashboard: %d %s", resp.StatusCode, page)
	}
	// The protocol is still the protocol's.
	resp, err = hc.Get(base + "/api/v1/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") == "text/html; charset=utf-8" {
		t.Errorf("an unknown endpoint of the protocol: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
