// Package scanner turns what a camera or a handheld scanner sees into the
// texts of the QR codes shown to it, fast and without keeping them.
//
// The parts, in the order data flows:
//
//   - Source yields 8-bit gray frames, always the newest (Newest is the
//     hand-over a capture goroutine uses; FramePool recycles the buffers).
//     The camera, video and image-file sources are in scanner/cv (OpenCV);
//     this package is pure Go and builds with CGO_ENABLED=0.
//   - Decoder reads the codes in a frame with a cascade of gozxing attempts,
//     cheapest first, within a time budget: an empty frame costs two cheap
//     stages, a hard one (glare, moiré, 40° of tilt) as many as the budget
//     allows. It searches an image pyramid (pyramid.go), first at the level
//     whose long side is at most 1280 px, where a phone photo's modules are
//     a few pixels wide, then the finer levels for small codes, only
//     around the finder patterns already seen if any; a frame of
//     too few gray levels is stretched first (exposure.go). Its detector
//     tolerates perspective and any in-plane rotation better than
//     gozxing's own (detect.go, fit.go). An Assist (scanner/cv) adds OpenCV
//     stages; Options.Thorough (offline tools) runs every stage even when
//     the first saw no finder pattern, and reads every code in the image.
//   - Suppressor turns per-frame results into scans: one per code shown.
//   - TextSource reads keyboard-wedge scanners: LineReader for standard
//     input, EventReader/OpenKeyboard for a Linux input device.
//
// A certificate's QR text carries a pupil's name and date of birth. Nothing
// here logs it, writes it or puts it in an error; Result's String redacts
// it, Suppressor keeps hashes only, and frames never touch the disk.
package scanner
