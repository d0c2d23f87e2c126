// Package display serves the entrance screen: a page for the kiosk's
// browser on the loopback interface, pushed live by Server-Sent Events, and
// the delegate's touches back to the session as Commands.
//
// The page shows a pupil's name and date of birth for a few seconds, so the
// server is built not to let them go anywhere else: it listens only on
// loopback and refuses requests that a web page elsewhere could make (a
// foreign Host, another site or origin), nothing it sends may be cached,
// the person is revealed into the stream only while a result is on screen,
// and its log holds counts and timings only.
package display

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/privacy/loopback"
)

// Config configures a Server. The zero value is the kiosk's default.
type Config struct {
	// Addr is the loopback address to listen on; default 127.0.0.1:8080.
	// Port 0 picks a free port (see Server.Addr).
	Addr string
	// Heartbeat is how often an idle stream pings the page; default 15 s.
	// The page blanks itself after three missed pings.
	Heartbeat time.Duration
	// Logger receives counts and timings, never screen content; default:
	// discard.
	Logger *slog.Logger
}

// Server is the entrance screen's web server. Publish and Commands may be
// used from any goroutine, before and while Serve runs.
type Server struct {
	ln        net.Listener
	heartbeat time.Duration
	log       *slog.Logger
	latest    latest
	commands  chan kiosk.Command
	served    atomic.Bool
	notice    noticeQR
}

// New checks the configuration and starts listening, so that Addr is known
// (and a busy port is an error) before Serve.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	addr, err := loopback.ListenAddress(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("display: refusing to listen: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("display: %w", err)
	}
	return &Server{
		ln:        ln,
		heartbeat: cfg.Heartbeat,
		log:       cfg.Logger,
		commands:  make(chan kiosk.Command, 4),
	}, nil
}

// Addr is the address the server listens on, e.g. "127.0.0.1:8080".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Commands delivers the delegate's touches as the session's commands, for
// Session.Command. It is never closed; a touch that the session does not
// take within two seconds is refused to the page, which asks the delegate
// to try again.
func (s *Server) Commands() <-chan kiosk.Command { return s.commands }

// Serve serves the page until ctx is done, then closes the streams and the
// listener and returns nil. It may be called once.
func (s *Server) Serve(ctx context.Context) error {
	if s.served.Swap(true) {
		return errors.New("display: Serve called twice")
	}
	hs := &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       time.Minute,
		// The streams end with ctx, so that Shutdown need not wait for them.
		BaseContext: func(net.Listener) context.Context { return ctx },
		ErrorLog:    slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.log.Info("display: serving", "addr", s.Addr())
	served := make(chan error, 1)
	go func() { served <- hs.Serve(s.ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("display: %w", err)
	case <-ctx.Done():
	}
	// The handlers end with ctx; the grace is for connections the browser
	// opened ahead and never used, which Shutdown would otherwise await.
	stop, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := hs.Shutdown(stop); err != nil {
		_ = hs.Close()
	}
	<-served
	return nil
}

// handler routes the page, its assets, the stream and the touches, behind
// guard.
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", serveAsset("index.html", "text/html; charset=utf-8"))
	mux.Handle("GET /screen.css", serveAsset("screen.css", "text/css; charset=utf-8"))
	mux.Handle("GET /screen.js", serveAsset("screen.js", "text/javascript; charset=utf-8"))
	mux.Handle("GET /words.js", serveBytes(wordsScript(), "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /events", s.serveEvents)
	mux.HandleFunc("GET /informativa.png", s.serveInformativa)
	// The browser asks for an icon now that images may load; it has none.
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for name, kind := range commandPaths {
		mux.Handle("POST /command/"+name, s.serveCommand(kind))
	}
	return guard(s.log, mux)
}
