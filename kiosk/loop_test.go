package kiosk

import (
	"bytes"
	"context"
	"fmt"
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
	scans, cmds, devices := make(chan Scan), make(chan Command), make(chan DeviceEvent)
	now := morning
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	l := &Loop{Session: r.s, Scans: scans, Commands: cmds, Devices: devices, Now: clock, Tick: time.Millisecond,
		Light: light, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.Run(ctx) }()

	scans <- Scan{Text: r.badges["D-1"]}
	cmds <- Command{Kind: CommandChooseClass, Class: "3A"}
	cert := r.set.Case("booster-3of3").Text
	scans <- Scan{Text: cert} // panics inside the session
	devices <- DeviceEvent{Part: PartCamera, OK: false}
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

func TestLatencyQuantiles(t *testing.T) {
	var l Latency
	if p50, p99, n := l.Quantiles(); p50 != 0 || p99 != 0 || n != 0 {
		t.Fatal("empty latency not zero")
	}
	for i := 1; i <= 100; i++ {
		l.Observe(time.Duration(i) * time.Millisecond)
	}
	p50, p99, n := l.Quantiles()
	if p50 != 51*time.Millisecond || p99 != 100*time.Millisecond || n != 100 {
		t.Fatalf("p50 %v p99 %v n %d", p50, p99, n)
	}
	if s := fmt.Sprintf("%v %+v %#v", Scan{Text: "HC1:SECRET"}, Scan{Text: "HC1:SECRET"}, Scan{Text: "HC1:SECRET"}); strings.Contains(s, "SECRET") {
		t.Fatalf("a Scan prints its text: %s", s)
	}
}
