package display

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/lang"
)

// commandPaths are the touches the page posts, each to "/command/" and its
// name, and the session's command each becomes: choose-class with
// {"class": name}, lock with {}, language with {"lang": code} (a code of kiosk/lang).
var commandPaths = map[string]kiosk.CommandKind{
	"choose-class": kiosk.CommandChooseClass,
	"lock":         kiosk.CommandLock,
	"language":     kiosk.CommandLang,
}

const (
	// maxCommandBody bounds what a POST may send; a command is a few bytes.
	maxCommandBody = 1 << 10
	// maxClassName bounds a class's name, in bytes.
	maxClassName = 64
	// commandWait is how long a touch waits for the session to take it
	// before the page is told to try again.
	commandWait = 2 * time.Second
)

// serveCommand receives one kind of touch. Only application/json is
// accepted: a page of another origin can post a form or text/plain without
// asking, but JSON needs a CORS preflight, which this server never grants
// (a third wall after the Host and Origin checks of guard).
func (s *Server) serveCommand(kind kiosk.CommandKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			http.Error(w, "the body must be application/json", http.StatusUnsupportedMediaType)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCommandBody))
		if err != nil {
			http.Error(w, "the body is too large", http.StatusRequestEntityTooLarge)
			return
		}
		c, err := parseCommand(kind, body)
		if err != nil {
			s.log.Warn("display: command refused", "path", r.URL.Path, "err", err)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		timeout := time.NewTimer(commandWait)
		defer timeout.Stop()
		select {
		case s.commands <- c:
			s.log.Info("display: command", "path", r.URL.Path)
			w.WriteHeader(http.StatusNoContent)
		case <-timeout.C:
			s.log.Warn("display: command not taken by the session", "path", r.URL.Path)
			http.Error(w, "the kiosk is busy, try again", http.StatusServiceUnavailable)
		case <-r.Context().Done():
		}
	}
}

// commandBody is every field a command body may have; parseCommand checks
// that each kind has exactly its own.
type commandBody struct {
	Class *string `json:"class"`
	Lang  *string `json:"lang"`
}

// parseCommand reads the body of a touch of the given kind: one JSON object
// with exactly the kind's field, a valid value and nothing after it. Its
// errors never quote the body.
func parseCommand(kind kiosk.CommandKind, body []byte) (kiosk.Command, error) {
	var b commandBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return kiosk.Command{}, errors.New("the body is not a JSON object with known fields")
	}
	if _, err := dec.Token(); err != io.EOF {
		return kiosk.Command{}, errors.New("the body has more than one JSON value")
	}
	switch kind {
	case kiosk.CommandChooseClass:
		if b.Class == nil || b.Lang != nil || !validClassName(*b.Class) {
			return kiosk.Command{}, errors.New(`choose-class wants {"class": name}, a name of 1 to 64 bytes of printable text`)
		}
		return kiosk.Command{Kind: kind, Class: *b.Class}, nil
	case kiosk.CommandLock:
		if b.Class != nil || b.Lang != nil {
			return kiosk.Command{}, errors.New("lock wants {}")
		}
		return kiosk.Command{Kind: kind}, nil
	case kiosk.CommandLang:
		if b.Lang == nil || b.Class != nil {
			return kiosk.Command{}, errors.New(`language wants {"lang": code}`)
		}
		l, err := lang.Parse(*b.Lang)
		if err != nil {
			return kiosk.Command{}, fmt.Errorf("language: %w", err)
		}
		return kiosk.Command{Kind: kind, Lang: l}, nil
	default:
		return kiosk.Command{}, fmt.Errorf("unknown command %d", kind)
	}
}

// validClassName reports whether name could be a class's name as the
// configuration writes it: printable UTF-8, not blank, not too long.
func validClassName(name string) bool {
	if len(name) > maxClassName || strings.TrimSpace(name) == "" || !utf8.ValidString(name) {
		return false
	}
	return strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) < 0
}
