package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/verify/calendar"
)

// The head teacher's round trip: make the school's key, print the badges of
// the configured delegations, and the kiosk's badge check accepts them.
func TestBadgeKeygenAndPrint(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "school.pem"), filepath.Join(dir, "school-key.pem")
	if code, _, errOut := runCmd(t, "", "badge", "keygen", "--cert", cert, "--key", key, "--name", "IC Manzoni"); code != 0 {
		t.Fatalf("keygen: %d %s", code, errOut)
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", fi.Mode(), err)
	}
	if code, _, errOut := runCmd(t, "", "badge", "keygen", "--cert", cert, "--key", key); code != 1 || !strings.Contains(errOut, "refusing to overwrite") {
		t.Fatalf("keygen over an existing key: %d %s", code, errOut)
	}
	next := calendar.Of(time.Now()) + 30
	cfg := filepath.Join(dir, "kiosk.toml")
	os.WriteFile(cfg, []byte(`[school]
code = "MIIC8AB00X"
[badges]
cert = "`+cert+`"
key = "`+key+`"
[[delegations]]
id = "D-1"
name = "Maria Bianchi"
role = "collaboratrice scolastica"
valid_until = `+next.String()+`
[[delegations]]
id = "D-2"
name = "Luca Verdi"
role = "docente"
valid_until = `+next.String()+`
revoked = true
`), 0o600)
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o755)
	code, stdout, errOut := runCmd(t, "", "badge", "--config", cfg, "--out", out) // print is the default

	if code != 0 || !strings.Contains(stdout, "badge-D-1.png: Maria Bianchi, collaboratrice scolastica, valida fino al "+next.Italian()) || strings.Contains(stdout, "D-2") {
		t.Fatalf("print: %d %q %q", code, stdout, errOut)
	}
	// The printed QR decodes to a badge that the kiosk accepts.
	text, err := decodePNG(filepath.Join(out, "badge-D-1.png"))
	if err != nil {
		t.Fatalf("decoding the badge: %v", err)
	}
	s, err := loadSchoolKey(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	checker, err := badge.NewChecker(s.CertDER)
	if err != nil {
		t.Fatal(err)
	}
	b, err := checker.Check(text, calendar.Of(time.Now()))
	if err != nil || b.DelegationID != "D-1" || b.SchoolCode != "MIIC8AB00X" {
		t.Fatalf("badge check: %+v %v", b, err)
	}
	// Asking for a revoked or unknown delegation is an error.
	code, _, errOut = runCmd(t, "", "badge", "print", "--config", cfg, "--out", out, "D-2", "D-9")
	if code != 1 || !strings.Contains(errOut, "D-2 is revoked") || !strings.Contains(errOut, `no delegation "D-9"`) {
		t.Fatalf("revoked/unknown: %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "", "badge", "print"); code != 2 || !strings.Contains(errOut, "--config is required") {
		t.Fatalf("usage: %d %s", code, errOut)
	}
}

// decodePNG reads the one QR code of a printed (pure) image.
func decodePNG(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return "", err
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
