package main

import (
	"bytes"
	"encoding/pem"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/config"
	"github.com/scuola/kiosk/scanner/qrimage"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/issue"
)

func init() {
	kiosk.Commands["badge"] = cli.Command{
		Summary: "make the school's badge key, or print the delegates' badges as PNG",
		Run:     runBadge,
	}
}

const badgeUsage = `usage:
  kiosk badge keygen --cert FILE --key FILE [--name SCHOOL] [--years N]
      makes the school's badge key; the certificate goes to every kiosk
      ([badges] cert), the key stays on the head teacher's machine
  kiosk badge [print] --config FILE [--out DIR] [ID...]
      writes badge-<ID>.png for the listed delegations (all by default)`

func runBadge(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" {
		args = append([]string{"print"}, args...) // printing badges is what the head teacher does most
	}
	if len(args) == 0 || (args[0] != "keygen" && args[0] != "print") {
		fmt.Fprintln(stderr, badgeUsage)
		return cli.ExitUsage
	}
	fs := kiosk.NewFlags("badge "+args[0], badgeUsage, stderr)
	usageErr := fs.UsageError
	if args[0] == "keygen" {
		certPath := fs.String("cert", "", "where to write the school's certificate (PEM)")
		keyPath := fs.String("key", "", "where to write the school's private key (PEM, mode 0600)")
		name := fs.String("name", "Scuola", "the school's name, in the certificate")
		years := fs.Int("years", 5, "validity of the key in years")
		if status, ok := fs.Parsed(args[1:]); !ok {
			return status
		}
		if *certPath == "" || *keyPath == "" {
			return usageErr("--cert and --key are required")
		}
		if err := badgeKeygen(*certPath, *keyPath, *name, *years, time.Now()); err != nil {
			fmt.Fprintf(stderr, "kiosk badge keygen: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "certificate: %s (copy to every kiosk)\nkey: %s (keep it on this machine only)\n", *certPath, *keyPath)
		return 0
	}
	cfgPath := fs.String("config", "", "the kiosk's configuration file (delegations and [badges])")
	out := fs.String("out", ".", "directory for the PNG files")
	if status, ok := fs.Parsed(args[1:]); !ok {
		return status
	}
	if *cfgPath == "" {
		return usageErr("--config is required")
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return usageErr("%v", err)
	}
	if cfg.Badges.Cert == "" || cfg.Badges.Key == "" {
		return usageErr("[badges] cert and key must be set in %s (make them with kiosk badge keygen)", *cfgPath)
	}
	signer, err := loadSchoolKey(cfg.Badges.Cert, cfg.Badges.Key)
	if err != nil {
		return usageErr("%v", err)
	}
	written, err := printBadges(cfg, signer, fs.Args(), *out, calendar.Of(time.Now()))
	for _, w := range written {
		fmt.Fprintln(stdout, w)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kiosk badge print: %v\n", err)
		return 1
	}
	return 0
}

// badgeKeygen makes an ES256 key and its self-signed certificate.
func badgeKeygen(certPath, keyPath, name string, years int, now time.Time) error {
	for _, p := range []string{certPath, keyPath} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s exists: refusing to overwrite a key", p)
		}
	}
	s, err := badge.NewSchoolKey(name, years, now)
	if err != nil {
		return fmt.Errorf("--years: %w", err)
	}
	both, err := s.MarshalPEM()
	if err != nil {
		return err
	}
	certBlock, rest := pem.Decode(both)
	if err := os.WriteFile(certPath, pem.EncodeToMemory(certBlock), 0o644); err != nil {
		return err
	}
	return os.WriteFile(keyPath, rest, 0o600)
}

// loadSchoolKey reads the certificate and the key written by keygen.
func loadSchoolKey(certPath, keyPath string) (*issue.Signer, error) {
	cert, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("[badges] cert: %w", err)
	}
	key, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("[badges] key: %w", err)
	}
	s, err := issue.ParseSignerPEM(append(append(cert, '\n'), key...))
	if err != nil {
		return nil, fmt.Errorf("[badges] cert and key: %w", err)
	}
	return s, nil
}

// printBadges writes one PNG per delegation (those named in ids, or all
// that are current) and returns a line per badge written.
func printBadges(cfg *config.Config, signer *issue.Signer, ids []string, outDir string, today calendar.Day) ([]string, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var lines []string
	var errs []error
	for _, d := range cfg.Delegations {
		if len(want) > 0 && !want[d.ID] {
			continue
		}
		delete(want, d.ID)
		if d.Revoked || d.ValidUntil < today {
			if len(ids) > 0 {
				errs = append(errs, fmt.Errorf("delegation %s is revoked or ended on %s: no badge", d.ID, d.ValidUntil))
			}
			continue
		}
		text, err := badge.Issue(signer, badge.Badge{DelegationID: d.ID, Name: d.Name, Role: d.Role, ValidUntil: d.ValidUntil, SchoolCode: cfg.School.Code})
		if err != nil {
			errs = append(errs, fmt.Errorf("delegation %s: %w", d.ID, err))
			continue
		}
		img, err := qrimage.Draw(text, 480)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			return lines, err
		}
		path := filepath.Join(outDir, "badge-"+safeFileName(d.ID)+".png")
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			return lines, err
		}
		lines = append(lines, fmt.Sprintf("%s: %s, %s, valida fino al %s", path, d.Name, d.Role, d.ValidUntil.Italian()))
	}
	for id := range want {
		errs = append(errs, fmt.Errorf("no delegation %q in the configuration", id))
	}
	return lines, errors.Join(errs...)
}

// safeFileName keeps letters, digits, '-' and '_' of a delegation id.
func safeFileName(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, id)
}
