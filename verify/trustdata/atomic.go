package trustdata

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// writeFile replaces dir/name atomically: the data goes to a temporary
// file in the same folder, which is fsynced, closed and renamed over the
// name; then the folder is fsynced so that the rename survives a power cut.
// Readers see the old file or the new one, whole.
func (st *store) writeFile(dir, name string, write func(io.Writer) error) error {
	tmp, err := st.writeTemp(dir, nil, write)
	if err != nil {
		return err
	}
	return st.publish(tmp, dir, name)
}

// writeContent writes a set's file under a name made from its content,
// kind-<16 hex digits of SHA-256>ext, so that a set is never rewritten in
// place and an unchanged set keeps its name. It returns the name.
func (st *store) writeContent(kind, ext string, write func(io.Writer) error) (string, error) {
	sum := sha256.New()
	tmp, err := st.writeTemp(st.dir, sum, write)
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("%s-%x%s", kind, sum.Sum(nil)[:8], ext)
	return name, st.publish(tmp, st.dir, name)
}

// writeTemp writes a temporary file in dir, fsynced and closed, and
// returns its path; sum, when given, sees every byte written.
func (st *store) writeTemp(dir string, sum hash.Hash, write func(io.Writer) error) (path string, err error) {
	if err := st.step("create in " + filepath.Base(dir)); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// Public data, for the kiosk's user whoever ran the sync.
	if err := f.Chmod(0o644); err != nil {
		return "", err
	}
	var w io.Writer = f // the writers buffer what they write
	if sum != nil {
		w = io.MultiWriter(f, sum)
	}
	if err := st.step("write " + f.Name()); err != nil {
		return "", err
	}
	if err := write(w); err != nil {
		return "", fmt.Errorf("writing %s: %w", f.Name(), err)
	}
	if err := st.step("fsync " + f.Name()); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("fsync %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("closing %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// publish renames a written temporary file to its name and fsyncs the
// folder.
func (st *store) publish(tmp, dir, name string) error {
	if err := st.step("rename " + name); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := st.step("fsync folder for " + name); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes the folder's entries (a rename, a removal) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}
