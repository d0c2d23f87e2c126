package badge

import (
	"errors"
	"strings"
	"testing"

	"github.com/scuola/kiosk/testdata/fixtures"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/calendar"
)

func TestIssueAndCheck(t *testing.T) {
	set := fixtures.Load(t)
	school := set.Signers["school"]
	c, err := NewChecker(school.CertDER)
	if err != nil {
		t.Fatal(err)
	}
	until := calendar.Date(2022, 6, 30)
	b := Badge{DelegationID: "D-7", Name: "Maria Bianchi", Role: "collaboratrice scolastica", ValidUntil: until, SchoolCode: "MIIC8AB00X"}
	text, err := Issue(school, b)
	if err != nil {
		t.Fatal(err)
	}
	if !IsBadge(text) || verify.New(verify.Options{}).Check(text, verify.ModeSchool, fixtures.Ref).Status != verify.StatusNotEUDCC {
		t.Fatal("a badge must not pass for a certificate")
	}
	got, err := c.Check(text, until)
	if err != nil || got != b {
		t.Fatalf("on its last day: %+v %v", got, err)
	}
	if _, err := c.Check(text, until+1); !errors.Is(err, ErrExpired) {
		t.Fatalf("the day after: %v", err)
	}
	// Another key (a forgery), a tampered badge, garbage: refused.
	forged, _ := Issue(set.Signers["es256"], b)
	if _, err := c.Check(forged, until); !errors.Is(err, ErrForged) {
		t.Errorf("forged: %v", err)
	}
	raw, _ := verify.Base45Decode(strings.TrimPrefix(text, Prefix))
	raw[len(raw)-70] ^= 1 // inside the payload
	if _, err := c.Check(Prefix+verify.Base45Encode(raw), until); !errors.Is(err, ErrForged) && !errors.Is(err, ErrMalformed) {
		t.Errorf("tampered: %v", err)
	}
	for _, bad := range []string{"KB1:", "KB1:!!", "HC1:ABC", Prefix + strings.Repeat("0", MaxTextLen)} {
		if _, err := c.Check(bad, until); err == nil {
			t.Errorf("%.20q accepted", bad)
		}
	}
	if _, err := Issue(school, Badge{Name: "x"}); err == nil {
		t.Error("a badge without id issued")
	}
}

func FuzzCheck(f *testing.F) {
	set := fixtures.Load(f)
	school := set.Signers["school"]
	text, _ := Issue(school, Badge{DelegationID: "D-1", Name: "A", ValidUntil: 20000})
	f.Add(text)
	f.Add("KB1:")
	c, err := NewChecker(school.CertDER)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := c.Check(s, 19000)
		if err == nil && b.DelegationID == "" {
			t.Fatal("accepted a badge without id")
		}
	})
}
