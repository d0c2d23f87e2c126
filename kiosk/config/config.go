// Package config reads the kiosk's one configuration file (TOML), whose
// every key has a documented default (kiosk.toml beside this file, embedded
// and shown by `kiosk run --print-config`). The program runs with no file at
// all on those defaults. Unknown keys and bad values are refused at start,
// naming the key and the reason: a school's configuration is typed by a
// person, and a typo must not silently become a default.
package config

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/privacy/loopback"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/verify"
)

// Reference is the documented configuration with every default.
//
//go:embed kiosk.toml
var Reference string

// MaxFileLen bounds a configuration file.
const MaxFileLen = 1 << 20

// ByFile reports whether the school's data (classes, delegations) is in
// the file; otherwise the kiosk takes it from the school office it is
// paired with.
func (c *Config) ByFile() bool { return len(c.Classes) > 0 || len(c.Delegations) > 0 }

// Config is the validated configuration. The file is decoded straight into
// these types (the TOML library decodes durations, and the days, levels and
// languages decode themselves); each section then checks its own values.
type Config struct {
	School       School              `toml:"school"`
	Classes      []school.Class      `toml:"classes"`
	RuleSets     []school.RuleSet    `toml:"rule_sets"`
	Delegations  []school.Delegation `toml:"delegations"`
	Badges       Badges              `toml:"badges"`
	Camera       Camera              `toml:"camera"`
	GPIO         GPIO                `toml:"gpio"`
	Audio        Audio               `toml:"audio"`
	Display      Display             `toml:"display"`
	Data         Data                `toml:"data"`
	Gateway      Gateway             `toml:"gateway"`
	Verification Verification        `toml:"verification"`
	Session      Session             `toml:"session"`
	Clock        Clock               `toml:"clock"`
	Office       Office              `toml:"office"`

	// Rules are the rule sets that apply: the file's, or without any the
	// built-in ones (school.DefaultRuleSets).
	Rules school.Rules `toml:"-"`
}

// School identifies the school.
type School struct {
	Code string    `toml:"code"`
	Name string    `toml:"name"`
	Lang lang.Lang `toml:"lang"`
	// Informativa is the address of the school's privacy notice (Allegato
	// B) on its website: the locked screen shows its QR to families.
	Informativa string `toml:"informativa"`
}

// maxInformativa bounds the notice's address, so that its QR stays one a
// phone reads across a desk.
const maxInformativa = 300

func (s School) validate() error {
	if s.Informativa == "" {
		return nil
	}
	u, err := url.Parse(s.Informativa)
	switch {
	case len(s.Informativa) > maxInformativa:
		return sectionError(".informativa", "%d characters, at most %d", len(s.Informativa), maxInformativa)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil:
		return sectionError(".informativa", "%.60q is not the http(s) address of a public page", s.Informativa)
	}
	return nil
}

// Badges locates the school's badge certificate and key.
type Badges struct {
	Cert string `toml:"cert"`
	Key  string `toml:"key"`
}

// Camera is the video source, and the handheld scanner if any.
type Camera struct {
	Device    string `toml:"device"`
	Width     int    `toml:"width"`
	Height    int    `toml:"height"`
	FPS       int    `toml:"fps"`
	HID       string `toml:"hid"`
	HIDKeymap string `toml:"hid_keymap"`
}

// GPIO is the light's wiring.
type GPIO struct {
	Enabled   bool   `toml:"enabled"`
	Chip      string `toml:"chip"`
	Green     int    `toml:"green"`
	Red       int    `toml:"red"`
	Amber     int    `toml:"amber"`   // -1: none
	Checked   int    `toml:"checked"` // the pupils' "checked" light; -1: none
	ActiveLow bool   `toml:"active_low"`
}

// Audio switches the tones.
type Audio struct {
	Enabled bool `toml:"enabled"`
}

// Display is the screen's page.
type Display struct {
	Address string        `toml:"address"`
	Show    time.Duration `toml:"show"`
}

// Data is where the kiosk keeps its verification data and counts.
type Data struct {
	Dir string `toml:"dir"`
}

// Gateway is where verification data comes from.
type Gateway struct {
	URL     string        `toml:"url"`
	CA      string        `toml:"ca"`
	Refresh time.Duration `toml:"refresh"`
}

// Verification is how certificates are judged.
type Verification struct {
	Mode       verify.Mode   `toml:"mode"`
	MaxDataAge time.Duration `toml:"max_data_age"`
}

// Session is the entrance session's behaviour.
type Session struct {
	// InactivityLock is how long the kiosk stays unlocked without activity.
	InactivityLock time.Duration `toml:"inactivity_lock"`
	// Discreet: one soft tone for every result, revoked shown as not valid.
	Discreet bool `toml:"discreet"`
}

// Office is how the kiosk names itself to the school office it pairs
// with (kiosk/link).
type Office struct {
	Name     string `toml:"name"`     // "" for the machine's host name
	Entrance string `toml:"entrance"` // which door, for the office's list
	// CountsEvery is how often the kiosk sends its day's counts.
	CountsEvery time.Duration `toml:"counts_every"`
}

// Clock is how long the clock is believed after its last confirmation
// (kiosk/clock).
type Clock struct {
	MaxUnconfirmed time.Duration `toml:"max_unconfirmed"`
}

// Default is the configuration with no file: the reference's values.
func Default() *Config {
	c, err := parse(Reference)
	if err != nil {
		panic("the reference configuration does not parse: " + err.Error())
	}
	return c
}

// Load reads and validates a configuration file over the defaults.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileLen+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxFileLen {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, MaxFileLen)
	}
	c, err := Parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse reads a configuration document over the defaults.
func Parse(doc string) (*Config, error) {
	var c Config
	if _, err := toml.Decode(Reference, &c); err != nil {
		return nil, fmt.Errorf("reference configuration: %w", err)
	}
	return decode(doc, &c)
}

// parse reads a document with no defaults under it (for the reference).
func parse(doc string) (*Config, error) {
	var c Config
	return decode(doc, &c)
}

func decode(doc string, c *Config) (*Config, error) {
	md, err := toml.Decode(doc, c)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			if perr.LastKey != "" {
				return nil, fmt.Errorf("%s: %s (line %d)", perr.LastKey, perr.Message, perr.Position.Line)
			}
			return nil, fmt.Errorf("line %d: %s", perr.Position.Line, perr.Message)
		}
		return nil, err
	}
	if un := md.Undecoded(); len(un) > 0 {
		keys := make([]string, len(un))
		for i, k := range un {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("unknown key %s", strings.Join(keys, ", "))
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// atLeast checks a duration's lower bound.
func atLeast(key string, d, min time.Duration) error {
	if d < min {
		return sectionError(key, "%s is shorter than the minimum %s", d, min)
	}
	return nil
}

// validate checks every section where it is defined, and prefixes the
// section's key to what it reports.
func (c *Config) validate() error {
	if err := school.CheckClasses(c.Classes); err != nil {
		return fmt.Errorf("classes%w", err)
	}
	sets := c.RuleSets
	if len(sets) == 0 {
		sets = school.DefaultRuleSets()
	}
	rules, err := school.NewRules(sets)
	if err != nil {
		return fmt.Errorf("rule_sets%w", err)
	}
	c.Rules = rules
	if err := school.CheckDelegations(c.Delegations); err != nil {
		return fmt.Errorf("delegations%w", err)
	}
	for _, s := range []struct {
		key     string
		section interface{ validate() error }
	}{
		{"school", c.School}, {"camera", c.Camera}, {"gpio", c.GPIO}, {"display", c.Display}, {"data", c.Data},
		{"gateway", c.Gateway}, {"verification", c.Verification}, {"session", c.Session}, {"clock", c.Clock}, {"office", c.Office},
	} {
		if err := s.section.validate(); err != nil {
			return fmt.Errorf("%s%w", s.key, err)
		}
	}
	return nil
}

// sectionError is an error of one section; its key is appended to the
// section's by validate ("camera" + ".fps: …").
func sectionError(key, format string, args ...any) error {
	return fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...))
}

func (c Camera) validate() error {
	if _, ok := scanner.Keymaps[c.HIDKeymap]; !ok {
		names := slices.Sorted(maps.Keys(scanner.Keymaps))
		return sectionError(".hid_keymap", "%q is not a known layout (%s)", c.HIDKeymap, strings.Join(names, ", "))
	}
	if c.Device == "" {
		return sectionError(".device", "empty (use \"auto\")")
	}
	if c.Width < 160 || c.Width > 4096 || c.Height < 120 || c.Height > 4096 {
		return sectionError(".width/height", "%d×%d is not a camera size (160×120 … 4096×4096)", c.Width, c.Height)
	}
	if c.FPS < 1 || c.FPS > 60 {
		return sectionError(".fps", "%d is outside 1…60", c.FPS)
	}
	return nil
}

func (g GPIO) validate() error {
	for key, v := range map[string]int{".green": g.Green, ".red": g.Red} {
		if v < 0 || v > 511 {
			return sectionError(key, "line %d is outside 0…511", v)
		}
	}
	if g.Amber < -1 || g.Amber > 511 {
		return sectionError(".amber", "line %d is outside -1 (none) … 511", g.Amber)
	}
	if g.Checked < -1 || g.Checked > 511 {
		return sectionError(".checked", "line %d is outside -1 (none) … 511", g.Checked)
	}
	if g.Checked >= 0 && (g.Checked == g.Green || g.Checked == g.Red || g.Checked == g.Amber) {
		return sectionError(".checked", "line %d is also another light's line", g.Checked)
	}
	if g.Green == g.Red || g.Amber == g.Green || g.Amber == g.Red {
		return sectionError("", "green, red and amber must be different lines")
	}
	return nil
}

func (d Display) validate() error {
	if _, err := loopback.ListenAddress(d.Address); err != nil {
		return sectionError(".address", "%v: the screen shows pupils' names and is served on this machine only", err)
	}
	if err := atLeast(".show", d.Show, time.Second); err != nil {
		return err
	}
	if d.Show > 30*time.Second {
		return sectionError(".show", "%s is too long to keep a pupil's name on screen (at most 30s)", d.Show)
	}
	return nil
}

func (d Data) validate() error {
	if d.Dir == "" {
		return sectionError(".dir", "empty")
	}
	return nil
}

func (g Gateway) validate() error {
	if g.URL != "" {
		if err := loopback.CheckURL(g.URL); err != nil {
			return sectionError(".url", "%v", err)
		}
	}
	return atLeast(".refresh", g.Refresh, time.Minute)
}

func (v Verification) validate() error {
	if _, err := verify.ParseMode(string(v.Mode)); err != nil {
		return sectionError(".mode", "%v", err)
	}
	return atLeast(".max_data_age", v.MaxDataAge, time.Hour)
}

func (s Session) validate() error {
	return atLeast(".inactivity_lock", s.InactivityLock, 30*time.Second)
}

func (o Office) validate() error {
	if len(o.Name) > 64 || len(o.Entrance) > 64 {
		return sectionError("", "name and entrance are at most 64 characters")
	}
	return atLeast(".counts_every", o.CountsEvery, time.Second)
}

func (c Clock) validate() error { return atLeast(".max_unconfirmed", c.MaxUnconfirmed, time.Hour) }
