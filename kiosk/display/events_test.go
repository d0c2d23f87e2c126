package display

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scuola/kiosk/kiosk"
)

func TestWriteEvent(t *testing.T) {
	var b bytes.Buffer
	if err := writeEvent(&b, "screen", []byte("{\"a\":1}\nsecond\r\nthird")); err != nil {
		t.Fatal(err)
	}
	want := "event: screen\ndata: {\"a\":1}\ndata: second\ndata: third\n\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestLatestWakesOnceAndKeepsTheNewest(t *testing.T) {
	var l latest
	wake, unsubscribe, n := l.subscribe()
	if len(wake) != 0 || n != 1 {
		t.Fatalf("nothing published yet, but woken (%d) or %d clients", len(wake), n)
	}
	for seq := range uint64(1000) {
		l.set(kiosk.Screen{Seq: seq + 1}) // a client that never reads
	}
	if len(wake) != 1 {
		t.Errorf("%d wake-ups pending, want 1", len(wake))
	}
	if sc, ok := l.get(); !ok || sc.Seq != 1000 {
		t.Errorf("latest is %d, want 1000", sc.Seq)
	}
	unsubscribe()
	<-wake
	l.set(kiosk.Screen{Seq: 1001})
	if len(wake) != 0 {
		t.Error("an unsubscribed client was woken")
	}
	late, _, _ := l.subscribe()
	if len(late) != 1 {
		t.Error("a client that subscribes after a publication is not woken at once")
	}
}

// sseReader reads a Server-Sent Events stream.
type sseReader struct{ r *bufio.Reader }

// next returns the next event's name and data, skipping fields that are
// not part of one (retry).
func (s sseReader) next() (event, data string, err error) {
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return "", "", err
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && event != "":
			return event, data, nil
		case strings.HasPrefix(line, "event: "):
			event = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			data += line[len("data: "):]
		}
	}
}

// nextScreen skips pings and returns the next screen's message.
func (s sseReader) nextScreen(t *testing.T) screenMessage {
	t.Helper()
	for {
		event, data, err := s.next()
		if err != nil {
			t.Fatal(err)
		}
		if event == "screen" {
			var m screenMessage
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
}

// openStream opens /events and returns its reader; the stream is closed
// when the test ends.
func openStream(t *testing.T, base string) sseReader {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream; charset=utf-8" {
		t.Fatalf("/events: %s, %s", resp.Status, ct)
	}
	return sseReader{bufio.NewReader(resp.Body)}
}

func TestStreamSendsCurrentThenEveryScreenAndPings(t *testing.T) {
	s, base, _ := startServer(t, Config{Heartbeat: 50 * time.Millisecond})
	s.Publish(testScreen(1, kiosk.StateLocked))
	stream := openStream(t, base)

	if event, data, err := stream.next(); err != nil || event != "ping" || data != "50" {
		t.Fatalf("first event: %q %q %v, want the ping with the heartbeat", event, data, err)
	}
	if m := stream.nextScreen(t); m.Seq != 1 || m.State != kiosk.StateLocked {
		t.Fatalf("on connection: %+v, want the current screen", m)
	}
	s.Publish(testScreen(2, kiosk.StateChooseClass))
	if m := stream.nextScreen(t); m.Seq != 2 || len(m.Classes) != 3 {
		t.Fatalf("after Publish: %+v", m)
	}
	start := time.Now()
	for pings := 0; pings < 3; {
		event, _, err := stream.next()
		if err != nil {
			t.Fatal(err)
		}
		if event == "ping" {
			pings++
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("3 pings of 50 ms took %v", d)
	}
}

func TestSlowClientDoesNotBlockPublish(t *testing.T) {
	s, base, _ := startServer(t, Config{})
	// A client that asks for the stream and never reads it.
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET /events HTTP/1.1\r\nHost: %s\r\n\r\n", s.Addr())

	// 64 KiB screens, 2000 of them: far more than the socket buffers hold.
	sc := testScreen(0, kiosk.StateReady)
	sc.Notice = strings.Repeat("x", 64<<10)
	start := time.Now()
	for seq := range uint64(2000) {
		sc.Seq = seq + 1
		s.Publish(sc)
		if seq == 0 {
			time.Sleep(50 * time.Millisecond) // let the slow client's stream start
		}
	}
	if d := time.Since(start) - 50*time.Millisecond; d > time.Second {
		t.Errorf("2000 publications took %v with a client that does not read", d)
	}
	// A page that connects now gets the newest screen, not a backlog.
	if m := openStream(t, base).nextScreen(t); m.Seq != 2000 {
		t.Errorf("a new page got screen %d, want 2000", m.Seq)
	}
}
