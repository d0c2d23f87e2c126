package trustdata

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/gateway"
)

// Syncer refreshes the data folder from a gateway: `kiosk sync` runs it
// once, the running kiosk's Refresher again and again.
type Syncer struct {
	Client *gateway.Client
	// Dir is the data folder; it is created when missing.
	Dir string
	// Now is the clock that dates each confirmation; nil means time.Now.
	Now func() time.Time

	// fault, set only by tests, makes a write step fail as a crash would.
	fault func(step string) error
}

// Sync refreshes the three sets in turn: settings, signer keys, revocation
// list. Each is committed on its own as soon as it is complete and checked,
// so a failure leaves that set as it was and the others refreshed. The
// error joins one error per failed set, each naming it.
func (s *Syncer) Sync(ctx context.Context) (Report, error) {
	var rep Report
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return rep, err
	}
	unlock, err := lockDir(s.Dir)
	if err != nil {
		return rep, err
	}
	defer unlock()
	st := &store{dir: s.Dir, fault: s.fault}
	var errs []error
	for _, step := range []struct {
		name string
		run  func(at time.Time) error
	}{
		{"settings", func(at time.Time) (err error) { rep.Settings, err = s.syncSettings(ctx, st, at); return err }},
		{"signer keys", func(at time.Time) (err error) { rep.Signers, err = s.syncSigners(ctx, st, at); return err }},
		{"revocation list", func(at time.Time) (err error) { rep.DRL, err = s.syncDRL(ctx, st, at); return err }},
	} {
		if ctx.Err() != nil {
			errs = append(errs, fmt.Errorf("%s: not refreshed: %w", step.name, context.Cause(ctx)))
			continue
		}
		if err := step.run(s.now()); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", step.name, err))
		}
	}
	if m, err := readManifest(s.Dir); err == nil {
		st.collect(m)
	}
	return rep, errors.Join(errs...)
}

func (s *Syncer) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// commitSet writes the file of the signers or the settings and points the
// manifest at it.
func commitSet(st *store, kind string, data []byte, e setEntry) error {
	m, err := readManifest(st.dir)
	if err != nil {
		return err
	}
	if e.File, err = st.writeContent(kind, ".json", func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}); err != nil {
		return err
	}
	if kind == kindSigners {
		m.Signers = &e
	} else {
		m.Settings = &e
	}
	return st.commit(m)
}

func (s *Syncer) syncSettings(ctx context.Context, st *store, at time.Time) (*SettingsReport, error) {
	_, raw, err := s.Client.Settings(ctx)
	if err != nil {
		return nil, err
	}
	var entries []verify.Setting
	if err := json.Unmarshal(raw, &entries); err != nil { // parsed already: this only counts
		return nil, err
	}
	if err := commitSet(st, kindSettings, raw, setEntry{Confirmed: at, Count: len(entries)}); err != nil {
		return nil, err
	}
	return &SettingsReport{Entries: len(entries)}, nil
}

func (s *Syncer) syncSigners(ctx context.Context, st *store, at time.Time) (*SignersReport, error) {
	signers, skipped, err := s.Client.SignerCertificates(ctx)
	if err != nil {
		return nil, err
	}
	status, err := s.Client.SignerStatus(ctx)
	if err != nil {
		return nil, err
	}
	rep := &SignersReport{Skipped: skipped}
	var entries []verify.TrustEntry
	seen := map[string]bool{}
	for _, sg := range signers {
		if !status[sg.KID] {
			rep.NotListed++
			continue
		}
		raw := base64.StdEncoding.EncodeToString(sg.Cert.Raw)
		if !seen[raw] {
			seen[raw] = true
			entries = append(entries, verify.TrustEntry{KID: sg.KID.String(), RawData: raw})
		}
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("no usable signer certificate (%d received, %d skipped, %d not in signercertificate/status): keeping the stored keys",
			len(signers), len(skipped), rep.NotListed)
	}
	// A stable order gives an unchanged set the same file.
	slices.SortFunc(entries, func(a, b verify.TrustEntry) int {
		return cmp.Or(strings.Compare(a.KID, b.KID), strings.Compare(a.RawData, b.RawData))
	})
	data, err := json.MarshalIndent(entries, "", " ")
	if err != nil {
		return nil, err
	}
	rep.Count = len(entries)
	if err := commitSet(st, kindSigners, data, setEntry{Confirmed: at, Count: len(entries)}); err != nil {
		return nil, err
	}
	return rep, nil
}
