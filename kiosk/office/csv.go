package office

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scuola/kiosk/kiosk/lang"
	"github.com/scuola/kiosk/kiosk/school"
)

// The CSV import's bounds: a school has a few dozen classes.
const (
	MaxCSVBytes = 64 << 10
	MaxCSVRows  = 500
)

// csvProblem is one problem of a line, before it is put in words.
type csvProblem struct {
	Label, Problem lang.Key
	Args           []any
}

// parsedRow is a line as parsed, before the database is consulted.
type parsedRow struct {
	Line     int
	Name     string
	Level    school.Level
	Enrolled int
	Problems []csvProblem
}

// errCSVTooLarge: the file is over MaxCSVBytes or MaxCSVRows.
var errCSVTooLarge = errors.New("CSV too large")

// parseClassesCSV reads name,level,enrolled lines (a header line naming
// those columns is skipped; ';' separates too, as spreadsheets in Italian
// write it) and returns every line with its problems, so that the preview
// can show them all at once. An error is returned only for a file that
// cannot be read as CSV at all, with its line.
func parseClassesCSV(data []byte) ([]parsedRow, error) {
	if len(data) > MaxCSVBytes {
		return nil, errCSVTooLarge
	}
	if !utf8.Valid(data) {
		return nil, errors.New("not UTF-8 text")
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // the byte-order mark spreadsheets write
	r := csv.NewReader(bytes.NewReader(data))
	first, _, _ := strings.Cut(string(data), "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var rows []parsedRow
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // a csv.ParseError names its line
		}
		line, _ := r.FieldPos(0)
		if len(rows) == 0 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "name") {
			continue // the header
		}
		if len(rows) >= MaxCSVRows {
			return nil, errCSVTooLarge
		}
		rows = append(rows, parseRow(line, rec, seen))
	}
	return rows, nil
}

func parseRow(line int, rec []string, seen map[string]int) parsedRow {
	row := parsedRow{Line: line}
	bad := func(label, problem lang.Key, args ...any) {
		row.Problems = append(row.Problems, csvProblem{label, problem, args})
	}
	if len(rec) != 3 {
		bad(lang.OfficeFieldLine, lang.OfficeErrColumns, len(rec))
		return row
	}
	row.Name = strings.TrimSpace(rec[0])
	switch {
	case row.Name == "":
		bad(lang.OfficeFieldClass, lang.OfficeErrRequired)
	case utf8.RuneCountInString(row.Name) > 40:
		bad(lang.OfficeFieldClass, lang.OfficeErrTooLong, 40)
	case strings.ContainsFunc(row.Name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		bad(lang.OfficeFieldClass, lang.OfficeErrControl)
	case seen[row.Name] != 0:
		bad(lang.OfficeFieldClass, lang.OfficeErrDuplicateLine, seen[row.Name])
	default:
		seen[row.Name] = line
	}
	var err error
	if row.Level, err = school.ParseLevel(strings.ToLower(strings.TrimSpace(rec[1]))); err != nil {
		bad(lang.OfficeFieldLevel, lang.OfficeErrLevel)
	}
	n, err := strconv.Atoi(strings.TrimSpace(rec[2]))
	if err != nil || n < 0 || n > maxEnrolled {
		bad(lang.OfficeFieldEnrolled, lang.OfficeErrNumber, 0, maxEnrolled)
	}
	row.Enrolled = n
	return row
}
