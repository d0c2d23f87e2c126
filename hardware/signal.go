package hardware

import (
	"strconv"
	"time"
)

// Signal is what the entrance light shows. The zero value is SignalOff, the
// safe state.
type Signal uint8

// The signals. Only SignalAdmit lights green, and only for a hold time.
const (
	SignalOff       Signal = iota // all lights off
	SignalAdmit                   // green: the certificate admits
	SignalDeny                    // red: it does not
	SignalAttention               // amber: kiosk locked or verification data stale
)

// DefaultHold is how long SignalAdmit keeps the light green when the
// caller does not show anything else: long enough for the delegate to see
// it, short enough that a stuck caller cannot wave the next pupil through.
const DefaultHold = 3 * time.Second

// String returns the signal's English name, for logs.
func (s Signal) String() string {
	switch s {
	case SignalOff:
		return "off"
	case SignalAdmit:
		return "admit"
	case SignalDeny:
		return "deny"
	case SignalAttention:
		return "attention"
	}
	return "Signal(" + strconv.Itoa(int(s)) + ")"
}
