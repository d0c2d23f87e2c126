package display

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"
)

// writeTimeout bounds every write to a client: a page that stopped reading
// (a frozen browser) is dropped instead of holding its connection forever.
const writeTimeout = 10 * time.Second

// serveEvents streams the screen to one page as Server-Sent Events: first
// a ping with the reconnection delay, then the current Screen, then every new
// one, with a ping every heartbeat. The ping is an event, not an SSE
// comment, because the page cannot see comments: it carries the heartbeat
// in milliseconds, and a page that hears nothing for three of them treats
// itself as disconnected and blanks the screen (a frozen kiosk must not
// leave a verdict up).
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)

	wake, unsubscribe, clients := s.latest.subscribe()
	defer unsubscribe()
	start := time.Now()
	s.log.Info("display: page connected", "clients", clients)
	sent := 0
	defer func() {
		s.log.Info("display: page disconnected", "events", sent, "duration", time.Since(start).Round(time.Millisecond))
	}()

	// send writes one event and flushes it, within writeTimeout.
	send := func(event string, data []byte) bool {
		if err := rc.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
			return false
		}
		if err := writeEvent(w, event, data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	ping := []byte(strconv.FormatInt(s.heartbeat.Milliseconds(), 10))
	// The first event also tells the browser to reconnect within a second.
	if _, err := io.WriteString(w, "retry: 1000\n"); err != nil || !send("ping", ping) {
		return
	}
	heartbeat := time.NewTicker(s.heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-heartbeat.C:
			if !send("ping", ping) {
				return
			}
		case <-wake:
			sc, _ := s.latest.get()
			data, err := encodeScreen(sc, time.Now())
			if err != nil {
				s.log.Error("display: encoding the screen", "err", err)
				return
			}
			if !send("screen", data) {
				return
			}
			sent++
		}
	}
}

// writeEvent writes one Server-Sent Event: its name and its data, one
// "data:" line per line of data, and the blank line that ends it.
func writeEvent(w io.Writer, event string, data []byte) error {
	var b bytes.Buffer
	b.WriteString("event: ")
	b.WriteString(event)
	b.WriteByte('\n')
	for line := range bytes.Lines(data) {
		b.WriteString("data: ")
		b.Write(bytes.TrimRight(line, "\r\n"))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}
