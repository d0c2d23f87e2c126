// Package sim provides the simulated twins of the kiosk's light and tone,
// for tests and for `kiosk demo` on a machine with no hardware at all.
// They record what they were asked, for tests, and print one line per
// change to an io.Writer, in Italian first ("luce: VERDE (green)"), for
// the demo. The simulated light holds green as a lease exactly like the
// GPIO light (the same code), so the demo shows the real timing.
package sim
