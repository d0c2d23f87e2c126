package frames

import "math"

// homography maps plane points to image points (row-major 3×3).
type homography [9]float64

func (m homography) apply(u, v float64) (float64, float64) {
	w := m[6]*u + m[7]*v + m[8]
	return (m[0]*u + m[1]*v + m[2]) / w, (m[3]*u + m[4]*v + m[5]) / w
}

// inverse is the adjugate over the determinant; ok is false for a singular
// matrix (a card seen edge-on).
func (m homography) inverse() (homography, bool) {
	a := homography{
		m[4]*m[8] - m[5]*m[7], m[2]*m[7] - m[1]*m[8], m[1]*m[5] - m[2]*m[4],
		m[5]*m[6] - m[3]*m[8], m[0]*m[8] - m[2]*m[6], m[2]*m[3] - m[0]*m[5],
		m[3]*m[7] - m[4]*m[6], m[1]*m[6] - m[0]*m[7], m[0]*m[4] - m[1]*m[3],
	}
	det := m[0]*a[0] + m[1]*a[3] + m[2]*a[6]
	if math.Abs(det) < 1e-12 {
		return a, false
	}
	for i := range a {
		a[i] /= det
	}
	return a, true
}

// pose places a card whose symbol is side modules wide in front of a pinhole
// camera (focal length = frame height, about a 53° vertical field of view,
// like common USB cameras) and returns the plane→image homography.
func pose(s Scene, side float64) homography {
	f := float64(s.Height)
	z := side * f / (s.Size * float64(s.Height))
	rad := math.Pi / 180
	ct, st := math.Cos(s.Tilt*rad), math.Sin(s.Tilt*rad)
	cy, sy := math.Cos(s.Yaw*rad), math.Sin(s.Yaw*rad)
	cr, sr := math.Cos(s.Roll*rad), math.Sin(s.Roll*rad)
	// R = Rz(roll) · Rx(tilt) · Ry(yaw)
	rx := [9]float64{1, 0, 0, 0, ct, -st, 0, st, ct}
	ry := [9]float64{cy, 0, sy, 0, 1, 0, -sy, 0, cy}
	rz := [9]float64{cr, -sr, 0, sr, cr, 0, 0, 0, 1}
	r := mul(rz, mul(rx, ry))
	tx := s.OffsetX * float64(s.Width) * z / f
	ty := s.OffsetY * float64(s.Height) * z / f
	c := side / 2
	// Columns of [r1 r2 t'] with the plane centred on the symbol.
	X := [3]float64{r[0], r[1], tx - c*r[0] - c*r[1]}
	Y := [3]float64{r[3], r[4], ty - c*r[3] - c*r[4]}
	Z := [3]float64{r[6], r[7], z - c*r[6] - c*r[7]}
	cx, cyy := float64(s.Width)/2, float64(s.Height)/2
	var h homography
	for i := 0; i < 3; i++ {
		h[i] = f*X[i] + cx*Z[i]
		h[3+i] = f*Y[i] + cyy*Z[i]
		h[6+i] = Z[i]
	}
	return h
}

func mul(a, b [9]float64) [9]float64 {
	var c [9]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				c[i*3+j] += a[i*3+k] * b[k*3+j]
			}
		}
	}
	return c
}
