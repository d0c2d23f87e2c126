package trustdata

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/scuola/kiosk/testdata/shared"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
)

// The gateway's real answers (its list of 102 signer certificates, four of
// them with a wrong kid, and its settings) sync into a set that loads.
func TestSyncRealAnswers(t *testing.T) {
	dir := shared.Dir(t, "fixtures/it-gateway")
	dsc, err := os.ReadFile(filepath.Join(dir, "DSC-validation.json"))
	if err != nil {
		t.Fatal(err)
	}
	settings, err := os.ReadFile(filepath.Join(dir, "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []verify.TrustEntry
	if err := json.Unmarshal(dsc, &entries); err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	w.gw.Update(func(d *gatewaytest.Data) {
		d.Signers = nil
		for _, e := range entries {
			d.Signers = append(d.Signers, gatewaytest.Signer{KID: e.KID, Body: []byte(e.RawData)})
		}
		d.Settings = settings
	})
	rep := w.mustSync()
	if rep.Signers.Count != 98 || len(rep.Signers.Skipped) != 4 || rep.Settings.Entries != 83 {
		t.Fatalf("%d signers, %d skipped, %d settings", rep.Signers.Count, len(rep.Signers.Skipped), rep.Settings.Entries)
	}
	if d := w.load(); d.Trust.Len() != 98 || d.Settings.VaccineEndDaySchool != 120 {
		t.Fatalf("loaded %d signers, school window %d", d.Trust.Len(), d.Settings.VaccineEndDaySchool)
	}
}
