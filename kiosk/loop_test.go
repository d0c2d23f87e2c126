package kiosk

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/hardware"
	"github.com/scuola/kiosk/verify"
)

// panickyTrust fails while verifying, as a bug in one part might.
type panickyTrust struct{ fakeTrust }

func (p *panickyTrust) Verifier() *verify.Verifier { panic("bug while verifying") }

// lockedLight is a fakeLight safe for the loop's goroutine.
type lockedLight struct {
	mu sync.Mutex
	fakeLight
}

func (l *lockedLight) Show(s hardware.Signal) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fakeLight.Show(s)
}

func (l *lockedLight) lastShown() hardware.Signal {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fakeLight.last()
}

func TestLoopContainsAPanicAndCarriesOn(t *testing.T) {
	r := newRig(t)
	light := &lockedLight{}
	r.s.o.Light = light
	r.s.o.Trust = &panickyTrust{fakeTrust{v: r.set.Verifier()}}
	var logs bytes.Buffer
	texts, cmds, health := make(chan string), make(chan Command), make(chan HealthEvent)
	now := morning
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	l := &Loop{Session: r.s, Texts: texts, Commands: cmds, Health: health, Now: clock, Tick: time.Millisecond,
		Light: light, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.Run(ctx) }()

	texts <- r.badges["D-1"]
	cmds <- Command{Kind: CommandChooseClass, Value: "3A"}
	cert := r.set.Case("booster-3of3").Text
	texts <- cert // panics inside the session
	health <- HealthEvent{Part: PartCamera, Health: Health{OK: true}}
	if got := light.lastShown(); got != hardware.SignalOff && got != hardware.SignalAttention {
		t.Fatalf("light after the panic: %v", got)
	}
	// The loop is still alive: inactivity locks the kiosk.
	mu.Lock()
	now = morning.Add(11 * time.Minute)
	mu.Unlock()
	deadline := time.Now().Add(2 * time.Second)
	for light.lastShown() != hardware.SignalAttention && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "event handling failed") || strings.Contains(out, cert[:20]) || strings.Contains(out, "bug while verifying") {
		t.Fatalf("log: %s", out)
	}
}
