package office

import (
	"testing"

	"github.com/scuola/kiosk/kiosk/school"
)

// Whatever a file holds, the parser ends with rows or an error, never a
// panic, and a row without problems is a class the store accepts.
func FuzzParseClassesCSV(f *testing.F) {
	for _, seed := range []string{
		"name,level,enrolled\n3A,primaria,22\n",
		"3A;primaria;22\n2B;secondaria2;25\n",
		"\"3\"\"A\",primaria,22\n",
		"1A,asilo,x\n1A,primaria,20,9\n\"open",
		"\ufeff,,\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := parseClassesCSV(data)
		if err != nil {
			return
		}
		if len(rows) > MaxCSVRows {
			t.Fatalf("%d rows", len(rows))
		}
		for _, r := range rows {
			if r.Line < 1 {
				t.Fatalf("row without a line: %+v", r)
			}
			if len(r.Problems) > 0 {
				continue
			}
			if _, err := school.ParseLevel(string(r.Level)); err != nil || r.Name == "" || r.Enrolled < 0 || r.Enrolled > maxEnrolled {
				t.Fatalf("a row without problems is not a class: %+v", r)
			}
		}
	})
}
