package revocation

import (
	"errors"
	"testing"
)

func TestApply(t *testing.T) {
	h := randomHashes(3, 8)
	base := NewSet([]Hash{h[0], h[1], h[2], h[3]})
	got, err := base.Apply(NewSet([]Hash{h[4], h[5]}), NewSet([]Hash{h[1], h[3]}))
	if err != nil {
		t.Fatal(err)
	}
	want := NewSet([]Hash{h[0], h[2], h[4], h[5]})
	if got.Len() != want.Len() {
		t.Fatalf("Len = %d, want %d", got.Len(), want.Len())
	}
	for i, x := range want.Hashes() {
		if got.Hashes()[i] != x {
			t.Fatalf("hash %d differs", i)
		}
	}
	for _, x := range h[:6] {
		if got.RevokedHash(&x) != want.RevokedHash(&x) {
			t.Fatal("lookup on the applied set disagrees")
		}
	}
	// An empty delta and an empty base.
	if same, err := base.Apply(nil, nil); err != nil || same.Len() != 4 {
		t.Fatalf("empty delta: %v, %v", same.Len(), err)
	}
	var empty *Set
	if s, err := empty.Apply(NewSet([]Hash{h[7]}), nil); err != nil || s.Len() != 1 {
		t.Fatalf("delta on an empty set: %v, %v", s.Len(), err)
	}
}

func TestApplyRefusesInexactDelta(t *testing.T) {
	h := randomHashes(4, 8)
	base := NewSet([]Hash{h[0], h[1], h[2]})
	for _, c := range []struct {
		name     string
		ins, del []Hash
		want     DeltaError
	}{
		{"insert listed", []Hash{h[0], h[5]}, nil, DeltaError{AlreadyListed: 1}},
		{"delete unlisted", nil, []Hash{h[1], h[6]}, DeltaError{NotListed: 1}},
		{"both", []Hash{h[7]}, []Hash{h[7]}, DeltaError{NotListed: 1, Both: 1}},
	} {
		s, err := base.Apply(NewSet(c.ins), NewSet(c.del))
		var de *DeltaError
		if s != nil || !errors.As(err, &de) || *de != c.want {
			t.Errorf("%s: got %v, %v; want %+v", c.name, s, err, c.want)
		}
	}
}
