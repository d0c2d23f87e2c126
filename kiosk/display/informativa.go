package display

import (
	"bytes"
	"image/png"
	"net/http"
	"sync"

	"github.com/scuola/kiosk/scanner/qrimage"
)

// noticeQR is the QR of the privacy notice's address, drawn once per
// address: the locked screen shows it all day.
type noticeQR struct {
	mu      sync.Mutex
	address string
	png     []byte
}

// noticeQRPixels is the image's side: a phone reads it across a desk.
const noticeQRPixels = 320

// serveInformativa serves the QR of the address the locked screen offers
// now; nothing when it offers none, so that the page cannot be made to draw
// an address of its choosing.
func (s *Server) serveInformativa(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.latest.get()
	if !ok || sc.Informativa == "" {
		http.NotFound(w, r)
		return
	}
	img, err := s.notice.draw(sc.Informativa)
	if err != nil {
		s.log.Warn("display: the privacy notice's QR", "err", err)
		http.Error(w, "no QR", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(img)
}

func (q *noticeQR) draw(address string) ([]byte, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.address == address {
		return q.png, nil
	}
	img, err := qrimage.Draw(address, noticeQRPixels)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	q.address, q.png = address, b.Bytes()
	return q.png, nil
}
