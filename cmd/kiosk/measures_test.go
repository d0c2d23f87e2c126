package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kiosk measures on a configuration: one JSON line per class, in the
// file's order, with the contract's fields; the head teacher's end date
// and the rule sets of the file are applied.
func TestMeasuresCommand(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "kiosk.toml")
	err := os.WriteFile(cfg, []byte(`
[[classes]]
name = "3A"
level = "primaria"
enrolled = 22
cases = [2022-02-07, 2022-02-08, 2022-02-10, 2022-02-12, 2022-02-14]

[[classes]]
name = "2B"
level = "secondaria2"
enrolled = 25
cases = [2022-02-14]
verify_until = 2022-02-16

[[classes]]
name = "Sez. A"
level = "infanzia"
enrolled = 18
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "", "measures", "--config", cfg, "--at", "2022-02-15")
	want := `{"class":"3A","level":"primaria","cases":5,"measure":"daily_verification","until":"2022-02-19"}
{"class":"2B","level":"secondaria2","cases":1,"measure":"daily_verification","until":"2022-02-16"}
{"class":"Sez. A","level":"infanzia","cases":0,"measure":"none","until":""}
`
	if code != 0 || out != want {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errs, out, want)
	}
	code, out, _ = runCmd(t, "", "measures", "--config", cfg, "--at", "2022-02-21")
	if code != 0 || !strings.HasPrefix(out, `{"class":"3A","level":"primaria","cases":5,"measure":"autosorveglianza","until":"2022-02-24"}`) {
		t.Fatalf("after the verification: exit %d\n%s", code, out)
	}

	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("[[classes]]\nname = \"3A\"\nlevel = \"asilo\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"measures", "--at", "2022-02-15"}, "--config FILE is required"},
		{[]string{"measures", "--data", t.TempDir(), "--at", "2022-02-15"}, "no office database"},
		{[]string{"measures", "--config", cfg}, "--at YYYY-MM-DD is required"},
		{[]string{"measures", "--config", cfg, "--at", "15/02/2022"}, "--at"},
		{[]string{"measures", "--config", filepath.Join(t.TempDir(), "missing.toml"), "--at", "2022-02-15"}, "missing.toml"},
		{[]string{"measures", "--config", bad, "--at", "2022-02-15"}, "asilo"},
		{[]string{"measures", "--config", cfg, "--at", "2022-02-15", "extra"}, "extra"},
	} {
		code, out, errs := runCmd(t, "", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, errs, tc.want)
		}
	}
}
