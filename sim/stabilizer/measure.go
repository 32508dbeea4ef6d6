package stabilizer

import (
	"math/bits"
	"math/rand/v2"
)

// Z-basis measurement on the column-major tableau (Aaronson–Gottesman):
// the outcome of measuring qubit a is random exactly when some stabilizer
// anticommutes with Z_a, i.e. has an X or Y on a.

// randomRow returns the first stabilizer row with an X bit on qubit a, or
// -1 when the outcome of measuring a is determined.
func (t *tableau) randomRow(a int) int {
	xa, _ := t.col(a)
	for i := t.wh; i < t.w; i++ {
		if v := xa[i]; v != 0 {
			return i*64 + bits.TrailingZeros64(v)
		}
	}
	return -1
}

// scratchWords returns a reusable buffer of n words (contents undefined).
func (t *tableau) scratchWords(n int) []uint64 {
	if cap(t.scratch) < n {
		t.scratch = make([]uint64, n)
	}
	return t.scratch[:n]
}

// collapse projects the state onto outcome (0 or 1) of measuring qubit a,
// where p = randomRow(a) ≥ 0. Every other row with an X bit on a is
// multiplied by row p, all at once: column by column, with the phases of
// the stabilizer rows summed mod 4 in two bit planes. Then row p moves to
// its destabilizer slot and becomes (−1)^outcome Z_a.
func (t *tableau) collapse(a, p int, outcome uint64) {
	w, wh := t.w, t.wh
	buf := t.scratchWords(w + 2*wh)
	mask, lo, hi := buf[:w:w], buf[w:w+wh:w+wh], buf[w+wh:]
	xa, _ := t.col(a)
	copy(mask, xa)
	pw, pb := p>>6, uint(p&63)
	mask[pw] &^= 1 << pb
	clear(lo)
	clear(hi)
	ms := mask[wh:]
	for j := 0; j < t.n; j++ {
		xj, zj := t.col(j)
		xp, zp := xj[pw]>>pb&1, zj[pw]>>pb&1
		if xp|zp == 0 {
			continue
		}
		// Phase of σ_p·σ_i on this qubit for the stabilizer rows i: +1 when
		// (σ_p, σ_i) is cyclic in X→Y→Z→X, −1 when anticyclic. Rows of
		// both halves then take σ_p's X and Z bits.
		xs, zs := xj[wh:w], zj[wh:w]
		xs, zs = xs[:len(ms)], zs[:len(ms)]
		lo, hi := lo[:len(ms)], hi[:len(ms)]
		switch {
		case zp == 0: // X·Y = iZ, X·Z = −iY
			for i, m := range ms {
				x2, z2 := xs[i], zs[i]
				lo[i], hi[i] = addPhase(lo[i], hi[i], m&x2&z2, m&^x2&z2)
				xs[i] = x2 ^ m
			}
		case xp == 0: // Z·X = iY, Z·Y = −iX
			for i, m := range ms {
				x2, z2 := xs[i], zs[i]
				lo[i], hi[i] = addPhase(lo[i], hi[i], m&x2&^z2, m&x2&z2)
				zs[i] = z2 ^ m
			}
		default: // Y·Z = iX, Y·X = −iZ
			for i, m := range ms {
				x2, z2 := xs[i], zs[i]
				lo[i], hi[i] = addPhase(lo[i], hi[i], m&^x2&z2, m&x2&^z2)
				xs[i], zs[i] = x2^m, z2^m
			}
		}
		md := mask[:wh]
		if xp == 1 {
			xd := xj[:len(md)]
			for i, m := range md {
				xd[i] ^= m
			}
		}
		if zp == 1 {
			zd := zj[:len(md)]
			for i, m := range md {
				zd[i] ^= m
			}
		}
	}
	// New sign: r_i ⊕ r_p ⊕ (phase/2); the phase of commuting stabilizers
	// is even, so lo is zero on the masked rows.
	rp := -(t.r[pw] >> pb & 1)
	rs := t.r[wh:w]
	for i, m := range ms {
		rs[i] ^= m & (rp ^ hi[i])
	}
	// Destabilizer p−64·wh takes row p; row p becomes ±Z_a.
	dw := pw - wh
	for j := 0; j < t.n; j++ {
		xj, zj := t.col(j)
		xj[dw] = xj[dw]&^(1<<pb) | xj[pw]&(1<<pb)
		zj[dw] = zj[dw]&^(1<<pb) | zj[pw]&(1<<pb)
		xj[pw] &^= 1 << pb
		zj[pw] &^= 1 << pb
	}
	_, za := t.col(a)
	za[pw] |= 1 << pb
	t.r[pw] = t.r[pw]&^(1<<pb) | outcome<<pb
}

// addPhase adds +1 on the rows of plus and −1 on the rows of minus (which
// are disjoint) to the mod-4 counters whose low and high bits are lo, hi,
// and returns the new bits.
func addPhase(lo, hi, plus, minus uint64) (uint64, uint64) {
	hi ^= lo & plus
	lo ^= plus | minus
	return lo, hi ^ lo&minus
}

// deterministic returns the outcome of measuring qubit a when
// randomRow(a) < 0. Then ±Z_a is the product of the stabilizers whose
// destabilizers have an X bit on a; its sign comes from the product taken
// qubit by qubit: on each qubit, the ordered product of σ(x_i, z_i) =
// i^{x_i z_i} X^{x_i} Z^{z_i} over the selected rows i is
// i^{Σ x_i z_i} (−1)^{Σ_{i<k} z_i x_k} X^{Σx} Z^{Σz}, and the total X and Z
// parts are those of Z_a, which carry no phase.
func (t *tableau) deterministic(a int) uint64 {
	wh, w := t.wh, t.w
	xa, _ := t.col(a)
	sel := xa[:wh]
	e := 2 * popAnd(t.r[wh:w], sel)
	for j := 0; j < t.n; j++ {
		xj, zj := t.col(j)
		xs, zs := xj[wh:w], zj[wh:w]
		xs, zs = xs[:len(sel)], zs[:len(sel)]
		var carry uint64 // all ones when the selected z bits so far have odd parity
		par := 0
		for i, s := range sel {
			if s == 0 {
				continue
			}
			xv, zv := xs[i]&s, zs[i]&s
			e += bits.OnesCount64(xv & zv)
			incl := prefixXor(zv)
			excl := incl ^ zv ^ carry
			par += bits.OnesCount64(xv & excl)
			carry = -(((incl >> 63) ^ carry) & 1)
		}
		e += 2 * (par & 1)
	}
	return uint64(e>>1) & 1
}

// prefixXor returns the inclusive prefix parity of v: bit b is the parity
// of bits 0..b of v.
func prefixXor(v uint64) uint64 {
	v ^= v << 1
	v ^= v << 2
	v ^= v << 4
	v ^= v << 8
	v ^= v << 16
	v ^= v << 32
	return v
}

// popAnd returns the number of bits set in both a and b (len(b) ≥ len(a)
// is not required: the shorter length is used).
func popAnd(a, b []uint64) int {
	n := 0
	b = b[:min(len(a), len(b))]
	for i, v := range b {
		n += bits.OnesCount64(a[i] & v)
	}
	return n
}

// measure measures qubit a, drawing the outcome from rng when it is not
// determined, and returns the outcome and whether it was random.
func (t *tableau) measure(a int, rng *rand.Rand) (outcome uint64, random bool) {
	if p := t.randomRow(a); p >= 0 {
		o := rng.Uint64() >> 63
		t.collapse(a, p, o)
		return o, true
	}
	return t.deterministic(a), false
}

// reset measures qubit a and flips it to |0⟩ when the outcome is 1.
func (t *tableau) reset(a int, rng *rand.Rand) {
	if o, _ := t.measure(a, rng); o == 1 {
		t.pauliX(a)
	}
}
