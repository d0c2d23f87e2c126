package revocation

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The binary form of a set, as the kiosk stores it:
//
//	offset  size      field
//	0       8         magic "KDRLSET1"
//	8       8         version: the list's version at the gateway (big-endian)
//	16      8         count of hashes (big-endian)
//	24      32×count  the hashes, strictly ascending
//	24+32n  4         CRC-32C (Castagnoli) of every byte before it
//
// Loading is one sequential read with no parsing, so a million hashes load
// in milliseconds; the order is checked while reading and the checksum
// catches a torn or decayed file.
const (
	binaryMagic  = "KDRLSET1"
	headerLen    = 24
	trailerLen   = 4
	readBlockLen = 4096 // hashes per read: 128 KiB
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// MaxLen bounds the hashes of a stored set or a download: eight times the
// largest list the Italian gateway ever served (about a million), 256 MB.
const MaxLen = 1 << 23

// BinaryLen is the size of the binary form of n hashes.
func BinaryLen(n int) int64 { return headerLen + int64(n)*32 + trailerLen }

// WriteBinary writes the set in its binary form, tagged with the list's
// version.
func (s *Set) WriteBinary(w io.Writer, version uint64) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	crc := crc32.New(castagnoli)
	out := io.MultiWriter(bw, crc)
	var hdr [headerLen]byte
	copy(hdr[:8], binaryMagic)
	binary.BigEndian.PutUint64(hdr[8:], version)
	binary.BigEndian.PutUint64(hdr[16:], uint64(s.Len()))
	if _, err := out.Write(hdr[:]); err != nil {
		return err
	}
	for i := range s.Hashes() {
		if _, err := out.Write(s.h[i][:]); err != nil {
			return err
		}
	}
	if err := binary.Write(bw, binary.BigEndian, crc.Sum32()); err != nil {
		return err
	}
	return bw.Flush()
}

// ReadBinary reads a set written by WriteBinary. size is the length of the
// data (a file's size): it must match the header exactly, so that a
// damaged count is refused before anything is allocated for it.
func ReadBinary(r io.Reader, size int64) (s *Set, version uint64, err error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, 0, fmt.Errorf("revocation file header: %w", noEOF(err))
	}
	if string(hdr[:8]) != binaryMagic {
		return nil, 0, errors.New("not a revocation file (bad magic)")
	}
	version = binary.BigEndian.Uint64(hdr[8:])
	count := binary.BigEndian.Uint64(hdr[16:])
	if count > MaxLen {
		return nil, 0, fmt.Errorf("revocation file claims %d hashes, over the bound of %d", count, MaxLen)
	}
	if want := BinaryLen(int(count)); size != want {
		return nil, 0, fmt.Errorf("revocation file of %d bytes, but its header announces %d hashes (%d bytes)", size, count, want)
	}
	crc := crc32.Update(0, castagnoli, hdr[:])
	h := make([]Hash, count)
	buf := make([]byte, min(int(count), readBlockLen)*32)
	for i := 0; i < len(h); {
		n := min(len(h)-i, readBlockLen)
		block := buf[:n*32]
		if _, err := io.ReadFull(r, block); err != nil {
			return nil, 0, fmt.Errorf("revocation file, hash %d: %w", i, noEOF(err))
		}
		crc = crc32.Update(crc, castagnoli, block)
		for k := range n {
			copy(h[i+k][:], block[k*32:])
			if i+k > 0 && compare(&h[i+k-1], &h[i+k]) >= 0 {
				return nil, 0, fmt.Errorf("revocation file out of order at hash %d", i+k)
			}
		}
		i += n
	}
	var sum [trailerLen]byte
	if _, err := io.ReadFull(r, sum[:]); err != nil {
		return nil, 0, fmt.Errorf("revocation file checksum: %w", noEOF(err))
	}
	if got := binary.BigEndian.Uint32(sum[:]); got != crc {
		return nil, 0, fmt.Errorf("revocation file damaged: checksum %08x, computed %08x", got, crc)
	}
	return newSorted(h), version, nil
}

// noEOF reports a short file as such rather than as a clean end.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
