package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/verify/calendar"
)

func TestDefaultsAreTheReference(t *testing.T) {
	c := Default()
	if c.Camera.Width != 640 || c.Camera.Height != 480 || c.Camera.FPS != 15 || c.Display.Show != 5*time.Second ||
		c.Verification.MaxDataAge != 24*time.Hour || c.Verification.Mode != "school" || c.Display.Address != "127.0.0.1:8080" ||
		c.School.Lang != lang.IT || c.Session.InactivityLock != 10*time.Minute || !c.Session.Discreet ||
		c.Clock.MaxUnconfirmed != 24*time.Hour || c.GPIO.Amber != 22 || c.Data.Dir != "/var/lib/kiosk" {
		t.Fatalf("defaults: %+v", c)
	}
	if len(c.Rules) != 2 || c.Rules.InForce(calendar.Date(2022, 2, 15)).Name != "DL 5/2022 art. 6" {
		t.Fatalf("default rule sets: %+v", c.Rules)
	}
	// An empty file is the defaults too.
	e, err := Parse("")
	if err != nil || e.Camera != c.Camera || e.Display != c.Display {
		t.Fatalf("empty file: %v", err)
	}
}

func TestAFullFile(t *testing.T) {
	doc := `
[school]
code = "MIIC8AB00X"
name = "IC Manzoni"

[[classes]]
name = "3A"
level = "primaria"
enrolled = 22
cases = [2022-02-07, 2022-02-08, 2022-02-10, 2022-02-12, 2022-02-14]

[[classes]]
name = "2B"
level = "secondaria1"
enrolled = 25
verify_until = 2022-02-20

[[delegations]]
id = "D-1"
name = "Maria Bianchi"
role = "collaboratrice scolastica"
valid_until = 2022-06-30

[camera]
fps = 10

[display]
show = "7s"
`
	c, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	if c.School.Code != "MIIC8AB00X" || len(c.Classes) != 2 || c.Classes[0].Level != school.Primaria || len(c.Classes[0].Cases) != 5 ||
		c.Classes[1].VerifyUntil == nil || c.Classes[1].VerifyUntil.String() != "2022-02-20" || c.Camera.FPS != 10 || c.Camera.Width != 640 ||
		c.Display.Show != 7*time.Second || len(c.Delegations) != 1 || c.Delegations[0].ValidUntil.String() != "2022-06-30" {
		t.Fatalf("%+v", c)
	}
	v := school.UnderVerification(c.Classes, c.Rules, calendar.Date(2022, 2, 15))
	if len(v) != 2 {
		t.Fatalf("under verification on 15/02: %+v", v)
	}
}

// Each bad value is refused naming its key and the reason.
func TestErrorsNameTheKey(t *testing.T) {
	for doc, want := range map[string]string{
		"[camera]\nfsp = 10":                                              "unknown key camera.fsp",
		"[camara]\nfps = 10":                                              "unknown key camara",
		"[camera]\nfps = 100":                                             "camera.fps: 100 is outside 1…60",
		"[camera]\nfps = \"ten\"":                                         `line 2 (last key "camera.fps"): incompatible types`,
		"[display]\nshow = \"five\"":                                      `display.show: invalid duration: "five" (line 2)`,
		"[display]\nshow = \"0.5s\"":                                      `display.show: 500ms is shorter than the minimum 1s`,
		"[school]\nname = \"x\"\nname = \"y\"":                            "line 3",
		"[display]\nshow = \"2m\"":                                        "display.show: 2m0s is too long",
		"[display]\naddress = \"0.0.0.0:8080\"":                           "display.address: address \"0.0.0.0:8080\" is not a loopback address",
		"[school]\ninformativa = \"www.scuola.it\"":                       `school.informativa: "www.scuola.it" is not the http(s) address of a public page`,
		"[school]\nlang = \"fr\"":                                         `school.lang: unknown language "fr" (supported: [it en]) (line 2)`,
		"[[classes]]\nname = \"1A\"\nlevel = \"prima\"":                   `classes[0].level: unknown level "prima"`,
		"[[classes]]\nname = \"1A\"\nlevel = \"primaria\"\nenrolled = -3": "classes[0].enrolled: -3",
		"[[classes]]\nname = \"1A\"\nlevel = \"primaria\"\n[[classes]]\nname = \"1A\"\nlevel = \"primaria\"": `classes[1].name: class "1A" is listed twice`,
		"[[delegations]]\nid = \"D\"\nname = \"X\"":                                                          "delegations[0].valid_until: missing",
		"[gpio]\ngreen = 27":                                 "gpio: green, red and amber must be different lines",
		"[gpio]\namber = -5":                                 "gpio.amber",
		"[verification]\nmode = \"4G\"":                      `verification.mode: unknown scan mode "4G"`,
		"[verification]\nmax_data_age = \"10m\"":             "verification.max_data_age: 10m0s is shorter than the minimum 1h0m0s",
		"[gateway]\nurl = \"ftp://x\"":                       `gateway.url: URL "ftp://x": the scheme must be https`,
		"[gateway]\nurl = \"http://127.0.0.1.example.org/\"": `gateway.url: URL "http://127.0.0.1.example.org/": plain http is allowed to this machine only`,
		"[[rule_sets]]\nname = \"x\"\nfrom = 2030-01-01\nlevels = { quinta = { threshold = 1, days = 1 } }": `rule_sets[0].levels: unknown level "quinta"`,
		"[data]\ndir = \"\"": "data.dir: empty",
		"[[classes]]\nname = \"1A\"\nlevel = \"primaria\"\ncases = [2022-02-30]":                                                                      "line 4",
		"[[classes]]\nname = \"1A\"\nlevel = \"primaria\"\ncases = [\"7 febbraio\"]":                                                                  `classes.cases: "7 febbraio" is not a date`,
		"[[classes]]\nname = \"1A\"\nlevel = \"primaria\"\nverify_until = 2022-02-07T10:00:00":                                                        "classes.verify_until: 2022-02-07 10:00:00 is a time, not a date",
		"[[rule_sets]]\nname = \"x\"\nfrom = 2030-01-01\nlevels = { primaria = { steps = [{ min_cases = 0, measure = \"suspended\", days = 5 }] } }":  "rule_sets[0].levels.primaria.steps[0]: min_cases must be 1 or more",
		"[[rule_sets]]\nname = \"x\"\nfrom = 2030-01-01\nlevels = { primaria = { steps = [{ min_cases = 2, measure = \"quarantena\", days = 5 }] } }": `rule_sets[0].levels.primaria.steps[0]: measure "quarantena"`,
		"[[rule_sets]]\nname = \"x\"\nlevels = {}":                                                                                                    "rule_sets[0].from: missing",
		"[[rule_sets]]\nname = \"x\"\nfrom = 2030-01-01\n[[rule_sets]]\nname = \"y\"\nfrom = 2030-01-01":                                              `rule_sets: rule sets "x" and "y" both come into force on 2030-01-01`,
		"[camera]\nhid_keymap = \"de\"": `camera.hid_keymap: "de" is not a known layout (it, us)`,
	} {
		_, err := Parse(doc)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", doc, err, want)
		}
	}
}

// A rule set written in full, with its steps, decodes into the engine's
// own types and applies: a future law is data, not code.
func TestRuleSetWithSteps(t *testing.T) {
	c, err := Parse(`
[[classes]]
name = "1A"
level = "primaria"
cases = [2030-10-01, 2030-10-03, 2030-10-05]

[[rule_sets]]
name = "Piano 2030"
from = 2030-09-15
episode_gap_days = 7

[rule_sets.levels.primaria]
steps = [
  { min_cases = 1, measure = "autosorveglianza", days = 10 },
  { min_cases = 3, measure = "daily_verification", days = 5 },
]
`)
	if err != nil {
		t.Fatal(err)
	}
	st := c.Rules.StatusOn(&c.Classes[0], calendar.Date(2030, 10, 6))
	if st.Measure != school.DailyVerification || st.Until.String() != "2030-10-10" || st.Cases != 3 {
		t.Fatalf("status: %+v", st)
	}
	st = c.Rules.StatusOn(&c.Classes[0], calendar.Date(2030, 10, 11))
	if st.Measure != school.Autosorveglianza || st.Until.String() != "2030-10-15" {
		t.Fatalf("after the daily verification: %+v", st)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "kiosk.toml")
	os.WriteFile(p, []byte("[camera]\nfps = 0\n"), 0o600)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), p+": camera.fps") {
		t.Errorf("Load error does not name the file and key: %v", err)
	}
	os.WriteFile(p, []byte(strings.Repeat("#", MaxFileLen+1)), 0o600)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.toml")); err == nil {
		t.Error("missing file accepted")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(Reference)
	f.Add("[camera]\nfps = 10")
	f.Fuzz(func(t *testing.T, doc string) {
		c, err := Parse(doc)
		if (c == nil) == (err == nil) {
			t.Fatal("Parse returned both or neither")
		}
	})
}
