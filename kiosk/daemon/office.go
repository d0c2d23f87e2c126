package daemon

import (
	"cmp"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/bundle"
	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/link"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
)

// BundleFile is the school bundle's file in the data folder.
const BundleFile = "bundle"

// countsDays is how many days of counts a kiosk sends each time: a week,
// so that counts made while the office was down for days still arrive.
const countsDays = 7

// openOffice prepares the link to the school office when the school's data
// is not in the configuration file: the last bundle kept, and the follower
// of the office once the kiosk is paired (at start, or by a pairing QR).
func (k *parts) openOffice(ctx context.Context) (err error) {
	k.school = make(chan kiosk.SchoolData, 1)
	k.notices = make(chan lang.Key, 4)
	if k.cfg.ByFile() {
		return nil
	}
	if k.bundles, err = bundle.OpenStore(filepath.Join(k.cfg.Data.Dir, BundleFile), k.badges); err != nil {
		return err
	}
	p, err := link.LoadPairing(k.cfg.Data.Dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		k.log.Warn("no school data in the configuration and no pairing: show the office's pairing QR to the camera")
		return nil
	case err != nil:
		return err
	}
	return k.follow(ctx, p)
}

// follow starts following the office the kiosk is paired with, ending the
// follower of an earlier pairing.
func (k *parts) follow(ctx context.Context, p *link.Pairing) error {
	c, err := link.NewClient(p, version())
	if err != nil {
		return err
	}
	k.mu.Lock()
	if k.stop != nil {
		k.stop()
	}
	ctx, k.stop = context.WithCancel(ctx)
	k.mu.Unlock()
	k.unpaired.Store(false)
	c.Witness = func(ours, theirs time.Time) {
		if err := k.clock.Witness(ours, theirs); err != nil {
			k.log.Error("keeping the clock's witness", "err", err)
		}
	}
	k.paired.Store(true)
	f := &link.Follower{Client: c, Store: k.bundles, Log: k.log, Counts: k.recentCounts, CountsEvery: cmp.Or(k.o.CountsEvery, k.cfg.Office.CountsEvery),
		OnBundle: func(b *bundle.Bundle) {
			if err := k.clock.Happened(b.Signed); err != nil {
				k.log.Error("keeping the clock's witness", "err", err)
			}
			k.unpaired.Store(false)
			k.log.Info("school bundle", "seq", b.Seq, "classes", len(b.Classes), "delegations", len(b.Delegations))
			k.offer(schoolData(b, k.cfg.School.Name))
		},
		OnError: func(err error) {
			if errors.Is(err, link.ErrUnknownKiosk) && !k.unpaired.Swap(true) {
				k.tell(lang.OfficeUnpaired)
			}
		},
	}
	k.goRun(func() { f.Run(ctx) })
	return nil
}

// pair is the session's Pair: it answers at once and pairs in the
// background, telling the delegate how it ended.
func (k *parts) pair(ctx context.Context) func(string) lang.Key {
	return func(text string) lang.Key {
		inv, err := link.ParseInvitation(text)
		if err != nil {
			return lang.PairBadQR
		}
		// A kiosk the office unpaired may be paired again.
		if !k.paired.CompareAndSwap(false, true) && !k.unpaired.Load() {
			return lang.PairAlready
		}
		k.paired.Store(true)
		name := k.cfg.Office.Name
		if name == "" {
			name, _ = os.Hostname()
		}
		k.goRun(func() {
			pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			p, err := link.Pair(pctx, inv, name, k.cfg.Office.Entrance, version())
			if err == nil {
				err = p.Save(k.cfg.Data.Dir)
			}
			if err == nil {
				err = k.follow(ctx, p)
			}
			if err != nil {
				k.paired.Store(false)
				k.log.Error("pairing with the office failed", "err", err)
				k.tell(lang.PairFailed)
				return
			}
			k.log.Info("paired with the office", "office", inv.URL, "name", name)
			k.tell(lang.PairDone)
		})
		return lang.PairStarted
	}
}

// officeState is the session's view of the link (kiosk.Office).
type officeState struct{ k *parts }

func (o officeState) Held() (signed time.Time, paired bool) {
	if b := o.k.bundles.Current(); b != nil {
		signed = b.Signed
	}
	return signed, o.k.paired.Load() && !o.k.unpaired.Load()
}

// offer hands the session the newest school data, replacing any the
// session has not taken yet.
func (k *parts) offer(sd kiosk.SchoolData) {
	for {
		select {
		case k.school <- sd:
			return
		default:
			select {
			case <-k.school:
			default:
			}
		}
	}
}

// tell passes a notice to the session, dropping it if notices pile up.
func (k *parts) tell(n lang.Key) {
	select {
	case k.notices <- n:
	default:
	}
}

// recentCounts are the last week's counts of this kiosk, as the office
// takes them.
func (k *parts) recentCounts(ctx context.Context) (link.Counts, error) {
	today := calendar.Of(k.o.Now())
	var out link.Counts
	for d := today - countsDays + 1; d <= today; d++ {
		counts, err := k.counts.Day(ctx, d)
		if err != nil {
			return out, err
		}
		if len(counts) == 0 {
			continue
		}
		dc := link.DayCounts{Day: d}
		for _, c := range counts {
			dc.Classes = append(dc.Classes, link.ClassCounts{Class: c.Class, Admitted: c.Admitted, Refused: c.Refused})
		}
		out.Days = append(out.Days, dc)
	}
	return out, nil
}

// schoolData is a bundle as the session takes it; the bundle's classes
// already carry their end of daily verification, so no rule set applies.
func schoolData(b *bundle.Bundle, fallbackName string) kiosk.SchoolData {
	name := b.School.Name
	if name == "" {
		name = fallbackName
	}
	rules, _ := school.NewRules(nil)
	return kiosk.SchoolData{Name: name, Informativa: b.Informativa, Classes: b.Classes, Rules: rules, Delegations: delegations(b.Delegations)}
}

// version is the kiosk's software version, for the office's list.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
