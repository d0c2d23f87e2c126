package main

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
)

// Bounds of the region's list: Lombardia has about 5,000 plessi.
const (
	maxImportBytes = 16 << 20
	maxImportRows  = 100_000
	maxLineErrors  = 20 // then the import stops listing them
)

// schoolColumns is the header an import file starts with.
var schoolColumns = []string{"code", "name", "ats", "sentinel", "pupils_6_19"}

// readSchools reads and checks a CSV file of plessi.
func readSchools(path string) ([]store.School, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxImportBytes {
		return nil, fmt.Errorf("%s: over %d MiB: not a list of plessi", path, maxImportBytes>>20)
	}
	return parseSchools(path, data)
}

// parseSchools reads a list of plessi: a header naming schoolColumns,
// then one plesso a line. Commas or, as a spreadsheet in Italian saves
// it, semicolons separate the columns; a byte-order mark is ignored.
// Every bad line is reported, "FILE:LINE: column: what", up to
// maxLineErrors.
func parseSchools(name string, data []byte) ([]store.School, error) {
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
	if strings.Join(header, ",") != strings.Join(schoolColumns, ",") {
		return nil, fmt.Errorf("%s:1: the header is %q, want %s", name, strings.Join(header, ","), strings.Join(schoolColumns, ","))
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
				errs = append(errs, fmt.Errorf("%s:%d: %v", name, perr.Line, perr.Err))
				continue
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if len(schools) >= maxImportRows {
			return nil, fmt.Errorf("%s:%d: more than %d plessi", name, line, maxImportRows)
		}
		s, field, err := schoolOf(rec)
		if err == nil {
			field, err = checkSchool(s)
		}
		if err == nil {
			if prev, dup := lineOf[s.Code]; dup {
				field, err = "code", fmt.Errorf("%s is also on line %d", s.Code, prev)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %s: %w", name, line, strings.ReplaceAll(field, "-", "_"), err))
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

// schoolOf reads one line's columns; field names the bad one.
func schoolOf(rec []string) (s store.School, field string, err error) {
	if len(rec) != len(schoolColumns) {
		return s, "line", fmt.Errorf("%d columns, want %d (%s)", len(rec), len(schoolColumns), strings.Join(schoolColumns, ","))
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
