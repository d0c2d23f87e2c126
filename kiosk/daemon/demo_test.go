package daemon

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the demo's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// One pass of the demo, played four times faster: the badge unlocks the
// kiosk, the booster is admitted, and the expired certificate, the test,
// the revoked and the forged one are refused with their reasons; the
// screen's page is served meanwhile; and the terminal never shows a name.
func TestDemoOnce(t *testing.T) {
	saved := demoPace
	demoPace.fps, demoPace.hold, demoPace.gap = 60, 20, 40
	defer func() { demoPace = saved }()

	var out syncBuffer
	page := make(chan int, 1)
	err := Demo(context.Background(), DemoOptions{Out: &out, Addr: "127.0.0.1:0", Once: true,
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
	text := out.String()
	want := []string{
		"luce: GIALLA", "schermo: bloccato",
		"schermo: pronto [classe 3A: 0 ammessi, 0 non ammessi su 22] [operatore: Maria Bianchi]",
		"luce: VERDE", "schermo: AMMESSO — certificato valido",
		"schermo: NON AMMESSO — validità scaduta",
		"schermo: NON AMMESSO — non valido per questa verifica",
		"schermo: NON AMMESSO — certificato revocato",
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
