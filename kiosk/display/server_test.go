package display

import (
	"context"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk"
)

func TestServeEndsWithItsContextAndClosesTheStreams(t *testing.T) {
	s, err := New(Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	s.Publish(testScreen(1, kiosk.StateLocked))
	stream := openStream(t, "http://"+s.Addr())
	stream.nextScreen(t)

	start := time.Now()
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve after cancel: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Serve took %v to stop with a page connected", d)
	}
	for {
		if _, _, err := stream.next(); err != nil {
			break // the stream ended: the page will show itself disconnected
		}
	}
	if err := s.Serve(context.Background()); err == nil {
		t.Error("a second Serve did not fail")
	}
}
