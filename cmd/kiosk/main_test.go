package main

import (
	"os"
	"os/exec"
	"testing"
)

// asKioskEnv makes the test binary behave as the kiosk binary: the tests
// that must run the real command as a process of its own (to time its
// start, to trace its system calls) run this very binary, without a build.
const asKioskEnv = "KIOSK_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(asKioskEnv) == "1" {
		os.Exit(kiosk.Dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// kioskCommand is `kiosk args...` as a process.
func kioskCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asKioskEnv+"=1")
	return cmd
}
