package scanner

import (
	"testing"
	"time"
)

func TestSuppressor(t *testing.T) {
	s := NewSuppressor(time.Second)
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	a, b := Result{Text: "HC1:A"}, Result{Text: "HC1:B"}
	steps := []struct {
		ms   int
		in   []Result
		want []string
	}{
		{0, []Result{a}, []string{"HC1:A"}},      // first sight
		{66, []Result{a}, nil},                   // held in view
		{133, nil, nil},                          // a missed frame
		{200, []Result{a}, nil},                  // still the same scan
		{266, []Result{a, b}, []string{"HC1:B"}}, // a different code at once
		{1100, []Result{b}, nil},                 // b held; a now out of view
		{1300, []Result{a}, []string{"HC1:A"}},   // a back after > 1 s away
		{1300, []Result{a, a}, nil},              // duplicates within a frame
		{5000, []Result{a, b}, []string{"HC1:A", "HC1:B"}},
	}
	for _, st := range steps {
		got := s.Filter(at(st.ms), st.in)
		if len(got) != len(st.want) {
			t.Fatalf("at %d ms: %d new, want %d", st.ms, len(got), len(st.want))
		}
		for i := range got {
			if got[i].Text != st.want[i] {
				t.Fatalf("at %d ms: new %q, want %q", st.ms, got[i].Text, st.want[i])
			}
		}
	}
}

// The suppressor must not keep codes it no longer needs: memory stays flat
// over a day of scans, and no certificate outlives its gone interval.
func TestSuppressorForgets(t *testing.T) {
	s := NewSuppressor(0)
	t0 := time.Unix(0, 0)
	for i := 0; i < 1000; i++ {
		s.Filter(t0.Add(time.Duration(i)*time.Second), []Result{{Text: string(rune('a' + i%26))}})
	}
	if len(s.seen) > 2 {
		t.Fatalf("remembers %d codes", len(s.seen))
	}
}
