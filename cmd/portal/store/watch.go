package store

import "context"

// Watch is what the ATS's pages read and keep: the sentinel schools and
// their coverage, the reports that did not arrive, the absence series of
// an ATS, and the ATS's alarm settings and its reviews of the alarms.
// Alarms themselves are not stored: they are computed from the series
// and the settings each time, so that a changed setting or a late report
// changes them; only what a person said of one (seen, dismissed) is kept.
type Watch interface {
	// ATSs lists the health agencies of the region's plessi, in order.
	ATSs(ctx context.Context) ([]string, error)
	// Coverage returns an ATS's sentinel plessi and their pupils aged
	// 6–19 against those of all its plessi.
	Coverage(ctx context.Context, ats string) (Coverage, error)
	// Missing returns the sentinel plessi of an ATS with no report of day.
	Missing(ctx context.Context, ats, day string) ([]School, error)
	// Series returns the absence series of each of an ATS's plessi from
	// day from to day to, by code: the year of every plesso the detectors
	// judge and the ATS's sums of each day, read as one row per plesso.
	Series(ctx context.Context, ats, from, to string) ([]Series, error)
	// SchoolDays returns every report of an ATS's plessi from day from to
	// day to, by plesso then day, without their classes.
	SchoolDays(ctx context.Context, ats, from, to string) ([]SchoolDay, error)

	// Settings returns an ATS's alarm settings; ErrNotFound if it has set
	// none (the caller applies its defaults).
	Settings(ctx context.Context, ats string) (Settings, error)
	// PutSettings replaces an ATS's alarm settings.
	PutSettings(ctx context.Context, s Settings) error
	// Reviews returns an ATS's reviews of alarms on days from to to.
	Reviews(ctx context.Context, ats, from, to string) ([]Review, error)
	// PutReview records a review, replacing the earlier one of its alarm.
	PutReview(ctx context.Context, r Review) error
}

// Coverage is an ATS's sentinel plessi and the pupils aged 6–19 they
// cover, of all those of the ATS's plessi; the regional plan asks for 5%.
type Coverage struct {
	ATS               string
	Pupils619         int // of every plesso of the ATS
	SentinelPupils619 int
	Sentinels         []School // by code
}

// Share is the sentinels' part of the ATS's pupils aged 6–19 (0 when it
// has none).
func (c Coverage) Share() float64 {
	if c.Pupils619 == 0 {
		return 0
	}
	return float64(c.SentinelPupils619) / float64(c.Pupils619)
}

// Series is one plesso's reports, oldest first: the day and the counts
// of each, NotGiven for an optional count the report did not give.
type Series struct {
	School   string
	Days     []string
	Enrolled []int
	Absent   []int
	Illness  []int // absent for illness
	Measures []int // classes under measure
}

// NotGiven is an optional count of a Series that a report did not give.
const NotGiven = -1

// SchoolDay is one plesso's report of one day, without its classes.
type SchoolDay struct {
	School, Day         string
	Enrolled, Absent    int
	AbsentIllness       *int
	ClassesUnderMeasure *int
}

// Settings are an ATS's choice of alarm detector. The store keeps them as
// given; cmd/portal/watch checks them and fills its defaults.
type Settings struct {
	ATS      string
	Method   string // c1, c2, c3, ewma
	Alpha    float64
	Baseline int
	MinSigma float64
	MinCount int    // the fewest absent pupils that may raise an alarm
	By       string // who set them, for the audit
	At       int64  // when, unix seconds
}

// Review is what an ATS operator said of one alarm: the alarm is named by
// its plesso ("" for the ATS as a whole), method and day.
type Review struct {
	ATS, School, Method, Day string
	State                    string // new, seen, dismissed
	Note                     string // why it was dismissed
	By                       string
	At                       int64
}
