package trustdata

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/revocation"
)

// inconsistent is a download that the gateway's own numbers contradict (a
// chunk of another version, a count that does not add up, a delta that
// does not apply). Unlike a failed transfer it is not resumed: a delta
// falls back to a full snapshot, a snapshot is started again next time.
type inconsistent struct{ error }

func inconsistency(format string, a ...any) error { return inconsistent{fmt.Errorf(format, a...)} }

// syncDRL brings the stored revocation list up to the gateway's version:
// confirmed when unchanged, else by a delta or a snapshot, downloaded chunk
// by chunk (resuming an earlier download), checked against the gateway's
// count and only then committed. When the gateway's numbers contradict a
// delta or the stored list, it starts afresh from a full snapshot, once.
func (s *Syncer) syncDRL(ctx context.Context, st *store, at time.Time) (*DRLReport, error) {
	m, err := readManifest(st.dir)
	if err != nil {
		return nil, err
	}
	from := uint64(0)
	if m.DRL != nil {
		from = m.DRL.Version
	}
	chk, err := s.Client.DRLCheck(ctx, from)
	if err != nil {
		return nil, err
	}
	rep := &DRLReport{}
	upToDate := m.DRL != nil && chk.Version == m.DRL.Version
	switch err = s.attempt(ctx, st, m, chk, at, rep); {
	case err == nil:
		return rep, nil
	case !errors.As(err, new(inconsistent)), chk.Snapshot() && !upToDate:
		return nil, err // a failed transfer resumes next time; a snapshot has nothing to fall back to
	}
	rep.FellBack = err.Error()
	if chk, err = s.Client.DRLCheck(ctx, 0); err != nil {
		return nil, fmt.Errorf("%s; asking for a full snapshot instead: %w", rep.FellBack, err)
	}
	if !chk.Snapshot() {
		return nil, fmt.Errorf("%s; asked for a full snapshot, the gateway offers a delta from version %d", rep.FellBack, chk.FromVersion)
	}
	m.DRL = nil
	if err := s.attempt(ctx, st, m, chk, at, rep); err != nil {
		return nil, fmt.Errorf("full snapshot after a delta did not apply (%s): %w", rep.FellBack, err)
	}
	return rep, nil
}

// attempt is update, except that an inconsistent download's chunks are
// discarded: resuming them would only repeat the inconsistency.
func (s *Syncer) attempt(ctx context.Context, st *store, m manifest, chk gateway.Check, at time.Time, rep *DRLReport) error {
	err := s.update(ctx, st, m, chk, at, rep)
	if errors.As(err, new(inconsistent)) {
		if rerr := st.removePending(); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	return err
}

// update carries out one check answer against the stored list m.DRL (nil
// when the answer is to be taken as a snapshot whatever is stored).
func (s *Syncer) update(ctx context.Context, st *store, m manifest, chk gateway.Check, at time.Time, rep *DRLReport) error {
	cur := m.DRL
	if cur != nil && chk.Version == cur.Version {
		if chk.TotalNumberUCVI != cur.Count {
			return inconsistency("the stored list of version %d has %d hashes, the gateway counts %d", cur.Version, cur.Count, chk.TotalNumberUCVI)
		}
		if err := st.removePending(); err != nil {
			return err
		}
		cur.Confirmed = at
		*rep = DRLReport{Version: cur.Version, Count: cur.Count, Unchanged: true}
		return st.commit(m)
	}
	if !chk.Snapshot() && (cur == nil || chk.FromVersion != cur.Version) {
		stored := "none"
		if cur != nil {
			stored = fmt.Sprintf("version %d", cur.Version)
		}
		return inconsistency("the gateway offers a delta from version %d, the stored list is %s", chk.FromVersion, stored)
	}
	plan, err := s.resumeOrStart(st, planOf(chk), rep)
	if err != nil {
		return err
	}
	if err := s.download(ctx, st, &plan, rep); err != nil {
		return err
	}
	set, err := s.assemble(st, plan, cur)
	if err != nil {
		return err
	}
	name, err := st.writeContent(kindDRL, ".bin", func(w io.Writer) error { return set.WriteBinary(w, plan.Version) })
	if err != nil {
		return err
	}
	m.DRL = &setEntry{File: name, Confirmed: at, Count: set.Len(), Version: plan.Version}
	if err := st.commit(m); err != nil {
		return err
	}
	rep.Version, rep.Count, rep.FromVersion = plan.Version, set.Len(), plan.FromVersion
	return st.removePending()
}

// resumeOrStart continues the unfinished download when it serves the new
// plan, and otherwise starts the new one.
func (s *Syncer) resumeOrStart(st *store, want downloadPlan, rep *DRLReport) (downloadPlan, error) {
	p, err := readPlan(st.dir)
	if err == nil && p != nil && p.serves(want) {
		if n := received(st.dir, *p); n > 0 {
			rep.ResumedAt = n + 1
		}
		return *p, nil
	}
	return want, st.startPending(want)
}

// download fetches the chunks not yet received, checking each against the
// plan and storing it before asking for the next. The first chunk's
// lastChunk, when given, is the number of chunks (gateways have served a
// check whose totalChunk disagreed with it, or none); every later chunk
// must then agree with it, and the final count decides.
func (s *Syncer) download(ctx context.Context, st *store, p *downloadPlan, rep *DRLReport) error {
	for k := received(st.dir, *p) + 1; k <= p.Chunks; k++ {
		where := fmt.Sprintf("chunk %d of %d (version %d)", k, p.Chunks, p.Version)
		ch, err := s.Client.DRLChunk(ctx, p.FromVersion, k)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if k == 1 && ch.LastChunk != 0 && ch.LastChunk != p.Chunks {
			p.Chunks = ch.LastChunk
			if err := st.writePlan(*p); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
		if err := checkChunk(ch, *p, k); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if err := st.writeChunk(k, p.Version, revocation.NewSet(ch.Hashes), revocation.NewSet(ch.Deletions)); err != nil {
			return fmt.Errorf("%s: storing it: %w", where, err)
		}
		rep.Chunks++
	}
	return nil
}

// checkChunk holds a chunk to the plan: the kind, and the version, number
// and count of chunks where the chunk states them.
func checkChunk(ch gateway.Chunk, p downloadPlan, k int) error {
	switch {
	case p.FromVersion == 0 && !ch.Snapshot:
		return inconsistency("a delta where the plan is a snapshot")
	case p.FromVersion != 0 && ch.Snapshot:
		return inconsistency("a snapshot where the plan is a delta from version %d", p.FromVersion)
	case ch.Version != 0 && ch.Version != p.Version:
		return inconsistency("the chunk is for version %d, the check announced %d", ch.Version, p.Version)
	case !ch.Snapshot && ch.FromVersion != 0 && ch.FromVersion != p.FromVersion:
		return inconsistency("a delta from version %d, the plan starts from %d", ch.FromVersion, p.FromVersion)
	case ch.Chunk != 0 && ch.Chunk != k:
		return inconsistency("the gateway answered with chunk %d", ch.Chunk)
	case ch.LastChunk != 0 && ch.LastChunk != p.Chunks:
		return inconsistency("the chunk says there are %d chunks, the first said %d", ch.LastChunk, p.Chunks)
	}
	return nil
}

// assemble builds the new list from the stored chunks (and, for a delta,
// the stored list) and checks its count against the gateway's.
func (s *Syncer) assemble(st *store, p downloadPlan, cur *setEntry) (*revocation.Set, error) {
	var add, del []revocation.Hash
	if p.FromVersion == 0 {
		add = make([]revocation.Hash, 0, p.Total)
	}
	for k := 1; k <= p.Chunks; k++ {
		a, d, err := st.readChunk(k, p.Version)
		if err != nil {
			return nil, inconsistency("stored chunk %d is unreadable (%v): the download starts again", k, err)
		}
		if len(add)+a.Len() > revocation.MaxLen {
			return nil, inconsistency("the chunks hold more than %d hashes", revocation.MaxLen)
		}
		add, del = append(add, a.Hashes()...), append(del, d.Hashes()...)
	}
	var set *revocation.Set
	if p.FromVersion == 0 {
		set = revocation.NewSet(add)
	} else {
		base, _, err := readHashFile(filepath.Join(st.dir, cur.File))
		if err != nil {
			return nil, err
		}
		if set, err = base.Apply(revocation.NewSet(add), revocation.NewSet(del)); err != nil {
			return nil, inconsistent{fmt.Errorf("version %d: %w", p.FromVersion, err)}
		}
	}
	if set.Len() != p.Total {
		return nil, inconsistency("the list of version %d has %d hashes after the download, the gateway announced %d (totalNumberUCVI)", p.Version, set.Len(), p.Total)
	}
	return set, nil
}
