package pages

import (
	"html/template"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scuola/kiosk/kiosk/lang"
)

func TestParse(t *testing.T) {
	files := fstest.MapFS{
		"templates/layout.html": {Data: []byte(`{{define "layout"}}<h1>{{t .L "portal.app"}}</h1>{{template "content" .}}{{end}}`)},
		"templates/one.html":    {Data: []byte(`{{define "content"}}{{tf .L "portal.page" 2 3}} {{shout "x"}}{{end}}`)},
	}
	got, err := Parse(files, template.FuncMap{"shout": strings.ToUpper})
	if err != nil || len(got) != 1 {
		t.Fatalf("Parse: %v %v", got, err)
	}
	var b strings.Builder
	if err := got["one"].ExecuteTemplate(&b, "layout", struct{ L lang.Lang }{lang.EN}); err != nil {
		t.Fatal(err)
	}
	if want := "<h1>" + lang.EN.Text("portal.app") + "</h1>" + lang.EN.Format("portal.page", 2, 3) + " X"; b.String() != want {
		t.Errorf("rendered %q, want %q", b.String(), want)
	}
	files["templates/bad.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{nope}}{{end}}`)}
	if _, err := Parse(files, nil); err == nil || !strings.Contains(err.Error(), "template bad") {
		t.Errorf("a bad template: %v", err)
	}
	if _, err := Parse(fstest.MapFS{}, nil); err == nil {
		t.Error("no templates parsed without an error")
	}
}
