// The tests that run the client against the test gateway are outside the
// package: gatewaytest speaks the wire types of gateway, so it imports it.
package gateway_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scuola/kiosk/testdata/shared"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
)

// The real list of 102 signer certificates, served one per answer as the
// gateway does: the four UK entries whose announced kid is not their
// certificate's are skipped and named, the loop goes on.
func TestSignerLoopOnTheRealList(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(shared.Dir(t, "fixtures/it-gateway"), "DSC-validation.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []verify.TrustEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatal(err)
	}
	var d gatewaytest.Data
	for _, e := range entries {
		d.Signers = append(d.Signers, gatewaytest.Signer{KID: e.KID, Body: []byte(e.RawData)})
	}
	g := gatewaytest.Start(t, d)
	client, err := gateway.New(gateway.Config{BaseURL: g.URL()})
	if err != nil {
		t.Fatal(err)
	}
	signers, skipped, err := client.SignerCertificates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(signers)+len(skipped) != len(entries) || len(skipped) != 4 {
		t.Fatalf("%d signers, %d skipped, of %d", len(signers), len(skipped), len(entries))
	}
	for _, s := range skipped {
		if !strings.Contains(s.Error(), "kid "+s.KID+": announced kid") {
			t.Errorf("skipped entry reads %q", s.Error())
		}
	}
	reqs := g.Requests()
	if len(reqs) != len(entries)+1 {
		t.Errorf("%d requests for %d certificates", len(reqs), len(entries))
	}
}
