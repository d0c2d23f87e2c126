package office

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/bundle"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/verify/calendar"
)

var pairingImage = regexp.MustCompile(`src="(/kiosks/pairing/[^"]+\.png)"`)

// pairingCode makes a pairing QR on the kiosks' page, as the head teacher
// does, and reads it as the kiosk's camera would.
func (b *client) pairingCode() link.Invitation {
	b.T.Helper()
	b.Get("/kiosks")
	status, _ := b.Post("/kiosks/pair", url.Values{})
	if status != http.StatusSeeOther {
		b.T.Fatalf("making a pairing code: %d", status)
	}
	_, page := b.Get("/kiosks?pairing=" + strings.TrimPrefix(b.Location, "/kiosks?pairing="))
	m := pairingImage.FindStringSubmatch(page)
	if m == nil {
		b.T.Fatalf("the kiosks' page shows no pairing QR:\n%s", page)
	}
	inv, err := link.ParseInvitation(b.QR(m[1]))
	if err != nil {
		b.T.Fatal(err)
	}
	return inv
}

// openBundle checks a bundle with the school's certificate, as a kiosk
// does.
func openBundle(t *testing.T, o *office, raw []byte) *bundle.Bundle {
	t.Helper()
	sc, err := o.store.School(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(sc.CertPEM))
	c, err := badge.NewChecker(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Open(c, raw)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A kiosk pairs itself with the QR of the kiosks' page, receives the
// school's data signed by the office (a class under daily verification
// until the engine's day, the delegations), sees a revocation at once
// through its long poll, and sends counts the office sums per class and
// entrance, a repeat counted once. A used or made-up code pairs nothing,
// a second kiosk cannot take a paired one's name, and an unpaired kiosk
// gets nothing more.
func TestKiosksFollowTheOffice(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	b := o.client(t)
	b.login("preside", headPassword)
	id, _ := addClass(o, "3A", "primaria", 22)
	addClass(o, "4B", "primaria", 20)
	b.Get("/cases")
	for _, d := range []string{"2022-02-10", "2022-02-11", "2022-02-12", "2022-02-13", "2022-02-14"} {
		b.Post(fmt.Sprintf("/classes/%d/cases", id), url.Values{"day": {d}})
	}
	b.Get("/delegations")
	b.Post("/delegations", url.Values{"name": {"Maria Rossi"}, "role": {"docente"}, "valid_until": {"2022-06-30"}})

	inv := b.pairingCode()
	if inv.URL != o.ts.URL || inv.Fingerprint != link.Fingerprint(o.ts.Certificate().Raw) {
		t.Fatalf("the pairing QR gives %s %s", inv.URL, inv.Fingerprint)
	}
	pa, err := link.Pair(ctx, inv, "Ingresso A", "via Roma", "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := link.Pair(ctx, inv, "Ingresso B", "cortile", "1.2.3"); !errors.Is(err, link.ErrBadSecret) {
		t.Fatalf("a used pairing code: %v", err)
	}
	made := inv
	made.Secret = "made-up-secret-0123456789"
	if _, err := link.Pair(ctx, made, "Ingresso B", "cortile", "1.2.3"); !errors.Is(err, link.ErrBadSecret) {
		t.Fatalf("a made-up pairing code: %v", err)
	}
	if _, err := link.Pair(ctx, b.pairingCode(), "Ingresso A", "cortile", "1.2.3"); !errors.Is(err, link.ErrNameTaken) {
		t.Fatalf("a second kiosk named as the first: %v", err)
	}
	pb, err := link.Pair(ctx, b.pairingCode(), "Ingresso B", "cortile", "1.2.4")
	if err != nil {
		t.Fatal(err)
	}

	ka, _ := link.NewClient(pa, "1.2.3")
	kb, _ := link.NewClient(pb, "1.2.4")
	raw, err := ka.Bundle(ctx, 0)
	if err != nil || raw == nil {
		t.Fatalf("first bundle: %v", err)
	}
	first := openBundle(t, o, raw)
	if len(first.Classes) != 2 || first.Classes[0].Name != "3A" || first.Classes[0].VerifyUntil == nil ||
		*first.Classes[0].VerifyUntil != calendar.Date(2022, 2, 19) || first.Classes[1].VerifyUntil != nil {
		t.Fatalf("the bundle's classes: %+v", first.Classes)
	}
	if len(first.Classes[0].Cases) != 0 {
		t.Fatal("the bundle carries case dates")
	}
	if len(first.Delegations) != 1 || first.Delegations[0].ID != "D0001" || first.Delegations[0].Revoked {
		t.Fatalf("the bundle's delegations: %+v", first.Delegations)
	}
	if first.Informativa != o.ts.URL+"/informativa" {
		t.Fatalf("the bundle's notice: %q", first.Informativa)
	}

	// The revocation reaches a kiosk waiting on its long poll at once.
	got := make(chan []byte, 1)
	go func() {
		raw, err := kb.Bundle(ctx, first.Seq)
		if err != nil {
			t.Error(err)
		}
		got <- raw
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	b.Get("/delegations")
	b.Post("/delegations/1/revoke", url.Values{})
	var next *bundle.Bundle
	select {
	case raw := <-got:
		next = openBundle(t, o, raw)
	case <-time.After(5 * time.Second):
		t.Fatal("the revocation did not reach the waiting kiosk")
	}
	if next.Seq <= first.Seq || !next.Delegations[0].Revoked {
		t.Fatalf("after the revocation: seq %d, %+v", next.Seq, next.Delegations)
	}
	t.Logf("revocation reached the kiosk in %v", time.Since(start))

	// Counts, as absolute values: a repeat is counted once; the page sums
	// the entrances.
	day := calendar.Date(2022, 2, 15)
	ca := link.Counts{Days: []link.DayCounts{{Day: day, Classes: []link.ClassCounts{{Class: "3A", Admitted: 12, Refused: 1}, {Class: "4B", Admitted: 3}}}}}
	cb := link.Counts{Days: []link.DayCounts{{Day: day, Classes: []link.ClassCounts{{Class: "3A", Admitted: 8, Refused: 2}}}}}
	for _, send := range []func() error{
		func() error { return ka.SendCounts(ctx, next.Seq, ca) },
		func() error { return ka.SendCounts(ctx, next.Seq, ca) },
		func() error { return kb.SendCounts(ctx, next.Seq, cb) },
	} {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	}
	_, page := b.Get("/counts?day=2022-02-15")
	for _, want := range []string{
		`<tr data-class="3A"><td><strong>3A</strong></td><td class="num">8 / 2</td><td class="num">12 / 1</td><td class="num admitted">20</td><td class="num refused">3</td></tr>`,
		`<td class="num admitted"><strong>23</strong></td><td class="num refused"><strong>3</strong></td>`,
		"<th class=\"num\">cortile</th><th class=\"num\">via Roma</th>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the counts page lacks %s:\n%s", want, page)
		}
	}

	// The list of kiosks, then an unpairing.
	_, page = b.Get("/kiosks")
	wantIn(t, page, `data-kiosk="Ingresso A"`, `data-kiosk="Ingresso B"`, "1.2.4", "via Roma")
	ks, _ := o.store.Kiosks(ctx)
	if len(ks) != 2 || ks[0].Holds != next.Seq || ks[0].LastSeen.IsZero() {
		t.Fatalf("kiosks: %+v", ks)
	}
	b.Post(fmt.Sprintf("/kiosks/%d/unpair", ks[1].ID), url.Values{})
	if _, err := kb.Bundle(ctx, 0); !errors.Is(err, link.ErrUnknownKiosk) {
		t.Fatalf("an unpaired kiosk's request: %v", err)
	}
	if err := kb.SendCounts(ctx, next.Seq, cb); !errors.Is(err, link.ErrUnknownKiosk) {
		t.Fatalf("an unpaired kiosk's counts: %v", err)
	}
	// Its name is free again, and its counts stay the day's.
	if _, err := link.Pair(ctx, b.pairingCode(), "Ingresso B", "cortile", "1.2.5"); err != nil {
		t.Fatalf("pairing a new kiosk under an unpaired one's name: %v", err)
	}
	_, page = b.Get("/counts?day=2022-02-15")
	wantIn(t, page, `<td class="num admitted"><strong>23</strong></td>`)
	_, page = b.Get("/audit")
	wantIn(t, page, "kiosk.pair", "kiosk.unpair", "kiosk.pairing_code")

	// The secretary sees the counts, not the kiosks.
	s := o.client(t)
	s.login("segreteria", staffPassword)
	if status, _ := s.Get("/counts"); status != http.StatusOK {
		t.Fatalf("the secretary's counts page: %d", status)
	}
	if status, _ := s.Get("/kiosks"); status != http.StatusForbidden {
		t.Fatalf("the secretary's kiosks page: %d", status)
	}
	if status, _ := s.Post("/kiosks/pair", url.Values{}); status != http.StatusForbidden {
		t.Fatalf("the secretary making a pairing code: %d", status)
	}
}

// A pairing code lasts ten minutes.
func TestPairingCodeExpires(t *testing.T) {
	o := newOffice(t)
	b := o.client(t)
	b.login("preside", headPassword)
	inv := b.pairingCode()
	o.clock.Add(PairingLife + time.Second)
	if _, err := link.Pair(context.Background(), inv, "Ingresso A", "", "1"); !errors.Is(err, link.ErrBadSecret) {
		t.Fatalf("an expired pairing code: %v", err)
	}
}

// An office restored from an older backup numbers its next bundle above
// the one its kiosks hold, so they do not refuse it as a replay.
func TestRestoredOfficeOutnumbersItsKiosks(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	b := o.client(t)
	b.login("preside", headPassword)
	p, err := link.Pair(ctx, b.pairingCode(), "Ingresso A", "", "1")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := link.NewClient(p, "1")
	seq, _ := o.srv.kiosks.Current()
	if err := c.SendCounts(ctx, seq+40, link.Counts{}); err != nil {
		t.Fatal(err)
	}
	raw, err := c.Bundle(ctx, seq+40)
	if err != nil || raw == nil {
		t.Fatalf("the bundle after a restore: %v", err)
	}
	if got := openBundle(t, o, raw); got.Seq != seq+41 {
		t.Fatalf("the bundle after a restore is numbered %d, the kiosk holds %d", got.Seq, seq+40)
	}
}
