package frames

import (
	"math"
	"testing"
)

// A bent card's pixels come from unproject and its corners from project:
// the two must be inverses over the visible card, or the reported corners
// would not be where the rendered code is.
func TestCurvedPoseRoundTrip(t *testing.T) {
	for _, s := range []Scene{
		{Width: 640, Height: 480, Size: 0.6, Curve: 60, Tilt: 5},
		{Width: 1280, Height: 960, Size: 0.4, Curve: 120, Yaw: 20, Roll: 35},
	} {
		cam := place(s, 89)
		for _, p := range [][2]float64{{0, 0}, {89, 0}, {44.5, 44.5}, {10, 80}, {89, 89}} {
			x, y := cam.project(p[0], p[1])
			u, v, ok := cam.unproject(x, y)
			if !ok || math.Hypot(u-p[0], v-p[1]) > 1e-6 {
				t.Errorf("curve %v°: (%v,%v) → (%.1f,%.1f) → (%v,%v) %v", s.Curve, p[0], p[1], x, y, u, v, ok)
			}
		}
	}
}

// A slight bend is nearly flat: the cylinder meets the flat card's
// homography as the curve goes to zero.
func TestSlightCurveIsNearlyFlat(t *testing.T) {
	s := Scene{Width: 640, Height: 480, Size: 0.6, Tilt: 20, Yaw: 10, Roll: 30}
	flat := place(s, 89).homography()
	s.Curve = 0.01
	bent := place(s, 89)
	for _, p := range [][2]float64{{0, 0}, {89, 0}, {44.5, 44.5}, {89, 89}} {
		fx, fy := flat.apply(p[0], p[1])
		bx, by := bent.project(p[0], p[1])
		if d := math.Hypot(fx-bx, fy-by); d > 0.01 {
			t.Errorf("(%v,%v): flat (%.3f,%.3f), bent 0.01° (%.3f,%.3f)", p[0], p[1], fx, fy, bx, by)
		}
	}
}

// The lens's distortion and its inverse agree across the frame, corners
// included, for barrel and pincushion lenses alike.
func TestLensRoundTrip(t *testing.T) {
	for _, k1 := range []float64{-0.5, -0.2, 0.2} {
		cam := place(Scene{Width: 1920, Height: 1080, Size: 0.6, Lens: k1}, 89)
		for _, p := range [][2]float64{{0, 0}, {1920, 1080}, {960, 540}, {100, 900}} {
			x, y := cam.undistort(p[0], p[1])
			if bx, by := cam.distort(x, y); math.Hypot(bx-p[0], by-p[1]) > 1e-3 {
				t.Errorf("k₁ %v: (%v,%v) → (%.2f,%.2f) → (%.3f,%.3f)", k1, p[0], p[1], x, y, bx, by)
			}
		}
	}
}
