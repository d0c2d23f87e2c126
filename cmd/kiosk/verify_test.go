package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify/revocation"
)

// runCmd runs the kiosk binary's dispatch in-process.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = kiosk.Dispatch(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// trustFiles writes the fixtures' trust data to files, as a user would
// give them.
func trustFiles(t *testing.T, set *fixtures.Set) (trust, settings, revoked string) {
	t.Helper()
	dir := t.TempDir()
	var pemData []byte
	for _, name := range fixtures.Trusted {
		pemData = append(pemData, pemCert(set.Signers[name].CertDER)...)
	}
	trust = filepath.Join(dir, "trust.pem")
	settings = filepath.Join(dir, "settings.json")
	revoked = filepath.Join(dir, "revoked.txt")
	var rev bytes.Buffer
	for _, h := range set.Revoked.Hashes() {
		rev.WriteString(revocation.EncodeHash(h) + "\n")
	}
	for p, d := range map[string][]byte{trust: pemData, settings: []byte(fixtures.SettingsJSON(set)), revoked: rev.Bytes()} {
		if err := os.WriteFile(p, d, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return trust, settings, revoked
}

// The command's output is exactly one JSON object with exactly the
// contract's keys, for every case and every mode, and agrees with the
// library.
func TestVerifyCommandContract(t *testing.T) {
	set := fixtures.Load(t)
	trust, settings, revoked := trustFiles(t, set)
	at := fixtures.Ref.Format(time.RFC3339)
	for _, c := range set.Cases {
		for mode, want := range c.Expect {
			code, out, errOut := runCmd(t, "", "verify", "--trust", trust, "--settings", settings, "--revoked", revoked,
				"--mode", string(mode), "--at", at, c.Text)
			if code != 0 || errOut != "" {
				t.Fatalf("%s: exit %d, stderr %q", c.Name, code, errOut)
			}
			if strings.Count(out, "\n") != 1 {
				t.Fatalf("%s: output is not one line: %q", c.Name, out)
			}
			var obj map[string]any
			if err := json.Unmarshal([]byte(out), &obj); err != nil {
				t.Fatalf("%s: output is not JSON: %v", c.Name, err)
			}
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if !reflect.DeepEqual(keys, []string{"admit", "reason", "stage", "status"}) {
				t.Fatalf("%s: keys %v", c.Name, keys)
			}
			if obj["status"] != string(want.Status) || obj["stage"] != string(want.Stage) || obj["admit"] != (want.Status == "VALID") {
				t.Errorf("%s/%s: %s", c.Name, mode, out)
			}
			if obj["reason"] == "" {
				t.Errorf("%s: empty reason", c.Name)
			}
		}
	}
}

func TestVerifyCommandInputs(t *testing.T) {
	set := fixtures.Load(t)
	trust, _, _ := trustFiles(t, set)
	booster := set.Case("booster-3of3")
	at := fixtures.Ref.Format(time.RFC3339)

	// Standard input, with "-" or no argument, with a trailing newline.
	for _, args := range [][]string{{"-"}, {}} {
		code, out, _ := runCmd(t, booster.Text+"\r\n", append([]string{"verify", "--trust", trust, "--at", at}, args...)...)
		if code != 0 || !strings.Contains(out, `"status":"VALID"`) {
			t.Errorf("stdin %v: %d %s", args, code, out)
		}
	}
	// --show-person adds the holder; without it the output carries no name.
	_, out, _ := runCmd(t, "", "verify", "--trust", trust, "--at", at, "--show-person", booster.Text)
	var obj struct{ Person personOutput }
	if err := json.Unmarshal([]byte(out), &obj); err != nil || obj.Person != (personOutput{booster.Person.FamilyName, booster.Person.GivenName, booster.Person.DOB}) {
		t.Errorf("--show-person: %s", out)
	}
	_, out, _ = runCmd(t, "", "verify", "--trust", trust, "--at", at, booster.Text)
	if strings.Contains(out, booster.Person.FamilyName) || strings.Contains(out, "person") {
		t.Errorf("person shown without --show-person: %s", out)
	}
	// Without trust, the signer is unknown, and that is a verdict, exit 0.
	code, out, _ := runCmd(t, "", "verify", "--at", at, booster.Text)
	if code != 0 || !strings.Contains(out, `"stage":"kid"`) {
		t.Errorf("no trust: %d %s", code, out)
	}
	// Garbage input is a verdict too.
	code, out, _ = runCmd(t, "", "verify", "--at", at, "HC1:%%%")
	if code != 0 || !strings.Contains(out, `"status":"NOT_EU_DCC"`) || !strings.Contains(out, `"stage":"base45"`) {
		t.Errorf("garbage: %d %s", code, out)
	}
}

func TestVerifyCommandUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pem")
	os.WriteFile(bad, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600)
	badSettings := filepath.Join(dir, "settings.json")
	os.WriteFile(badSettings, []byte(`[{"name":"vaccine_end_day_school","type":"GENERIC","value":"many"}]`), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"verify", "--mode", "4G", "x"}, `unknown scan mode "4G"`},
		{[]string{"verify", "--at", "yesterday", "x"}, `--at "yesterday" is not an RFC 3339 instant`},
		{[]string{"verify", "--trust", filepath.Join(dir, "missing"), "x"}, "--trust " + filepath.Join(dir, "missing")},
		{[]string{"verify", "--trust", bad, "x"}, "--trust " + bad + ": PEM block 1"},
		{[]string{"verify", "--settings", badSettings, "x"}, `value "many" is not a whole number`},
		{[]string{"verify", "--revoked", badSettings, "x"}, "--revoked " + badSettings + ": line 1"},
		{[]string{"verify", "a", "b"}, "one QR text at most"},
		{[]string{"verify", "--nonsense"}, "flag provided but not defined"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	} {
		code, out, errOut := runCmd(t, "", c.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.want)
		}
	}
}
