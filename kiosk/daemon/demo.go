package daemon

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gocv.io/x/gocv"

	"github.com/scuola/kiosk/hardware/sim"
	"github.com/scuola/kiosk/kiosk"
	"github.com/scuola/kiosk/kiosk/badge"
	"github.com/scuola/kiosk/kiosk/clock"
	"github.com/scuola/kiosk/kiosk/config"
	"github.com/scuola/kiosk/kiosk/school"
	"github.com/scuola/kiosk/scanner/cv"
	"github.com/scuola/kiosk/scanner/qrimage"
	"github.com/scuola/kiosk/verify"
	"github.com/scuola/kiosk/verify/calendar"
	"github.com/scuola/kiosk/verify/issue"
	"github.com/scuola/kiosk/verify/revocation"
)

// DemoOptions configure the demo.
type DemoOptions struct {
	Out   io.Writer // where the simulated light and tone print
	Log   *slog.Logger
	Addr  string // the screen's address; default 127.0.0.1:8080
	Once  bool   // stop after one pass of the video
	Ready func(displayAddr string)
	// Latency, when set, receives every scan's latency.
	Latency *kiosk.Latency
}

// The demo's video: each code is held in view, then the view is empty for
// longer than the scanner's duplicate suppression, so that every code is a
// new scan.
const (
	demoWidth        = 640
	demoHeight       = 480
	demoCodeSidePx   = 400
	demoBackground   = 200 // a light grey hall
	demoDelegationID = "D-DEMO-1"
)

// demoPace is the video's timing: each code held in view for hold frames
// (2 s), then an empty view for gap frames (4 s, so that the result's 5 s
// on screen end before the next code). Tests play it faster.
var demoPace = struct{ fps, hold, gap int }{fps: 15, hold: 30, gap: 60}

// demoItem is one code the demo shows, and what the kiosk should say.
type demoItem struct {
	what string
	text string
}

// Demo runs the real pipeline with no camera, no configuration and no
// network: it makes its own signer and school keys, certificates of every
// kind that matters at a school entrance, and a video of them that gocv
// reads as if it were the camera; the screen is live on Addr and the
// simulated light and tone print what they do. The generated material
// lives in a private temporary folder that is removed at the end.
func Demo(ctx context.Context, o DemoOptions) error {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:8080"
	}
	dir, err := os.MkdirTemp("", "kiosk-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	now := time.Now()
	world, items, err := newDemoWorld(now)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	video := filepath.Join(dir, "demo.avi")
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.text
	}
	if err := WriteVideo(video, texts, demoPace.hold, demoPace.gap); err != nil {
		return fmt.Errorf("demo video: %w", err)
	}
	src, err := cv.OpenCamera(cv.CameraConfig{Device: video, Width: demoWidth, Height: demoHeight, FPS: float64(demoPace.fps)})
	if err != nil {
		return fmt.Errorf("demo video: %w", err)
	}

	cfg := config.Default()
	cfg.School.Name = "Scuola dimostrativa — dati di prova"
	today := calendar.Of(now)
	until := today + 2
	cfg.Classes = []school.Class{{Name: "3A", Level: school.Primaria, Enrolled: 22, VerifyUntil: &until}}
	cfg.Delegations = []school.Delegation{{ID: demoDelegationID, Name: "Maria Bianchi", Role: "collaboratrice scolastica", ValidUntil: today + 365}}
	cfg.Data.Dir = filepath.Join(dir, "data")
	cfg.Display.Address = o.Addr
	cfg.Gateway.URL = ""

	pass := time.Duration(len(items)*(demoPace.hold+demoPace.gap)) * time.Second / time.Duration(demoPace.fps)
	fmt.Fprintf(o.Out, "Demo del kiosk di verifica — dati di prova, nessun dato reale.\n")
	fmt.Fprintf(o.Out, "Schermo: http://%s (apritelo nel browser)\n", o.Addr)
	fmt.Fprintf(o.Out, "Il video mostra, ogni %s:", pass.Round(time.Second))
	for _, it := range items {
		fmt.Fprintf(o.Out, " %s;", it.what)
	}
	fmt.Fprintln(o.Out, " poi ricomincia.")
	if o.Once {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, pass+2*time.Second)
		defer cancel()
	}
	return Run(ctx, cfg, Options{
		Log:    o.Log,
		Echo:   o.Out,
		Source: src,
		Texts:  nil,
		Light:  sim.NewLight(o.Out, cfg.Display.Show),
		Tone:   sim.NewTone(o.Out),
		Trust:  world.trust,
		Badges: world.badges,
		// The demo's certificates are issued against this machine's clock,
		// whatever it says; a real kiosk waits until its clock is confirmed.
		ClockSync: clock.Assumed{},
		Ready:     o.Ready,
		Latency:   o.Latency,
	})
}

// demoWorld is the demo's trust data and badge check.
type demoWorld struct {
	trust  kiosk.Trust
	badges *badge.Checker
}

// demoTrust is always fresh: its data was made a moment ago.
type demoTrust struct{ v *verify.Verifier }

func (t demoTrust) Verifier() *verify.Verifier                  { return t.v }
func (t demoTrust) Status(time.Time) (loaded bool, stale error) { return true, nil }

// newDemoWorld makes the keys and the codes the video shows, in the order
// a delegate would see them.
func newDemoWorld(now time.Time) (*demoWorld, []demoItem, error) {
	validity := issue.SignerSpec{Country: "IT", Key: issue.ES256, NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(2, 0, 0)}
	dscSpec, schoolSpec := validity, validity
	dscSpec.CommonName, schoolSpec.CommonName = "DSC dimostrativo", "Scuola dimostrativa"
	dsc, err := issue.NewSigner(dscSpec)
	if err != nil {
		return nil, nil, err
	}
	schoolKey, err := issue.NewSigner(schoolSpec)
	if err != nil {
		return nil, nil, err
	}
	trust := verify.NewTrustStore()
	s, err := verify.NewSigner(dsc.CertDER)
	if err != nil {
		return nil, nil, err
	}
	trust.Add(s)
	checker, err := badge.NewChecker(schoolKey.CertDER)
	if err != nil {
		return nil, nil, err
	}

	today := calendar.Of(now)
	person := func(fam, giv, dob string) issue.Holder {
		return issue.Holder{FamilyName: fam, GivenName: giv, FamilyNameStd: fam, GivenNameStd: giv, DOB: dob}
	}
	const comirnaty = "EU/1/20/1528"
	claims := issue.Claims{Issuer: "IT", IssuedAt: now.AddDate(0, 0, -1), Expiry: now.AddDate(1, 0, 0)}
	revokedUVCI := "URN:UVCI:01:IT:DEMO0004#4"
	certs := []struct {
		what string
		dcc  *verify.DCC
		enc  issue.Encoding
	}{
		{"una dose di richiamo (ammesso)", issue.Vaccination(person("Esposito", "Luca", "2012-03-07"), comirnaty, 3, 3, today-30, "IT", "URN:UVCI:01:IT:DEMO0001#1"), issue.Encoding{}},
		{"un ciclo completato 200 giorni fa (scaduto)", issue.Vaccination(person("Romano", "Sofia", "2011-11"), comirnaty, 2, 2, today-200, "IT", "URN:UVCI:01:IT:DEMO0002#2"), issue.Encoding{}},
		{"un tampone (non vale a scuola)", issue.TestResult(person("Colombo", "Marco", "2013-05-21"), issue.TestRapid, now.Add(-2*time.Hour), false, "URN:UVCI:01:IT:DEMO0003#3"), issue.Encoding{}},
		{"un certificato revocato", issue.Vaccination(person("Ricci", "Anna", "2012-09-30"), comirnaty, 3, 3, today-60, "IT", revokedUVCI), issue.Encoding{}},
		{"un certificato contraffatto", issue.Vaccination(person("Greco", "Paolo", "2011-01-15"), comirnaty, 3, 3, today-10, "IT", "URN:UVCI:01:IT:DEMO0005#5"), issue.Encoding{BreakSignature: true}},
	}
	badgeText, err := badge.Issue(schoolKey, badge.Badge{DelegationID: demoDelegationID, Name: "Maria Bianchi", Role: "collaboratrice scolastica", ValidUntil: today + 365, SchoolCode: "DEMO00000X"})
	if err != nil {
		return nil, nil, err
	}
	items := []demoItem{{"il badge di delega (sblocca)", badgeText}}
	for _, c := range certs {
		text, err := issue.HC1(dsc, c.dcc, claims, c.enc)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, demoItem{c.what, text})
	}
	v := verify.New(verify.Options{Trust: trust, Revoked: revocation.NewSet([]revocation.Hash{revocation.HashUVCI(revokedUVCI)})})
	return &demoWorld{trust: demoTrust{v}, badges: checker}, items, nil
}

// WriteVideo renders QR codes into an MJPG video at the demo's size and
// rate, each held in view for hold frames and followed by gap empty
// frames: gocv then plays it as if it were a camera (the demo, and the
// tests that drive the real camera path). With no codes it is gap empty
// frames: a hall with nobody in it. The codes are generated test data,
// never a camera's frames.
func WriteVideo(path string, codes []string, hold, gap int) error {
	w, err := gocv.VideoWriterFile(path, "MJPG", float64(demoPace.fps), demoWidth, demoHeight, true)
	if err != nil {
		return err
	}
	defer w.Close()
	blank := image.NewGray(image.Rect(0, 0, demoWidth, demoHeight))
	for i := range blank.Pix {
		blank.Pix[i] = demoBackground
	}
	write := func(img *image.Gray, n int) error {
		gray, err := gocv.ImageGrayToMatGray(img)
		if err != nil {
			return err
		}
		defer gray.Close()
		bgr := gocv.NewMat()
		defer bgr.Close()
		gocv.CvtColor(gray, &bgr, gocv.ColorGrayToBGR)
		for range n {
			if err := w.Write(bgr); err != nil {
				return err
			}
		}
		return nil
	}
	if len(codes) == 0 {
		return write(blank, gap)
	}
	for _, text := range codes {
		code, err := qrimage.Draw(text, demoCodeSidePx)
		if err != nil {
			return err
		}
		frame := image.NewGray(blank.Rect)
		copy(frame.Pix, blank.Pix)
		at := image.Pt((demoWidth-code.Rect.Dx())/2, (demoHeight-code.Rect.Dy())/2)
		draw.Draw(frame, code.Rect.Add(at), code, image.Point{}, draw.Src)
		if err := write(frame, hold); err != nil {
			return err
		}
		if err := write(blank, gap); err != nil {
			return err
		}
	}
	return nil
}
