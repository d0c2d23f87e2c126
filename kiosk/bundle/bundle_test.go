package bundle

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/issue"
)

func sample(seq uint64) *Bundle {
	until := calendar.Date(2022, 2, 19)
	return &Bundle{
		Seq: seq, Signed: time.Date(2022, 2, 14, 7, 0, 0, 0, time.UTC),
		School: School{Code: "MIIC8AB00X", Name: "IC Manzoni"}, Informativa: "https://office.local/informativa",
		Classes: []school.Class{
			{Name: "3A", Level: school.Primaria, Enrolled: 22, VerifyUntil: &until},
			{Name: "1B", Level: school.Secondaria1, Enrolled: 25},
		},
		Delegations: []school.Delegation{
			{ID: "D-1", Name: "Maria Bianchi", Role: "collaboratrice scolastica", ValidUntil: calendar.Date(2022, 6, 30)},
			{ID: "D-2", Name: "Luca Verdi", ValidUntil: calendar.Date(2022, 6, 30), Revoked: true},
		},
	}
}

func keys(t testing.TB) (*issue.Signer, *badge.Checker) {
	set := fixtures.Load(t)
	key := set.Signers["school"]
	c, err := badge.NewChecker(key.CertDER)
	if err != nil {
		t.Fatal(err)
	}
	return key, c
}

func sign(t *testing.T, key *issue.Signer, b *Bundle) []byte {
	raw, err := Sign(key, b)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestSignAndOpen(t *testing.T) {
	key, c := keys(t)
	got, err := Open(c, sign(t, key, sample(3)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Seq != 3 || got.Classes[0].VerifyUntil.String() != "2022-02-19" || !got.Delegations[1].Revoked || got.School.Name != "IC Manzoni" {
		t.Fatalf("%+v", got)
	}
}

// Another key's bundle, an altered byte, a truncated message: refused, and
// told apart.
func TestForgedAndDamagedBundles(t *testing.T) {
	key, c := keys(t)
	other := fixtures.Load(t).Signers["es256"] // a key that is not the school's
	if _, err := Open(c, sign(t, other, sample(1))); !errors.Is(err, ErrForged) {
		t.Errorf("another key's bundle: %v", err)
	}
	raw := sign(t, key, sample(1))
	i := strings.Index(string(raw), "IC Manzoni")
	altered := append([]byte(nil), raw...)
	altered[i] = 'X'
	if _, err := Open(c, altered); !errors.Is(err, ErrForged) {
		t.Errorf("altered bundle: %v", err)
	}
	if _, err := Open(c, raw[:len(raw)/2]); !errors.Is(err, ErrMalformed) {
		t.Errorf("truncated bundle: %v", err)
	}
	if _, err := Open(c, make([]byte, MaxLen+1)); !errors.Is(err, ErrMalformed) {
		t.Errorf("oversized bundle: %v", err)
	}
}

// The office never signs a bundle a kiosk could not apply, and never one
// with the case dates (they stay in the office).
func TestSignRefusesWhatAKioskCouldNotApply(t *testing.T) {
	key, _ := keys(t)
	for name, edit := range map[string]func(*Bundle){
		"no seq":            func(b *Bundle) { b.Seq = 0 },
		"case dates":        func(b *Bundle) { b.Classes[1].Cases = []calendar.Day{calendar.Date(2022, 2, 10)} },
		"a class twice":     func(b *Bundle) { b.Classes[1].Name = "3A" },
		"unknown level":     func(b *Bundle) { b.Classes[0].Level = "quinta" },
		"delegation twice":  func(b *Bundle) { b.Delegations[1].ID = "D-1" },
		"delegation no end": func(b *Bundle) { b.Delegations[0].ValidUntil = 0 },
	} {
		b := sample(1)
		edit(b)
		if _, err := Sign(key, b); err == nil {
			t.Errorf("%s: signed", name)
		}
	}
}

// The store keeps the newest bundle across a restart and refuses a replay
// of an older one, or a second bundle under the same number.
func TestStoreRefusesOlderAndSurvivesARestart(t *testing.T) {
	key, c := keys(t)
	path := filepath.Join(t.TempDir(), "bundle")
	s, err := OpenStore(path, c)
	if err != nil || s.Current() != nil {
		t.Fatalf("empty store: %v %v", s.Current(), err)
	}
	b1, b2 := sign(t, key, sample(1)), sign(t, key, sample(2))
	if ok, err := s.Accept(b1); !ok || err != nil {
		t.Fatalf("first: %v %v", ok, err)
	}
	if ok, err := s.Accept(b2); !ok || err != nil {
		t.Fatalf("newer: %v %v", ok, err)
	}
	if ok, err := s.Accept(b2); ok || err != nil {
		t.Fatalf("the same again: %v %v", ok, err)
	}
	if _, err := s.Accept(b1); !errors.Is(err, ErrOlder) {
		t.Fatalf("replayed older: %v", err)
	}
	other := sample(2)
	other.Delegations[1].Revoked = false // the same number, a revocation undone
	if _, err := s.Accept(sign(t, key, other)); !errors.Is(err, ErrOlder) {
		t.Fatalf("a second bundle numbered 2: %v", err)
	}
	s2, err := OpenStore(path, c)
	if err != nil || s2.Current().Seq != 2 {
		t.Fatalf("after a restart: %v %v", s2.Current(), err)
	}
	if age := s2.Age(s2.Current().Signed.Add(time.Hour)); age != time.Hour {
		t.Errorf("age %v", age)
	}
	// A damaged file is an error naming it, not a silent empty start.
	os.WriteFile(path, []byte("garbage"), 0o600)
	if _, err := OpenStore(path, c); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("damaged file: %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	key, c := keys(f)
	raw, _ := Sign(key, sample(1))
	f.Add(raw)
	f.Fuzz(func(t *testing.T, raw []byte) {
		b, err := Open(c, raw)
		if (b == nil) == (err == nil) {
			t.Fatal("Open returned both or neither")
		}
	})
}
