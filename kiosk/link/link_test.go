package link_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/bundle"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/link/linktest"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/issue"
)

func signBundle(t *testing.T, key *issue.Signer, seq uint64, revoked bool) []byte {
	until := calendar.Date(2022, 2, 19)
	raw, err := bundle.Sign(key, &bundle.Bundle{Seq: seq, Signed: time.Now(), School: bundle.School{Code: "X", Name: "IC Manzoni"},
		Classes:     []school.Class{{Name: "3A", Level: school.Primaria, Enrolled: 22, VerifyUntil: &until}},
		Delegations: []school.Delegation{{ID: "D-1", Name: "Maria Bianchi", ValidUntil: calendar.Date(2022, 6, 30), Revoked: revoked}}})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestInvitationText(t *testing.T) {
	inv := link.Invitation{URL: "https://192.168.1.10:8443", Fingerprint: strings.Repeat("ab", 32), Secret: "0123456789abcdef0123"}
	got, err := link.ParseInvitation(inv.Text())
	if err != nil || got != inv {
		t.Fatalf("%+v %v", got, err)
	}
	for _, bad := range []string{
		"KB1:xyz", "KP1:{", `KP1:{"url":"http://x","fp":"` + strings.Repeat("ab", 32) + `","secret":"0123456789abcdef"}`,
		`KP1:{"url":"https://x","fp":"abc","secret":"0123456789abcdef"}`,
		`KP1:{"url":"https://x","fp":"` + strings.Repeat("ab", 32) + `","secret":""}`,
		"KP1:" + strings.Repeat(" ", link.MaxQRLen),
	} {
		if _, err := link.ParseInvitation(bad); err == nil {
			t.Errorf("%.60q accepted", bad)
		}
	}
}

// Pairing: a live secret once, no second kiosk of the same name, a kiosk
// known by its key afterwards and refused once unpaired; the pin refuses
// another server.
func TestPairing(t *testing.T) {
	o := linktest.NewOffice()
	o.Secrets["secret-one-0123456789"], o.Secrets["secret-two-0123456789"] = true, true
	srv, invite := linktest.Start(t, o)
	ctx := context.Background()
	p, err := link.Pair(ctx, invite("secret-one-0123456789"), "Ingresso A", "via Roma", "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := link.Pair(ctx, invite("secret-one-0123456789"), "Ingresso B", "", "test"); !errors.Is(err, link.ErrBadSecret) {
		t.Errorf("a used secret: %v", err)
	}
	if _, err := link.Pair(ctx, invite("secret-two-0123456789"), "Ingresso A", "", "test"); !errors.Is(err, link.ErrNameTaken) {
		t.Errorf("a second kiosk of the same name: %v", err)
	}
	dir := t.TempDir()
	if err := p.Save(dir); err != nil {
		t.Fatal(err)
	}
	p, err = link.LoadPairing(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := link.NewClient(p, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendCounts(ctx, 0, link.Counts{}); err != nil {
		t.Fatalf("a paired kiosk: %v", err)
	}
	o.Unpair("Ingresso A")
	if err := c.SendCounts(ctx, 0, link.Counts{}); !errors.Is(err, link.ErrUnknownKiosk) {
		t.Errorf("an unpaired kiosk: %v", err)
	}
	// Another server, with a certificate of its own, is not the office.
	otherKey, err := link.NewPairing(invite("x"), "other")
	if err != nil {
		t.Fatal(err)
	}
	otherCert, err := tls.X509KeyPair([]byte(otherKey.CertPEM), []byte(otherKey.KeyPEM))
	if err != nil {
		t.Fatal(err)
	}
	other := httptest.NewUnstartedServer(http.NotFoundHandler())
	other.TLS = &tls.Config{Certificates: []tls.Certificate{otherCert}}
	other.StartTLS()
	defer other.Close()
	p.URL = other.URL
	c, _ = link.NewClient(p, "test")
	if err := c.SendCounts(ctx, 0, link.Counts{}); err == nil || !strings.Contains(err.Error(), "not the one paired with") {
		t.Errorf("an unpinned server: %v", err)
	}
	_ = srv
}

// The office accepts exactly the protocol's fields: an extra one, as a
// kiosk leaking a scan's time would send, is refused.
func TestCountsCarryExactlyTheirFields(t *testing.T) {
	o := linktest.NewOffice()
	o.Secrets["secret-one-0123456789"] = true
	_, invite := linktest.Start(t, o)
	p, err := link.Pair(context.Background(), invite("secret-one-0123456789"), "A", "", "test")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := link.NewClient(p, "test")
	for body, want := range map[string]int{
		`{"days":[{"day":"2022-02-15","classes":[{"class":"3A","admitted":3,"refused":1}]}]}`:                          http.StatusNoContent,
		`{"days":[{"day":"2022-02-15","classes":[{"class":"3A","admitted":3,"refused":1,"at":"08:01:02"}]}]}`:          http.StatusBadRequest,
		`{"days":[{"day":"2022-02-15","classes":[{"class":"3A","admitted":-1,"refused":1}]}]}`:                         http.StatusUnprocessableEntity,
		`{"days":[{"day":"15/02/2022","classes":[]}]}`:                                                                 http.StatusBadRequest,
		`{"days":[{"day":"2022-02-15","classes":[{"class":"","admitted":1,"refused":1}]}]}`:                            http.StatusUnprocessableEntity,
		`{"days":[` + strings.Repeat(`{"day":"2022-02-15","classes":[]},`, 40) + `{"day":"2022-02-15","classes":[]}]}`: http.StatusUnprocessableEntity,
	} {
		req, _ := http.NewRequest(http.MethodPut, p.URL+link.PathCounts, bytes.NewReader([]byte(body)))
		resp, err := c.HTTP().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%.70s: %d, want %d", body, resp.StatusCode, want)
		}
	}
}

// The follower takes a newer bundle as soon as the office publishes one
// (the long poll), refuses a forged or older one, and sends the counts.
func TestFollowerTakesNewBundlesAndSendsCounts(t *testing.T) {
	set := fixtures.Load(t)
	key := set.Signers["school"]
	checker, _ := badge.NewChecker(key.CertDER)
	o := linktest.NewOffice()
	o.Secrets["secret-one-0123456789"] = true
	o.Publish(signBundle(t, key, 1, false), 1)
	_, invite := linktest.Start(t, o)
	p, err := link.Pair(context.Background(), invite("secret-one-0123456789"), "A", "", "test")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := link.NewClient(p, "test")
	var witnessed int
	var mu sync.Mutex
	c.Witness = func(_, _ time.Time) { mu.Lock(); witnessed++; mu.Unlock() }
	store, err := bundle.OpenStore(filepath.Join(t.TempDir(), "bundle"), checker)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *bundle.Bundle, 4)
	day := calendar.Date(2022, 2, 15)
	f := &link.Follower{Client: c, Store: store, OnBundle: func(b *bundle.Bundle) { got <- b }, CountsEvery: 50 * time.Millisecond,
		Counts: func(context.Context) (link.Counts, error) {
			return link.Counts{Days: []link.DayCounts{{Day: day, Classes: []link.ClassCounts{{Class: "3A", Admitted: 5, Refused: 2}}}}}, nil
		}, Log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	wait := func(what string) *bundle.Bundle {
		select {
		case b := <-got:
			return b
		case <-time.After(10 * time.Second):
			t.Fatalf("no bundle: %s", what)
		}
		return nil
	}
	if b := wait("the first"); b.Seq != 1 {
		t.Fatalf("first bundle %d", b.Seq)
	}
	start := time.Now()
	o.Publish(signBundle(t, key, 2, true), 2) // the delegation revoked
	if b := wait("the revocation"); b.Seq != 2 || !b.Delegations[0].Revoked {
		t.Fatalf("second bundle %+v", b)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the revocation took %v", d)
	}
	// A forged bundle and a replayed older one are refused; the kiosk keeps 2.
	o.Publish(signBundle(t, set.Signers["es256"], 3, false), 3)
	time.Sleep(300 * time.Millisecond)
	o.Publish(signBundle(t, key, 1, false), 4)
	time.Sleep(300 * time.Millisecond)
	if store.Current().Seq != 2 || len(got) != 0 {
		t.Fatalf("a forged or older bundle was taken: holding %d", store.Current().Seq)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		o.Mu.Lock()
		cc, seen := o.Kept["A"]["2022-02-15 3A"], o.Seen["A"]
		o.Mu.Unlock()
		if cc.Admitted == 5 && cc.Refused == 2 && seen == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("counts %+v, holding %d", cc, seen)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if witnessed == 0 {
		t.Error("the office's clock was never witnessed")
	}
}
