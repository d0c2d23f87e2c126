package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/scuola/kiosk/cmd/internal/cli"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/revocation"
	"github.com/scuola/kiosk/verify/trustdata"
)

func init() {
	kiosk.Commands["verify"] = cli.Command{
		Summary: "verify one certificate QR text and print the verdict as JSON",
		Run:     runVerify,
	}
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// verifyOutput is the command's one JSON object. Its shape is a contract:
// other tools measure the project through it.
type verifyOutput struct {
	Status string        `json:"status"`
	Admit  bool          `json:"admit"`
	Stage  string        `json:"stage"`
	Reason string        `json:"reason"`
	Person *personOutput `json:"person,omitempty"`
}

type personOutput struct {
	FamilyName  string `json:"family_name"`
	GivenName   string `json:"given_name"`
	DateOfBirth string `json:"dob"`
}

func runVerify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := kiosk.NewFlags("verify", "usage: kiosk verify [--data DIR [--max-age DURATION]] [--trust FILE]... [--settings FILE] [--revoked FILE] [--mode school|3G|2G|booster] [--at RFC3339] [--show-person] [TEXT | -]", stderr)
	var trustFiles stringList
	fs.Var(&trustFiles, "trust", "signer certificate: DER, PEM, base64 DER, or a JSON array of {kid, raw_data} (repeatable)")
	settingsFile := fs.String("settings", "", "settings document in the Italian gateway's format (default: built-in values)")
	revokedFile := fs.String("revoked", "", "revocation list: base64 SHA-256 of UVCIs, one per line")
	dataDir := fs.String("data", "", "data folder filled by 'kiosk sync': its signer keys, settings and revocation list are used with the files above")
	maxAge := fs.Duration("max-age", trustdata.DefaultMaxAge, "with --data, the oldest the synced data may be at --at before every certificate is refused")
	modeName := fs.String("mode", string(verify.ModeSchool), "scan mode: school, 3G, 2G or booster")
	atText := fs.String("at", "", "instant of the check, RFC 3339 (default: now)")
	showPerson := fs.Bool("show-person", false, "include the holder's name and date of birth in the output")
	if status, ok := fs.Parsed(args); !ok {
		return status
	}
	usageErr := fs.UsageError
	if fs.NArg() > 1 {
		return usageErr("one QR text at most, got %d arguments", fs.NArg())
	}
	mode, err := verify.ParseMode(*modeName)
	if err != nil {
		return usageErr("--mode: %v", err)
	}
	instant := time.Now()
	if *atText != "" {
		if instant, err = time.Parse(time.RFC3339, *atText); err != nil {
			return usageErr("--at %q is not an RFC 3339 instant (like 2022-02-15T08:00:00+01:00)", *atText)
		}
	}
	if *maxAge <= 0 {
		return usageErr("--max-age must be positive, got %v", *maxAge)
	}
	opts, err := loadVerifyOptions(*dataDir, *maxAge, trustFiles, *settingsFile, *revokedFile, stderr)
	if err != nil {
		return usageErr("%v", err)
	}
	text, err := readQRText(fs.Args(), stdin)
	if err != nil {
		return usageErr("%v", err)
	}

	v := verify.New(opts).Check(text, mode, instant)
	defer v.Person.Wipe()
	out := verifyOutput{Status: string(v.Status), Admit: v.Admit, Stage: string(v.Stage), Reason: lang.Default.Reason(v.Reason)}
	if d := v.Detail; d != "" {
		out.Reason += " (" + d + ")"
	}
	if *showPerson {
		if id, ok := v.Person.Reveal(); ok {
			out.Person = &personOutput{FamilyName: id.FamilyName, GivenName: id.GivenName, DateOfBirth: id.DateOfBirth}
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "kiosk verify: writing the verdict: %v\n", err)
		return 1
	}
	return 0
}

// loadVerifyOptions reads the synced data folder, when given, and the
// trust files given on the command line: files add signers, an explicit
// settings file wins over the synced one, and revocation lists combine. A
// skipped entry of a JSON trust list is reported on warn.
func loadVerifyOptions(dataDir string, maxAge time.Duration, trustFiles []string, settingsFile, revokedFile string, warn io.Writer) (verify.Options, error) {
	var o verify.Options
	o.Trust = verify.NewTrustStore()
	var revoked anyRevoked
	if dataDir != "" {
		d, err := trustdata.Load(dataDir)
		if err != nil {
			return o, fmt.Errorf("--data: %w", err)
		}
		o = d.Options(maxAge)
		revoked = append(revoked, d.Revoked)
	}
	for _, f := range trustFiles {
		data, err := trustdata.ReadBounded(f, verify.MaxTrustFileLen)
		if err != nil {
			return o, fmt.Errorf("--trust %s: %w", f, err)
		}
		signers, skipped, err := verify.ParseTrustFile(data)
		if err != nil {
			return o, fmt.Errorf("--trust %s: %w", f, err)
		}
		for _, e := range skipped {
			fmt.Fprintf(warn, "kiosk verify: --trust %s: skipped %v\n", f, e)
		}
		for _, s := range signers {
			o.Trust.Add(s)
		}
	}
	if settingsFile != "" {
		data, err := trustdata.ReadBounded(settingsFile, verify.MaxSettingsLen)
		if err != nil {
			return o, fmt.Errorf("--settings %s: %w", settingsFile, err)
		}
		if o.Settings, err = verify.ParseSettings(data); err != nil {
			return o, fmt.Errorf("--settings %s: %w", settingsFile, err)
		}
	}
	if revokedFile != "" {
		f, err := os.Open(revokedFile)
		if err != nil {
			return o, fmt.Errorf("--revoked: %w", err)
		}
		defer f.Close()
		set, err := revocation.ReadLines(f)
		if err != nil {
			return o, fmt.Errorf("--revoked %s: %w", revokedFile, err)
		}
		revoked = append(revoked, set)
	}
	if len(revoked) > 0 {
		o.Revoked = revoked
	}
	return o, nil
}

// anyRevoked combines revocation lists: a hash is revoked when any lists it.
type anyRevoked []verify.RevocationList

func (l anyRevoked) RevokedHash(sum *revocation.Hash) bool {
	for _, r := range l {
		if r.RevokedHash(sum) {
			return true
		}
	}
	return false
}

// readQRText takes the text from the argument, or from standard input with
// "-" or no argument. One trailing line ending is dropped (a space is a
// base45 character, so nothing else is trimmed).
func readQRText(args []string, stdin io.Reader) (string, error) {
	if len(args) == 1 && args[0] != "-" {
		return args[0], nil
	}
	data, err := io.ReadAll(io.LimitReader(stdin, verify.MaxTextLen+2))
	if err != nil {
		return "", fmt.Errorf("reading standard input: %w", err)
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	data = bytes.TrimSuffix(data, []byte("\r"))
	return string(data), nil
}
