// Package camera finds the V4L2 video-capture devices the kiosk can read
// QR codes from: it lists /dev/video*, asks each node VIDIOC_QUERYCAP, and
// keeps the capture devices with their card name and bus. The kiosk uses
// it to pick its camera and to tell the delegate "camera unplugged" (or
// "no permission") in words. Pure Go: golang.org/x/sys/unix, no cgo.
package camera
