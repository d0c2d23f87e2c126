// Package registry is the region's list of plessi as people write it:
// the rules a plesso's fields obey, named by field as the command line's
// flags and the CSV's columns name them, and the CSV of plessi with an
// error per bad line. The command line (portal school) and the pages
// (cmd/portal/web) both check here, so that they cannot disagree.
package registry

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/scuola/kiosk/cmd/portal/store"
	"github.com/scuola/kiosk/privacy/report"
)

// Bounds of the region's list: Lombardia has about 5,000 plessi.
const (
	MaxBytes      = 16 << 20
	maxImportRows = 100_000
	maxLineErrors = 20 // then the import stops listing them
)

// Columns is the header an import file starts with.
var Columns = []string{"code", "name", "ats", "sentinel", "pupils_6_19"}

// ReadFile reads and checks a CSV file of plessi.
func ReadFile(path string) ([]store.School, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%s: over %d MiB: not a list of plessi", path, MaxBytes>>20)
	}
	return Parse(path, data)
}

// Parse reads a list of plessi: a header naming Columns, then one
// plesso a line. Commas or, as a spreadsheet in Italian saves it,
// semicolons separate the columns; a byte-order mark is ignored. Every
// bad line is reported, "FILE:LINE: column: what", up to maxLineErrors,
// each a *LineError in the joined error (Lines lists them).
func Parse(name string, data []byte) ([]store.School, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	if first, _, _ := bufio.NewReader(bytes.NewReader(data)).ReadLine(); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1 // counted here, to say which line
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", name, err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if strings.Join(header, ",") != strings.Join(Columns, ",") {
		return nil, &LineError{File: name, Line: 1, Err: fmt.Errorf("the header is %q, want %s", strings.Join(header, ","), strings.Join(Columns, ","))}
	}
	var schools []store.School
	var errs []error
	lineOf := map[string]int{}
	for len(errs) < maxLineErrors {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				errs = append(errs, &LineError{File: name, Line: perr.Line, Err: perr.Err})
				continue
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if len(schools) >= maxImportRows {
			return nil, &LineError{File: name, Line: line, Err: fmt.Errorf("more than %d plessi", maxImportRows)}
		}
		s, field, err := schoolOf(rec)
		if err == nil {
			field, err = Check(s)
		}
		if err == nil {
			if prev, dup := lineOf[s.Code]; dup {
				field, err = "code", &DuplicateError{Code: s.Code, Line: prev}
			}
		}
		if err != nil {
			errs = append(errs, &LineError{File: name, Line: line, Column: strings.ReplaceAll(field, "-", "_"), Err: err})
			continue
		}
		lineOf[s.Code] = line
		schools = append(schools, s)
	}
	if len(errs) == maxLineErrors {
		errs = append(errs, fmt.Errorf("%s: stopped after %d bad lines", name, maxLineErrors))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(schools) == 0 {
		return nil, fmt.Errorf("%s: no plesso after the header", name)
	}
	return schools, nil
}

// LineError is what is wrong with one line of a list: its Column ("" when
// it is the line as a whole, "line" when it has the wrong columns).
type LineError struct {
	File   string
	Line   int
	Column string
	Err    error
}

func (e *LineError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// Lines lists the lines' errors of Parse's error, in order; none when it
// is about the file as a whole.
func Lines(err error) []*LineError {
	var lines []*LineError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			lines = append(lines, Lines(e)...)
		}
	} else if le, ok := err.(*LineError); ok {
		lines = append(lines, le)
	}
	return lines
}

// DuplicateError is a plesso's code found on an earlier line too.
type DuplicateError struct {
	Code string
	Line int
}

func (e *DuplicateError) Error() string { return fmt.Sprintf("%s is also on line %d", e.Code, e.Line) }

// schoolOf reads one line's columns; field names the bad one.
func schoolOf(rec []string) (s store.School, field string, err error) {
	if len(rec) != len(Columns) {
		return s, "line", fmt.Errorf("%d columns, want %d (%s)", len(rec), len(Columns), strings.Join(Columns, ","))
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	s = store.School{Code: strings.ToUpper(rec[0]), Name: rec[1], ATS: rec[2]}
	switch strings.ToLower(rec[3]) {
	case "1", "true", "yes", "si", "sì", "s", "y":
		s.Sentinel = true
	case "0", "false", "no", "n", "":
	default:
		return s, "sentinel", fmt.Errorf("%q is not yes or no (sì/no, true/false, 1/0)", rec[3])
	}
	if rec[4] != "" {
		if s.Pupils619, err = strconv.Atoi(rec[4]); err != nil {
			return s, "pupils_6_19", fmt.Errorf("%q is not a number of pupils", rec[4])
		}
	}
	return s, "", nil
}

// Bounds of a plesso's fields, from the ministry's list: codes are ten
// characters, names are long but not that long.
const (
	maxCode = 16
	maxName = 200
	maxATS  = 100
)

// Check refuses a plesso that cannot be one and names the field (as the
// flag and the CSV column are named).
func Check(s store.School) (field string, err error) {
	switch {
	case s.Code == "":
		return "code", errors.New("the plesso's code is required")
	case len(s.Code) > maxCode || strings.ContainsFunc(s.Code, func(r rune) bool { return !('A' <= r && r <= 'Z' || '0' <= r && r <= '9') }):
		return "code", fmt.Errorf("%q is not a plesso's code (capital letters and digits, at most %d)", s.Code, maxCode)
	case strings.TrimSpace(s.Name) == "":
		return "name", errors.New("the plesso's name is required")
	case len(s.Name) > maxName:
		return "name", fmt.Errorf("a name of %d bytes (at most %d)", len(s.Name), maxName)
	case strings.TrimSpace(s.ATS) == "":
		return "ats", errors.New("the ATS is required")
	case len(s.ATS) > maxATS:
		return "ats", fmt.Errorf("an ATS name of %d bytes (at most %d)", len(s.ATS), maxATS)
	case s.Pupils619 < 0 || s.Pupils619 > report.MaxCount:
		return "pupils-6-19", fmt.Errorf("%d pupils is not a plesso's count (0 to %d)", s.Pupils619, report.MaxCount)
	}
	return "", nil
}
