package trustdata

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/scuola/kiosk/verify/gateway"
	"github.com/scuola/kiosk/verify/revocation"
)

// downloadPlan is what an unfinished revocation-list download is fetching.
// It is kept in drl-pending/plan.json, beside one file per chunk received,
// so that a later sync resumes at the first chunk missing.
type downloadPlan struct {
	ID          string `json:"id,omitempty"`
	FromVersion uint64 `json:"fromVersion"` // 0: a snapshot
	Version     uint64 `json:"version"`
	Chunks      int    `json:"chunks"`
	Total       int    `json:"totalNumberUCVI"`
}

const planName = "plan.json"

// planOf plans the download a check answer announces. Anything to fetch
// (a delta, a snapshot that is not empty) takes at least one chunk, even
// when the answer leaves totalChunk out; chunk 1 may then correct the count
// (see download).
func planOf(c gateway.Check) downloadPlan {
	p := downloadPlan{ID: c.ID, FromVersion: c.FromVersion, Version: c.Version, Chunks: c.TotalChunk, Total: c.TotalNumberUCVI}
	if p.Chunks == 0 && (p.FromVersion != 0 || p.Total > 0) {
		p.Chunks = 1
	}
	return p
}

// serves reports whether an unfinished download p can be resumed in place
// of a new plan: the same download, or a snapshot of the same version,
// which serves whatever the stored list is. (The number of chunks is not
// compared: the first chunk may have corrected the check's.)
func (p downloadPlan) serves(want downloadPlan) bool {
	if p.Version != want.Version || p.Total != want.Total {
		return false
	}
	return p.FromVersion == 0 || (p.FromVersion == want.FromVersion && p.ID == want.ID)
}

// chunkFile names the files of chunk k: the snapshot's hashes or the
// delta's insertions (.add, written last: its presence marks the chunk
// received), and the delta's deletions (.del).
func chunkFile(k int, ext string) string { return fmt.Sprintf("chunk-%06d.%s", k, ext) }

func (st *store) pendingDir() string { return filepath.Join(st.dir, pendingDir) }

func readPlan(dir string) (*downloadPlan, error) {
	data, err := ReadBounded(filepath.Join(dir, pendingDir, planName), maxManifestLen)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var p downloadPlan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%s/%s is damaged: %w", pendingDir, planName, err)
	}
	return &p, nil
}

// readPending describes an unfinished download for Load. A plan for the
// version already stored is a download that finished just before its
// leftovers were removed.
func readPending(dir string, stored uint64) (*Pending, error) {
	p, err := readPlan(dir)
	if err != nil || p == nil || p.Version == stored {
		return nil, err
	}
	return &Pending{FromVersion: p.FromVersion, Version: p.Version, Received: received(dir, *p), Chunks: p.Chunks}, nil
}

// received is the number of chunks received in a row from the first.
func received(dir string, p downloadPlan) int {
	for k := 1; k <= p.Chunks; k++ {
		if _, err := os.Stat(filepath.Join(dir, pendingDir, chunkFile(k, "add"))); err != nil {
			return k - 1
		}
	}
	return p.Chunks
}

// startPending discards any unfinished download and records a new plan.
func (st *store) startPending(p downloadPlan) error {
	if err := st.removePending(); err != nil {
		return err
	}
	if err := os.Mkdir(st.pendingDir(), 0o755); err != nil {
		return err
	}
	return st.writePlan(p)
}

func (st *store) writePlan(p downloadPlan) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return st.writeFile(st.pendingDir(), planName, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

func (st *store) removePending() error {
	if _, err := os.Stat(st.pendingDir()); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := st.step("remove " + pendingDir); err != nil {
		return err
	}
	if err := os.RemoveAll(st.pendingDir()); err != nil {
		return err
	}
	return syncDir(st.dir)
}

// writeChunk stores chunk k of the plan: deletions first, then the
// insertions whose file marks the chunk as received.
func (st *store) writeChunk(k int, version uint64, add, del *revocation.Set) error {
	if del.Len() > 0 {
		if err := st.writeFile(st.pendingDir(), chunkFile(k, "del"), func(w io.Writer) error { return del.WriteBinary(w, version) }); err != nil {
			return err
		}
	}
	return st.writeFile(st.pendingDir(), chunkFile(k, "add"), func(w io.Writer) error { return add.WriteBinary(w, version) })
}

// readChunk reads chunk k back; a missing .del file is an empty one.
func (st *store) readChunk(k int, version uint64) (add, del *revocation.Set, err error) {
	for _, f := range []struct {
		ext string
		set **revocation.Set
	}{{"add", &add}, {"del", &del}} {
		s, v, err := readHashFile(filepath.Join(st.pendingDir(), chunkFile(k, f.ext)))
		switch {
		case f.ext == "del" && errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, nil, err
		case v != version:
			return nil, nil, fmt.Errorf("%s is for version %d, not %d", chunkFile(k, f.ext), v, version)
		}
		*f.set = s
	}
	return add, del, nil
}
