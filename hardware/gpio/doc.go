// Package gpio drives the kiosk's entrance light — green, red and an
// optional amber — on the Linux GPIO character device, through
// github.com/warthog618/go-gpiocdev. It is pure Go and cross-compiles for
// the Raspberry Pi (CGO_ENABLED=0 GOARCH=arm64).
//
// # Safety: never green by accident
//
//   - Green is a lease: Show(hardware.SignalAdmit) lights green for at most
//     Config.Hold (hardware.DefaultHold by default), then a timer inside the
//     Light turns it off, so a caller that hangs cannot keep admitting.
//   - New requests every line as an output that is already inactive: the
//     light is off from the first instant the kiosk owns it. After a crash
//     and a restart the kiosk therefore starts dark, and shows
//     hardware.SignalAttention (amber) while it is locked.
//   - Close turns everything off and releases the lines; it is what the
//     kiosk's exit path (a signal handler, a deferred call) runs. The
//     kernel does not define a released line's level in general; the
//     Raspberry Pi's controller keeps the last one, so off stays off.
//   - A process that is killed (SIGKILL, a panic in any goroutine, the OOM
//     killer) runs no Close. For that, Reset turns the configured lines off
//     from a fresh process.
//
// Run Reset from systemd after every stop of the kiosk, however it ended:
//
//	[Service]
//	ExecStart=/usr/local/bin/kiosk run
//	# a subcommand that calls gpio.Reset with the same Config
//	ExecStopPost=/usr/local/bin/kiosk light-off
//	Restart=on-failure
//
// Wire the lights active-high on pins whose power-on pull is down (BCM 9–27
// on the Raspberry Pi; the defaults 17, 27 and 22 are such pins), so that a
// pin nobody drives — before boot, between a crash and ExecStopPost — is
// dark. With ActiveLow wiring, use pins pulled up at power-on (BCM 0–8).
//
// # Faults
//
// Errors from New and Reset that mean "there is no usable light" (no chip,
// no permission, a line that does not exist or is held by another program)
// wrap hardware.ErrNoGPIO and name the chip and the line; the kiosk then
// goes on with the screen only. Configuration mistakes do not wrap it.
package gpio
