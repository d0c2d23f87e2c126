// Package daemon assembles the running kiosk from its configuration — the
// camera and handheld scanners, the trust data and its refresher, the
// light, the tones, the screen and the entrance session — and runs it until
// it is stopped. `kiosk run` and `kiosk demo` are this package with
// different parts plugged in.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/scuola/kiosk/hardware/gpio"
	"github.com/scuola/kiosk/hardware/tone"
	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/config"
	"github.com/scuola/kiosk/kiosk/display"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/tally"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/trustdata"
)

// Options replace parts of the kiosk (for the demo and the tests); a nil
// part is opened as the configuration says.
type Options struct {
	Log *slog.Logger
	Now func() time.Time // the clock; default time.Now

	Source scanner.Source       // the camera; default: cfg.Camera
	Texts  []scanner.TextSource // handheld scanners; default: cfg.Camera.HID
	Light  kiosk.Light          // default: GPIO when cfg.GPIO.Enabled
	Tone   kiosk.Tone           // default: the sound card when cfg.Audio.Enabled
	Trust  kiosk.Trust          // default: the data folder, refreshed from cfg.Gateway
	Badges *badge.Checker       // default: cfg.Badges.Cert

	// Echo, when set, receives one line per change of the screen's state
	// or result, without the person (the demo prints them).
	Echo io.Writer
	// Ready is called with the screen's address once it listens.
	Ready func(displayAddr string)
	// Latency, when set, receives every scan's latency.
	Latency *kiosk.Latency
	// StatsEvery is how often the log reports counts and timings
	// (default 10 minutes).
	StatsEvery time.Duration
}

// Run runs the kiosk until ctx is done. It fails at start, naming the
// part, when something the kiosk cannot work without is missing (the
// badge certificate, the data folder, the screen's address); a missing
// camera, light or sound card is not such a thing: the kiosk carries on
// without it and the screen says so.
func Run(ctx context.Context, cfg *config.Config, o Options) (err error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	log := o.Log
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait() // every part stops before Run returns
	defer cancel()

	devices := make(chan kiosk.DeviceEvent, 8)
	report := func(ev kiosk.DeviceEvent) {
		select {
		case devices <- ev:
		case <-ctx.Done():
		}
	}

	checker := o.Badges
	if checker == nil {
		if cfg.Badges.Cert == "" {
			return errors.New("[badges] cert: the school's badge certificate is required to unlock the kiosk (make it with kiosk badge keygen)")
		}
		if checker, err = badge.LoadChecker(cfg.Badges.Cert); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	counts, err := tally.Open(cfg.DataDir)
	if err != nil {
		return err
	}
	defer counts.Close()

	trust := o.Trust
	if trust == nil {
		lt, err := trustdata.NewLive(cfg.DataDir, cfg.MaxDataAge)
		if err != nil {
			return fmt.Errorf("verification data: %w", err)
		}
		trust = lt
		if cfg.Gateway.URL != "" {
			r, err := refresher(cfg, lt, log)
			if err != nil {
				return err
			}
			wg.Add(1)
			go func() { defer wg.Done(); _ = r.Run(ctx) }()
		} else {
			log.Warn("no gateway configured: verification data is not refreshed and goes stale after the maximum age")
		}
	}

	light := o.Light
	if light == nil && cfg.GPIO.Enabled {
		l, err := gpio.New(gpioConfig(cfg))
		if err != nil {
			log.Error("no light: the screen alone shows the result", "err", err)
		} else {
			defer l.Close()
			light = l
		}
	}
	if light == nil {
		report(kiosk.DeviceEvent{Part: kiosk.PartLight, OK: false})
	}

	snd := o.Tone
	if snd == nil && cfg.Audio.Enabled {
		p, err := tone.New(tone.Config{})
		if err != nil {
			log.Error("no audio: carrying on silently", "err", err)
		} else {
			defer p.Close()
			snd = p
		}
	}
	if snd == nil {
		report(kiosk.DeviceEvent{Part: kiosk.PartAudio, OK: false})
	}

	screen, err := display.New(display.Config{Addr: cfg.Display.Address, Logger: log})
	if err != nil {
		return err
	}
	wg.Add(1)
	go func() { defer wg.Done(); _ = screen.Serve(ctx) }()
	if o.Ready != nil {
		o.Ready(screen.Addr())
	}

	scans := make(chan kiosk.Scan, 4)
	src := o.Source
	wg.Add(1)
	go func() {
		defer wg.Done()
		if src == nil {
			src = openCamera(ctx, cfg, report, log)
			if src == nil {
				return // ctx ended while waiting for a camera
			}
		}
		defer src.Close()
		scanFrames(ctx, src, newDecoder(), scans, report, log)
	}()
	texts := o.Texts
	if texts == nil && cfg.Camera.HID == "stdin" {
		texts = []scanner.TextSource{scanner.NewLineReader(os.Stdin)}
	} else if texts == nil && cfg.Camera.HID != "" {
		kb, err := scanner.OpenKeyboard(cfg.Camera.HID, scanner.Keymaps[cfg.Camera.HIDKeymap])
		if err != nil {
			log.Error("handheld scanner not available", "device", cfg.Camera.HID, "err", err)
		} else {
			texts = []scanner.TextSource{kb}
		}
	}
	for _, ts := range texts {
		// Not in the wait group: a read of standard input cannot be
		// interrupted, so shutdown closes the source and does not wait
		// for the reader (the process is about to end anyway).
		go readTexts(ctx, ts, scans, o.Now, log)
		defer ts.Close()
	}

	session := kiosk.New(kiosk.Options{
		SchoolName: cfg.School.Name, Lang: lang.Lang(cfg.School.Lang), // checked by config
		Classes: cfg.Classes, Rules: cfg.Rules, Delegations: delegations(cfg.Delegations),
		Mode: cfg.Mode, Show: cfg.Display.Show, InactivityLock: cfg.InactivityLock, Discreet: cfg.Discreet,
		Badges: checker, Trust: trust, Light: light, Tone: snd, Display: withEcho(screen, o.Echo), Counts: counts, Log: log,
	})
	latency := o.Latency
	if latency == nil {
		latency = &kiosk.Latency{}
	}
	wg.Add(1)
	go func() { defer wg.Done(); logStats(ctx, latency, o.StatsEvery, log) }()

	loop := &kiosk.Loop{Session: session, Scans: scans, Commands: screen.Commands(), Devices: devices,
		Now: o.Now, Light: light, Log: log, Latency: latency}
	log.Info("kiosk running", "display", screen.Addr(), "mode", cfg.Mode)
	return loop.Run(ctx)
}

// refresher keeps the data folder up to date from the gateway, reloading
// the verifier after every sync.
func refresher(cfg *config.Config, lt *trustdata.Live, log *slog.Logger) (*trustdata.Refresher, error) {
	client, err := gateway.New(gateway.Config{BaseURL: cfg.Gateway.URL, CAFile: cfg.Gateway.CA})
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	return &trustdata.Refresher{
		Syncer:   &trustdata.Syncer{Client: client, Dir: cfg.DataDir},
		Interval: cfg.Gateway.Refresh,
		OnSync: func(rep trustdata.Report, err error) {
			if err != nil {
				log.Warn("verification data not refreshed; will retry", "err", err)
			}
			if rerr := lt.Reload(); rerr != nil && !errors.Is(rerr, trustdata.ErrNoData) {
				log.Error("reloading verification data", "err", rerr)
			}
		},
	}, nil
}

// delegations is the configuration's list as the session looks it up.
func delegations(list []config.Delegation) kiosk.DelegationList {
	out := make(kiosk.DelegationList, len(list))
	for _, d := range list {
		out[d.ID] = kiosk.Delegation{Name: d.Name, Role: d.Role, ValidUntil: d.ValidUntil, Revoked: d.Revoked}
	}
	return out
}

// gpioConfig is the light's wiring; green stays on for as long as a
// result is on the screen.
func gpioConfig(cfg *config.Config) gpio.Config {
	amber, checked := cfg.GPIO.Amber, cfg.GPIO.Checked
	if amber < 0 {
		amber = gpio.NoLine
	}
	if checked < 0 {
		checked = gpio.NoLine
	}
	return gpio.Config{Chip: cfg.GPIO.Chip, Green: cfg.GPIO.Green, Red: cfg.GPIO.Red, Amber: amber,
		Checked: checked, ActiveLow: cfg.GPIO.ActiveLow, Hold: cfg.Display.Show}
}

// GPIOConfig exposes the light's wiring for `kiosk light-off`.
func GPIOConfig(cfg *config.Config) gpio.Config { return gpioConfig(cfg) }

// readTexts forwards what a handheld scanner types.
func readTexts(ctx context.Context, ts scanner.TextSource, scans chan<- kiosk.Scan, now func() time.Time, log *slog.Logger) {
	for {
		text, err := ts.Next(ctx)
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, io.EOF) && !errors.Is(err, scanner.ErrClosed) {
				log.Error("handheld scanner stopped", "err", err)
			}
			return
		}
		select {
		case scans <- kiosk.Scan{Text: text, Seen: now()}:
		case <-ctx.Done():
			return
		}
	}
}

// logStats reports counts and timings now and then: never what was read.
func logStats(ctx context.Context, l *kiosk.Latency, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		every = 10 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p50, p99, n := l.Quantiles()
			log.Info("scans", "total", n, "latency_p50_ms", p50.Milliseconds(), "latency_p99_ms", p99.Milliseconds())
		}
	}
}
