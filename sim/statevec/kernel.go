package statevec

// apply runs kernel k on the n-qubit state v, splitting the groups across
// x's workers. Each group is updated by the same operations whatever the
// split, so the result does not depend on the worker count.
func (k *kernel) apply(x *exec, v []complex128, n int) {
	if k.kind == kindNone {
		return
	}
	x.parallelFor(k.groups(n), func(lo, hi int) { k.applyRange(v, lo, hi) })
}

// applyRange updates groups [lo, hi).
func (k *kernel) applyRange(v []complex128, lo, hi int) {
	switch k.kind {
	case kindDiag:
		k.diagRange(v, lo, hi)
	case kindPerm:
		k.permRange(v, lo, hi)
	case kindDense1:
		k.dense1Range(v, lo, hi)
	case kindDense2:
		k.dense2Range(v, lo, hi)
	case kindDenseK:
		k.denseKRange(v, lo, hi)
	}
}

func (k *kernel) diagRange(v []complex128, lo, hi int) {
	if len(k.diagOffs) == 1 {
		off, d := k.diagOffs[0], k.diagVals[0]
		for t := lo; t < hi; t++ {
			v[k.base(t)+off] *= d
		}
		return
	}
	for t := lo; t < hi; t++ {
		b := k.base(t)
		for i, off := range k.diagOffs {
			v[b+off] *= k.diagVals[i]
		}
	}
}

func (k *kernel) permRange(v []complex128, lo, hi int) {
	if len(k.permSrc) == 2 && k.permSrc[0] == k.permDst[1] && k.permSrc[1] == k.permDst[0] {
		// A swap of two amplitudes with phases (x, y, cx, swap, ccx, …).
		o0, o1 := k.permSrc[0], k.permSrc[1]
		p0, p1 := k.permPhase[0], k.permPhase[1]
		if p0 == 1 && p1 == 1 {
			for t := lo; t < hi; t++ {
				b := k.base(t)
				v[b+o0], v[b+o1] = v[b+o1], v[b+o0]
			}
			return
		}
		for t := lo; t < hi; t++ {
			b := k.base(t)
			a0, a1 := v[b+o0], v[b+o1]
			v[b+o1] = p0 * a0
			v[b+o0] = p1 * a1
		}
		return
	}
	buf := make([]complex128, len(k.permSrc))
	for t := lo; t < hi; t++ {
		b := k.base(t)
		for i, off := range k.permSrc {
			buf[i] = v[b+off]
		}
		for i, off := range k.permDst {
			v[b+off] = k.permPhase[i] * buf[i]
		}
	}
}

func (k *kernel) dense1Range(v []complex128, lo, hi int) {
	m00, m01, m10, m11 := k.m[0], k.m[1], k.m[2], k.m[3]
	o1 := k.offs[1]
	if len(k.sorted) == 1 {
		// Uncontrolled: groups are runs of 2^q consecutive indices.
		q := k.targets[0]
		mask := 1<<q - 1
		for t := lo; t < hi; t++ {
			i := (t&^mask)<<1 | t&mask
			a0, a1 := v[i], v[i+o1]
			v[i] = m00*a0 + m01*a1
			v[i+o1] = m10*a0 + m11*a1
		}
		return
	}
	for t := lo; t < hi; t++ {
		i := k.base(t)
		a0, a1 := v[i], v[i+o1]
		v[i] = m00*a0 + m01*a1
		v[i+o1] = m10*a0 + m11*a1
	}
}

func (k *kernel) dense2Range(v []complex128, lo, hi int) {
	m := (*[16]complex128)(k.m)
	o1, o2, o3 := k.offs[1], k.offs[2], k.offs[3]
	for t := lo; t < hi; t++ {
		i := k.base(t)
		a0, a1, a2, a3 := v[i], v[i+o1], v[i+o2], v[i+o3]
		v[i] = m[0]*a0 + m[1]*a1 + m[2]*a2 + m[3]*a3
		v[i+o1] = m[4]*a0 + m[5]*a1 + m[6]*a2 + m[7]*a3
		v[i+o2] = m[8]*a0 + m[9]*a1 + m[10]*a2 + m[11]*a3
		v[i+o3] = m[12]*a0 + m[13]*a1 + m[14]*a2 + m[15]*a3
	}
}

func (k *kernel) denseKRange(v []complex128, lo, hi int) {
	dt := len(k.offs)
	buf := make([]complex128, dt)
	for t := lo; t < hi; t++ {
		b := k.base(t)
		for j, off := range k.offs {
			buf[j] = v[b+off]
		}
		for r, off := range k.offs {
			row := k.m[r*dt : (r+1)*dt]
			var s complex128
			for c, a := range buf {
				s += row[c] * a
			}
			v[b+off] = s
		}
	}
}
