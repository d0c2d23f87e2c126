// Package daemon assembles the running kiosk from its configuration — the
// camera and handheld scanners, the trust data and its refresher, the
// light, the tones, the screen and the entrance session — and runs it until
// it is stopped. `kiosk run` and `kiosk demo` are this package with
// different parts plugged in.
package daemon

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scuola/kiosk/hardware/gpio"
	"github.com/scuola/kiosk/hardware/tone"
	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/bundle"
	"github.com/scuola/kiosk/kiosk/clock"
	"github.com/scuola/kiosk/kiosk/config"
	"github.com/scuola/kiosk/kiosk/display"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/school"
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
	// ClockSync is the system clock's synchronisation state; default the
	// kernel's (clock.System). The demo assumes its clock right
	// (clock.Assumed): its certificates are made for whatever time it has.
	ClockSync clock.Sync

	// Echo, when set, receives one line per change of the screen's state
	// or result, without the person (the demo prints them).
	Echo io.Writer
	// Ready is called with the screen's address once it listens.
	Ready func(displayAddr string)
	// Latency, when set, receives every scan's latency.
	Latency *kiosk.Latency
	// CountsEvery is how often a paired kiosk sends its counts to the
	// office (default one minute).
	CountsEvery time.Duration
	// StatsEvery is how often the log reports counts and timings
	// (default 10 minutes).
	StatsEvery time.Duration
}

// Run runs the kiosk until ctx is done. It fails at start, naming the
// part, when something the kiosk cannot work without is missing (the
// badge certificate, the data folder, the screen's address); a missing
// camera, light or sound card is not such a thing: the kiosk carries on
// without it and the screen says so.
func Run(ctx context.Context, cfg *config.Config, o Options) error {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	ctx, cancel := context.WithCancel(ctx)
	k := &parts{cfg: cfg, o: o, log: o.Log, devices: make(chan kiosk.DeviceEvent, 8)}
	defer k.close()
	defer cancel() // first: every part's goroutine sees it before close waits
	k.report = func(ev kiosk.DeviceEvent) {
		select {
		case k.devices <- ev:
		case <-ctx.Done():
		}
	}
	for _, open := range []func(context.Context) error{k.openBadges, k.openData, k.openTrust, k.openLight, k.openTone, k.openScreen, k.openScanners, k.openOffice} {
		if err := open(ctx); err != nil {
			return err
		}
	}
	latency := cmp.Or(o.Latency, &kiosk.Latency{})
	k.goRun(func() { logStats(ctx, latency, o.StatsEvery, k.log) })
	loop := &kiosk.Loop{Session: k.session(ctx), Scans: k.scans, Commands: k.screen.Commands(), Devices: k.devices,
		School: k.school, Notices: k.notices, Now: o.Now, Light: k.light, Log: k.log, Latency: latency}
	k.log.Info("kiosk running", "display", k.screen.Addr(), "mode", cfg.Verification.Mode)
	return loop.Run(ctx)
}

// parts are what Run opens, each by one method, and what it must close.
type parts struct {
	cfg     *config.Config
	o       Options
	log     *slog.Logger
	devices chan kiosk.DeviceEvent
	report  func(kiosk.DeviceEvent)

	wg      sync.WaitGroup
	closers []func() // run in reverse order, after the goroutines end
	texts   []scanner.TextSource

	badges *badge.Checker
	counts *tally.Store
	clock  *clock.Guard
	trust  kiosk.Trust
	light  kiosk.Light
	tone   kiosk.Tone
	screen *display.Server
	scans  chan kiosk.Scan

	// The school office's link (office.go), when the file has no school data.
	bundles  *bundle.Store
	paired   atomic.Bool // a pairing is kept, or being made
	unpaired atomic.Bool // the office no longer knows this kiosk
	school   chan kiosk.SchoolData
	notices  chan lang.Key
	mu       sync.Mutex
	stop     context.CancelFunc // ends the follower of the current pairing
}

// goRun starts a part's goroutine; close waits for it.
func (k *parts) goRun(f func()) {
	k.wg.Add(1)
	go func() { defer k.wg.Done(); f() }()
}

// close stops the handheld scanners (whose reads only a close ends), waits
// for every goroutine, then closes the parts, last opened first.
func (k *parts) close() {
	for _, ts := range k.texts {
		ts.Close()
	}
	k.wg.Wait()
	for i := len(k.closers) - 1; i >= 0; i-- {
		k.closers[i]()
	}
}

// openBadges loads the school's certificate, without which no delegate
// can unlock the kiosk.
func (k *parts) openBadges(context.Context) (err error) {
	if k.badges = k.o.Badges; k.badges != nil {
		return nil
	}
	if k.cfg.Badges.Cert == "" {
		return errors.New("[badges] cert: the school's badge certificate is required to unlock the kiosk (make it with kiosk badge keygen)")
	}
	k.badges, err = badge.LoadChecker(k.cfg.Badges.Cert)
	return err
}

// openData opens the data folder: the class counts and the clock's last
// witnessed instant.
func (k *parts) openData(context.Context) (err error) {
	dir := k.cfg.Data.Dir
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	if k.counts, err = tally.Open(dir); err != nil {
		return err
	}
	k.closers = append(k.closers, func() { k.counts.Close() })
	k.clock, err = clock.Open(filepath.Join(dir, "clock"), cmp.Or[clock.Sync](k.o.ClockSync, clock.System{}), k.cfg.Clock.MaxUnconfirmed)
	return err
}

// openTrust loads the verification data and, with a gateway, keeps it
// refreshed; the gateway's clock and every sync witness the kiosk's own.
func (k *parts) openTrust(ctx context.Context) error {
	if k.trust = k.o.Trust; k.trust != nil {
		return nil
	}
	lt, err := trustdata.NewLive(k.cfg.Data.Dir, k.cfg.Verification.MaxDataAge)
	if err != nil {
		return fmt.Errorf("verification data: %w", err)
	}
	k.trust = lt
	if k.cfg.Gateway.URL == "" {
		k.log.Warn("no gateway configured: verification data is not refreshed and goes stale after the maximum age")
		return nil
	}
	r, err := k.refresher(lt)
	if err != nil {
		return err
	}
	k.goRun(func() { _ = r.Run(ctx) })
	return nil
}

// openLight opens the GPIO light; without one the screen alone tells.
func (k *parts) openLight(context.Context) error {
	k.light = k.o.Light
	if k.light == nil && k.cfg.GPIO.Enabled {
		l, err := gpio.New(gpioConfig(k.cfg))
		if err != nil {
			k.log.Error("no light: the screen alone shows the result", "err", err)
		} else {
			k.closers = append(k.closers, func() { l.Close() })
			k.light = l
		}
	}
	if k.light == nil {
		k.report(kiosk.DeviceEvent{Part: kiosk.PartLight, OK: false})
	}
	return nil
}

// openTone opens the sound card; without one the kiosk is silent.
func (k *parts) openTone(context.Context) error {
	k.tone = k.o.Tone
	if k.tone == nil && k.cfg.Audio.Enabled {
		p, err := tone.New(tone.Config{})
		if err != nil {
			k.log.Error("no audio: carrying on silently", "err", err)
		} else {
			k.closers = append(k.closers, func() { p.Close() })
			k.tone = p
		}
	}
	if k.tone == nil {
		k.report(kiosk.DeviceEvent{Part: kiosk.PartAudio, OK: false})
	}
	return nil
}

// openScreen starts the screen's page on its loopback address.
func (k *parts) openScreen(ctx context.Context) (err error) {
	if k.screen, err = display.New(display.Config{Addr: k.cfg.Display.Address, Logger: k.log}); err != nil {
		return err
	}
	k.goRun(func() { _ = k.screen.Serve(ctx) })
	if k.o.Ready != nil {
		k.o.Ready(k.screen.Addr())
	}
	return nil
}

// openScanners starts reading the camera (waiting for one to be plugged
// in) and the handheld scanners into one channel of scans.
func (k *parts) openScanners(ctx context.Context) error {
	k.scans = make(chan kiosk.Scan, 4)
	src := k.o.Source
	k.goRun(func() {
		if src == nil {
			if src = openCamera(ctx, k.cfg, k.report, k.log); src == nil {
				return // ctx ended while waiting for a camera
			}
		}
		defer src.Close()
		scanFrames(ctx, src, newDecoder(), k.scans, k.report, k.log)
	})
	cam := k.cfg.Camera
	k.texts = k.o.Texts
	if k.texts == nil && cam.HID == "stdin" {
		k.texts = []scanner.TextSource{scanner.NewLineReader(os.Stdin)}
	} else if k.texts == nil && cam.HID != "" {
		kb, err := scanner.OpenKeyboard(cam.HID, scanner.Keymaps[cam.HIDKeymap])
		if err != nil {
			k.log.Error("handheld scanner not available", "device", cam.HID, "err", err)
		} else {
			k.texts = []scanner.TextSource{kb}
		}
	}
	for _, ts := range k.texts {
		// Not in the wait group: a read of standard input cannot be
		// interrupted, so shutdown closes the source and does not wait
		// for the reader (the process is about to end anyway).
		go readTexts(ctx, ts, k.scans, k.o.Now, k.log)
	}
	return nil
}

// session is the entrance session over the opened parts: the school's
// data from the file, or from the office's last bundle.
func (k *parts) session(ctx context.Context) *kiosk.Session {
	cfg := k.cfg
	sd := kiosk.SchoolData{Name: cfg.School.Name, Informativa: cfg.School.Informativa, Classes: cfg.Classes, Rules: cfg.Rules, Delegations: delegations(cfg.Delegations)}
	var pair func(string) lang.Key
	var office kiosk.Office
	if !cfg.ByFile() {
		pair, office = k.pair(ctx), officeState{k}
		if b := k.bundles.Current(); b != nil {
			sd = schoolData(b, cfg.School.Name)
		}
	}
	return kiosk.New(kiosk.Options{
		SchoolName: sd.Name, Informativa: sd.Informativa, Lang: cfg.School.Lang,
		Classes: sd.Classes, Rules: sd.Rules, Delegations: sd.Delegations, Pair: pair,
		Mode: cfg.Verification.Mode, Show: cfg.Display.Show,
		InactivityLock: cfg.Session.InactivityLock, Discreet: cfg.Session.Discreet,
		Badges: k.badges, Trust: k.trust, Office: office, Light: k.light, Tone: k.tone, Display: withEcho(k.screen, k.o.Echo, cfg.School.Lang),
		Counts: k.counts, Clock: k.clock, Log: k.log,
	})
}

// refresher keeps the data folder up to date from the gateway, reloading
// the verifier after every sync. The gateway's Date header witnesses the
// kiosk's clock, and a sync made while the clock was trusted becomes an
// instant the clock may never again fall behind (kiosk/clock).
func (k *parts) refresher(lt *trustdata.Live) (*trustdata.Refresher, error) {
	cfg := k.cfg
	gc := gateway.Config{BaseURL: cfg.Gateway.URL, CAFile: cfg.Gateway.CA}
	gc.Witness = func(ours, theirs time.Time) {
		if err := k.clock.Witness(ours, theirs); err != nil {
			k.log.Error("keeping the clock's witness", "err", err)
		}
	}
	client, err := gateway.New(gc)
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	return &trustdata.Refresher{
		Syncer:   &trustdata.Syncer{Client: client, Dir: cfg.Data.Dir},
		Interval: cfg.Gateway.Refresh,
		OnSync: func(rep trustdata.Report, err error) {
			if err != nil {
				k.log.Warn("verification data not refreshed; will retry", "err", err)
			} else if now := k.o.Now(); k.clock.Check(now) == nil {
				if err := k.clock.Happened(now); err != nil {
					k.log.Error("keeping the clock's witness", "err", err)
				}
			}
			if rerr := lt.Reload(); rerr != nil && !errors.Is(rerr, trustdata.ErrNoData) {
				k.log.Error("reloading verification data", "err", rerr)
			}
		},
	}, nil
}

// delegations is the configuration's list as the session looks it up.
func delegations(list []school.Delegation) kiosk.DelegationList {
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
