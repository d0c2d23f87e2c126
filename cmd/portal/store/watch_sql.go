package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// watchMigration adds what the ATS's pages keep: its alarm settings and
// its reviews of alarms. An alarm is found again from the series, so a
// review is keyed by what names the alarm.
const watchMigration = `CREATE TABLE ats_settings (
		ats        TEXT PRIMARY KEY,
		method     TEXT NOT NULL,
		alpha      DOUBLE PRECISION NOT NULL,
		baseline   INTEGER NOT NULL,
		min_sigma  DOUBLE PRECISION NOT NULL,
		min_count  INTEGER NOT NULL,
		set_by     TEXT NOT NULL,
		set_at     BIGINT NOT NULL
	);
	CREATE TABLE alarm_reviews (
		ats         TEXT NOT NULL,
		school      TEXT NOT NULL, -- '' for the ATS as a whole
		method      TEXT NOT NULL,
		day         TEXT NOT NULL,
		state       TEXT NOT NULL CHECK (state IN ('new', 'seen', 'dismissed')),
		note        TEXT NOT NULL,
		reviewed_by TEXT NOT NULL,
		reviewed_at BIGINT NOT NULL,
		PRIMARY KEY (ats, day, school, method)
	);
	-- The series of a plesso from the index alone (PostgreSQL: an index-only
	-- scan once autovacuum has been by; SQLite: a covering index).
	CREATE INDEX absences_series ON absences (school, day, enrolled, absent, absent_illness, classes_under_measure)`

func (s *db) ATSs(ctx context.Context) ([]string, error) {
	rows, err := s.sql.QueryContext(ctx, `SELECT DISTINCT ats FROM schools ORDER BY ats`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

func (s *db) Coverage(ctx context.Context, ats string) (Coverage, error) {
	c := Coverage{ATS: ats}
	var all, sentinel sql.NullInt64
	err := s.sql.QueryRowContext(ctx, `
		SELECT SUM(pupils_6_19), SUM(CASE WHEN sentinel THEN pupils_6_19 ELSE 0 END) FROM schools WHERE ats = $1`, ats).
		Scan(&all, &sentinel)
	if err != nil {
		return c, fmt.Errorf("coverage of %s: %w", ats, err)
	}
	c.Pupils619, c.SentinelPupils619 = int(all.Int64), int(sentinel.Int64)
	c.Sentinels, err = s.schools(ctx, `
		SELECT code, name, ats, sentinel, pupils_6_19, revoked, token_hash IS NOT NULL FROM schools
		WHERE ats = $1 AND sentinel ORDER BY code`, ats)
	return c, err
}

func (s *db) Missing(ctx context.Context, ats, day string) ([]School, error) {
	return s.schools(ctx, `
		SELECT code, name, ats, sentinel, pupils_6_19, revoked, token_hash IS NOT NULL FROM schools s
		WHERE ats = $1 AND sentinel AND NOT EXISTS (SELECT 1 FROM absences a WHERE a.school = s.code AND a.day = $2)
		ORDER BY code`, ats, day)
}

func (s *db) schools(ctx context.Context, query string, args ...any) ([]School, error) {
	rows, err := s.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []School
	for rows.Next() {
		var sc School
		if err := rows.Scan(&sc.Code, &sc.Name, &sc.ATS, &sc.Sentinel, &sc.Pupils619, &sc.Revoked, &sc.HasToken); err != nil {
			return nil, err
		}
		list = append(list, sc)
	}
	return list, rows.Err()
}

// Series has the database write each plesso's reports as one text (day
// enrolled absent illness measures, "-" for a count not given, comma
// separated): a row per report would be, on the largest ATS, 120,000 rows
// through database/sql for each dashboard, twice the time. The text is
// in no promised order (an ordered aggregate makes PostgreSQL sort every
// plesso's reports again, though the index gives them in order), so the
// days are sorted here when they are not.
func (s *db) Series(ctx context.Context, ats, from, to string) ([]Series, error) {
	rows, err := s.sql.QueryContext(ctx, `
		SELECT school, string_agg(day || ' ' || enrolled || ' ' || absent || ' ' || COALESCE(CAST(absent_illness AS TEXT), '-')
			|| ' ' || COALESCE(CAST(classes_under_measure AS TEXT), '-'), ',')
		FROM absences WHERE school IN (SELECT code FROM schools WHERE ats = $1) AND day >= $2 AND day <= $3
		GROUP BY school ORDER BY school`, ats, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []Series
	for rows.Next() {
		var sr Series
		var text string
		if err := rows.Scan(&sr.School, &text); err != nil {
			return nil, err
		}
		n := strings.Count(text, ",") + 1
		sr.Days = make([]string, 0, n)
		sr.Enrolled, sr.Absent, sr.Illness, sr.Measures = make([]int, 0, n), make([]int, 0, n), make([]int, 0, n), make([]int, 0, n)
		for report := range strings.SplitSeq(text, ",") {
			day, rest, _ := strings.Cut(report, " ")
			var v [4]int
			var errs [4]error
			for i := range v {
				var f string
				f, rest, _ = strings.Cut(rest, " ")
				if v[i] = NotGiven; f != "-" || i < 2 {
					v[i], errs[i] = strconv.Atoi(f)
				}
			}
			if err := errors.Join(errs[:]...); err != nil {
				return nil, fmt.Errorf("series of %s: report %q: %w", sr.School, report, err)
			}
			sr.Days = append(sr.Days, day)
			sr.Enrolled, sr.Absent, sr.Illness, sr.Measures = append(sr.Enrolled, v[0]), append(sr.Absent, v[1]), append(sr.Illness, v[2]), append(sr.Measures, v[3])
		}
		if !slices.IsSorted(sr.Days) {
			sort.Sort(byDay(sr))
		}
		list = append(list, sr)
	}
	return list, rows.Err()
}

// byDay sorts a series' slices by day.
type byDay Series

func (s byDay) Len() int           { return len(s.Days) }
func (s byDay) Less(i, j int) bool { return s.Days[i] < s.Days[j] }
func (s byDay) Swap(i, j int) {
	s.Days[i], s.Days[j] = s.Days[j], s.Days[i]
	s.Enrolled[i], s.Enrolled[j] = s.Enrolled[j], s.Enrolled[i]
	s.Absent[i], s.Absent[j] = s.Absent[j], s.Absent[i]
	s.Illness[i], s.Illness[j] = s.Illness[j], s.Illness[i]
	s.Measures[i], s.Measures[j] = s.Measures[j], s.Measures[i]
}

func (s *db) SchoolDays(ctx context.Context, ats, from, to string) ([]SchoolDay, error) {
	rows, err := s.sql.QueryContext(ctx, `
		SELECT a.school, a.day, a.enrolled, a.absent, a.absent_illness, a.classes_under_measure
		FROM absences a WHERE a.school IN (SELECT code FROM schools WHERE ats = $1) AND a.day >= $2 AND a.day <= $3
		ORDER BY a.school, a.day`, ats, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []SchoolDay
	for rows.Next() {
		var d SchoolDay
		var illness, measure sql.NullInt64
		if err := rows.Scan(&d.School, &d.Day, &d.Enrolled, &d.Absent, &illness, &measure); err != nil {
			return nil, err
		}
		d.AbsentIllness, d.ClassesUnderMeasure = optional(illness), optional(measure)
		list = append(list, d)
	}
	return list, rows.Err()
}

func (s *db) Settings(ctx context.Context, ats string) (Settings, error) {
	st := Settings{ATS: ats}
	err := s.sql.QueryRowContext(ctx, `
		SELECT method, alpha, baseline, min_sigma, min_count, set_by, set_at FROM ats_settings WHERE ats = $1`, ats).
		Scan(&st.Method, &st.Alpha, &st.Baseline, &st.MinSigma, &st.MinCount, &st.By, &st.At)
	if errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("settings of %s: %w", ats, ErrNotFound)
	}
	return st, err
}

func (s *db) PutSettings(ctx context.Context, st Settings) error {
	_, err := s.sql.ExecContext(ctx, `
		INSERT INTO ats_settings (ats, method, alpha, baseline, min_sigma, min_count, set_by, set_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (ats) DO UPDATE SET method = excluded.method, alpha = excluded.alpha, baseline = excluded.baseline,
			min_sigma = excluded.min_sigma, min_count = excluded.min_count, set_by = excluded.set_by, set_at = excluded.set_at`,
		st.ATS, st.Method, st.Alpha, st.Baseline, st.MinSigma, st.MinCount, st.By, st.At)
	if err != nil {
		return fmt.Errorf("settings of %s: %w", st.ATS, err)
	}
	return nil
}

func (s *db) Reviews(ctx context.Context, ats, from, to string) ([]Review, error) {
	rows, err := s.sql.QueryContext(ctx, `
		SELECT school, method, day, state, note, reviewed_by, reviewed_at FROM alarm_reviews
		WHERE ats = $1 AND day >= $2 AND day <= $3 ORDER BY day, school, method`, ats, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []Review
	for rows.Next() {
		r := Review{ATS: ats}
		if err := rows.Scan(&r.School, &r.Method, &r.Day, &r.State, &r.Note, &r.By, &r.At); err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

func (s *db) PutReview(ctx context.Context, r Review) error {
	_, err := s.sql.ExecContext(ctx, `
		INSERT INTO alarm_reviews (ats, school, method, day, state, note, reviewed_by, reviewed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (ats, day, school, method) DO UPDATE SET state = excluded.state, note = excluded.note,
			reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at`,
		r.ATS, r.School, r.Method, r.Day, r.State, r.Note, r.By, r.At)
	if err != nil {
		return fmt.Errorf("review of the %s alarm of %s %q on %s: %w", r.Method, r.ATS, r.School, r.Day, err)
	}
	return nil
}
