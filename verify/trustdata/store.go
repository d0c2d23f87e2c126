package trustdata

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

const (
	manifestName = "manifest.json"
	pendingDir   = "drl-pending"
	tempPrefix   = ".tmp-"
	// manifestFormat is the layout version; a newer one is refused rather
	// than misread.
	manifestFormat = 1
	// maxManifestLen bounds the manifest (a few hundred bytes).
	maxManifestLen = 64 << 10
)

// The three sets, by their names on disk and in messages.
const (
	kindSigners  = "signers"
	kindSettings = "settings"
	kindDRL      = "drl"
)

// setFileName is what a manifest may name for each set: nothing else is
// ever opened, so a damaged manifest cannot point outside the folder or at
// another set's file.
var setFileName = map[string]*regexp.Regexp{
	kindSigners:  regexp.MustCompile(`^signers-[0-9a-f]{16}\.json$`),
	kindSettings: regexp.MustCompile(`^settings-[0-9a-f]{16}\.json$`),
	kindDRL:      regexp.MustCompile(`^drl-[0-9a-f]{16}\.bin$`),
}

// isSetFile reports whether name is any set's file.
func isSetFile(name string) bool {
	for _, re := range setFileName {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}

// manifest says which file holds each set and when the gateway last
// confirmed it. A set absent has never been synced.
type manifest struct {
	Format   int       `json:"format"`
	Signers  *setEntry `json:"signers,omitempty"`
	Settings *setEntry `json:"settings,omitempty"`
	DRL      *setEntry `json:"drl,omitempty"`
}

type setEntry struct {
	File      string    `json:"file"`
	Confirmed time.Time `json:"confirmed"`
	// Count is the number of certificates, settings or hashes.
	Count int `json:"count"`
	// Version is the revocation list's version at the gateway.
	Version uint64 `json:"version,omitempty"`
}

func readManifest(dir string) (manifest, error) {
	data, err := ReadBounded(filepath.Join(dir, manifestName), maxManifestLen)
	if errors.Is(err, fs.ErrNotExist) {
		return manifest{Format: manifestFormat}, nil
	}
	if err != nil {
		return manifest{}, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return manifest{}, fmt.Errorf("%s is damaged: %w", manifestName, err)
	}
	if m.Format != manifestFormat {
		return manifest{}, fmt.Errorf("%s has format %d; this kiosk reads format %d", manifestName, m.Format, manifestFormat)
	}
	for kind, e := range map[string]*setEntry{kindSigners: m.Signers, kindSettings: m.Settings, kindDRL: m.DRL} {
		if e != nil && !setFileName[kind].MatchString(e.File) {
			return manifest{}, fmt.Errorf("%s names %q for the %s, which is not a %s file", manifestName, e.File, kind, kind)
		}
	}
	return m, nil
}

// store writes under the data folder. Every write goes through step, which
// a test may make fail to stop the sync at any point, as a crash would.
type store struct {
	dir   string
	fault func(step string) error
}

func (st *store) step(what string) error {
	if st.fault == nil {
		return nil
	}
	return st.fault(what)
}

// commit makes m the current manifest: the atomic switch to new sets.
func (st *store) commit(m manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return st.writeFile(st.dir, manifestName, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// collect removes what no manifest names: the files of replaced sets and
// temporary files left by an interrupted write. It runs under the lock, so
// no sync is writing; a reader that loses a file to it loads again.
func (st *store) collect(m manifest) {
	keep := map[string]bool{}
	for _, e := range []*setEntry{m.Signers, m.Settings, m.DRL} {
		if e != nil {
			keep[e.File] = true
		}
	}
	for _, dir := range []string{st.dir, filepath.Join(st.dir, pendingDir)} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			n := e.Name()
			if strings.HasPrefix(n, tempPrefix) || (dir == st.dir && isSetFile(n) && !keep[n]) {
				if st.step("remove "+n) == nil {
					os.Remove(filepath.Join(dir, n))
				}
			}
		}
	}
}

// ReadBounded reads a whole file, refusing one over limit bytes before it
// is in memory: every file the kiosk reads from outside (trust data here,
// the files given to kiosk verify) goes through it.
func ReadBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is over the %d-byte bound", path, limit)
	}
	return data, nil
}
