package display

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/privacy"
	"github.com/scuola/kiosk/scanner"
	"github.com/scuola/kiosk/testdata/browser"
	"github.com/scuola/kiosk/testdata/syncbuf"
)

// shown is what the page shows at one moment, as a person would read it.
type shown struct {
	State   string `json:"state"`
	Seq     string `json:"seq"`
	Text    string `json:"text"`    // the visible text (innerText)
	Verdict string `json:"verdict"` // the verdict field's computed background
	Name    string `json:"name"`
	DOB     string `json:"dob"`
	Lang    string `json:"lang"`
	// Overflow lists the visible boxes whose content does not fit them.
	Overflow []string `json:"overflow"`
	// Small lists the visible buttons smaller than a 64 px touch target.
	Small []string `json:"small"`
}

const readShown = `(() => {
  const $ = (id) => document.getElementById(id);
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const label = (e) => e.tagName.toLowerCase() + "." + e.className + " " + JSON.stringify(e.textContent.slice(0, 30));
  const overflow = [...document.querySelectorAll(".view, h1, .prompt, .operator, .verdict-word, .reason, .name, .dob, .classbar, .class-button, .status, .notice")]
    .filter((e) => visible(e) && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)).map(label);
  if (document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth) overflow.push("page");
  const small = [...document.querySelectorAll("button")].filter(visible)
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width < 64 || r.height < 64; }).map(label);
  return {
    state: document.body.dataset.state, seq: document.body.dataset.seq || "",
    text: document.body.innerText, verdict: getComputedStyle($("verdict")).backgroundColor,
    name: $("name").textContent, dob: $("dob").textContent, lang: document.documentElement.lang,
    overflow, small,
  };
})()`

// screenTest drives the page of one Server in one tab.
type screenTest struct {
	ctx   context.Context
	srv   *Server
	shots *browser.Shots
}

// show publishes sc, waits until the page has drawn it, and looks at it.
func (st *screenTest) show(t *testing.T, name string, sc kiosk.Screen) shown {
	t.Helper()
	st.srv.Publish(sc)
	st.waitFor(t, fmt.Sprintf(`document.body.dataset.seq === "%d"`, sc.Seq))
	return st.look(t, name)
}

// look checks the layout, saves a screenshot and returns what is shown.
func (st *screenTest) look(t *testing.T, name string) shown {
	t.Helper()
	s, err := chromedp.Run(st.ctx, chromedp.Evaluate[shown](readShown))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Overflow) > 0 {
		t.Errorf("%s: content does not fit: %q", name, s.Overflow)
	}
	if len(s.Small) > 0 {
		t.Errorf("%s: touch targets under 64 px: %q", name, s.Small)
	}
	st.shots.Take(t, st.ctx, name, false)
	return s
}

// waitFor waits until a JavaScript condition holds on the page.
func (st *screenTest) waitFor(t *testing.T, condition string) {
	t.Helper()
	if _, err := chromedp.Run(st.ctx, chromedp.Poll[bool](condition, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", condition, err)
	}
}

// touch clicks the element and returns the command that reaches the
// session.
func (st *screenTest) touch(t *testing.T, selector string) kiosk.Command {
	t.Helper()
	if err := chromedp.Do(st.ctx, chromedp.Click(chromedp.CSS(selector))); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-st.srv.Commands():
		return c
	case <-time.After(3 * time.Second):
		t.Fatalf("touching %s sent no command", selector)
		return kiosk.Command{}
	}
}

func wantText(t *testing.T, s shown, texts ...string) {
	t.Helper()
	for _, x := range texts {
		if !strings.Contains(s.Text, x) {
			t.Errorf("the screen does not show %q; it shows:\n%s", x, s.Text)
		}
	}
}

func wantNoText(t *testing.T, s shown, texts ...string) {
	t.Helper()
	for _, x := range texts {
		if strings.Contains(s.Text, x) {
			t.Errorf("the screen shows %q:\n%s", x, s.Text)
		}
	}
}

// colour says whether a CSS rgb() colour is a clear green, a clear red or
// neither, so that the test holds the meaning, not the exact shade.
func colour(css string) string {
	var r, g, b int
	if _, err := fmt.Sscanf(css, "rgb(%d, %d, %d)", &r, &g, &b); err != nil {
		return css
	}
	switch {
	case g > 90 && g > 2*r && g > 2*b:
		return "green"
	case r > 140 && r > 3*g && r > 3*b:
		return "red"
	}
	return css
}

// TestScreenInChromium shows every state in a real Chromium at 7" and 10"
// sizes, reads what a person would see, touches the buttons, and plays a
// foreign site and a rebound DNS name against the server. Screenshots go to
// a temporary folder, and to $SCREENSHOTS when it is set.
func TestScreenInChromium(t *testing.T) {
	start := time.Now()
	ctx := browser.Start(t, 1024, 600)
	var logs syncbuf.Buffer
	srv, base, stopServer := startServer(t, Config{
		Heartbeat: 300 * time.Millisecond,
		Logger:    slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	st := &screenTest{ctx: ctx, srv: srv, shots: browser.NewShots(t, "")}

	// What the browser receives and reports, for the checks at the end.
	var mu sync.Mutex
	var responses []*network.Response
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventResponseReceived:
			responses = append(responses, ev.Response)
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text+" "+fmt.Sprint(ev.ExceptionDetails.Exception))
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				problems = append(problems, "console: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1024, 600), chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	t.Logf("Chromium up and the page loaded in %v", time.Since(start).Round(time.Millisecond))
	historyAtLoad, err := chromedp.Run(ctx, chromedp.Evaluate[int](`history.length`))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("starting", func(t *testing.T) {
		st.waitFor(t, `document.body.dataset.online === "true"`)
		wantText(t, st.look(t, "starting"), "Avvio in corso")
	})

	t.Run("locked", func(t *testing.T) {
		s := st.show(t, "locked", testScreen(1, kiosk.StateLocked))
		wantText(t, s, "Bloccato", "Mostrare il badge di delega alla telecamera", "Dati di verifica aggiornati",
			"Informativa sul trattamento dei dati: inquadrare il codice")
		wantNoText(t, s, "Operatore", "Blocca\n")
		// The privacy notice's QR, as the page loaded it, reads back to its
		// address with the kiosk's own decoder.
		st.waitFor(t, `document.getElementById("informativa-qr").complete && document.getElementById("informativa-qr").naturalWidth > 0`)
		resp, err := http.Get(base + "/informativa.png")
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		gray := image.NewGray(img.Bounds())
		draw.Draw(gray, gray.Rect, img, img.Bounds().Min, draw.Src)
		if rs := scanner.NewDecoder(scanner.Options{Budget: time.Second}).Decode(gray); len(rs) != 1 || rs[0].Text != testInformativa {
			t.Errorf("the privacy notice's QR reads as %v", rs)
		}
	})

	t.Run("choose-class", func(t *testing.T) {
		s := st.show(t, "choose-class", testScreen(2, kiosk.StateChooseClass))
		wantText(t, s, "Scegliere la classe da verificare", "Operatore: Maria Bianchi, collaboratrice scolastica",
			"3A", "22 iscritti", "verifica fino al 18/02/2022", "3B", "21 iscritti", "4A", "verifica fino al 21/02/2022", "Blocca")
		wantNoText(t, s, "Informativa sul trattamento")
		if c := st.touch(t, `button[data-class="3B"]`); c != (kiosk.Command{Kind: kiosk.CommandChooseClass, Class: "3B"}) {
			t.Errorf("touching 3B sent %+v", c)
		}
	})

	t.Run("ready", func(t *testing.T) {
		s := st.show(t, "ready", testScreen(3, kiosk.StateReady))
		wantText(t, s, "Inquadrare il QR del certificato", "Classe 3B", "verificati 12 / 22",
			"ammessi 10 · non ammessi 2", "verifica fino al 20/02/2022", "Operatore: Maria Bianchi")
	})

	t.Run("result-admitted", func(t *testing.T) {
		until := time.Now().Add(3 * time.Second) // room for a loaded CI machine to look before it ends
		s := st.show(t, "result-admitted", resultScreen(4, true, "Certificato valido", privacy.NewPerson("Rossi", "Mario", "2012-03-07"), until))
		wantText(t, s, "✔ AMMESSO", "Certificato valido", "Rossi Mario", "Data di nascita 07/03/2012", "verificati 12 / 22")
		if colour(s.Verdict) != "green" {
			t.Errorf("the admitted field is %s, want green", s.Verdict)
		}
		// No new screen comes: the page clears the person at Until itself.
		st.waitFor(t, `document.body.dataset.expired === "true"`)
		if time.Now().Before(until) {
			t.Errorf("the person was cleared %v before Until", time.Until(until))
		}
		s = st.look(t, "result-expired")
		if s.Name != "" || s.DOB != "" {
			t.Errorf("after Until the page still holds %q %q", s.Name, s.DOB)
		}
		wantNoText(t, s, "Rossi", "Mario", "07/03/2012", "AMMESSO")
	})

	t.Run("result-refused", func(t *testing.T) {
		p := privacy.NewPerson("Dell'Acqua Bianchini", "Maria Alessandra Giovanna", "2011-11")
		s := st.show(t, "result-refused", resultScreen(5, false, "Certificato scaduto", p, time.Now().Add(time.Minute)))
		wantText(t, s, "✘ NON AMMESSO", "Certificato scaduto", "Dell'Acqua Bianchini Maria Alessandra Giovanna", "Data di nascita 11/2011")
		if colour(s.Verdict) != "red" {
			t.Errorf("the refused field is %s, want red", s.Verdict)
		}
		// The next publication takes the person away.
		s = st.show(t, "next-screen-after-refused", testScreen(6, kiosk.StateReady))
		if s.Name != "" || s.DOB != "" {
			t.Errorf("after the next screen the page still holds %q %q", s.Name, s.DOB)
		}
		wantNoText(t, s, "Dell'Acqua", "11/2011", "NON AMMESSO")
	})

	t.Run("result-unreadable", func(t *testing.T) {
		s := st.show(t, "result-unreadable", resultScreen(7, false, "QR non valido", nil, time.Now().Add(time.Minute)))
		wantText(t, s, "✘ NON AMMESSO", "QR non valido", "Nome e data di nascita non leggibili")
	})

	t.Run("trust-data-stale", func(t *testing.T) {
		sc := testScreen(8, kiosk.StateReady)
		sc.TrustData = kiosk.Health{}
		s := st.show(t, "trust-data-stale", sc)
		wantText(t, s, "Dati di verifica non aggiornati", "Inquadrare il QR del certificato")
	})

	t.Run("office-data-old", func(t *testing.T) {
		sc := testScreen(9, kiosk.StateReady)
		sc.Office = &kiosk.Health{Message: "Dati scuola del 07:45 15/02: segreteria irraggiungibile"}
		s := st.show(t, "office-data-old", sc)
		wantText(t, s, "Dati scuola del 07:45 15/02: segreteria irraggiungibile", "Inquadrare il QR del certificato")
	})

	t.Run("camera-unplugged", func(t *testing.T) {
		sc := testScreen(10, kiosk.StateReady)
		sc.Camera = kiosk.Health{Message: "Telecamera scollegata"}
		sc.Notice = "La telecamera è scollegata: ricollegarla per continuare"
		s := st.show(t, "camera-unplugged", sc)
		wantText(t, s, "Telecamera scollegata", "La telecamera è scollegata: ricollegarla per continuare")
	})

	t.Run("english", func(t *testing.T) {
		if c := st.touch(t, "#lang"); c != (kiosk.Command{Kind: kiosk.CommandLang, Lang: "en"}) {
			t.Errorf("the language toggle sent %+v", c)
		}
		sc := resultScreen(11, true, "Valid certificate", privacy.NewPerson("Rossi", "Mario", "2012"), time.Now().Add(time.Minute))
		sc.Lang = "en"
		sc.Camera = kiosk.Health{}
		s := st.show(t, "english", sc)
		wantText(t, s, "✔ ADMITTED", "Valid certificate", "Rossi Mario", "Date of birth 2012", "Class 3B",
			"checked 12 / 22", "admitted 10 · not admitted 2", "checks until 20/02/2022", "Operator: Maria Bianchi", "Lock", "Camera unavailable")
		wantNoText(t, s, "AMMESSO", "Operatore", "Classe")
		if s.Lang != "en" {
			t.Errorf("html lang is %q", s.Lang)
		}
		if c := st.touch(t, "#lock"); c != (kiosk.Command{Kind: kiosk.CommandLock}) {
			t.Errorf("the lock button sent %+v", c)
		}
		if c := st.touch(t, "#lang"); c != (kiosk.Command{Kind: kiosk.CommandLang, Lang: "it"}) {
			t.Errorf("the language toggle in English sent %+v", c)
		}
	})

	t.Run("result-admitted-1280x800", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
			t.Fatal(err)
		}
		s := st.show(t, "result-admitted-1280x800", resultScreen(12, true, "Certificato valido", privacy.NewPerson("Rossi", "Mario", "2012-03-07"), time.Now().Add(time.Minute)))
		wantText(t, s, "✔ AMMESSO", "Rossi Mario", "Data di nascita 07/03/2012")
		st.show(t, "choose-class-1280x800", testScreen(13, kiosk.StateChooseClass))
	})

	t.Run("stores-nothing", func(t *testing.T) {
		stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async (historyAtLoad) => [
			document.cookie === "" || "cookie",
			localStorage.length === 0 || "localStorage",
			sessionStorage.length === 0 || "sessionStorage",
			(await indexedDB.databases()).length === 0 || "indexedDB",
			(await caches.keys()).length === 0 || "caches",
			(await navigator.serviceWorker.getRegistrations()).length === 0 || "service worker",
			history.length === historyAtLoad || "history entries " + (history.length - historyAtLoad),
		].filter((x) => x !== true).join(", "))(`+fmt.Sprint(historyAtLoad)+`)`, chromedp.EvalAwaitPromise))
		if err != nil || stored != "" {
			t.Errorf("the page keeps something: %q %v", stored, err)
		}
	})

	t.Run("dns-rebinding", func(t *testing.T) {
		tab, cancel := chromedp.NewContext(ctx)
		defer cancel()
		rebound := strings.Replace(base, "127.0.0.1", "rebind.test", 1)
		resp, err := chromedp.Run(tab, chromedp.NavigateResponse(rebound+"/"))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != http.StatusForbidden {
			t.Errorf("%s/ answered %d, want 403", rebound, resp.Status)
		}
	})

	t.Run("foreign-site", func(t *testing.T) {
		foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<!doctype html><title>elsewhere</title>")
		}))
		defer foreign.Close()
		tab, cancel := chromedp.NewContext(ctx)
		defer cancel()
		if err := chromedp.Do(tab, chromedp.Navigate(strings.Replace(foreign.URL, "127.0.0.1", "evil.test", 1)+"/")); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(tab, chromedp.Evaluate[map[string]string](fmt.Sprintf(`(async () => {
			const target = %q, out = {};
			const attempt = async (name, f) => { try { out[name] = await f(); } catch (e) { out[name] = "blocked"; } };
			await attempt("form", async () => (await fetch(target + "/command/lock", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: "{}"}), "sent"));
			await attempt("json", async () => "status " + (await fetch(target + "/command/lock", {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"})).status);
			await attempt("stream", async () => "status " + (await fetch(target + "/events")).status);
			await attempt("page", async () => (await (await fetch(target + "/")).text()).length);
			return out;
		})()`, base), chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"json", "stream", "page"} {
			if got[k] != "blocked" {
				t.Errorf("a foreign site's %s request was answered: %q", k, got[k])
			}
		}
		select {
		case c := <-srv.Commands():
			t.Errorf("a foreign site pressed a button: %+v", c)
		case <-time.After(300 * time.Millisecond):
		}
		if !strings.Contains(logs.String(), "request from another site") {
			t.Errorf("the server did not refuse the foreign site's POST (%v); its log:\n%s", got, logs.String())
		}
	})

	t.Run("every-response", func(t *testing.T) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range responses {
			if !strings.HasPrefix(r.URL, base) {
				continue
			}
			for k, v := range securityHeaders {
				if got := fmt.Sprint(r.Headers[k]); got != v {
					t.Errorf("%s: %s is %q, want %q", r.URL, k, got, v)
				}
			}
		}
		if len(responses) < 3 {
			t.Errorf("only %d responses seen", len(responses))
		}
		if len(problems) > 0 {
			t.Errorf("the browser reported:\n%s", strings.Join(problems, "\n"))
		}
	})

	t.Run("disconnected", func(t *testing.T) {
		stopServer()
		st.waitFor(t, `document.body.dataset.online === "false"`)
		s := st.look(t, "disconnected")
		wantText(t, s, "Schermo scollegato dal sistema di verifica")
	})

	t.Run("logs-hold-no-screen-content", func(t *testing.T) {
		out := logs.String()
		for _, secret := range []string{"Rossi", "Mario", "Dell'Acqua", "2012", "2011", "Bianchi", "Certificato"} {
			if strings.Contains(out, secret) {
				t.Errorf("the log holds %q:\n%s", secret, out)
			}
		}
	})
	t.Logf("screenshots in %s; all in %v", strings.Join(st.shots.Dirs, " and "), time.Since(start).Round(time.Millisecond))
}
