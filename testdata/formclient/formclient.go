// Package formclient is a person's browser for the tests of server-rendered
// pages (the office's, the portal's): its cookies, no following of
// redirects (the tests look at them), and the CSRF field of the last page
// it read, which every form it posts carries unless the test forges one;
// and the clock those tests give the pages.
package formclient

import (
	"bytes"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Client is one browser on one test server.
type Client struct {
	T    testing.TB
	URL  string
	C    *http.Client
	CSRF string // of the last page read
	// Location is where the last answer redirected to ("" for none).
	Location string
}

// New is a browser with no cookies yet for ts (an httptest TLS server,
// since the pages' cookies are Secure).
func New(t testing.TB, ts *httptest.Server) *Client {
	jar, _ := cookiejar.New(nil)
	c := ts.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{T: t, URL: ts.URL, C: c}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// Do sends a request and returns the status and the body.
func (b *Client) Do(req *http.Request) (int, string) {
	b.T.Helper()
	resp, err := b.C.Do(req)
	if err != nil {
		b.T.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.Location = resp.Header.Get("Location")
	if m := csrfField.FindSubmatch(body); m != nil {
		b.CSRF = string(m[1])
	}
	return resp.StatusCode, string(body)
}

// QR reads the one QR code of a PNG the site serves (a badge, a pairing
// code), as printed: a pure image.
func (b *Client) QR(path string) string {
	b.T.Helper()
	resp, err := b.C.Get(b.URL + path)
	if err != nil {
		b.T.Fatal(err)
	}
	img, err := png.Decode(resp.Body)
	resp.Body.Close()
	if err != nil || resp.Header.Get("Content-Type") != "image/png" {
		b.T.Fatalf("%s: %v %s", path, err, resp.Header.Get("Content-Type"))
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		b.T.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		b.T.Fatalf("reading the QR of %s: %v", path, err)
	}
	return res.GetText()
}

// Get reads a page.
func (b *Client) Get(path string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, b.URL+path, nil)
	return b.Do(req)
}

// Post sends a form with the page's CSRF token, unless the form sets its
// own.
func (b *Client) Post(path string, form url.Values) (int, string) {
	if _, ok := form["csrf"]; !ok {
		form = Clone(form)
		form.Set("csrf", b.CSRF)
	}
	req, _ := http.NewRequest(http.MethodPost, b.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

// PostFile sends a multipart form with a file field, and the CSRF token.
func (b *Client) PostFile(path string, form url.Values, field, filename string, data []byte) (int, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	form = Clone(form)
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.CSRF)
	}
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(req)
}

// Cookie is the browser's cookie of that name for the server, "" if none.
func (b *Client) Cookie(name string) string {
	u, _ := url.Parse(b.URL)
	for _, c := range b.C.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// Clone is a copy of a form, to change without changing the original.
func Clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Clock is the time a test gives the pages (their Now), moved by the test.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
