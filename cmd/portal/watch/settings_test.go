package watch

import (
	"context"
	"testing"

	"github.com/scuola/kiosk/cmd/portal/store"
)

func TestParseSettings(t *testing.T) {
	form := func(kv ...string) func(string) string {
		m := map[string]string{"method": "c3", "alpha": "0.01", "baseline": "9", "min_sigma": "0.004", "min_count": "6"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	s, field, err := parseSettings("ATS Brianza", form())
	want := store.Settings{ATS: "ATS Brianza", Method: "c3", Alpha: 0.01, Baseline: 9, MinSigma: 0.004, MinCount: 6}
	if err != nil || s != want || field != "" {
		t.Errorf("a good form: %+v %q %v", s, field, err)
	}
	for _, c := range []struct {
		kv    []string
		field string
	}{
		{[]string{"method", "c4"}, "method"},
		{[]string{"alpha", "1"}, "alpha"},
		{[]string{"alpha", "x"}, "alpha"},
		{[]string{"alpha", "0"}, "alpha"},
		{[]string{"baseline", "2"}, "baseline"},
		{[]string{"baseline", "0"}, "baseline"},
		{[]string{"baseline", "7.5"}, "baseline"},
		{[]string{"min_sigma", "-1"}, "min_sigma"},
		{[]string{"method", "ewma", "baseline", "28"}, "min_sigma"}, // EWMA has its own floors
		{[]string{"min_count", "-3"}, "min_count"},
	} {
		if _, field, err := parseSettings("ATS Brianza", form(c.kv...)); err == nil || field != c.field {
			t.Errorf("%v: field %q, %v", c.kv, field, err)
		}
	}
}

// An ATS that set nothing has the defaults; one that did, its own.
func TestSettingsOf(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if s, err := settingsOf(ctx, st, "ATS Brianza"); err != nil || s.Method != DefaultSettings.Method || s.ATS != "ATS Brianza" {
		t.Errorf("defaults: %+v %v", s, err)
	}
	own := store.Settings{ATS: "ATS Brianza", Method: "ewma", Alpha: 0.01, Baseline: 28, By: "x"}
	if err := st.PutSettings(ctx, own); err != nil {
		t.Fatal(err)
	}
	if s, _ := settingsOf(ctx, st, "ATS Brianza"); s != own {
		t.Errorf("own: %+v", s)
	}
}
