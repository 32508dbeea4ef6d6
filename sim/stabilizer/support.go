package stabilizer

import "math/bits"

// affine is the uniform distribution over the bit strings x0 ⊕ span(basis)
// of m bits (wm words each); the basis vectors are linearly independent,
// so the support has 2^len(basis) elements.
type affine struct {
	m, wm int
	x0    []uint64
	basis [][]uint64
}

// stabRows is the stabilizer half of a tableau in row-major form: row i
// has X bits x[i·wn : (i+1)·wn], Z bits likewise, and sign s[i].
type stabRows struct {
	n, wn int
	x, z  []uint64
	s     []uint8
}

// stabRowsBytes is the memory of the row-major copy of n stabilizers.
func stabRowsBytes(n int) int64 {
	wn := int64((n + 63) / 64)
	return 16*int64(n)*wn + int64(n)
}

// stabilizerRows transposes the stabilizer half of t, 64×64 bits at a time.
func (t *tableau) stabilizerRows() *stabRows {
	n, wn := t.n, t.wh
	sr := &stabRows{n: n, wn: wn, x: make([]uint64, n*wn), z: make([]uint64, n*wn), s: make([]uint8, n)}
	var blk [64]uint64
	for _, part := range []struct{ src, dst []uint64 }{{t.x, sr.x}, {t.z, sr.z}} {
		for cb := 0; cb < wn; cb++ { // block of 64 qubits (columns)
			for rb := 0; rb < wn; rb++ { // block of 64 stabilizers (rows)
				for jj := 0; jj < 64; jj++ {
					if j := cb*64 + jj; j < n {
						blk[jj] = part.src[j*t.w+t.wh+rb]
					} else {
						blk[jj] = 0
					}
				}
				transpose64(&blk)
				for ii := 0; ii < 64; ii++ {
					if i := rb*64 + ii; i < n {
						part.dst[i*wn+cb] = blk[ii]
					}
				}
			}
		}
	}
	for i := 0; i < n; i++ {
		sr.s[i] = uint8(t.r[t.wh+i/64] >> (i % 64) & 1)
	}
	return sr
}

// transpose64 transposes a 64×64 bit matrix in place: bit j of a[i] moves
// to bit i of a[j]. It swaps the off-diagonal blocks of halves, quarters,
// and so on down to single bits.
func transpose64(a *[64]uint64) {
	m := uint64(0x00000000ffffffff)
	for j := 32; j != 0; j, m = j>>1, m^(m<<(j>>1)) {
		for k := 0; k < 64; k = (k + j + 1) &^ j {
			t := (a[k]>>j ^ a[k+j]) & m
			a[k] ^= t << j
			a[k+j] ^= t
		}
	}
}

func (sr *stabRows) row(i int) (x, z []uint64) {
	lo, hi := i*sr.wn, (i+1)*sr.wn
	return sr.x[lo:hi:hi], sr.z[lo:hi:hi]
}

func (sr *stabRows) swapRows(i, k int) {
	if i == k {
		return
	}
	xi, zi := sr.row(i)
	xk, zk := sr.row(k)
	for w := range xi {
		xi[w], xk[w] = xk[w], xi[w]
		zi[w], zk[w] = zk[w], zi[w]
	}
	sr.s[i], sr.s[k] = sr.s[k], sr.s[i]
}

// mulRow replaces row h by row p · row h (two commuting stabilizers, so the
// product is Hermitian). Words below from are known to have no X bits in
// either row, where the product has no phase.
func (sr *stabRows) mulRow(h, p, from int) {
	xh, zh := sr.row(h)
	xp, zp := sr.row(p)
	for w := 0; w < from; w++ {
		zh[w] ^= zp[w]
	}
	xh, zh, xp, zp = xh[from:], zh[from:], xp[from:len(xh)], zp[from:len(xh)]
	zh, zp = zh[:len(xh)], zp[:len(xh)]
	// On one qubit σ_p·σ_h = i^g σ(x1⊕x2, z1⊕z2) with g = ±1 exactly when
	// the two anticommute, and g = −1 exactly when x1z2 ⊕ x3 ⊕ z3 is set
	// (x3, z3 the product's bits): check the six ordered pairs. So
	// Σg ≡ |anti| + 2|neg| (mod 4).
	e := 0
	for w, x2 := range xh {
		x1, z1, z2 := xp[w], zp[w], zh[w]
		x1z2 := x1 & z2
		anti := x1z2 ^ z1&x2
		x3, z3 := x1^x2, z1^z2
		e += bits.OnesCount64(anti) + 2*bits.OnesCount64(anti&(x1z2^x3^z3))
		xh[w], zh[w] = x3, z3
	}
	sr.s[h] ^= sr.s[p] ^ uint8(e>>1&1)
}

// support returns the Z-basis outcome distribution of the stabilizer state
// over all qubits. Gaussian elimination on the X parts brings the
// stabilizers to rows whose X parts form a basis of V, followed by rows
// (−1)^s Z^z with no X part; reduced to echelon form on Z, these fix the
// pivot bits of one outcome x0 (z·x0 = s) with every other bit 0.
func (sr *stabRows) support() *affine {
	n, wn := sr.n, sr.wn
	rank := 0
	for j := 0; j < n && rank < n; j++ {
		wj, bj := j>>6, uint(j&63)
		piv := -1
		for i := rank; i < n; i++ {
			if sr.x[i*wn+wj]>>bj&1 != 0 {
				piv = i
				break
			}
		}
		if piv < 0 {
			continue
		}
		sr.swapRows(piv, rank)
		for i := piv + 1; i < n; i++ {
			if sr.x[i*wn+wj]>>bj&1 != 0 {
				sr.mulRow(i, rank, wj)
			}
		}
		rank++
	}
	a := &affine{m: n, wm: wn, x0: make([]uint64, wn), basis: make([][]uint64, rank)}
	for i := range rank {
		a.basis[i], _ = sr.row(i)
	}
	// Rows [rank, n) are ±Z strings: reduce them (products of Z strings
	// carry no phase, so signs just add).
	zr := rank
	var pivots []int
	for j := 0; j < n && zr < n; j++ {
		wj, bj := j>>6, uint(j&63)
		piv := -1
		for i := zr; i < n; i++ {
			if sr.z[i*wn+wj]>>bj&1 != 0 {
				piv = i
				break
			}
		}
		if piv < 0 {
			continue
		}
		sr.swapRows(piv, zr)
		_, zp := sr.row(zr)
		for i := rank; i < n; i++ {
			if i == zr || sr.z[i*wn+wj]>>bj&1 == 0 {
				continue
			}
			_, zi := sr.row(i)
			for w := wj; w < wn; w++ {
				zi[w] ^= zp[w]
			}
			sr.s[i] ^= sr.s[zr]
		}
		pivots = append(pivots, j)
		zr++
	}
	for k, j := range pivots {
		if sr.s[rank+k] == 1 {
			a.x0[j>>6] |= 1 << (j & 63)
		}
	}
	return a
}

// project maps the distribution through the measure map: clbit c takes the
// value of qubit clq[c] (or stays 0 when clq[c] < 0). The image of a
// uniform affine distribution under a linear map is uniform over the image
// of its support.
func (a *affine) project(clq []int) *affine {
	m := len(clq)
	wm := (m + 63) / 64
	identity := m <= a.m
	for c, q := range clq {
		if q != c {
			identity = false
			break
		}
	}
	proj := func(v []uint64) []uint64 {
		out := make([]uint64, wm)
		if identity {
			copy(out, v[:wm])
			if m%64 != 0 {
				out[wm-1] &= 1<<(m%64) - 1
			}
			return out
		}
		for c, q := range clq {
			if q >= 0 && v[q>>6]>>(q&63)&1 != 0 {
				out[c>>6] |= 1 << (c & 63)
			}
		}
		return out
	}
	out := &affine{m: m, wm: wm, x0: proj(a.x0)}
	if identity && m == a.m {
		for _, b := range a.basis {
			out.basis = append(out.basis, proj(b))
		}
		return out
	}
	// Keep an independent subset: reduce each image by the basis so far,
	// indexed by lowest set bit (each basis vector has no bit below its
	// pivot, so reduction moves only upwards).
	pivot := map[int]int{}
	for _, b := range a.basis {
		v := proj(b)
		for w := 0; w < wm; w++ {
			for v[w] != 0 {
				bit := w*64 + bits.TrailingZeros64(v[w])
				k, ok := pivot[bit]
				if !ok {
					pivot[bit] = len(out.basis)
					out.basis = append(out.basis, v)
					w = wm // done with v
					break
				}
				u := out.basis[k]
				for i := w; i < wm; i++ {
					v[i] ^= u[i]
				}
			}
		}
	}
	return out
}
