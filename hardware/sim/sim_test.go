package sim

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/hardware"
	"github.com/scuola/kiosk/testdata/syncbuf"
)

// The kiosk package declares interfaces of this shape; the twins must fit.
var (
	_ interface {
		Show(hardware.Signal) error
		Close() error
	} = (*Light)(nil)
	_ interface {
		Play(hardware.Sound) error
		Close() error
	} = (*Tone)(nil)
)

func TestLightPrintsOneLinePerChange(t *testing.T) {
	var out syncbuf.Buffer
	l := NewLight(&out, time.Minute)
	for _, s := range []hardware.Signal{
		hardware.SignalOff, // already off: no line
		hardware.SignalAttention,
		hardware.SignalAdmit,
		hardware.SignalAdmit, // no change: no line
		hardware.SignalDeny,
	} {
		if err := l.Show(s); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	want := "luce: GIALLA (amber)\nluce: VERDE (green)\nluce: ROSSA (red)\nluce: spenta (off)\n"
	if got := out.String(); got != want {
		t.Errorf("printed\n%s\nwant\n%s", got, want)
	}
	wantHistory := []hardware.Signal{
		hardware.SignalOff, hardware.SignalAttention, hardware.SignalAdmit,
		hardware.SignalAdmit, hardware.SignalDeny, hardware.SignalOff,
	}
	if got := l.History(); !slices.Equal(got, wantHistory) {
		t.Errorf("history %v, want %v", got, wantHistory)
	}
}

func TestLightGreenIsALeaseLikeTheRealOne(t *testing.T) {
	var out syncbuf.Buffer
	l := NewLight(&out, 20*time.Millisecond)
	defer l.Close()
	l.Show(hardware.SignalAdmit)
	if got := l.Shown(); got != hardware.SignalAdmit {
		t.Fatalf("shown %v right after Show(admit)", got)
	}
	deadline := time.Now().Add(2 * time.Second)
	for l.Shown() != hardware.SignalOff {
		if time.Now().After(deadline) {
			t.Fatal("green still on 2s after a 20ms hold")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got, want := out.String(), "luce: VERDE (green)\nluce: spenta (off)\n"; got != want {
		t.Errorf("printed %q, want %q", got, want)
	}
}

func TestLightWithoutWriterOnlyRecords(t *testing.T) {
	l := NewLight(nil, 0)
	l.Show(hardware.SignalDeny)
	l.Close()
	if got := l.History(); !slices.Equal(got, []hardware.Signal{hardware.SignalDeny, hardware.SignalOff}) {
		t.Errorf("history %v", got)
	}
	if err := l.Show(hardware.SignalAdmit); !errors.Is(err, hardware.ErrClosed) {
		t.Errorf("Show after Close = %v, want ErrClosed", err)
	}
}

func TestTonePrintsAndRecords(t *testing.T) {
	var out bytes.Buffer
	tone := NewTone(&out)
	for _, s := range []hardware.Sound{hardware.SoundAdmit, hardware.SoundDeny, hardware.SoundDeny} {
		if err := tone.Play(s); err != nil {
			t.Fatal(err)
		}
	}
	want := "suono: ammesso (admit tone)\nsuono: non ammesso (deny tone)\nsuono: non ammesso (deny tone)\n"
	if out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	if got := tone.Played(); !slices.Equal(got, []hardware.Sound{hardware.SoundAdmit, hardware.SoundDeny, hardware.SoundDeny}) {
		t.Errorf("played %v", got)
	}
}

func TestToneRefusesUnknownSoundsAndUseAfterClose(t *testing.T) {
	tone := NewTone(nil)
	if err := tone.Play(0); err == nil || !strings.Contains(err.Error(), "Sound(0)") {
		t.Errorf("Play(0) = %v, want an error naming the sound", err)
	}
	tone.Close()
	tone.Close()
	if err := tone.Play(hardware.SoundAdmit); !errors.Is(err, hardware.ErrClosed) {
		t.Errorf("Play after Close = %v, want ErrClosed", err)
	}
	if len(tone.Played()) != 0 {
		t.Errorf("played %v", tone.Played())
	}
}
