package scanner

import (
	"context"
	"sync"
)

// Newest is the hand-over between a capture goroutine and the decoder: a
// one-frame mailbox where a new frame replaces (and releases) the one not
// yet taken. The decoder therefore always works on the latest image, never
// on a backlog, whatever the camera's rate and however long a hard frame
// took. Camera sources in scanner/cv are built on it.
type Newest struct {
	mu      sync.Mutex
	frame   *Frame
	err     error // delivered once, before any later frame
	closed  bool
	arrived chan struct{} // closed and replaced on every Put, PutErr and Close
}

// NewNewest returns an empty mailbox.
func NewNewest() *Newest {
	return &Newest{arrived: make(chan struct{})}
}

// Put offers the newest frame, releasing the previous one if nobody took it.
// After Close it releases f at once.
func (n *Newest) Put(f *Frame) {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		f.Release()
		return
	}
	old := n.frame
	n.frame = f
	n.wake()
	n.mu.Unlock()
	old.Release()
}

// PutErr hands an event such as ErrCameraLost to the next Take. A frame
// still waiting is dropped: it is older than the loss.
func (n *Newest) PutErr(err error) {
	n.mu.Lock()
	old := n.frame
	n.frame, n.err = nil, err
	n.wake()
	n.mu.Unlock()
	old.Release()
}

// Take returns the waiting frame or error, blocking until there is one, the
// mailbox is closed (ErrClosed) or ctx ends.
func (n *Newest) Take(ctx context.Context) (*Frame, error) {
	for {
		n.mu.Lock()
		if err := n.err; err != nil {
			n.err = nil
			n.mu.Unlock()
			return nil, err
		}
		if f := n.frame; f != nil {
			n.frame = nil
			n.mu.Unlock()
			return f, nil
		}
		if n.closed {
			n.mu.Unlock()
			return nil, ErrClosed
		}
		wait := n.arrived
		n.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Close wakes every Take with ErrClosed once the waiting frame (if any) has
// been taken, and releases frames put afterwards.
func (n *Newest) Close() {
	n.mu.Lock()
	n.closed = true
	n.wake()
	n.mu.Unlock()
}

func (n *Newest) wake() {
	close(n.arrived)
	n.arrived = make(chan struct{})
}
