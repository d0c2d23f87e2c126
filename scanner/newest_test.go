package scanner

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestNewestKeepsOnlyTheLatest(t *testing.T) {
	pool := NewFramePool(4)
	n := NewNewest()
	buffers := map[*Frame]bool{}
	for i := uint64(1); i <= 5; i++ {
		f := pool.Get(4, 4)
		buffers[f] = true
		f.Seq = i
		n.Put(f)
	}
	f, err := n.Take(context.Background())
	if err != nil || f.Seq != 5 {
		t.Fatalf("took %v, %v; want frame 5", f, err)
	}
	// Each replaced frame went back to the pool and was reused.
	if len(buffers) != 2 {
		t.Fatalf("%d buffers for 5 frames, want 2", len(buffers))
	}
	f.Release()
	f.Release() // harmless twice
	if len(pool.free) != 2 {
		t.Fatalf("pool holds %d idle frames, want 2", len(pool.free))
	}
}

func TestNewestWaitsAndDeliversErrors(t *testing.T) {
	n := NewNewest()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := n.Take(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("empty take: %v", err)
	}
	go func() {
		time.Sleep(10 * time.Millisecond)
		n.PutErr(ErrCameraLost)
		n.Put(NewFramePool(1).Get(2, 2))
	}()
	if _, err := n.Take(context.Background()); !errors.Is(err, ErrCameraLost) {
		t.Fatalf("want the loss first, got %v", err)
	}
	if f, err := n.Take(context.Background()); err != nil || f == nil {
		t.Fatalf("want the frame after the loss, got %v", err)
	}
	n.Close()
	if _, err := n.Take(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
	n.Put(NewFramePool(1).Get(2, 2)) // released, not kept
	if n.frame != nil {
		t.Fatal("kept a frame after close")
	}
}

// A warm pool hands out frames without allocating: the camera's steady
// state costs no garbage per frame.
func TestFramePoolDoesNotAllocate(t *testing.T) {
	p := NewFramePool(2)
	p.Get(640, 480).Release()
	allocs := testing.AllocsPerRun(100, func() {
		p.Get(640, 480).Release()
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per frame", allocs)
	}
}
