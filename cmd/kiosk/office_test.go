package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
)

// The office's commands: an account added from stdin, a backup of the
// database, and kiosk measures reading it prints exactly the lines the
// same classes give from a kiosk's configuration.
func TestOfficeCommands(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, "a-long-password\n", "office", "user", "add", "--data", dir, "--name", "preside", "--role", "dirigente")
	if code != 0 || !strings.Contains(out, "account preside (dirigente) added") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"short\n", []string{"office", "user", "add", "--data", dir, "--name", "x", "--role", "segreteria"}, "10 to 128 characters"},
		{"a-long-password\n", []string{"office", "user", "add", "--data", dir, "--name", "x", "--role", "bidello"}, "--role"},
		{"a-long-password\n", []string{"office", "user", "add", "--data", dir, "--name", "preside", "--role", "dirigente"}, "already exists"},
		{"", []string{"office", "backup", "--data", t.TempDir(), "b.sqlite"}, "no office database"},
		{"", []string{"office", "--cert", "c.pem"}, "--cert and --key go together"},
	} {
		if code, _, errs := runCmd(t, tc.stdin, tc.args...); code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: %d %q, want 2 and %q", tc.args, code, errs, tc.want)
		}
	}

	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = st.Update(ctx, "test", func(tx *store.Tx) error {
		add := func(name string, level school.Level, enrolled int, cases ...calendar.Day) (int64, error) {
			id, err := tx.AddClass(ctx, name, level, enrolled)
			for _, d := range cases {
				if err == nil {
					err = tx.AddCase(ctx, id, d)
				}
			}
			return id, err
		}
		d := calendar.Date
		if _, err := add("3A", school.Primaria, 22, d(2022, 2, 7), d(2022, 2, 8), d(2022, 2, 10), d(2022, 2, 12), d(2022, 2, 14)); err != nil {
			return err
		}
		id, err := add("2B", school.Secondaria2, 25, d(2022, 2, 14))
		if err != nil {
			return err
		}
		until := d(2022, 2, 16)
		if err := tx.SetVerifyUntil(ctx, id, &until); err != nil {
			return err
		}
		_, err = add("Sez. A", school.Infanzia, 18)
		return err
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "kiosk.toml")
	os.WriteFile(cfg, []byte(`
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
	for _, at := range []string{"2022-02-15", "2022-02-21", "2022-04-02"} {
		_, fromConfig, _ := runCmd(t, "", "measures", "--config", cfg, "--at", at)
		code, fromOffice, errs := runCmd(t, "", "measures", "--data", dir, "--at", at)
		if code != 0 || fromOffice != fromConfig || strings.Count(fromOffice, "\n") != 3 {
			t.Errorf("%s: exit %d %q\noffice:\n%s\nconfig:\n%s", at, code, errs, fromOffice, fromConfig)
		}
	}

	backup := filepath.Join(t.TempDir(), "office-backup.sqlite")
	if code, out, errs := runCmd(t, "", "office", "backup", "--data", dir, backup); code != 0 || !strings.Contains(out, backup) {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	restored := t.TempDir()
	data, _ := os.ReadFile(backup)
	os.WriteFile(filepath.Join(restored, store.FileName), data, 0o600)
	_, fromBackup, _ := runCmd(t, "", "measures", "--data", restored, "--at", "2022-02-15")
	_, fromLive, _ := runCmd(t, "", "measures", "--data", dir, "--at", "2022-02-15")
	if fromBackup != fromLive || fromBackup == "" {
		t.Fatalf("the backup's measures differ:\n%s\n%s", fromBackup, fromLive)
	}
}
