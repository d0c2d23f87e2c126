// Package cv is the scanner's OpenCV side (cgo, gocv): capture from USB
// cameras and video files, images read from files, and the OpenCV stages
// of the decoding cascade (Assist). Everything else — decoding, duplicate
// suppression, keyboard-wedge scanners — is pure Go in package scanner.
package cv
