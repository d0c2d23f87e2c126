package registry

import (
	"strings"
	"testing"
)

func TestParseSchoolsNamesLines(t *testing.T) {
	_, err := Parse("list.csv", []byte("\ufeffcode,name,ats,sentinel,pupils_6_19\nA1,Uno,ATS,1,10\nA1,Due,ATS,0,10\nB2,Tre,ATS,0,tanti\nC3,Quattro\n\"D4,x\n"))
	for _, want := range []string{"list.csv:3: code: A1 is also on line 2", "list.csv:4: pupils_6_19:", "list.csv:5: line: 2 columns", "list.csv:6:"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	if lines := Lines(err); len(lines) != 4 || lines[0].Line != 3 || lines[0].Column != "code" || lines[2].Column != "line" || lines[3].Line != 6 {
		t.Errorf("Lines: %v", lines)
	}
	if _, err := Parse("h.csv", []byte("codice,nome\n")); err == nil || !strings.Contains(err.Error(), "h.csv:1: the header") {
		t.Errorf("a wrong header: %v", err)
	}
	got, err := Parse("ok.csv", []byte("Code, Name, ATS, Sentinel, Pupils_6_19\r\nmiee1, Scuola Uno , ATS Milano , Sì , 42\r\n"))
	if err != nil || len(got) != 1 || got[0].Code != "MIEE1" || got[0].Name != "Scuola Uno" || !got[0].Sentinel || got[0].Pupils619 != 42 {
		t.Errorf("ok.csv: %+v %v", got, err)
	}
}

func FuzzParseSchools(f *testing.F) {
	f.Add([]byte("code,name,ats,sentinel,pupils_6_19\nA1,Uno,ATS,1,10\n"))
	f.Add([]byte("code;name;ats;sentinel;pupils_6_19\nA1;\"Uno;x\";ATS;sì;10\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		schools, err := Parse("f.csv", data)
		for _, s := range schools {
			if _, bad := Check(s); bad != nil || err != nil {
				t.Fatalf("accepted %+v (err %v)", s, err)
			}
		}
	})
}
