package daemon

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// One pass of the demo, played four times faster: the badge unlocks the
// kiosk, the booster is admitted, and the expired certificate, the test,
// the revoked and the forged one are refused with their reasons; the
// screen's page is served meanwhile; and the terminal never shows a name.
func TestDemoOnce(t *testing.T) {
	saved := demoPace
	demoPace.fps, demoPace.hold, demoPace.gap = 60, 20, 40
	defer func() { demoPace = saved }()

	// A file: the light's timer and the loop print from different
	// goroutines, and an *os.File is safe for that.
	out, err := os.Create(filepath.Join(t.TempDir(), "demo.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	page := make(chan int, 1)
	err = Demo(context.Background(), DemoOptions{Out: out, Addr: "127.0.0.1:0", Once: true,
		Ready: func(addr string) {
			go func() {
				time.Sleep(200 * time.Millisecond)
				resp, err := http.Get("http://" + addr + "/")
				if err != nil {
					page <- 0
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				page <- resp.StatusCode
			}()
		}})
	if err != nil {
		t.Fatal(err)
	}
	if code := <-page; code != http.StatusOK {
		t.Errorf("the screen's page answered %d", code)
	}
	printed, err := os.ReadFile(out.Name())
	if err != nil {
		t.Fatal(err)
	}
	text := string(printed)
	want := []string{
		"luce: GIALLA", "schermo: bloccato",
		"schermo: pronto [classe 3A: 0 ammessi, 0 non ammessi su 22] [operatore: Maria Bianchi]",
		"luce: VERDE", "schermo: AMMESSO — certificato valido",
		"schermo: NON AMMESSO — validità scaduta",
		"schermo: NON AMMESSO — non valido per questa verifica",
		"suono: verificato", // discreet by default: one soft tone for every result
		"schermo: NON AMMESSO — certificato non valido", // revoked, shown as the official verifier does
		"schermo: NON AMMESSO — firma non valida [classe 3A: 1 ammessi, 4 non ammessi su 22]",
	}
	at := 0
	for _, w := range want {
		i := strings.Index(text[at:], w)
		if i < 0 {
			t.Fatalf("the demo's output lacks %q after position %d:\n%s", w, at, text)
		}
		at += i + len(w)
	}
	for _, name := range []string{"Esposito", "Romano", "Colombo", "Ricci", "Greco", "2012-03-07"} {
		if strings.Contains(text, name) {
			t.Errorf("the demo printed a holder's data (%s)", name)
		}
	}
}
