package trustdata_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/gateway/gatewaytest"
	"github.com/scuola/kiosk/verify/revocation"
	"github.com/scuola/kiosk/verify/trustdata"
)

// From an empty folder (nobody admitted, the screen says why) to a synced
// one (admitted), to an old one (refused again).
func TestLive(t *testing.T) {
	morning := fixtures.Ref // 8:00 in Rome, 15 February 2022
	set := fixtures.Load(t)
	dir := filepath.Join(t.TempDir(), "data")
	lt, err := trustdata.NewLive(dir, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	booster := set.Case("booster-3of3").Text
	if loaded, _ := lt.Status(morning); loaded {
		t.Fatal("empty folder: loaded")
	}
	if v := lt.Verifier().Check(booster, verify.ModeSchool, morning); v.Admit || v.Stage != verify.StageTrustData {
		t.Fatalf("empty folder admitted: %s %s", v.Status, v.Stage)
	}

	gw := gatewaytest.Start(t, gatewaytest.Data{
		Signers:  []gatewaytest.Signer{gatewaytest.Cert(set.Signers["es256"].CertDER)},
		Settings: []byte(fixtures.SettingsJSON(set)),
		Lists:    []gatewaytest.List{{Version: 1, Hashes: []revocation.Hash{revocation.HashUVCI(set.Case("revoked").UVCI)}}},
	})
	client, err := gateway.New(gateway.Config{BaseURL: gw.URL()})
	if err != nil {
		t.Fatal(err)
	}
	syncedAt := morning.Add(-time.Hour)
	s := trustdata.Syncer{Client: client, Dir: dir, Now: func() time.Time { return syncedAt }}
	if _, err := s.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := lt.Reload(); err != nil {
		t.Fatal(err)
	}
	if loaded, stale := lt.Status(morning); !loaded || stale != nil {
		t.Fatalf("after the sync: loaded %v, stale %v", loaded, stale)
	}
	v := lt.Verifier()
	if got := v.Check(booster, verify.ModeSchool, morning); !got.Admit {
		t.Fatalf("after the sync: %s %s", got.Status, got.Detail)
	}
	if got := v.Check(set.Case("revoked").Text, verify.ModeSchool, morning); got.Status != verify.StatusRevoked {
		t.Fatalf("revoked: %s", got.Status)
	}
	late := syncedAt.Add(24*time.Hour + time.Second)
	if loaded, stale := lt.Status(late); !loaded || stale == nil {
		t.Fatalf("a day later: loaded %v, stale %v", loaded, stale)
	}
	if got := v.Check(booster, verify.ModeSchool, late); got.Admit || got.Stage != verify.StageTrustData {
		t.Fatalf("a day later admitted: %s", got.Status)
	}
}
