package gpio

import "fmt"

// Reset turns off every line of c from a process that does not own the
// light, by requesting the lines as outputs that are off and releasing
// them. It is the light's recovery after a crash, for systemd's
// ExecStopPost; the kiosk's own exit path calls Light.Close instead.
//
// It fails, naming the line and its holder, while another process holds
// the lines.
func Reset(c Config) error {
	return reset(c, openLines)
}

func reset(c Config, open opener) error {
	if err := c.validate(); err != nil {
		return err
	}
	lines, err := open(c, c.requestOptions())
	if err != nil {
		return err
	}
	if err := lines.Close(); err != nil {
		return fmt.Errorf("gpio: release %s after reset: %w", c.describe(), err)
	}
	return nil
}
