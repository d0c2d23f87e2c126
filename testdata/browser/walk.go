package browser

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Walk is a person at a site's pages in a real Chromium (Start's tab).
type Walk struct {
	T     testing.TB
	Ctx   context.Context
	Base  string // the site's URL, with no path
	Shots *Shots
}

// Open loads a page of the site.
func (w *Walk) Open(path string) {
	w.T.Helper()
	if err := chromedp.Do(w.Ctx, chromedp.Navigate(w.Base+path)); err != nil {
		w.T.Fatalf("opening %s: %v", path, err)
	}
}

// Fill types values into the inputs named by their CSS selectors; the
// browser's own checks of a field are turned off, so that what the server
// says of a bad value is what the person reads.
func (w *Walk) Fill(values ...string) {
	w.T.Helper()
	steps := []chromedp.Action[chromedp.Void]{chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("form").forEach((f) => f.noValidate = true)`)}
	for i := 0; i < len(values); i += 2 {
		steps = append(steps, chromedp.SetValue(chromedp.CSS(values[i]), values[i+1]))
	}
	if err := chromedp.Do(w.Ctx, steps...); err != nil {
		w.T.Fatalf("filling %v: %v", values, err)
	}
}

// Submit clicks a button and waits for the page it leads to: the old
// page's mark gone, the new one loaded. While the browser navigates, the
// question may fail; it is asked again.
func (w *Walk) Submit(selector string) {
	w.T.Helper()
	if err := chromedp.Do(w.Ctx,
		chromedp.Evaluate[chromedp.Void](`window.leaving = true`),
		chromedp.Click(chromedp.CSS(selector)),
	); err != nil {
		w.T.Fatalf("submitting %s: %v", selector, err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if arrived, err := chromedp.Run(w.Ctx, chromedp.Evaluate[bool](`!window.leaving && document.readyState === "complete"`)); err == nil && arrived {
			return
		}
	}
	w.T.Fatalf("submitting %s: no new page after 10 s", selector)
}

// Says checks that the page shows each text, and returns what it shows.
func (w *Walk) Says(texts ...string) string {
	w.T.Helper()
	shown, err := chromedp.Run(w.Ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		w.T.Fatal(err)
	}
	for _, x := range texts {
		if !strings.Contains(shown, x) {
			w.T.Errorf("%s does not say %q; it says:\n%s", w.Location(), x, shown)
		}
	}
	return shown
}

// Location is the page's address.
func (w *Walk) Location() string {
	loc, _ := chromedp.Run(w.Ctx, chromedp.Location())
	return loc
}

// Shot saves the page as name, and checks that it fits the window's width
// (no sideways scrolling on an office screen or a tablet).
func (w *Walk) Shot(name string) {
	w.T.Helper()
	fits, err := chromedp.Run(w.Ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	if err != nil || !fits {
		w.T.Errorf("%s (%s) is wider than the window (%v)", name, w.Location(), err)
	}
	w.Shots.Take(w.T, w.Ctx, name, true)
}
