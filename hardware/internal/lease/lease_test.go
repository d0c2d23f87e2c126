package lease

import (
	"bytes"
	"errors"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scuola/kiosk/hardware"
)

// recorder is an Output that remembers every signal it was driven to.
type recorder struct {
	mu    sync.Mutex
	seen  []hardware.Signal
	fail  error // returned, and nothing recorded, while set
	drove chan struct{}
}

func newRecorder() *recorder { return &recorder{drove: make(chan struct{}, 100)} }

func (r *recorder) out(s hardware.Signal) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.seen = append(r.seen, s)
	r.drove <- struct{}{}
	return nil
}

func (r *recorder) signals() []hardware.Signal {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}

// waitFor waits until the recorder has seen n signals, or fails the test.
func (r *recorder) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(2 * time.Second)
	for len(r.signals()) < n {
		select {
		case <-r.drove:
		case <-deadline:
			t.Fatalf("after 2s the output saw %v, want %d signals", r.signals(), n)
		}
	}
}

func TestGreenFallsBackToOffAfterHold(t *testing.T) {
	r := newRecorder()
	l := New(r.out, 20*time.Millisecond)
	defer l.Close()
	start := time.Now()
	if err := l.Show(hardware.SignalAdmit); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, 2)
	if got := time.Since(start); got < 20*time.Millisecond {
		t.Errorf("green fell back after %v, before its 20ms hold", got)
	}
	want := []hardware.Signal{hardware.SignalAdmit, hardware.SignalOff}
	if got := r.signals(); !slices.Equal(got, want) {
		t.Errorf("output saw %v, want %v", got, want)
	}
}

func TestGreenStaysWithinHold(t *testing.T) {
	r := newRecorder()
	l := New(r.out, time.Minute)
	defer l.Close()
	if err := l.Show(hardware.SignalAdmit); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	if got := r.signals(); !slices.Equal(got, []hardware.Signal{hardware.SignalAdmit}) {
		t.Errorf("output saw %v within the hold, want only admit", got)
	}
}

func TestOtherSignalCancelsFallback(t *testing.T) {
	r := newRecorder()
	l := New(r.out, 10*time.Millisecond)
	defer l.Close()
	for _, s := range []hardware.Signal{hardware.SignalAdmit, hardware.SignalDeny} {
		if err := l.Show(s); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	want := []hardware.Signal{hardware.SignalAdmit, hardware.SignalDeny}
	if got := r.signals(); !slices.Equal(got, want) {
		t.Errorf("output saw %v, want %v: red must stay until told otherwise", got, want)
	}
}

func TestAdmitAgainStartsANewHold(t *testing.T) {
	r := newRecorder()
	l := New(r.out, 40*time.Millisecond)
	defer l.Close()
	l.Show(hardware.SignalAdmit)
	time.Sleep(25 * time.Millisecond)
	second := time.Now()
	l.Show(hardware.SignalAdmit)
	r.waitFor(t, 3)
	if got := time.Since(second); got < 40*time.Millisecond {
		t.Errorf("second green fell back %v after it was shown, before its own 40ms hold", got)
	}
	want := []hardware.Signal{hardware.SignalAdmit, hardware.SignalAdmit, hardware.SignalOff}
	if got := r.signals(); !slices.Equal(got, want) {
		t.Errorf("output saw %v, want %v", got, want)
	}
}

func TestCloseTurnsOffAndIsIdempotent(t *testing.T) {
	r := newRecorder()
	l := New(r.out, time.Minute)
	l.Show(hardware.SignalAdmit)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v, want nil", err)
	}
	want := []hardware.Signal{hardware.SignalAdmit, hardware.SignalOff}
	if got := r.signals(); !slices.Equal(got, want) {
		t.Errorf("output saw %v, want %v (one off, however often closed)", got, want)
	}
	if err := l.Show(hardware.SignalAdmit); !errors.Is(err, hardware.ErrClosed) {
		t.Errorf("Show after Close: %v, want ErrClosed", err)
	}
}

func TestCloseLeavesNoTimerBehind(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 50 {
		r := newRecorder()
		l := New(r.out, 5*time.Millisecond)
		l.Show(hardware.SignalAdmit)
		l.Close()
	}
	time.Sleep(30 * time.Millisecond) // any timer that escaped Stop has fired by now
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before, %d after closing 50 lights", before, after)
	}
}

func TestUnknownSignalRefused(t *testing.T) {
	r := newRecorder()
	l := New(r.out, 0)
	defer l.Close()
	err := l.Show(hardware.Signal(9))
	if err == nil || !strings.Contains(err.Error(), "Signal(9)") {
		t.Errorf("Show(Signal(9)) = %v, want an error naming the signal", err)
	}
	if len(r.signals()) != 0 {
		t.Errorf("output was driven to %v", r.signals())
	}
}

func TestOutputErrorReturnedAndNoHoldStarted(t *testing.T) {
	r := newRecorder()
	r.fail = errors.New("line gone")
	l := New(r.out, 5*time.Millisecond)
	defer l.Close()
	if err := l.Show(hardware.SignalAdmit); err != r.fail {
		t.Fatalf("Show = %v, want the output's error", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		t.Error("a hold started for a green that was never shown")
	}
}

// A red that could not be shown must not cancel the end of the green
// before it.
func TestFailedShowKeepsTheGreenHold(t *testing.T) {
	r := newRecorder()
	l := New(r.out, 30*time.Millisecond)
	defer l.Close()
	l.Show(hardware.SignalAdmit)
	r.mu.Lock()
	r.fail = errors.New("EIO")
	r.mu.Unlock()
	if err := l.Show(hardware.SignalDeny); err == nil {
		t.Fatal("Show(deny) succeeded on a failing output")
	}
	r.mu.Lock()
	r.fail = nil
	r.mu.Unlock()
	r.waitFor(t, 2)
	want := []hardware.Signal{hardware.SignalAdmit, hardware.SignalOff}
	if got := r.signals(); !slices.Equal(got, want) {
		t.Errorf("output saw %v, want %v", got, want)
	}
}

func TestFailedFallbackIsLogged(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(old)

	r := newRecorder()
	l := New(r.out, 5*time.Millisecond)
	l.Show(hardware.SignalAdmit)
	r.mu.Lock()
	r.fail = errors.New("line gone")
	r.mu.Unlock()
	time.Sleep(50 * time.Millisecond)
	l.Close()
	if !strings.Contains(buf.String(), "could not be turned off") || !strings.Contains(buf.String(), "line gone") {
		t.Errorf("log = %q, want the failed fallback and its cause", buf.String())
	}
}
