package verify

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Bounds on what a QR can carry. The largest QR (version 40, alphanumeric,
// low error correction) holds 4,296 characters; anything longer did not come
// from a QR and is refused before any work is done on it.
const (
	// MaxTextLen bounds the HC1 text.
	MaxTextLen = 8 << 10
	// MaxInflatedLen bounds the decompressed COSE message: a QR carries at
	// most about 3 KB of deflate, and a certificate inflates to less than
	// that again. 64 KiB turns a decompression bomb into a clear error.
	MaxInflatedLen = 64 << 10
)

// contextPrefix is the context identifier of an EU DCC (version 1).
const contextPrefix = "HC1:"

// unwrapped is the COSE message carried by an HC1 text.
type unwrapped struct {
	cose       []byte
	compressed bool // false when the issuer omitted zlib
}

// zlibReaders reuses inflaters: a new one allocates tens of kilobytes, more
// than everything else in a check together.
var zlibReaders sync.Pool

// scratch is the memory of one check, reused between checks: the decoded
// base45 and the inflated message. The result of unwrap aliases it.
type scratch struct {
	raw      []byte
	inflated bytes.Buffer
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// unwrap checks the prefix, decodes base45 and inflates the zlib stream.
func unwrap(text string, sc *scratch) (unwrapped, *refusal) {
	if len(text) > MaxTextLen {
		return unwrapped{}, fail(StagePrefix, StatusNotEUDCC, ReasonNotEUDCC, nil,
			"text of %d bytes is longer than any QR code can carry (%d)", len(text), MaxTextLen)
	}
	if !strings.HasPrefix(text, contextPrefix) {
		return unwrapped{}, fail(StagePrefix, StatusNotEUDCC, ReasonNotEUDCC, nil, "%s", describePrefix(text))
	}
	raw, err := AppendBase45Decode(sc.raw[:0], text[len(contextPrefix):])
	sc.raw = raw
	if err != nil {
		return unwrapped{}, fail(StageBase45, StatusNotEUDCC, ReasonUnreadable, err,
			"%s (offsets count from the start of the text)", shiftOffsets(err.Error(), len(contextPrefix)))
	}
	if !isZlibHeader(raw) {
		// Some issuers omit compression (certificates.md): the bytes are the
		// COSE message itself.
		return unwrapped{cose: raw, compressed: false}, nil
	}
	out, err := inflate(raw, &sc.inflated)
	if err != nil {
		return unwrapped{}, fail(StageZlib, StatusNotEUDCC, ReasonUnreadable, err, "%v", err)
	}
	return unwrapped{cose: out, compressed: true}, nil
}

// describePrefix names what stands where "HC1:" should, without echoing more
// than the prefix itself.
func describePrefix(text string) string {
	switch {
	case text == "":
		return "empty text"
	case len(text) >= 4 && text[3] == ':':
		return "context identifier " + strconv.Quote(text[:4]) + " is not HC1:"
	default:
		return "no HC1: context identifier at the start"
	}
}

// shiftOffsets rewrites "offset N" in a base45 error so that it counts from
// the start of the whole text, prefix included: that is the position a
// person looking at the QR text would count.
func shiftOffsets(msg string, by int) string {
	const word = "offset "
	var b strings.Builder
	for {
		i := strings.Index(msg, word)
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		b.WriteString(msg[:i+len(word)])
		msg = msg[i+len(word):]
		j := 0
		for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(msg[:j]); err == nil {
			b.WriteString(strconv.Itoa(n + by))
			msg = msg[j:]
		}
	}
}

// isZlibHeader reports whether b starts with a valid zlib header (RFC 1950):
// deflate method, a window no larger than 32 KiB, and the check bits.
func isZlibHeader(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	cmf, flg := b[0], b[1]
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}

var errInflateBound = errors.New("inflated size over the bound")

// inflate decompresses a zlib stream into buf, refusing to produce more than
// MaxInflatedLen bytes.
func inflate(raw []byte, buf *bytes.Buffer) ([]byte, error) {
	src := bytes.NewReader(raw)
	var zr io.ReadCloser
	if r, ok := zlibReaders.Get().(io.ReadCloser); ok {
		if err := r.(zlib.Resetter).Reset(src, nil); err != nil {
			zlibReaders.Put(r)
			return nil, err
		}
		zr = r
	} else {
		r, err := zlib.NewReader(src)
		if err != nil {
			return nil, err
		}
		zr = r
	}
	defer zlibReaders.Put(zr)
	buf.Reset()
	n, err := buf.ReadFrom(io.LimitReader(zr, MaxInflatedLen+1))
	if err != nil {
		return nil, err
	}
	if n > MaxInflatedLen {
		return nil, fmt.Errorf("%w: %d compressed bytes inflate to more than %d bytes (a decompression bomb?)",
			errInflateBound, len(raw), MaxInflatedLen)
	}
	if err := zr.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
