package tally

import (
	"context"
	"sync"
	"testing"

	"github.com/scuola/kiosk/verify/calendar"
)

func TestCountsPersist(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := calendar.Date(2022, 2, 15)
	for i, admitted := range []bool{true, true, false, true} {
		if err := s.Add(ctx, d, "3A", admitted); err != nil {
			t.Fatalf("scan %d: %v", i, err)
		}
	}
	s.Add(ctx, d+1, "3A", false)
	s.Add(ctx, d, "2B", true)
	if err := s.Add(ctx, d, "", true); err == nil {
		t.Error("a count without class accepted")
	}
	s.Close()

	s, err = Open(dir) // reopened: the counts survived
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admitted, refused, err := s.Get(ctx, d, "3A")
	if err != nil || admitted != 3 || refused != 1 {
		t.Fatalf("3A on %s: %d admitted, %d refused, %v", d, admitted, refused, err)
	}
	all, err := s.Day(ctx, d)
	if err != nil || len(all) != 2 || all[0].Class != "2B" || all[1].Class != "3A" {
		t.Fatalf("day: %+v %v", all, err)
	}
	if a, r, _ := s.Get(ctx, d, "5C"); a+r != 0 {
		t.Fatal("unknown class has counts")
	}
}

func TestConcurrentAdds(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if err := s.Add(ctx, 1, "1A", i%2 == 0); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if a, r, _ := s.Get(ctx, 1, "1A"); a != 52 || r != 48 {
		t.Fatalf("%d admitted, %d refused; want 52 and 48", a, r)
	}
}

func BenchmarkAdd(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Add(ctx, 1, "1A", true); err != nil {
			b.Fatal(err)
		}
	}
}
