package display

import (
	"slices"
	"sync"

	"github.com/scuola/kiosk/kiosk"
)

// latest holds the last published Screen and wakes the clients that stream
// it. Each client has a wake-up channel with room for one signal: Publish
// never waits for a client, and a slow client that misses several
// publications is simply woken once and sends the newest Screen, which is
// the only one worth showing.
type latest struct {
	mu      sync.Mutex
	screen  kiosk.Screen
	have    bool
	clients map[chan struct{}]struct{}
}

// set stores sc and wakes every client.
func (l *latest) set(sc kiosk.Screen) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.screen, l.have = sc, true
	for wake := range l.clients {
		select {
		case wake <- struct{}{}:
		default: // already woken; it will read the newest Screen
		}
	}
}

// get returns the last published Screen, if any.
func (l *latest) get() (kiosk.Screen, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.screen, l.have
}

// subscribe registers a client. Its channel is already signalled when a
// Screen has been published, so a new page shows the current state at
// once. The count is the number of clients, for the log.
func (l *latest) subscribe() (wake chan struct{}, unsubscribe func(), count int) {
	wake = make(chan struct{}, 1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.clients == nil {
		l.clients = make(map[chan struct{}]struct{})
	}
	l.clients[wake] = struct{}{}
	if l.have {
		wake <- struct{}{}
	}
	return wake, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.clients, wake)
	}, len(l.clients)
}

// Publish makes sc the state shown by every page, now and on connection.
// It never blocks on a client. The Screen is copied, so the caller may
// reuse its own; the privacy.Person is not copied, so that wiping it (as the
// session does when the display time ends) takes effect here too.
func (s *Server) Publish(sc kiosk.Screen) {
	s.latest.set(cloneScreen(sc))
}

// cloneScreen copies the parts of sc that the session may change after
// publishing it, all but the Person (see Publish).
func cloneScreen(sc kiosk.Screen) kiosk.Screen {
	if sc.Operator != nil {
		op := *sc.Operator
		sc.Operator = &op
	}
	if sc.Class != nil {
		c := *sc.Class
		sc.Class = &c
	}
	if sc.Result != nil {
		r := *sc.Result
		sc.Result = &r
	}
	sc.Classes = slices.Clone(sc.Classes)
	return sc
}
