package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLightOff(t *testing.T) {
	if code, out, _ := runCmd(t, "", "light-off"); code != 0 || !strings.Contains(out, "no GPIO light configured") {
		t.Fatalf("without GPIO: %d %q", code, out)
	}
	cfg := filepath.Join(t.TempDir(), "kiosk.toml")
	os.WriteFile(cfg, []byte("[gpio]\nenabled = true\nchip = \"gpiochip99\"\n"), 0o600)
	code, _, errOut := runCmd(t, "", "light-off", "--config", cfg)
	if code != 1 || !strings.Contains(errOut, "gpiochip99") {
		t.Fatalf("missing chip: %d %q", code, errOut)
	}
	os.WriteFile(cfg, []byte("[gpio]\nenabled = maybe\n"), 0o600)
	if code, _, errOut := runCmd(t, "", "light-off", "--config", cfg); code != 2 || !strings.Contains(errOut, "line 2") {
		t.Fatalf("bad config: %d %q", code, errOut)
	}
}
