package scanner

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"
)

// Handheld 2D scanners usually present themselves as a keyboard: they
// "type" the QR text and press Enter. Two ways in: standard input (the
// scanner types into the kiosk's terminal) and the Linux input device
// (/dev/input/event*), which the kiosk grabs so the typed certificate never
// reaches another program or the console.

// MaxLine bounds a line typed by a scanner. A QR code holds at most 4296
// characters and an EU certificate about 600; a longer line is not a code
// (or is a device stuck on a key), and is refused rather than buffered.
const MaxLine = 8192

// ErrLineTooLong reports a line longer than MaxLine. The line is dropped,
// not returned, and reading resumes after its end.
var ErrLineTooLong = errors.New("scanner: typed line longer than the limit")

// TextSource yields the codes typed by a keyboard-wedge scanner, one per
// call, without their line ending.
type TextSource interface {
	Next(ctx context.Context) (string, error)
	Close() error
}

// LineReader reads codes as lines of text, such as a scanner typing into
// standard input. Lines end with "\n" or "\r\n"; empty lines are skipped.
type LineReader struct {
	r      *bufio.Reader
	closer io.Closer
}

// NewLineReader reads lines from r; Close closes r if it is an io.Closer.
func NewLineReader(r io.Reader) *LineReader {
	c, _ := r.(io.Closer)
	return &LineReader{r: bufio.NewReaderSize(r, 4096), closer: c}
}

// Next returns the next non-empty line. ctx is checked between lines only:
// a blocking read of standard input cannot be interrupted portably, so a
// caller that must stop reads from another goroutine.
func (l *LineReader) Next(ctx context.Context) (string, error) {
	var b strings.Builder
	tooLong := false
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		chunk, err := l.r.ReadSlice('\n')
		if !tooLong {
			if b.Len()+len(chunk) > MaxLine+2 {
				tooLong = true
				b.Reset()
			} else {
				b.Write(chunk)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if tooLong && (err == nil || errors.Is(err, io.EOF)) {
			return "", ErrLineTooLong
		}
		line := strings.TrimRight(b.String(), "\r\n")
		if len(line) > MaxLine {
			return "", ErrLineTooLong
		}
		if line != "" {
			return line, nil
		}
		if err != nil {
			return "", err
		}
		b.Reset()
	}
}

// Close closes the underlying reader when it can be closed.
func (l *LineReader) Close() error {
	if l.closer != nil {
		return l.closer.Close()
	}
	return nil
}

// Linux input events (linux/input.h): struct input_event is a struct
// timeval (two C longs) followed by type (u16), code (u16) and value (s32),
// so 24 bytes on 64-bit systems and 16 on 32-bit Raspberry Pi OS.
const (
	evKey        = 0x01
	keyPress     = 1
	keyRepeat    = 2
	keyRelease   = 0
	keyEnter     = 28
	keyKPEnter   = 96
	keyLeftShift = 42
	keyRightShft = 54
	keyCapsLock  = 58
)

const eventSize = 2*int(unsafe.Sizeof(uintptr(0))) + 8

// Keymap maps Linux key codes to the characters they type, without and
// with Shift, for one keyboard layout. The scanner must be configured for
// the same layout (most default to US; Italian schools may have set IT).
type Keymap struct {
	Name  string
	plain map[uint16]rune
	shift map[uint16]rune
}

// keymap builds a Keymap from rows of key codes and the characters they
// type: row[i] is the key code of plain[i] and shifted[i] (0 for none).
func keymap(name string, codes []uint16, plain, shifted string) Keymap {
	k := Keymap{Name: name, plain: map[uint16]rune{}, shift: map[uint16]rune{}}
	p, s := []rune(plain), []rune(shifted)
	for i, c := range codes {
		if p[i] != 0 {
			k.plain[c] = p[i]
		}
		if s[i] != 0 {
			k.shift[c] = s[i]
		}
	}
	return k
}

// The keys of the main block, in the order of the strings below.
var mainKeys = []uint16{
	2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, // 1 … 0, two keys right of 0
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, // Q … P, two keys right of P
	30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, // A … L, two keys right of L, key left of 1
	43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 57, // key left of Enter, Z … M, three keys right of M, space
}

// KeymapUS is the US QWERTY layout, the default of most scanners.
var KeymapUS = keymap("us", mainKeys,
	"1234567890-=qwertyuiop[]asdfghjkl;'`\\zxcvbnm,./ ",
	"!@#$%^&*()_+QWERTYUIOP{}ASDFGHJKL:\"~|ZXCVBNM<>? ")

// KeymapIT is the Italian layout (characters outside ASCII map to
// themselves; base45 needs none of them).
var KeymapIT = keymap("it", mainKeys,
	"1234567890'ìqwertyuiopè+asdfghjklòà\\ùzxcvbnm,.- ",
	"!\"£$%&/()=?^QWERTYUIOPé*ASDFGHJKLç°|§ZXCVBNM;:_ ")

// Keymaps lists the layouts by name, for configuration.
var Keymaps = map[string]Keymap{"us": KeymapUS, "it": KeymapIT}

// keyDecoder turns a stream of raw input events into typed lines. It is
// the pure part of the evdev source, separate so that it can be fuzzed.
type keyDecoder struct {
	km      Keymap
	shift   int // Shift keys held down
	caps    bool
	line    []rune
	tooLong bool
}

// newKeyDecoder decodes key events with the given layout.
func newKeyDecoder(km Keymap) *keyDecoder {
	return &keyDecoder{km: km}
}

// Feed decodes one raw input event. It returns a complete line when the
// event is the Enter that ends it, ErrLineTooLong when that line was too
// long, and malformed-input errors for a short event. Other events (key
// releases, mouse moves, sync reports) are consumed silently.
func (d *keyDecoder) Feed(ev []byte) (line string, done bool, err error) {
	if len(ev) != eventSize {
		return "", false, fmt.Errorf("scanner: input event of %d bytes, want %d", len(ev), eventSize)
	}
	off := eventSize - 8
	typ := binary.NativeEndian.Uint16(ev[off:])
	code := binary.NativeEndian.Uint16(ev[off+2:])
	value := int32(binary.NativeEndian.Uint32(ev[off+4:]))
	if typ != evKey {
		return "", false, nil
	}
	switch code {
	case keyLeftShift, keyRightShft:
		switch value {
		case keyPress:
			d.shift++
		case keyRelease:
			d.shift = max(0, d.shift-1)
		}
		return "", false, nil
	case keyCapsLock:
		if value == keyPress {
			d.caps = !d.caps
		}
		return "", false, nil
	case keyEnter, keyKPEnter:
		if value != keyPress {
			return "", false, nil
		}
		l, long := string(d.line), d.tooLong
		d.line, d.tooLong = d.line[:0], false
		if long {
			return "", false, ErrLineTooLong
		}
		return l, l != "", nil
	}
	if value != keyPress && value != keyRepeat {
		return "", false, nil
	}
	r, ok := d.km.plain[code]
	if d.shift > 0 {
		r, ok = d.km.shift[code]
	}
	if !ok {
		return "", false, nil
	}
	if d.caps && r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	} else if d.caps && r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	if len(d.line) >= MaxLine {
		d.tooLong = true
		return "", false, nil
	}
	d.line = append(d.line, r)
	return "", false, nil
}

// EventReader is a TextSource over a stream of raw input events, such as an
// opened /dev/input/event* device (see OpenKeyboard).
type EventReader struct {
	r   io.ReadCloser
	dec *keyDecoder
	buf []byte
}

// NewEventReader decodes the events read from r with the given layout.
func NewEventReader(r io.ReadCloser, km Keymap) *EventReader {
	return &EventReader{r: r, dec: newKeyDecoder(km), buf: make([]byte, eventSize)}
}

// Next returns the next line typed. ctx is checked between events; Close
// unblocks a pending read of a device.
func (e *EventReader) Next(ctx context.Context) (string, error) {
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		if _, err := io.ReadFull(e.r, e.buf); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return "", fmt.Errorf("scanner: input device: truncated event: %w", err)
			}
			return "", err
		}
		line, done, err := e.dec.Feed(e.buf)
		if err != nil || done {
			return line, err
		}
	}
}

// Close closes the device.
func (e *EventReader) Close() error { return e.r.Close() }
