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
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/privacy/loopback"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/calendar"
)

// Reference is the documented configuration with every default.
//
//go:embed kiosk.toml
var Reference string

// MaxFileLen bounds a configuration file.
const MaxFileLen = 1 << 20

// Config is the validated configuration.
type Config struct {
	School      School
	Classes     []school.Class
	Rules       school.Rules
	Delegations []Delegation
	Badges      Badges
	Camera      Camera
	GPIO        GPIO
	Audio       Audio
	Display     Display
	DataDir     string
	Gateway     Gateway
	Mode        verify.Mode
	MaxDataAge  time.Duration
	// InactivityLock is how long the kiosk stays unlocked without activity.
	InactivityLock time.Duration
	// Discreet: one soft tone for every result, revoked shown as not valid.
	Discreet bool
	// MaxUnconfirmed is how long the clock is believed after its last
	// confirmation (kiosk/clock).
	MaxUnconfirmed time.Duration
}

// School identifies the school.
type School struct {
	Code, Name, Lang string
}

// Delegation is one delegate's written delegation (Allegato A).
type Delegation struct {
	ID, Name, Role string
	ValidUntil     calendar.Day
	Revoked        bool
}

// Badges locates the school's badge certificate and key.
type Badges struct{ Cert, Key string }

// Camera is the video source, and the handheld scanner if any.
type Camera struct {
	Device             string
	Width, Height, FPS int
	HID, HIDKeymap     string
}

// GPIO is the light's wiring.
type GPIO struct {
	Enabled           bool
	Chip              string
	Green, Red, Amber int // Amber -1: none
	Checked           int // the pupils' "checked" light; -1: none
	ActiveLow         bool
}

// Audio switches the tones.
type Audio struct{ Enabled bool }

// Display is the screen's page.
type Display struct {
	Address string
	Show    time.Duration
}

// Gateway is where verification data comes from.
type Gateway struct {
	URL, CA string
	Refresh time.Duration
}

// file mirrors the TOML layout; Load converts and validates it.
type file struct {
	School struct {
		Code string `toml:"code"`
		Name string `toml:"name"`
		Lang string `toml:"lang"`
	} `toml:"school"`
	Classes []struct {
		Name        string      `toml:"name"`
		Level       string      `toml:"level"`
		Enrolled    int         `toml:"enrolled"`
		Cases       []time.Time `toml:"cases"`
		VerifyUntil *time.Time  `toml:"verify_until"`
	} `toml:"classes"`
	RuleSets []struct {
		Name           string    `toml:"name"`
		From           time.Time `toml:"from"`
		EpisodeGapDays int       `toml:"episode_gap_days"`
		Levels         map[string]struct {
			Threshold int `toml:"threshold"`
			Days      int `toml:"days"`
		} `toml:"levels"`
	} `toml:"rule_sets"`
	Delegations []struct {
		ID         string    `toml:"id"`
		Name       string    `toml:"name"`
		Role       string    `toml:"role"`
		ValidUntil time.Time `toml:"valid_until"`
		Revoked    bool      `toml:"revoked"`
	} `toml:"delegations"`
	Badges struct {
		Cert string `toml:"cert"`
		Key  string `toml:"key"`
	} `toml:"badges"`
	Camera struct {
		Device string `toml:"device"`
		Width  int    `toml:"width"`
		Height int    `toml:"height"`
		FPS    int    `toml:"fps"`
		HID    string `toml:"hid"`
		Keymap string `toml:"hid_keymap"`
	} `toml:"camera"`
	GPIO struct {
		Enabled   bool   `toml:"enabled"`
		Chip      string `toml:"chip"`
		Green     int    `toml:"green"`
		Red       int    `toml:"red"`
		Amber     int    `toml:"amber"`
		Checked   int    `toml:"checked"`
		ActiveLow bool   `toml:"active_low"`
	} `toml:"gpio"`
	Audio struct {
		Enabled bool `toml:"enabled"`
	} `toml:"audio"`
	Display struct {
		Address string `toml:"address"`
		Show    string `toml:"show"`
	} `toml:"display"`
	Data struct {
		Dir string `toml:"dir"`
	} `toml:"data"`
	Gateway struct {
		URL     string `toml:"url"`
		CA      string `toml:"ca"`
		Refresh string `toml:"refresh"`
	} `toml:"gateway"`
	Verification struct {
		Mode       string `toml:"mode"`
		MaxDataAge string `toml:"max_data_age"`
	} `toml:"verification"`
	Session struct {
		InactivityLock string `toml:"inactivity_lock"`
		Discreet       bool   `toml:"discreet"`
	} `toml:"session"`
	Clock struct {
		MaxUnconfirmed string `toml:"max_unconfirmed"`
	} `toml:"clock"`
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
	var f file
	if _, err := toml.Decode(Reference, &f); err != nil {
		return nil, fmt.Errorf("reference configuration: %w", err)
	}
	return decode(doc, &f)
}

// parse reads a document with no defaults under it (for the reference).
func parse(doc string) (*Config, error) {
	var f file
	return decode(doc, &f)
}

func decode(doc string, f *file) (*Config, error) {
	md, err := toml.Decode(doc, f)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
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
	return f.validate()
}

// keyError names the key that is wrong.
func keyError(key, format string, args ...any) error {
	return fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...))
}

// day is the calendar day a TOML local date names.
func day(d time.Time) calendar.Day { return calendar.Date(d.Date()) }

func duration(key, s string, min time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, keyError(key, "%q is not a duration (like 90s, 10m, 24h)", s)
	}
	if d < min {
		return 0, keyError(key, "%s is shorter than the minimum %s", d, min)
	}
	return d, nil
}

func (f *file) validate() (*Config, error) {
	c := &Config{School: School{Code: f.School.Code, Name: f.School.Name, Lang: f.School.Lang}}
	if c.School.Lang != "it" && c.School.Lang != "en" {
		return nil, keyError("school.lang", "%q is not a supported language (it, en)", c.School.Lang)
	}
	names := map[string]bool{}
	for i, fc := range f.Classes {
		key := fmt.Sprintf("classes[%d]", i)
		if fc.Name == "" {
			return nil, keyError(key+".name", "missing")
		}
		if names[fc.Name] {
			return nil, keyError(key+".name", "class %q is listed twice", fc.Name)
		}
		names[fc.Name] = true
		level, err := school.ParseLevel(fc.Level)
		if err != nil {
			return nil, keyError(key+".level", "%v", err)
		}
		if fc.Enrolled < 0 || fc.Enrolled > 100 {
			return nil, keyError(key+".enrolled", "%d is not a number of pupils in a class (0…100)", fc.Enrolled)
		}
		cl := school.Class{Name: fc.Name, Level: level, Enrolled: fc.Enrolled}
		for _, d := range fc.Cases {
			cl.Cases = append(cl.Cases, day(d))
		}
		if fc.VerifyUntil != nil {
			u := day(*fc.VerifyUntil)
			cl.VerifyUntil = &u
		}
		c.Classes = append(c.Classes, cl)
	}
	sets := school.DefaultRuleSets()
	if len(f.RuleSets) > 0 {
		sets = nil
		for i, fr := range f.RuleSets {
			key := fmt.Sprintf("rule_sets[%d]", i)
			rs := school.RuleSet{Name: fr.Name, From: day(fr.From), EpisodeGapDays: fr.EpisodeGapDays, Levels: map[school.Level]school.LevelRule{}}
			if rs.Name == "" {
				return nil, keyError(key+".name", "missing")
			}
			for name, lr := range fr.Levels {
				level, err := school.ParseLevel(name)
				if err != nil {
					return nil, keyError(key+".levels", "%v", err)
				}
				if lr.Threshold < 0 || lr.Days < 0 || lr.Days > 60 {
					return nil, keyError(key+".levels."+name, "threshold and days must be 0 or more (days at most 60)")
				}
				rs.Levels[level] = school.LevelRule{Threshold: lr.Threshold, Days: lr.Days}
			}
			sets = append(sets, rs)
		}
	}
	rules, err := school.NewRules(sets)
	if err != nil {
		return nil, keyError("rule_sets", "%v", err)
	}
	c.Rules = rules
	ids := map[string]bool{}
	for i, fd := range f.Delegations {
		key := fmt.Sprintf("delegations[%d]", i)
		if fd.ID == "" || fd.Name == "" {
			return nil, keyError(key, "id and name are required")
		}
		if ids[fd.ID] {
			return nil, keyError(key+".id", "delegation %q is listed twice", fd.ID)
		}
		ids[fd.ID] = true
		if fd.ValidUntil.IsZero() {
			return nil, keyError(key+".valid_until", "missing: a delegation is valid until a date")
		}
		c.Delegations = append(c.Delegations, Delegation{ID: fd.ID, Name: fd.Name, Role: fd.Role, ValidUntil: day(fd.ValidUntil), Revoked: fd.Revoked})
	}
	c.Badges = Badges{Cert: f.Badges.Cert, Key: f.Badges.Key}

	c.Camera = Camera{Device: f.Camera.Device, Width: f.Camera.Width, Height: f.Camera.Height, FPS: f.Camera.FPS,
		HID: f.Camera.HID, HIDKeymap: f.Camera.Keymap}
	if c.Camera.HIDKeymap != "us" && c.Camera.HIDKeymap != "it" {
		return nil, keyError("camera.hid_keymap", "%q is not a known layout (us, it)", c.Camera.HIDKeymap)
	}
	if c.Camera.Device == "" {
		return nil, keyError("camera.device", "empty (use \"auto\")")
	}
	if c.Camera.Width < 160 || c.Camera.Width > 4096 || c.Camera.Height < 120 || c.Camera.Height > 4096 {
		return nil, keyError("camera.width/height", "%d×%d is not a camera size (160×120 … 4096×4096)", c.Camera.Width, c.Camera.Height)
	}
	if c.Camera.FPS < 1 || c.Camera.FPS > 60 {
		return nil, keyError("camera.fps", "%d is outside 1…60", c.Camera.FPS)
	}

	c.GPIO = GPIO{Enabled: f.GPIO.Enabled, Chip: f.GPIO.Chip, Green: f.GPIO.Green, Red: f.GPIO.Red, Amber: f.GPIO.Amber, Checked: f.GPIO.Checked, ActiveLow: f.GPIO.ActiveLow}
	for key, v := range map[string]int{"gpio.green": c.GPIO.Green, "gpio.red": c.GPIO.Red} {
		if v < 0 || v > 511 {
			return nil, keyError(key, "line %d is outside 0…511", v)
		}
	}
	if c.GPIO.Amber < -1 || c.GPIO.Amber > 511 {
		return nil, keyError("gpio.amber", "line %d is outside -1 (none) … 511", c.GPIO.Amber)
	}
	if c.GPIO.Checked < -1 || c.GPIO.Checked > 511 {
		return nil, keyError("gpio.checked", "line %d is outside -1 (none) … 511", c.GPIO.Checked)
	}
	if c.GPIO.Checked >= 0 && (c.GPIO.Checked == c.GPIO.Green || c.GPIO.Checked == c.GPIO.Red || c.GPIO.Checked == c.GPIO.Amber) {
		return nil, keyError("gpio.checked", "line %d is also another light's line", c.GPIO.Checked)
	}
	if c.GPIO.Green == c.GPIO.Red || c.GPIO.Amber == c.GPIO.Green || c.GPIO.Amber == c.GPIO.Red {
		return nil, keyError("gpio", "green, red and amber must be different lines")
	}
	c.Audio = Audio{Enabled: f.Audio.Enabled}

	c.Display.Address = f.Display.Address
	if _, err := loopback.ListenAddress(c.Display.Address); err != nil {
		return nil, keyError("display.address", "%v: the screen shows pupils' names and is served on this machine only", err)
	}
	if c.Display.Show, err = duration("display.show", f.Display.Show, time.Second); err != nil {
		return nil, err
	}
	if c.Display.Show > 30*time.Second {
		return nil, keyError("display.show", "%s is too long to keep a pupil's name on screen (at most 30s)", c.Display.Show)
	}
	if c.DataDir = f.Data.Dir; c.DataDir == "" {
		return nil, keyError("data.dir", "empty")
	}
	c.Gateway = Gateway{URL: f.Gateway.URL, CA: f.Gateway.CA}
	if c.Gateway.URL != "" {
		if err := loopback.CheckURL(c.Gateway.URL); err != nil {
			return nil, keyError("gateway.url", "%v", err)
		}
	}
	if c.Gateway.Refresh, err = duration("gateway.refresh", f.Gateway.Refresh, time.Minute); err != nil {
		return nil, err
	}
	if c.Mode, err = verify.ParseMode(f.Verification.Mode); err != nil {
		return nil, keyError("verification.mode", "%v", err)
	}
	if c.MaxDataAge, err = duration("verification.max_data_age", f.Verification.MaxDataAge, time.Hour); err != nil {
		return nil, err
	}
	if c.InactivityLock, err = duration("session.inactivity_lock", f.Session.InactivityLock, 30*time.Second); err != nil {
		return nil, err
	}
	c.Discreet = f.Session.Discreet
	if c.MaxUnconfirmed, err = duration("clock.max_unconfirmed", f.Clock.MaxUnconfirmed, time.Hour); err != nil {
		return nil, err
	}
	return c, nil
}
