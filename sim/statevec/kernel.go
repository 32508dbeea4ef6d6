package statevec

// amp is an amplitude type: complex128 (double precision) or complex64
// (single precision). Kernels are written once for both; matrices are kept
// in complex128 and rounded to the state's precision when applied.
type amp interface{ complex64 | complex128 }

// apply runs kernel k on the n-qubit state v, splitting the groups across
// x's workers. Each group is updated by the same operations whatever the
// split, so the result does not depend on the worker count.
func (k *kernel) apply(x *exec, v []complex128, n int) { applyKernel(k, x, v, n) }

// applyKernel is apply for either precision.
func applyKernel[T amp](k *kernel, x *exec, v []T, n int) {
	if k.kind == kindNone {
		return
	}
	x.parallelFor(k.groups(n), func(lo, hi int) { applyRange(k, v, lo, hi) })
}

// applyRange updates groups [lo, hi) of v.
func applyRange[T amp](k *kernel, v []T, lo, hi int) {
	switch k.kind {
	case kindDiag:
		diagRange(k, v, lo, hi)
	case kindPerm:
		permRange(k, v, lo, hi)
	case kindDense1:
		dense1Range(k, v, lo, hi)
	case kindDense2:
		dense2Range(k, v, lo, hi)
	case kindDenseK:
		denseKRange(k, v, lo, hi)
	case kindDiagTable:
		diagTableRange(k, v, lo, hi)
	case kindPhase:
		phaseRange(k, v, lo, hi)
	case kindReal2:
		real2Range(k, v, lo, hi)
	case kindLanes:
		lanesRange(k, v, lo, hi)
	}
}

// diagTableRange multiplies amplitudes [lo, hi) by their fused phases,
// 256 amplitudes at a time (their index bits above the lowest byte are
// shared, so only the lowest byte is looked up per amplitude), skipping the
// chunks where a control common to all the fused gates (k.ctrl) is 0.
func diagTableRange[T amp](k *kernel, v []T, lo, hi int) {
	switch w := any(v).(type) {
	case []complex128:
		diagTableRange128(k, w, lo, hi)
	case []complex64:
		tab := k.tab64
		l0, l1, l2 := &k.lut[0], &k.lut[1], &k.lut[2]
		for i := lo; i < hi; {
			end := min(hi, (i|255)+1)
			if i&k.ctrl != k.ctrl {
				i = end
				continue
			}
			h := l1[i>>8&255] | l2[i>>16&255]
			for ; i < end; i++ {
				w[i] = mul64(w[i], tab[l0[i&255]|h])
			}
		}
	}
}

func diagTableRange128(k *kernel, v []complex128, lo, hi int) {
	tab := k.tab
	l0, l1, l2 := &k.lut[0], &k.lut[1], &k.lut[2]
	for i := lo; i < hi; {
		end := min(hi, (i|255)+1)
		if i&k.ctrl != k.ctrl {
			i = end
			continue
		}
		h := l1[i>>8&255] | l2[i>>16&255]
		for ; i < end; i++ {
			v[i] *= tab[l0[i&255]|h]
		}
	}
}

// runs calls f(b, r) for the groups [lo, hi) in runs: group t+j has base
// index b+j for j < r. Consecutive groups share a run while the lowest
// touched qubit's bits below it count up, so the kernels' inner loops walk
// contiguous memory with no per-amplitude index arithmetic.
func (k *kernel) runs(lo, hi int, f func(b, r int)) {
	low := 1 << 62
	if len(k.sorted) > 0 {
		low = 1 << k.sorted[0]
	}
	for t := lo; t < hi; {
		r := min(hi-t, low-t&(low-1))
		f(k.base(t), r)
		t += r
	}
}

func diagRange[T amp](k *kernel, v []T, lo, hi int) {
	if len(k.diagOffs) == 1 {
		off, d := k.diagOffs[0], k.diagVals[0]
		k.runs(lo, hi, func(b, r int) { scale(v[b+off:b+off+r], d) })
		return
	}
	k.runs(lo, hi, func(b, r int) {
		for i, off := range k.diagOffs {
			scale(v[b+off:b+off+r], k.diagVals[i])
		}
	})
}

// scale multiplies w by d: a negation for d = −1 (cz, z, ccz), float32
// arithmetic for complex64 (Go evaluates complex64 products in float64).
func scale[T amp](w []T, d complex128) {
	if d == -1 {
		for j := range w {
			w[j] = -w[j]
		}
		return
	}
	switch w := any(w).(type) {
	case []complex128:
		for j := range w {
			w[j] *= d
		}
	case []complex64:
		d := complex64(d)
		for j := range w {
			w[j] = mul64(w[j], d)
		}
	}
}

func permRange[T amp](k *kernel, v []T, lo, hi int) {
	if l := len(k.sorted); l > 0 {
		// Groups [lo, hi) are the amplitudes [lo<<l, hi<<l) when both are
		// multiples of span: then permute them in vector registers.
		span := 1 << (k.sorted[l-1] + 1 - l)
		if lo%span == 0 && hi%span == 0 && permLanes(k, v[lo<<l:hi<<l]) {
			return
		}
	}
	if len(k.permSrc) == 2 && k.permSrc[0] == k.permDst[1] && k.permSrc[1] == k.permDst[0] {
		// A swap of two amplitudes with phases (x, y, cx, swap, ccx, …).
		o0, o1 := k.permSrc[0], k.permSrc[1]
		p0, p1 := T(k.permPhase[0]), T(k.permPhase[1])
		plain := k.permPhase[0] == 1 && k.permPhase[1] == 1
		k.runs(lo, hi, func(b, r int) {
			w0, w1 := v[b+o0:b+o0+r], v[b+o1:b+o1+r]
			w1 = w1[:len(w0)]
			if plain {
				if swapAmps(w0, w1) {
					return
				}
				for j := range w0 {
					w0[j], w1[j] = w1[j], w0[j]
				}
				return
			}
			for j := range w0 {
				a0, a1 := w0[j], w1[j]
				w1[j] = p0 * a0
				w0[j] = p1 * a1
			}
		})
		return
	}
	phase := make([]T, len(k.permPhase))
	for i, p := range k.permPhase {
		phase[i] = T(p)
	}
	buf := make([]T, len(k.permSrc))
	k.runs(lo, hi, func(b, r int) {
		for j := range r {
			for i, off := range k.permSrc {
				buf[i] = v[b+j+off]
			}
			for i, off := range k.permDst {
				v[b+j+off] = phase[i] * buf[i]
			}
		}
	})
}

// dense1Range applies a dense 2×2 block. It has one non-generic body per
// precision (the generic one runs about 40% slower) and uses the SIMD
// kernels where the build has them (simd_amd64.go).
func dense1Range[T amp](k *kernel, v []T, lo, hi int) {
	switch w := any(v).(type) {
	case []complex128:
		dense1Range128(k, w, lo, hi)
	case []complex64:
		dense1Range64(k, w, lo, hi)
	}
}

func dense1Range128(k *kernel, v []complex128, lo, hi int) {
	m := [4]complex128(k.m)
	o1 := k.offs[1]
	if len(k.sorted) == 1 && o1 == 1 {
		// Uncontrolled on qubit 0: the pairs are adjacent.
		w := v[2*lo : 2*hi]
		for j := dense1Adjacent128(&m, w); j+1 < len(w); j += 2 {
			a0, a1 := w[j], w[j+1]
			w[j] = m[0]*a0 + m[1]*a1
			w[j+1] = m[2]*a0 + m[3]*a1
		}
		return
	}
	p := k.p128
	if p == nil {
		q := prepare128(&m)
		p = &q
	}
	low := 1 << k.sorted[0]
	if len(k.sorted) == 1 && lo%low == 0 && hi%low == 0 {
		// Uncontrolled, whole runs: groups [lo, hi) are the amplitudes
		// [2lo, 2hi), pairs at distance low.
		if dense1Strided128(p, v[2*lo:2*hi], low) {
			return
		}
	}
	for t := lo; t < hi; {
		r := min(hi-t, low-t&(low-1))
		b := k.base(t)
		t += r
		w0, w1 := v[b:b+r], v[b+o1:b+o1+r]
		w1 = w1[:len(w0)]
		for j := dense1Pairs128(p, w0, w1); j < len(w0); j++ {
			a0, a1 := w0[j], w1[j]
			w0[j] = m[0]*a0 + m[1]*a1
			w1[j] = m[2]*a0 + m[3]*a1
		}
	}
}

func dense1Range64(k *kernel, v []complex64, lo, hi int) {
	m := [4]complex64{complex64(k.m[0]), complex64(k.m[1]), complex64(k.m[2]), complex64(k.m[3])}
	o1 := k.offs[1]
	p := k.p64
	if p == nil {
		q := prepare64(&m)
		p = &q
	}
	if len(k.sorted) == 1 && o1 == 1 {
		w := v[2*lo : 2*hi]
		for j := dense1Adjacent64(p, w); j+1 < len(w); j += 2 {
			w[j], w[j+1] = mul2x64(&m, w[j], w[j+1])
		}
		return
	}
	low := 1 << k.sorted[0]
	if len(k.sorted) == 1 && lo%low == 0 && hi%low == 0 && dense1Strided64(p, v[2*lo:2*hi], low) {
		return
	}
	for t := lo; t < hi; {
		r := min(hi-t, low-t&(low-1))
		b := k.base(t)
		t += r
		w0, w1 := v[b:b+r], v[b+o1:b+o1+r]
		w1 = w1[:len(w0)]
		// With SIMD every run goes through the vector code (short ones
		// padded), so that results do not depend on where workers split.
		for j := dense1Pairs64(p, w0, w1); j < len(w0); j++ {
			w0[j], w1[j] = mul2x64(&m, w0[j], w1[j])
		}
	}
}

// mul2x64 returns m·(a0, a1) in float32 arithmetic (Go evaluates complex64
// products in float64, which is slower and rounds differently from the
// vector kernels).
func mul2x64(m *[4]complex64, a0, a1 complex64) (complex64, complex64) {
	x0, y0, x1, y1 := real(a0), imag(a0), real(a1), imag(a1)
	return complex(real(m[0])*x0-imag(m[0])*y0+real(m[1])*x1-imag(m[1])*y1,
			real(m[0])*y0+imag(m[0])*x0+real(m[1])*y1+imag(m[1])*x1),
		complex(real(m[2])*x0-imag(m[2])*y0+real(m[3])*x1-imag(m[3])*y1,
			real(m[2])*y0+imag(m[2])*x0+real(m[3])*y1+imag(m[3])*x1)
}

// mul64 returns a·b in float32 arithmetic.
func mul64(a, b complex64) complex64 {
	return complex(real(a)*real(b)-imag(a)*imag(b), real(a)*imag(b)+imag(a)*real(b))
}

func dense2Range[T amp](k *kernel, v []T, lo, hi int) {
	var m [16]T
	for i := range m {
		m[i] = T(k.m[i])
	}
	o1, o2, o3 := k.offs[1], k.offs[2], k.offs[3]
	k.runs(lo, hi, func(b, r int) {
		for i := b; i < b+r; i++ {
			a0, a1, a2, a3 := v[i], v[i+o1], v[i+o2], v[i+o3]
			v[i] = m[0]*a0 + m[1]*a1 + m[2]*a2 + m[3]*a3
			v[i+o1] = m[4]*a0 + m[5]*a1 + m[6]*a2 + m[7]*a3
			v[i+o2] = m[8]*a0 + m[9]*a1 + m[10]*a2 + m[11]*a3
			v[i+o3] = m[12]*a0 + m[13]*a1 + m[14]*a2 + m[15]*a3
		}
	})
}

func denseKRange[T amp](k *kernel, v []T, lo, hi int) {
	dt := len(k.offs)
	m := make([]T, len(k.m))
	for i, x := range k.m {
		m[i] = T(x)
	}
	buf := make([]T, dt)
	k.runs(lo, hi, func(b0, r int) {
		for b := b0; b < b0+r; b++ {
			for j, off := range k.offs {
				buf[j] = v[b+off]
			}
			for row, off := range k.offs {
				mr := m[row*dt : (row+1)*dt]
				var s T
				for c, a := range buf {
					s += mr[c] * a
				}
				v[b+off] = s
			}
		}
	})
}

// permLanes applies permutation kernel k to the whole of v (amplitudes
// from a multiple of 2^(k's highest qubit + 1)) with vector lane permutations, where the build has them and
// k is a plain permutation (no phases) of the qubits inside one vector,
// possibly controlled by higher qubits; it reports whether it did.
func permLanes[T amp](k *kernel, v []T) bool {
	if w, ok := any(v).([]complex64); ok {
		return permLanes64(k, w)
	}
	return false
}

// laneIndex returns the lane permutation of permutation kernel k on one
// 512-bit vector of complex64 (8 amplitudes, qubits 0–2) where k's controls
// above qubit 2 are 1: the result's lane m takes lane π⁻¹(m), as floats.
func laneIndex(k *kernel) *[16]uint32 {
	high := k.ctrl &^ 7
	var idx [16]uint32
	for l := range 8 {
		m := permAt(k, l|high) & 7
		idx[2*m], idx[2*m+1] = uint32(2*l), uint32(2*l+1)
	}
	return &idx
}
