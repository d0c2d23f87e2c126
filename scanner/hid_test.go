package scanner

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestLineReader(t *testing.T) {
	in := "HC1:ABC\r\n\n\nHC1:DEF\n" + strings.Repeat("X", MaxLine+10) + "\nHC1:LAST"
	r := NewLineReader(strings.NewReader(in))
	ctx := context.Background()
	want := []struct {
		line string
		err  error
	}{{"HC1:ABC", nil}, {"HC1:DEF", nil}, {"", ErrLineTooLong}, {"HC1:LAST", nil}, {"", io.EOF}}
	for i, w := range want {
		got, err := r.Next(ctx)
		if got != w.line || !errors.Is(err, w.err) {
			t.Fatalf("line %d: %q, %v; want %q, %v", i, got, err, w.line, w.err)
		}
	}
}

// event encodes one input_event for this platform.
func event(typ, code uint16, value int32) []byte {
	b := make([]byte, eventSize)
	off := eventSize - 8
	binary.NativeEndian.PutUint16(b[off:], typ)
	binary.NativeEndian.PutUint16(b[off+2:], code)
	binary.NativeEndian.PutUint32(b[off+4:], uint32(value))
	return b
}

// typeText produces the events a scanner sends to type s and Enter with
// the given layout, as real ones do: Shift pressed around each shifted
// character, a sync report after every key.
func typeText(t *testing.T, km Keymap, s string) []byte {
	var out bytes.Buffer
	key := func(code uint16, v int32) {
		out.Write(event(evKey, code, v))
		out.Write(event(0, 0, 0)) // EV_SYN
	}
	for _, r := range s {
		code, shifted, ok := km.find(r)
		if !ok {
			t.Fatalf("layout %s cannot type %q", km.Name, r)
		}
		if shifted {
			key(keyLeftShift, keyPress)
		}
		key(code, keyPress)
		key(code, keyRelease)
		if shifted {
			key(keyLeftShift, keyRelease)
		}
	}
	key(keyEnter, keyPress)
	key(keyEnter, keyRelease)
	return out.Bytes()
}

// find is the inverse of the keymap, for tests.
func (k Keymap) find(r rune) (uint16, bool, bool) {
	for c, x := range k.plain {
		if x == r {
			return c, false, true
		}
	}
	for c, x := range k.shift {
		if x == r {
			return c, true, true
		}
	}
	return 0, false, false
}

func TestEventReaderTypesBase45(t *testing.T) {
	text := "HC1:" + base45Alphabet + "6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA.A5:S9MKN4NN3F85QNCY0O%0VZ001HOC9JU0D0HT0HB2PL/IB*09B9LW4T*8+DC9I0%YB/VM$*SBAKYE9*FJ7ID$0HY8RM$8LQO8N9.JA6TRNAA8$0 9+SN+HHDL1J7"
	for _, km := range []Keymap{KeymapUS, KeymapIT} {
		r := NewEventReader(io.NopCloser(bytes.NewReader(typeText(t, km, text))), km)
		got, err := r.Next(context.Background())
		if err != nil || got != text {
			t.Fatalf("%s: read %q, %v", km.Name, got, err)
		}
		if _, err := r.Next(context.Background()); !errors.Is(err, io.EOF) {
			t.Fatalf("%s: after the line: %v", km.Name, err)
		}
	}
}

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

func TestEventReaderBadInput(t *testing.T) {
	// A truncated event is an error that says so, not a hang or a panic.
	r := NewEventReader(io.NopCloser(bytes.NewReader(make([]byte, eventSize+3))), KeymapUS)
	if _, err := r.Next(context.Background()); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("truncated stream: %v", err)
	}
	// A stuck key makes an overlong line, refused at Enter.
	var b bytes.Buffer
	for i := 0; i < MaxLine+5; i++ {
		b.Write(event(evKey, 30, keyPress))
	}
	b.Write(event(evKey, keyEnter, keyPress))
	b.Write(typeText(t, KeymapUS, "HC1:OK"))
	r = NewEventReader(io.NopCloser(&b), KeymapUS)
	if _, err := r.Next(context.Background()); !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("overlong line: %v", err)
	}
	if got, err := r.Next(context.Background()); got != "HC1:OK" || err != nil {
		t.Fatalf("after the overlong line: %q, %v", got, err)
	}
	if _, _, err := newKeyDecoder(KeymapUS).Feed([]byte{1, 2, 3}); err == nil {
		t.Fatal("short event accepted")
	}
}

func TestCapsLock(t *testing.T) {
	d := newKeyDecoder(KeymapUS)
	var line string
	for _, ev := range [][]byte{event(evKey, keyCapsLock, keyPress), event(evKey, 35, keyPress), event(evKey, keyLeftShift, keyPress), event(evKey, 35, keyPress), event(evKey, keyLeftShift, keyRelease), event(evKey, keyEnter, keyPress)} {
		l, done, err := d.Feed(ev)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			line = l
		}
	}
	if line != "Hh" {
		t.Fatalf("caps lock: %q", line)
	}
}

// FuzzKeyDecoder feeds arbitrary bytes as input events: no panic, and no
// line longer than MaxLine.
func FuzzKeyDecoder(f *testing.F) {
	f.Add(typeText(&testing.T{}, KeymapUS, "HC1:ABC"))
	f.Add(typeText(&testing.T{}, KeymapIT, "HC1:$%*+-./:"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := newKeyDecoder(KeymapUS)
		for len(data) >= eventSize {
			line, _, _ := d.Feed(data[:eventSize])
			if len([]rune(line)) > MaxLine {
				t.Fatalf("line of %d characters", len(line))
			}
			data = data[eventSize:]
		}
		if _, _, err := d.Feed(data); err == nil && len(data) != eventSize {
			t.Fatal("accepted a short event")
		}
	})
}

// FuzzLineReader reads arbitrary text: no panic, lines bounded, and the
// reader always reaches the end.
func FuzzLineReader(f *testing.F) {
	f.Add([]byte("HC1:ABC\r\nHC1:DEF\n"))
	f.Add(bytes.Repeat([]byte{'a'}, MaxLine+1))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewLineReader(bytes.NewReader(data))
		for i := 0; i <= len(data)+1; i++ {
			line, err := r.Next(context.Background())
			if len(line) > MaxLine {
				t.Fatalf("line of %d bytes", len(line))
			}
			if errors.Is(err, io.EOF) {
				return
			}
		}
		t.Fatal("reader did not reach the end")
	})
}
