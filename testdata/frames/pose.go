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

// camera is a card posed in front of the pinhole camera: the card point
// (x, y, z), in modules with the symbol's centre at the origin, is seen at
// f·(R·p + t) over its depth, plus the image centre. A bent card (Scene.Curve)
// lies on a cylinder of radius rho whose axis runs along the card's y axis
// behind it, so the card's edges recede as on a bottle or a curled page.
type camera struct {
	r      [9]float64
	t      [3]float64
	f      float64
	cx, cy float64
	c      float64 // half the symbol's side: plane (u, v) is card (u-c, v-c)
	rho    float64 // cylinder radius in modules; 0 for a flat card
	k1     float64 // radial distortion of the lens (Scene.Lens)
}

// place poses a card whose symbol is side modules wide in front of a pinhole
// camera (focal length = frame height, about a 53° vertical field of view,
// like common USB cameras).
func place(s Scene, side float64) camera {
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
	cam := camera{
		r:  mul(rz, mul(rx, ry)),
		t:  [3]float64{s.OffsetX * float64(s.Width) * z / f, s.OffsetY * float64(s.Height) * z / f, z},
		f:  f,
		cx: float64(s.Width) / 2, cy: float64(s.Height) / 2,
		c: side / 2,
	}
	if s.Curve > 0 {
		cam.rho = side / (s.Curve * rad)
	}
	cam.k1 = s.Lens
	return cam
}

// distort moves the pinhole's image point (x, y) where the lens puts it,
// radially, in the division model (Fitzgibbon's): the ideal radius is the
// seen one over 1 + k₁r², r in half-diagonals of the frame. A barrel lens
// (k₁ < 0) bows a large code's straight edges outwards, most in a close-up
// that fills the frame; unlike the polynomial model it never folds, so any
// k₁ within ±0.5 covers the whole frame.
func (m camera) distort(x, y float64) (float64, float64) {
	d := math.Hypot(m.cx, m.cy)
	nx, ny := (x-m.cx)/d, (y-m.cy)/d
	ru := math.Hypot(nx, ny)
	if ru == 0 || m.k1 == 0 {
		return x, y
	}
	// k₁·ru·rd² − rd + ru = 0, the root that meets rd = ru as k₁ → 0.
	disc := max(0, 1-4*m.k1*ru*ru)
	s := (1 - math.Sqrt(disc)) / (2 * m.k1 * ru * ru)
	return m.cx + d*nx*s, m.cy + d*ny*s
}

// undistort is distort's inverse: where the pinhole would have put the
// point the lens shows at (x, y).
func (m camera) undistort(x, y float64) (float64, float64) {
	d := math.Hypot(m.cx, m.cy)
	nx, ny := (x-m.cx)/d, (y-m.cy)/d
	s := 1 / (1 + m.k1*(nx*nx+ny*ny))
	return m.cx + d*nx*s, m.cy + d*ny*s
}

// homography is the flat card's plane→image map.
func (m camera) homography() homography {
	r, c := m.r, m.c
	// Columns of [r1 r2 t'] with the plane centred on the symbol.
	X := [3]float64{r[0], r[1], m.t[0] - c*r[0] - c*r[1]}
	Y := [3]float64{r[3], r[4], m.t[1] - c*r[3] - c*r[4]}
	Z := [3]float64{r[6], r[7], m.t[2] - c*r[6] - c*r[7]}
	var h homography
	for i := 0; i < 3; i++ {
		h[i] = m.f*X[i] + m.cx*Z[i]
		h[3+i] = m.f*Y[i] + m.cy*Z[i]
		h[6+i] = Z[i]
	}
	return h
}

// project is where the plane point (u, v) of a bent card is seen.
func (m camera) project(u, v float64) (float64, float64) {
	a := (u - m.c) / m.rho
	p := [3]float64{m.rho * math.Sin(a), v - m.c, m.rho * (1 - math.Cos(a))}
	var q [3]float64
	for i := 0; i < 3; i++ {
		q[i] = m.r[3*i]*p[0] + m.r[3*i+1]*p[1] + m.r[3*i+2]*p[2] + m.t[i]
	}
	return m.f*q[0]/q[2] + m.cx, m.f*q[1]/q[2] + m.cy
}

// unproject is the plane point of a bent card seen at pixel (x, y): the
// ray's first crossing of the cylinder's near half, in the card's frame
// (Rᵀ of the ray from the camera's centre). ok is false when the ray
// misses the cylinder.
func (m camera) unproject(x, y float64) (u, v float64, ok bool) {
	d := [3]float64{(x - m.cx) / m.f, (y - m.cy) / m.f, 1}
	var o, e [3]float64
	for i := 0; i < 3; i++ {
		o[i] = -(m.r[i]*m.t[0] + m.r[3+i]*m.t[1] + m.r[6+i]*m.t[2])
		e[i] = m.r[i]*d[0] + m.r[3+i]*d[1] + m.r[6+i]*d[2]
	}
	// (ox + s·ex)² + (oz + s·ez − rho)² = rho²
	oz := o[2] - m.rho
	qa := e[0]*e[0] + e[2]*e[2]
	qb := 2 * (o[0]*e[0] + oz*e[2])
	qc := o[0]*o[0] + oz*oz - m.rho*m.rho
	disc := qb*qb - 4*qa*qc
	if qa == 0 || disc < 0 {
		return 0, 0, false
	}
	sq := math.Sqrt(disc)
	for _, s := range [2]float64{(-qb - sq) / (2 * qa), (-qb + sq) / (2 * qa)} {
		px, py, pz := o[0]+s*e[0], o[1]+s*e[1], o[2]+s*e[2]
		if s <= 0 || pz > m.rho {
			continue // behind the camera, or the cylinder's far half
		}
		return m.c + m.rho*math.Atan2(px, m.rho-pz), m.c + py, true
	}
	return 0, 0, false
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
