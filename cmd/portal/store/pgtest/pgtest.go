// Package pgtest gives tests a real PostgreSQL: a temporary cluster of
// Debian's postgresql 15 with its data and unix socket in a temporary
// folder, listening on no TCP port, started once per test binary and
// stopped by Main. Each DSN call makes a fresh database, so tests never
// see each other's rows. When PostgreSQL is not installed the tests
// that need it skip, and fail when the environment variable CI is set
// (scripts/test installs it).
package pgtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// Bin is where Debian installs PostgreSQL 15's programs.
const Bin = "/usr/lib/postgresql/15/bin"

// Cluster is one running temporary cluster.
type Cluster struct {
	dir   string   // data in dir/data, socket and log in dir
	runAs []string // the command prefix that runs a program as the cluster's owner
	n     atomic.Int64
}

var (
	once     sync.Once
	shared   *Cluster
	startErr error
)

// Main runs the tests of a package, then the cleanups, and stops the
// cluster if one was started; a package's TestMain is
// func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M, cleanups ...func()) {
	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	if shared != nil {
		if err := shared.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	os.Exit(code)
}

// DSN returns the DSN of a new, empty database of the shared cluster,
// starting it on first use.
func DSN(tb testing.TB) string {
	tb.Helper()
	once.Do(func() { shared, startErr = Start() })
	if startErr != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("PostgreSQL is required (CI is set): %v", startErr)
		}
		tb.Skipf("no PostgreSQL: %v", startErr)
	}
	dsn, err := shared.NewDatabase()
	if err != nil {
		tb.Fatal(err)
	}
	return dsn
}

// Start initialises and starts a cluster in a new temporary folder. initdb
// refuses to run as root, so as root the cluster belongs to the postgres
// user (runuser).
func Start() (*Cluster, error) {
	if _, err := os.Stat(filepath.Join(Bin, "initdb")); err != nil {
		return nil, fmt.Errorf("PostgreSQL 15 is not installed (apt-get install postgresql): %w", err)
	}
	dir, err := os.MkdirTemp("", "pgtest")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir}
	// The test process's pid, for stopStale: a test binary that panics or
	// is killed never runs Main's stop.
	if err := os.WriteFile(filepath.Join(dir, "owner"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	c.stopStale()
	data := filepath.Join(dir, "data")
	if err := c.run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-locale", "-E", "UTF8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c max_connections=400", dir)
	if err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	return c, nil
}

// NewDatabase creates an empty database and returns its DSN.
func (c *Cluster) NewDatabase() (string, error) {
	name := fmt.Sprintf("test%d", c.n.Add(1))
	if err := c.run("createdb", "-h", c.dir, "-U", "postgres", name); err != nil {
		return "", err
	}
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&sslmode=disable", name, c.dir), nil
}

// Stop stops the cluster and removes its folder.
func (c *Cluster) Stop() error {
	err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "fast", "-w", "stop")
	if rmErr := os.RemoveAll(c.dir); err == nil {
		err = rmErr
	}
	return err
}

// stopStale stops and removes the clusters left by test processes that
// have died: those whose owner pid is no longer running.
func (c *Cluster) stopStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "pgtest*"))
	for _, dir := range dirs {
		pid, err := os.ReadFile(filepath.Join(dir, "owner"))
		if dir == c.dir || err != nil {
			continue
		}
		if n, err := strconv.Atoi(string(pid)); err != nil || n <= 0 || syscall.Kill(n, 0) == nil {
			continue
		}
		stale := &Cluster{dir: dir, runAs: c.runAs}
		stale.Stop()
	}
}

func (c *Cluster) run(program string, args ...string) error {
	argv := append(append(append([]string{}, c.runAs...), filepath.Join(Bin, program)), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", program, err, out.Bytes())
	}
	return nil
}
