package watch

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/scuola/kiosk/cmd/portal/alarm"
	"github.com/scuola/kiosk/cmd/portal/store"
)

// DefaultSettings are an ATS's alarm settings until it sets its own: EARS
// C2 at earsC's alpha, whose guard band keeps an outbreak's first reports
// out of its own baseline, and a minimum of 5 absent pupils, so that a
// small plesso going from 0 to 2 absent raises no alarm.
var DefaultSettings = store.Settings{Method: string(alarm.C2), Alpha: 0.001, Baseline: 7, MinSigma: 0.005, MinCount: 5}

// settingsOf returns an ATS's settings, its defaults when it has none.
func settingsOf(ctx context.Context, st store.Store, ats string) (store.Settings, error) {
	s, err := st.Settings(ctx, ats)
	if errors.Is(err, store.ErrNotFound) {
		s = DefaultSettings
		s.ATS = ats
		return s, nil
	}
	return s, err
}

// options are the detector's options of settings; MinCount is not among
// them: the series are rates and the minimum is a count of pupils, which
// alarms applies.
func options(s store.Settings) alarm.Options {
	return alarm.Options{Method: alarm.Method(s.Method), Alpha: s.Alpha, Baseline: s.Baseline, MinSigma: s.MinSigma}
}

// parseSettings reads the settings form: every field is required, and
// checked as the detector checks its options. The error names the field.
func parseSettings(ats string, get func(string) string) (store.Settings, string, error) {
	s := store.Settings{ATS: ats, Method: strings.TrimSpace(get("method"))}
	var err error
	num := func(name string, into *float64) {
		if err == nil {
			if *into, err = strconv.ParseFloat(strings.TrimSpace(get(name)), 64); err != nil {
				err = fmt.Errorf("%s: %q is not a number", name, get(name))
			}
		}
	}
	count := func(name string, into *int) {
		if err == nil {
			if *into, err = strconv.Atoi(strings.TrimSpace(get(name))); err != nil || *into < 0 {
				err = fmt.Errorf("%s: %q is not a whole number, 0 or more", name, get(name))
			}
		}
	}
	num("alpha", &s.Alpha)
	count("baseline", &s.Baseline)
	num("min_sigma", &s.MinSigma)
	count("min_count", &s.MinCount)
	if err != nil {
		return s, strings.SplitN(err.Error(), ":", 2)[0], err
	}
	switch {
	case s.Alpha == 0: // 0 would be the method's default, not a choice
		return s, "alpha", errors.New("alpha: must be between 0 and 1")
	case s.Baseline == 0:
		return s, "baseline", errors.New("baseline: must be more than 0")
	}
	if err := options(s).Check(); err != nil {
		return s, checkField(err), err
	}
	return s, "", nil
}

// checkField names the form's field an error of alarm.Options.Check is
// about, by the words it starts with.
func checkField(err error) string {
	for _, f := range []struct{ prefix, field string }{{"baseline", "baseline"}, {"alpha", "alpha"}, {"min sigma", "min_sigma"}} {
		if strings.HasPrefix(err.Error(), f.prefix) {
			return f.field
		}
	}
	return "method"
}
