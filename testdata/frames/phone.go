package frames

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
)

// PhoneJPEG encodes g as a phone stores a photo: a JPEG whose EXIF
// orientation tag (1–8) tells viewers how to turn the pixels upright; 6
// is a portrait photo, whose pixels are stored turned by 90°
// counter-clockwise. Readers that ignore the tag see the stored pixels.
func PhoneJPEG(g *image.Gray, orientation uint16) ([]byte, error) {
	if orientation < 1 || orientation > 8 {
		return nil, fmt.Errorf("frames: EXIF orientation %d outside 1..8", orientation)
	}
	var j bytes.Buffer
	if err := jpeg.Encode(&j, g, &jpeg.Options{Quality: 92}); err != nil {
		return nil, fmt.Errorf("frames: %w", err)
	}
	// A little-endian TIFF header and an IFD0 of one entry: Orientation
	// (0x0112), SHORT, count 1, the value padded to 4 bytes; no next IFD.
	tiff := []byte("II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00")
	tiff = binary.LittleEndian.AppendUint16(tiff, orientation)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	var b bytes.Buffer
	b.Write(j.Bytes()[:2]) // SOI
	b.Write([]byte{0xff, 0xe1})
	b.Write(binary.BigEndian.AppendUint16(nil, uint16(len(app1)+2)))
	b.Write(app1)
	b.Write(j.Bytes()[2:])
	return b.Bytes(), nil
}
