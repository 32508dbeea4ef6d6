package stabilizer

// tableau is an Aaronson–Gottesman stabilizer tableau of n qubits, stored
// column-major. Row i < n is destabilizer i; row 64·wh + i is stabilizer i
// (each half is padded to whole words, so stabilizer i sits at the same
// bit of word wh + i/64 as destabilizer i does of word i/64). Padding rows
// are all zero, the identity, and every update leaves them so.
//
// A row (x, z, r) is the Pauli string (−1)^r ⊗_j σ(x_j, z_j) with σ(0,0)=I,
// σ(1,0)=X, σ(1,1)=Y, σ(0,1)=Z. Only stabilizer signs are kept meaningful:
// destabilizer signs are updated by the same formulas but never read.
type tableau struct {
	n  int // qubits
	wh int // words per half column: ⌈n/64⌉
	w  int // words per column: 2·wh
	// x[j·w : (j+1)·w] and z[j·w : (j+1)·w] are qubit j's X and Z bit
	// columns over all rows.
	x, z []uint64
	// r holds the sign bits of all rows (w words).
	r []uint64
	// scratch is working space for measurements, never copied.
	scratch []uint64
}

// tableauWords returns the number of uint64 words of a tableau of n qubits,
// or -1 if n is out of range.
func tableauWords(n int) int64 {
	if n < 0 || n > maxQubits {
		return -1
	}
	w := int64(2 * ((n + 63) / 64))
	return 2*int64(n)*w + w
}

// tableauBytes returns the memory of one tableau of n qubits, or -1.
func tableauBytes(n int) int64 {
	if w := tableauWords(n); w >= 0 {
		return 8 * w
	}
	return -1
}

// newTableau returns the tableau of |0…0⟩: destabilizer i is X_i and
// stabilizer i is Z_i, all signs +.
func newTableau(n int) *tableau {
	wh := (n + 63) / 64
	w := 2 * wh
	buf := make([]uint64, 2*n*w+w)
	t := &tableau{n: n, wh: wh, w: w, x: buf[: n*w : n*w], z: buf[n*w : 2*n*w : 2*n*w], r: buf[2*n*w:]}
	for j := 0; j < n; j++ {
		t.x[j*w+j/64] = 1 << (j % 64)
		t.z[j*w+wh+j/64] = 1 << (j % 64)
	}
	return t
}

// clone returns an independent copy of t.
func (t *tableau) clone() *tableau {
	u := &tableau{n: t.n, wh: t.wh, w: t.w}
	buf := make([]uint64, len(t.x)+len(t.z)+len(t.r))
	u.x, u.z, u.r = buf[:len(t.x):len(t.x)], buf[len(t.x):len(t.x)+len(t.z):len(t.x)+len(t.z)], buf[len(t.x)+len(t.z):]
	u.copyFrom(t)
	return u
}

// copyFrom overwrites t with u, a tableau of the same size.
func (t *tableau) copyFrom(u *tableau) {
	copy(t.x, u.x)
	copy(t.z, u.z)
	copy(t.r, u.r)
}

// col returns qubit j's X and Z columns.
func (t *tableau) col(j int) (x, z []uint64) {
	return t.x[j*t.w : (j+1)*t.w : (j+1)*t.w], t.z[j*t.w : (j+1)*t.w : (j+1)*t.w]
}

// The specialised gate updates below are the conjugation rules of each
// gate on the single-qubit Paulis of its columns, applied to 64 rows per
// word. Each is checked against the generic update computed from the
// gate's matrix (tableau_test.go).

func (t *tableau) h(a int) {
	xa, za := t.col(a)
	r := t.r[:len(xa)]
	za = za[:len(xa)]
	for i, xv := range xa {
		zv := za[i]
		r[i] ^= xv & zv
		xa[i], za[i] = zv, xv
	}
}

func (t *tableau) s(a int) {
	xa, za := t.col(a)
	r := t.r[:len(xa)]
	za = za[:len(xa)]
	for i, xv := range xa {
		r[i] ^= xv & za[i]
		za[i] ^= xv
	}
}

func (t *tableau) sdg(a int) {
	xa, za := t.col(a)
	r := t.r[:len(xa)]
	za = za[:len(xa)]
	for i, xv := range xa {
		r[i] ^= xv &^ za[i]
		za[i] ^= xv
	}
}

func (t *tableau) sx(a int) {
	xa, za := t.col(a)
	r := t.r[:len(xa)]
	za = za[:len(xa)]
	for i, zv := range za {
		r[i] ^= zv &^ xa[i]
		xa[i] ^= zv
	}
}

func (t *tableau) sxdg(a int) {
	xa, za := t.col(a)
	r := t.r[:len(xa)]
	za = za[:len(xa)]
	for i, zv := range za {
		r[i] ^= zv & xa[i]
		xa[i] ^= zv
	}
}

func (t *tableau) pauliX(a int) {
	_, za := t.col(a)
	r := t.r[:len(za)]
	for i, zv := range za {
		r[i] ^= zv
	}
}

func (t *tableau) pauliY(a int) {
	xa, za := t.col(a)
	r := t.r[:len(xa)]
	za = za[:len(xa)]
	for i, xv := range xa {
		r[i] ^= xv ^ za[i]
	}
}

func (t *tableau) pauliZ(a int) {
	xa, _ := t.col(a)
	r := t.r[:len(xa)]
	for i, xv := range xa {
		r[i] ^= xv
	}
}

func (t *tableau) cx(c, g int) {
	xc, zc := t.col(c)
	xt, zt := t.col(g)
	n := len(xc)
	r, zc, xt, zt := t.r[:n], zc[:n], xt[:n], zt[:n]
	for i := range xc {
		xcv, zcv, xtv, ztv := xc[i], zc[i], xt[i], zt[i]
		r[i] ^= xcv & ztv &^ (xtv ^ zcv)
		xt[i] = xtv ^ xcv
		zc[i] = zcv ^ ztv
	}
}

func (t *tableau) cz(a, b int) {
	xa, za := t.col(a)
	xb, zb := t.col(b)
	n := len(xa)
	r, za, xb, zb := t.r[:n], za[:n], xb[:n], zb[:n]
	for i := range xa {
		xav, zav, xbv, zbv := xa[i], za[i], xb[i], zb[i]
		r[i] ^= xav & xbv & (zav ^ zbv)
		za[i] = zav ^ xbv
		zb[i] = zbv ^ xav
	}
}

// cy is sdg on the target, cx, then s on the target (CY = S_t·CX·S_t†),
// fused into one pass.
func (t *tableau) cy(c, g int) {
	xc, zc := t.col(c)
	xt, zt := t.col(g)
	n := len(xc)
	r, zc, xt, zt := t.r[:n], zc[:n], xt[:n], zt[:n]
	for i := range xc {
		xcv, zcv, xtv, ztv, rv := xc[i], zc[i], xt[i], zt[i], r[i]
		rv ^= xtv &^ ztv // sdg(t)
		ztv ^= xtv
		rv ^= xcv & ztv &^ (xtv ^ zcv) // cx(c, t)
		xtv ^= xcv
		zcv ^= ztv
		rv ^= xtv & ztv // s(t)
		ztv ^= xtv
		r[i], zc[i], xt[i], zt[i] = rv, zcv, xtv, ztv
	}
}

func (t *tableau) swap(a, b int) {
	xa, za := t.col(a)
	xb, zb := t.col(b)
	n := len(xa)
	za, xb, zb = za[:n], xb[:n], zb[:n]
	for i := range xa {
		xa[i], xb[i] = xb[i], xa[i]
		za[i], zb[i] = zb[i], za[i]
	}
}
