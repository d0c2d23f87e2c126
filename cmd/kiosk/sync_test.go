package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
	"github.com/scuola/kiosk/verify/revocation"
	"github.com/scuola/kiosk/verify/trustdata"
)

// fixtureGateway serves the fixtures' trusted signers and settings, and a
// revocation list holding the "revoked" case among 500 others.
func fixtureGateway(t *testing.T, start func(testing.TB, gatewaytest.Data) *gatewaytest.Gateway) *gatewaytest.Gateway {
	set := fixtures.Load(t)
	d := gatewaytest.Data{Settings: []byte(fixtures.SettingsJSON(set)), ChunkSize: 200}
	for _, name := range fixtures.Trusted {
		d.Signers = append(d.Signers, gatewaytest.Cert(set.Signers[name].CertDER))
	}
	hashes := set.Revoked.Hashes()
	for i := range 500 {
		hashes = append(hashes, revocation.HashUVCI(fmt.Sprintf("URN:UVCI:01:IT:CLI%04d#1", i)))
	}
	d.Lists = []gatewaytest.List{{Version: 3, Hashes: hashes}}
	return start(t, d)
}

func verdict(t *testing.T, args ...string) verifyOutput {
	t.Helper()
	code, out, errOut := runCmd(t, "", append([]string{"verify"}, args...)...)
	if code != 0 {
		t.Fatalf("verify %v: exit %d, stderr %s", args, code, errOut)
	}
	var v verifyOutput
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("verify output %q: %v", out, err)
	}
	return v
}

// kiosk sync fills a folder that kiosk verify --data then uses: a valid
// certificate is VALID, a revoked one REVOKED, and past the maximum age
// every certificate is refused as stale.
func TestSyncThenVerify(t *testing.T) {
	set := fixtures.Load(t)
	gw := fixtureGateway(t, gatewaytest.Start)
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errOut := runCmd(t, "", "sync", "--gateway", gw.URL(), "--data", dir)
	if code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"settings: ", fmt.Sprintf("signer keys: %d\n", len(fixtures.Trusted)), "revocation list: version 3, 501 hashes (full snapshot, 3 chunks downloaded)"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr on success: %q", errOut)
	}
	at := fixtures.Ref.Format(time.RFC3339)
	for name, want := range map[string]string{"booster-3of3": "VALID", "revoked": "REVOKED", "blacklisted": "REVOKED", "unknown-signer": "NOT_VALID"} {
		if got := verdict(t, "--data", dir, "--at", at, set.Case(name).Text); got.Status != want {
			t.Errorf("%s: %+v, want %s", name, got, want)
		}
	}
	d, err := trustdata.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	confirmed := d.SignersInfo.Confirmed.Truncate(time.Second)
	for _, c := range []struct {
		at     time.Time
		maxAge string
		stale  bool
	}{
		{confirmed.Add(24*time.Hour + 2*time.Second), "24h", true},
		{confirmed.Add(23 * time.Hour), "24h", false},
		{confirmed.Add(3 * time.Hour), "2h", true},
	} {
		got := verdict(t, "--data", dir, "--max-age", c.maxAge, "--at", c.at.Format(time.RFC3339), set.Case("booster-3of3").Text)
		isStale := got.Stage == "trustdata" && !got.Admit && strings.HasPrefix(got.Reason, "dati di verifica non aggiornati (")
		if isStale != c.stale {
			t.Errorf("at confirmation+%v with --max-age %s: %+v", c.at.Sub(confirmed), c.maxAge, got)
		}
	}
}

// The synced data and the files of the command line combine: an explicit
// settings file wins, revocation lists add up.
func TestVerifyDataWithFiles(t *testing.T) {
	set := fixtures.Load(t)
	gw := fixtureGateway(t, gatewaytest.Start)
	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := runCmd(t, "", "sync", "--gateway", gw.URL(), "--data", dir); code != 0 {
		t.Fatal(errOut)
	}
	at := fixtures.Ref.Format(time.RFC3339)
	// A settings file without the blacklist: the blacklisted case passes.
	plain := filepath.Join(t.TempDir(), "plain.json")
	writeFile(t, plain, strings.Replace(fixtures.SettingsJSON(set), set.Case("blacklisted").UVCI, "URN:UVCI:01:IT:NOBODY#1", 1))
	if got := verdict(t, "--data", dir, "--settings", plain, "--at", at, set.Case("blacklisted").Text); got.Status != "VALID" {
		t.Errorf("--settings did not win over the synced settings: %+v", got)
	}
	// Another list, given as a file, revokes a case the synced one does not.
	extra := filepath.Join(t.TempDir(), "extra.txt")
	writeFile(t, extra, revocation.EncodeHash(revocation.HashUVCI(set.Case("booster-3of3").UVCI))+"\n")
	if got := verdict(t, "--data", dir, "--revoked", extra, "--at", at, set.Case("booster-3of3").Text); got.Status != "REVOKED" {
		t.Errorf("--revoked did not add to the synced list: %+v", got)
	}
	if got := verdict(t, "--data", dir, "--revoked", extra, "--at", at, set.Case("revoked").Text); got.Status != "REVOKED" {
		t.Errorf("the synced list was dropped for the file: %+v", got)
	}
}

func TestSyncUsageAndFailures(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sync"}, 2, "--gateway URL is required"},
		{[]string{"sync", "--gateway", "https://example.org/"}, 2, "--data DIR is required"},
		{[]string{"sync", "--gateway", "ftp://x/", "--data", dir}, 2, "scheme must be https"},
		{[]string{"sync", "--gateway", "https://example.org/", "--data", dir, "--ca", filepath.Join(dir, "none.pem")}, 2, "CA file"},
		{[]string{"sync", "--gateway", "https://example.org/", "--data", dir, "--timeout", "0s"}, 2, "--timeout must be positive"},
		{[]string{"sync", "--gateway", "https://example.org/", "--data", dir, "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"verify", "--data", dir, "HC1:x"}, 2, "no complete set of trust data"},
		{[]string{"verify", "--data", dir, "--max-age", "-1h", "HC1:x"}, 2, "--max-age must be positive"},
	} {
		code, _, errOut := runCmd(t, "", c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}

// A failure is one line on stderr naming the endpoint, and exit 1; what
// did succeed is still summarised.
func TestSyncFailureMessage(t *testing.T) {
	gw := fixtureGateway(t, gatewaytest.Start)
	gw.Update(func(d *gatewaytest.Data) { d.Fault = gatewaytest.OnChunk(2, gatewaytest.Status(500)) })
	code, out, errOut := runCmd(t, "", "sync", "--gateway", gw.URL(), "--data", filepath.Join(t.TempDir(), "d"))
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "kiosk sync: revocation list: chunk 2 of 3 (version 3): GET http://") ||
		!strings.Contains(errOut, "/v1/dgc/drl?chunk=2&version=0: status 500 Internal Server Error") {
		t.Errorf("stderr %q", errOut)
	}
	if !strings.Contains(out, fmt.Sprintf("signer keys: %d\n", len(fixtures.Trusted))) {
		t.Errorf("stdout %q", out)
	}
}

// Over HTTPS the gateway is trusted through a pinned CA file.
func TestSyncPinnedCA(t *testing.T) {
	gw := fixtureGateway(t, gatewaytest.StartTLS)
	dir := filepath.Join(t.TempDir(), "data")
	code, _, errOut := runCmd(t, "", "sync", "--gateway", gw.URL(), "--data", dir)
	if code != 1 || !strings.Contains(errOut, "certificate") {
		t.Fatalf("without the CA: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "", "sync", "--gateway", gw.URL(), "--data", dir, "--ca", gw.CAFile(t)); code != 0 {
		t.Fatalf("with the CA: exit %d, %q", code, errOut)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
