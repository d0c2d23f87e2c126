package gpio

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warthog618/go-gpiocdev"

	"github.com/scuola/kiosk/hardware"
)

// fakeLines stands for a granted line request; it records what the light
// asked of it.
type fakeLines struct {
	mu       sync.Mutex
	set      [][]int
	closed   int
	setErr   error
	closeErr error
}

func (f *fakeLines) SetValues(v []int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.setErr != nil {
		return f.setErr
	}
	f.set = append(f.set, slices.Clone(v))
	return nil
}

func (f *fakeLines) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed++
	return f.closeErr
}

// last returns the values most recently set, or nil.
func (f *fakeLines) last() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.set) == 0 {
		return nil
	}
	return f.set[len(f.set)-1]
}

// request is what the light asked the opener for.
type request struct {
	config Config
	opts   []gpiocdev.LineReqOption
}

// fakeOpener grants lines and records the request.
func fakeOpener(lines *fakeLines, got *request) opener {
	return func(c Config, opts []gpiocdev.LineReqOption) (lineSetter, error) {
		*got = request{c, opts}
		return lines, nil
	}
}

func withAmber() Config {
	c := DefaultConfig()
	c.Amber = 22
	return c
}

func withChecked() Config {
	c := withAmber()
	c.Checked = 23
	return c
}

func newFake(t *testing.T, c Config) (*Light, *fakeLines, request) {
	t.Helper()
	lines := &fakeLines{}
	var req request
	l, err := newLight(c, fakeOpener(lines, &req))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, lines, req
}

func TestShowDrivesTheConfiguredLines(t *testing.T) {
	tests := []struct {
		config Config
		signal hardware.Signal
		want   []int // green, red[, amber]
	}{
		{withAmber(), hardware.SignalOff, []int{0, 0, 0}},
		{withAmber(), hardware.SignalAdmit, []int{1, 0, 0}},
		{withAmber(), hardware.SignalDeny, []int{0, 1, 0}},
		{withAmber(), hardware.SignalAttention, []int{0, 0, 1}},
		{DefaultConfig(), hardware.SignalAdmit, []int{1, 0}},
		{DefaultConfig(), hardware.SignalDeny, []int{0, 1}},
		{DefaultConfig(), hardware.SignalAttention, []int{0, 0}}, // no amber: dark, the screen says why
		// A pupil-facing light says "checked" for both results, never which.
		{withChecked(), hardware.SignalAdmit, []int{1, 0, 0, 1}},
		{withChecked(), hardware.SignalDeny, []int{0, 1, 0, 1}},
		{withChecked(), hardware.SignalAttention, []int{0, 0, 1, 0}},
		{withChecked(), hardware.SignalOff, []int{0, 0, 0, 0}},
	}
	for _, tt := range tests {
		l, lines, _ := newFake(t, tt.config)
		if err := l.Show(tt.signal); err != nil {
			t.Fatal(err)
		}
		if got := lines.last(); !slices.Equal(got, tt.want) {
			t.Errorf("amber=%d: Show(%v) set %v, want %v", tt.config.Amber, tt.signal, got, tt.want)
		}
	}
}

func TestRequestsOutputsThatAreOff(t *testing.T) {
	_, lines, req := newFake(t, withAmber())
	want := []gpiocdev.LineReqOption{
		gpiocdev.WithConsumer("kiosk-light"), gpiocdev.AsOutput(0, 0, 0), gpiocdev.AsActiveHigh,
	}
	if !reflect.DeepEqual(req.opts, want) {
		t.Errorf("request options %#v, want %#v", req.opts, want)
	}
	if got := lines.last(); got != nil {
		t.Errorf("New drove the lines to %v; the request itself starts them off", got)
	}
}

func TestActiveLowIsAskedOfTheKernel(t *testing.T) {
	c := DefaultConfig()
	c.ActiveLow = true
	l, lines, req := newFake(t, c)
	if !slices.Contains(req.opts, gpiocdev.LineReqOption(gpiocdev.AsActiveLow)) {
		t.Errorf("request options %#v lack AsActiveLow", req.opts)
	}
	// Values stay logical (1 = lit): the kernel inverts the level.
	l.Show(hardware.SignalAdmit)
	if got := lines.last(); !slices.Equal(got, []int{1, 0}) {
		t.Errorf("active-low Show(admit) set %v, want [1 0]", got)
	}
}

func TestGreenFallsBackToOffByItself(t *testing.T) {
	c := DefaultConfig()
	c.Hold = 20 * time.Millisecond
	l, lines, _ := newFake(t, c)
	if err := l.Show(hardware.SignalAdmit); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for !slices.Equal(lines.last(), []int{0, 0}) {
		if time.Now().After(deadline) {
			t.Fatalf("2s after a 20ms green the lines are %v, want off", lines.last())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCloseTurnsAllOffAndReleasesOnce(t *testing.T) {
	l, lines, _ := newFake(t, withAmber())
	l.Show(hardware.SignalAdmit)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if got := lines.last(); !slices.Equal(got, []int{0, 0, 0}) {
		t.Errorf("after Close the lines are %v, want all off", got)
	}
	if lines.closed != 1 {
		t.Errorf("lines released %d times, want once", lines.closed)
	}
	if err := l.Show(hardware.SignalAdmit); !errors.Is(err, hardware.ErrClosed) {
		t.Errorf("Show after Close = %v, want ErrClosed", err)
	}
}

func TestCloseReleasesEvenWhenOffFails(t *testing.T) {
	lines := &fakeLines{setErr: errors.New("EIO"), closeErr: errors.New("EBADF")}
	var req request
	l, err := newLight(DefaultConfig(), fakeOpener(lines, &req))
	if err != nil {
		t.Fatal(err)
	}
	err = l.Close()
	if lines.closed != 1 {
		t.Errorf("lines released %d times, want once", lines.closed)
	}
	for _, want := range []string{"show off on gpiochip0 lines green=17 red=27: EIO", "release gpiochip0 lines green=17 red=27: EBADF"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Close = %v, want it to say %q", err, want)
		}
	}
}

func TestShowErrorNamesChipLinesAndSignal(t *testing.T) {
	l, lines, _ := newFake(t, DefaultConfig())
	lines.setErr = errors.New("input/output error")
	err := l.Show(hardware.SignalDeny)
	want := "gpio: show deny on gpiochip0 lines green=17 red=27: input/output error"
	if err == nil || err.Error() != want {
		t.Errorf("Show = %v, want %q", err, want)
	}
}

func TestEmptyChipMeansDefault(t *testing.T) {
	c := DefaultConfig()
	c.Chip = ""
	_, _, req := newFake(t, c)
	if req.config.chip() != DefaultChip {
		t.Errorf("opened chip %q, want %q", req.config.chip(), DefaultChip)
	}
}

func TestConfigMistakesNameTheLine(t *testing.T) {
	tests := []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Red = c.Green }, "red line 17 is also the green line"},
		{func(c *Config) { c.Amber = 27 }, "amber line 27 is also the red line"},
		{func(c *Config) { c.Checked = 17 }, "checked line 17 is also the green line"},
		{func(c *Config) { c.Green = -2 }, "green line -2 is negative"},
		{func(c *Config) { c.Hold = time.Hour }, "hold 1h0m0s is outside"},
	}
	for _, tt := range tests {
		c := DefaultConfig()
		tt.edit(&c)
		_, err := newLight(c, func(Config, []gpiocdev.LineReqOption) (lineSetter, error) {
			t.Fatal("a bad config reached the chip")
			return nil, nil
		})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New = %v, want %q", err, tt.want)
		}
		if errors.Is(err, hardware.ErrNoGPIO) {
			t.Errorf("config mistake %v is reported as missing hardware", err)
		}
	}
}

// The real opener, on chips that are not there: a missing device, and a
// character device that is no GPIO chip. The errors name the chip and wrap
// ErrNoGPIO so the kiosk falls back to the screen.
func TestNoChipIsReportedByName(t *testing.T) {
	for _, chip := range []string{"gpiochip99", "/dev/null"} {
		c := DefaultConfig()
		c.Chip = chip
		l, err := New(c)
		if err == nil {
			l.Close()
			t.Fatalf("New on %s succeeded", chip)
		}
		t.Log(err)
		if !errors.Is(err, hardware.ErrNoGPIO) || !strings.Contains(err.Error(), "open chip "+chip) {
			t.Errorf("New on %s = %v, want ErrNoGPIO naming the chip", chip, err)
		}
		if err := Reset(c); !errors.Is(err, hardware.ErrNoGPIO) {
			t.Errorf("Reset on %s = %v, want ErrNoGPIO", chip, err)
		}
	}
}

func TestResetRequestsOffAndReleases(t *testing.T) {
	lines := &fakeLines{}
	var req request
	c := withAmber()
	c.ActiveLow = true
	if err := reset(c, fakeOpener(lines, &req)); err != nil {
		t.Fatal(err)
	}
	want := []gpiocdev.LineReqOption{
		gpiocdev.WithConsumer("kiosk-light"), gpiocdev.AsOutput(0, 0, 0), gpiocdev.AsActiveLow,
	}
	if !reflect.DeepEqual(req.opts, want) {
		t.Errorf("reset requested %#v, want %#v", req.opts, want)
	}
	if lines.closed != 1 {
		t.Errorf("reset released the lines %d times, want once", lines.closed)
	}
}

func TestResetRefusesABadConfig(t *testing.T) {
	c := DefaultConfig()
	c.Red = 17
	if err := Reset(c); err == nil || !strings.Contains(err.Error(), "red line 17") {
		t.Errorf("Reset = %v, want the config mistake", err)
	}
}

func TestConcurrentShowsAndClose(t *testing.T) {
	c := DefaultConfig()
	c.Hold = time.Millisecond
	l, lines, _ := newFake(t, c)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				l.Show(hardware.Signal((g + i) % 4))
			}
		})
	}
	wg.Wait()
	l.Close()
	if got := lines.last(); !slices.Equal(got, []int{0, 0}) {
		t.Errorf("after Close the lines are %v, want off", got)
	}
}
