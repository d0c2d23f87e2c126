// Package pages parses the server-rendered pages of the project's web
// applications (the school office, the ATS portal): each page a template
// over one layout, with the words of kiosk/lang, so that both read their
// templates the same way and a template's words come from the tables.
package pages

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"strings"

	"github.com/scuola/kiosk/kiosk/lang"
)

// Parse parses every templates/NAME.html of files but the layout over
// templates/layout.html, and returns them by NAME. Besides more, the
// templates have t (a key's text: t .L "key") and tf (with its
// placeholders filled: tf .L "key" arg…).
func Parse(files fs.FS, more template.FuncMap) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"t":  func(l lang.Lang, k any) string { return l.Text(lang.Key(fmt.Sprint(k))) },
		"tf": func(l lang.Lang, k string, args ...any) string { return l.Format(lang.Key(k), args...) },
	}
	for name, f := range more {
		funcs[name] = f
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		pages[name] = t
	}
	if len(pages) == 0 {
		return nil, errors.New("no page templates embedded")
	}
	return pages, nil
}
