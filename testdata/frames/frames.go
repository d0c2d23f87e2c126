// Package frames renders any text as a QR code seen by a camera: 8-bit gray
// frames with perspective, blur, sensor noise, glare, the moiré of a
// photographed phone screen, low light and codes small in the frame.
//
// The scanner's tests and benchmarks use it instead of committed photos, so
// that every fixture is reproducible from a seed and carries no personal
// data. The model is simple physics rather than filters chosen to please the
// decoder: a flat card (paper, or a phone screen with a bezel and a pixel
// grid) posed in 3D in front of a pinhole camera, sampled with 3×3
// supersampling per pixel (so a fine screen grid aliases into moiré as it
// does on a real sensor), then lit, blurred and given noise.
package frames

import (
	"errors"
	"fmt"
	"image"
	"math"
	"math/rand"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// Scene describes one shot. The zero value of each field means "neutral"
// (no tilt, no blur, …); Width, Height and Size have defaults.
type Scene struct {
	Width, Height int     // frame size in pixels; default 640×480
	Size          float64 // side of the symbol as a fraction of the frame height; default 0.5
	Tilt          float64 // out-of-plane rotation about the horizontal axis, degrees (perspective)
	Yaw           float64 // out-of-plane rotation about the vertical axis, degrees
	Roll          float64 // in-plane rotation, degrees
	Curve         float64 // the card bent around a vertical cylinder: degrees of arc the symbol's width spans (a bottle, a curled page)
	Lens          float64 // the lens's radial distortion k₁ (division model, radius in half-diagonals): negative is barrel (wide-angle webcams, −0.1 to −0.3), 0 none
	OffsetX       float64 // shift of the code's centre, fraction of the frame width
	OffsetY       float64 // shift of the code's centre, fraction of the frame height
	Screen        bool    // the code is shown on a phone: dark bezel, emitted light, pixel grid
	Moire         float64 // depth 0..1 of the screen's pixel grid, which aliases into moiré
	Invert        bool    // light modules on a dark background (dark-mode apps)
	Blur          float64 // Gaussian blur sigma in pixels (focus, motion)
	Noise         float64 // sensor noise standard deviation in gray levels
	Glare         int     // number of specular glare spots on the code
	Light         float64 // exposure: 1 (or 0) is normal, 0.25 is a dim entrance hall
	Shadow        float64 // depth 0..1 of a soft shadow across the card (a hand, a crease)
	Seed          int64   // drives every random choice: same scene and seed, same frame
}

// Frame is a rendered shot and where the symbol landed in it.
type Frame struct {
	Gray *image.Gray
	// Corners of the symbol (without its quiet zone) in frame pixels:
	// top-left, top-right, bottom-right, bottom-left of the code as printed.
	Corners [4][2]float64
	// Modules is the side of the symbol in modules (21 for version 1).
	Modules int
}

// Preset is a named scene, one per condition the scanner must survive.
type Preset struct {
	Name  string
	Scene Scene
}

// Presets returns the conditions the scanner's tests and benchmarks cover,
// each at its hardest required setting (perspective up to 40°).
func Presets() []Preset {
	return []Preset{
		{"clean-paper", Scene{Size: 0.55, Tilt: 5, Roll: 3}},
		{"tilt-40", Scene{Size: 0.7, Tilt: 40, Roll: 12, OffsetY: 0.05}},
		{"yaw-40", Scene{Size: 0.6, Yaw: 40, Tilt: 10, Roll: -15, OffsetY: 0.08}},
		{"blur", Scene{Size: 0.6, Tilt: 10, Blur: 1.5}},
		{"noise", Scene{Size: 0.55, Tilt: 10, Noise: 18}},
		{"glare-screen", Scene{Size: 0.55, Screen: true, Glare: 2, Tilt: 15}},
		{"moire-screen", Scene{Size: 0.6, Screen: true, Moire: 0.7, Tilt: 12, Roll: 7}},
		{"dark-mode-screen", Scene{Size: 0.55, Screen: true, Invert: true, Tilt: 8}},
		{"low-light", Scene{Size: 0.55, Light: 0.22, Noise: 5, Tilt: 10}},
		{"shadow", Scene{Size: 0.55, Shadow: 0.6, Tilt: 15, Roll: -5}},
		{"small", Scene{Size: 0.32, Tilt: 10, OffsetX: 0.2, OffsetY: -0.1}},
		{"everything", Scene{Size: 0.6, Screen: true, Moire: 0.35, Glare: 1, Tilt: 25, Yaw: 10, Roll: 15, Blur: 0.8, Noise: 8, Light: 0.6}},
		{"bottle", Scene{Size: 0.6, Curve: 45, Tilt: 8, Roll: 10}},
		{"wide-angle-close", Scene{Size: 0.8, Lens: -0.2, Tilt: 5, Roll: -4}},
	}
}

// Maximum frame side accepted by Render: generous for any camera mode, and a
// bound so a wrong argument cannot ask for gigabytes.
const maxSide = 8192

// Render encodes text as a QR code (error correction Q, as EU DCC issuers
// use) and photographs it as the scene says.
func Render(text string, s Scene) (*Frame, error) {
	code, err := encoder.Encoder_encode(text, decoder.ErrorCorrectionLevel_Q, map[gozxing.EncodeHintType]interface{}{})
	if err != nil {
		return nil, fmt.Errorf("frames: encode: %w", err)
	}
	m := code.GetMatrix()
	n := m.GetWidth()
	modules := make([]bool, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			modules[y*n+x] = m.Get(x, y) == 1
		}
	}
	return render(modules, n, s)
}

// Empty photographs the scene's background with no code in view: the frame
// an idle kiosk sees all day.
func Empty(s Scene) (*image.Gray, error) {
	f, err := render(nil, 0, s)
	if err != nil {
		return nil, err
	}
	return f.Gray, nil
}

const quiet = 4 // quiet zone in modules, as the QR specification requires

func render(modules []bool, n int, s Scene) (*Frame, error) {
	if s.Width == 0 {
		s.Width = 640
	}
	if s.Height == 0 {
		s.Height = 480
	}
	if s.Size == 0 {
		s.Size = 0.5
	}
	if s.Light == 0 {
		s.Light = 1
	}
	if s.Width < 16 || s.Height < 16 || s.Width > maxSide || s.Height > maxSide {
		return nil, fmt.Errorf("frames: frame size %dx%d outside 16..%d", s.Width, s.Height, maxSide)
	}
	if math.Abs(s.Tilt) > 80 || math.Abs(s.Yaw) > 80 {
		return nil, errors.New("frames: tilt and yaw must be within ±80°")
	}
	if s.Curve < 0 || s.Curve > 180 {
		return nil, errors.New("frames: curve must be within 0..180°")
	}
	if math.Abs(s.Lens) > 0.5 {
		return nil, errors.New("frames: lens distortion must be within ±0.5")
	}
	rng := rand.New(rand.NewSource(s.Seed))
	w, h := s.Width, s.Height
	lum := make([]float64, w*h)
	background(lum, w, h, rng)

	var corners [4][2]float64
	symbol := max(n, 1)
	// Plane coordinates are in modules, the symbol spanning [0,symbol]².
	cardMargin := float64(quiet) + 0.15*float64(symbol)
	cam := place(s, float64(symbol))
	flat := cam.homography()
	inv, ok := flat.inverse()
	if !ok {
		return nil, errors.New("frames: degenerate pose")
	}
	toPlane := func(x, y float64) (float64, float64, bool) {
		u, v := inv.apply(x, y)
		return u, v, true
	}
	toImage := flat.apply
	if cam.rho > 0 {
		toPlane, toImage = cam.unproject, cam.project
	}
	if cam.k1 != 0 {
		plane, image := toPlane, toImage
		toPlane = func(x, y float64) (float64, float64, bool) { return plane(cam.undistort(x, y)) }
		toImage = func(u, v float64) (float64, float64) { return cam.distort(image(u, v)) }
	}
	for i, c := range [4][2]float64{{0, 0}, {float64(symbol), 0}, {float64(symbol), float64(symbol)}, {0, float64(symbol)}} {
		corners[i][0], corners[i][1] = toImage(c[0], c[1])
	}
	grid := 0.0
	if s.Screen {
		grid = s.Moire
	}
	// Screen pixel pitch in modules: apps draw the code at a fixed size, some
	// 600–1000 screen pixels across whatever its version, so the grid is
	// finer than the camera can resolve for a certificate (≈0.1 module) and
	// aliases into moiré, while a small code's modules span dozens of them.
	pitch := float64(symbol) / (600 + 400*rng.Float64())
	const ss = 3
	for y := 0; y < h && n > 0; y++ {
		for x := 0; x < w; x++ {
			sum, hits := 0.0, 0
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := float64(x) + (float64(sx)+0.5)/ss
					py := float64(y) + (float64(sy)+0.5)/ss
					u, v, on := toPlane(px, py)
					if !on {
						continue
					}
					a, in := albedo(modules, n, symbol, u, v, cardMargin, s, grid, pitch)
					if in {
						sum += a
						hits++
					}
				}
			}
			if hits > 0 {
				i := y*w + x
				lum[i] = (lum[i]*float64(ss*ss-hits) + sum) / float64(ss*ss)
			}
		}
	}
	if s.Shadow > 0 {
		shadow(lum, w, h, s.Shadow, rng)
	}
	for i := range lum {
		lum[i] *= s.Light
	}
	for k := 0; k < s.Glare; k++ {
		glare(lum, w, h, corners, rng)
	}
	if s.Blur > 0 {
		blur(lum, w, h, s.Blur)
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i, l := range lum {
		v := l*255 + rng.NormFloat64()*s.Noise
		g.Pix[i] = uint8(math.Max(0, math.Min(255, math.Round(v))))
	}
	return &Frame{Gray: g, Corners: corners, Modules: n}, nil
}

// albedo is the brightness (0..1) of the card at plane point (u,v), and
// whether the point is on the card at all.
func albedo(modules []bool, n, symbol int, u, v, margin float64, s Scene, grid, pitch float64) (float64, bool) {
	fs := float64(symbol)
	bezel := 0.0
	if s.Screen {
		bezel = 0.25 * fs
	}
	if u < -margin-bezel || v < -margin-bezel || u >= fs+margin+bezel || v >= fs+margin+bezel*2.5 {
		return 0, false
	}
	if u < -margin || v < -margin || u >= fs+margin || v >= fs+margin {
		return 0.06, true // the phone's black bezel
	}
	paper, ink := 0.86, 0.1
	if s.Screen {
		paper, ink = 0.95, 0.04
	}
	if s.Invert {
		paper, ink = 0.12, 0.9
	}
	val := paper
	if n > 0 && u >= 0 && v >= 0 && u < fs && v < fs && modules[int(v)*n+int(u)] {
		val = ink
	}
	if grid > 0 {
		// The dark gaps between the screen's pixels: thin lines of a fine
		// grid that the camera cannot resolve, so they alias into moiré.
		fu, fv := u/pitch-math.Floor(u/pitch), v/pitch-math.Floor(v/pitch)
		if fu < 0.3 || fv < 0.3 {
			val *= 1 - grid
		}
	}
	return val, true
}

// background is a plausible entrance: a lit gradient, a few objects with
// hard edges (doors, posters, a jacket) and fine texture.
func background(lum []float64, w, h int, rng *rand.Rand) {
	g0, gx, gy := 0.35+0.2*rng.Float64(), 0.2*(rng.Float64()-0.5), 0.2*(rng.Float64()-0.5)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			lum[y*w+x] = g0 + gx*float64(x)/float64(w) + gy*float64(y)/float64(h)
		}
	}
	for k := 0; k < 12; k++ {
		x0, y0 := rng.Intn(w), rng.Intn(h)
		x1, y1 := x0+8+rng.Intn(w/3), y0+8+rng.Intn(h/3)
		val := 0.1 + 0.8*rng.Float64()
		stripes := rng.Intn(3) == 0
		period := 3 + rng.Intn(10)
		for y := y0; y < y1 && y < h; y++ {
			for x := x0; x < x1 && x < w; x++ {
				v := val
				if stripes && (x/period)%2 == 0 {
					v *= 0.6
				}
				lum[y*w+x] = v
			}
		}
	}
	for i := range lum {
		lum[i] += 0.03 * (rng.Float64() - 0.5)
	}
}

// shadow darkens one side of a soft edge at a random angle.
func shadow(lum []float64, w, h int, depth float64, rng *rand.Rand) {
	a := rng.Float64() * 2 * math.Pi
	nx, ny := math.Cos(a), math.Sin(a)
	cx, cy := float64(w)/2+(rng.Float64()-0.5)*float64(w)/4, float64(h)/2+(rng.Float64()-0.5)*float64(h)/4
	soft := float64(h) / 12
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := (float64(x)-cx)*nx + (float64(y)-cy)*ny
			t := 1 / (1 + math.Exp(-d/soft))
			lum[y*w+x] *= 1 - depth*t
		}
	}
}

// glare adds a saturated specular spot somewhere on the code.
func glare(lum []float64, w, h int, c [4][2]float64, rng *rand.Rand) {
	s, t := rng.Float64(), rng.Float64()
	// A point inside the quadrilateral, by bilinear interpolation.
	x := (1-t)*((1-s)*c[0][0]+s*c[1][0]) + t*((1-s)*c[3][0]+s*c[2][0])
	y := (1-t)*((1-s)*c[0][1]+s*c[1][1]) + t*((1-s)*c[3][1]+s*c[2][1])
	side := math.Hypot(c[1][0]-c[0][0], c[1][1]-c[0][1])
	rx := side * (0.05 + 0.07*rng.Float64())
	ry := rx * (0.4 + 0.6*rng.Float64())
	ang := rng.Float64() * math.Pi
	ca, sa := math.Cos(ang), math.Sin(ang)
	peak := 0.9 + 0.6*rng.Float64()
	x0, x1 := int(math.Max(0, x-4*rx)), int(math.Min(float64(w), x+4*rx))
	y0, y1 := int(math.Max(0, y-4*rx)), int(math.Min(float64(h), y+4*rx))
	for py := y0; py < y1; py++ {
		for px := x0; px < x1; px++ {
			dx, dy := float64(px)-x, float64(py)-y
			u, v := (dx*ca+dy*sa)/rx, (-dx*sa+dy*ca)/ry
			lum[py*w+px] += peak * math.Exp(-(u*u+v*v)/2)
		}
	}
}

// blur is a separable Gaussian with clamped edges.
func blur(lum []float64, w, h int, sigma float64) {
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	sum := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float64, len(lum))
	clamp := func(v, hi int) int { return max(0, min(v, hi-1)) }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			acc := 0.0
			for i, kv := range k {
				acc += kv * lum[y*w+clamp(x+i-r, w)]
			}
			tmp[y*w+x] = acc
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			acc := 0.0
			for i, kv := range k {
				acc += kv * tmp[clamp(y+i-r, h)*w+x]
			}
			lum[y*w+x] = acc
		}
	}
}

// base45 is the alphabet of RFC 9285, the encoding of EU DCC QR payloads.
const base45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// CertificateLike returns "HC1:" followed by n pseudo-random base45
// characters: the QR mode, version and density of a real EU DCC (about 550
// characters for a vaccination), with no personal data in it.
func CertificateLike(seed int64, n int) string {
	rng := rand.New(rand.NewSource(seed))
	b := make([]byte, 4, 4+n)
	copy(b, "HC1:")
	for i := 0; i < n; i++ {
		b = append(b, base45[rng.Intn(len(base45))])
	}
	return string(b)
}
