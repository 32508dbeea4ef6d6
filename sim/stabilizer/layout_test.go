package stabilizer

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkLayout compares the two tableau layouts on the two kinds of
// work, at 1000 qubits: a layer of gates (h and s on every qubit, cx on
// 500 pairs) and the row products of one random measurement. Column-major
// is the engine's layout; the row-major variants are written here only to
// measure the alternative.
func BenchmarkLayout(b *testing.B) {
	const n = 1000
	rng := rand.New(rand.NewPCG(9, 9))
	base := randomTableau(b, rng, n, 20*n)
	perm := rng.Perm(n)
	b.Run("gates/column-major", func(b *testing.B) {
		t := base.clone()
		for b.Loop() {
			for q := range n {
				t.h(q)
				t.s(q)
			}
			for k := 0; k < n; k += 2 {
				t.cx(perm[k], perm[k+1])
			}
		}
	})
	b.Run("gates/row-major", func(b *testing.B) {
		sr := base.stabilizerRows() // stabilizer half only: half the real work
		for b.Loop() {
			for q := range n {
				rowH(sr, q)
				rowS(sr, q)
			}
			for k := 0; k < n; k += 2 {
				rowCX(sr, perm[k], perm[k+1])
			}
		}
	})
	q := 0
	for base.randomRow(q) < 0 {
		q++
	}
	b.Run("measure/column-major", func(b *testing.B) {
		t := base.clone()
		for b.Loop() {
			t.copyFrom(base)
			t.collapse(q, t.randomRow(q), 0)
		}
	})
	// The copies that reset the state before each measurement, to subtract.
	b.Run("copy/column-major", func(b *testing.B) {
		t := base.clone()
		for b.Loop() {
			t.copyFrom(base)
		}
	})
	b.Run("copy/row-major", func(b *testing.B) {
		sr0, sr := base.stabilizerRows(), base.stabilizerRows()
		for b.Loop() {
			copy(sr.x, sr0.x)
			copy(sr.z, sr0.z)
			copy(sr.s, sr0.s)
		}
	})
	b.Run("measure/row-major", func(b *testing.B) {
		sr0 := base.stabilizerRows()
		sr := base.stabilizerRows()
		for b.Loop() {
			copy(sr.x, sr0.x)
			copy(sr.z, sr0.z)
			copy(sr.s, sr0.s)
			p := -1
			for i := 0; i < n; i++ {
				if sr.x[i*sr.wn+q>>6]>>(q&63)&1 == 1 {
					if p < 0 {
						p = i
						continue
					}
					sr.mulRow(i, p, 0) // the destabilizer half would double this
				}
			}
		}
	})
}

func rowBits(sr *stabRows, i, q int) (x, z uint64) {
	return sr.x[i*sr.wn+q>>6] >> (q & 63) & 1, sr.z[i*sr.wn+q>>6] >> (q & 63) & 1
}

func rowSet(sr *stabRows, i, q int, x, z uint64) {
	w, m := i*sr.wn+q>>6, uint64(1)<<(q&63)
	sr.x[w] = sr.x[w]&^m | x<<(q&63)
	sr.z[w] = sr.z[w]&^m | z<<(q&63)
}

func rowH(sr *stabRows, q int) {
	for i := 0; i < sr.n; i++ {
		x, z := rowBits(sr, i, q)
		sr.s[i] ^= uint8(x & z)
		rowSet(sr, i, q, z, x)
	}
}

func rowS(sr *stabRows, q int) {
	for i := 0; i < sr.n; i++ {
		x, z := rowBits(sr, i, q)
		sr.s[i] ^= uint8(x & z)
		rowSet(sr, i, q, x, z^x)
	}
}

func rowCX(sr *stabRows, c, t int) {
	for i := 0; i < sr.n; i++ {
		xc, zc := rowBits(sr, i, c)
		xt, zt := rowBits(sr, i, t)
		sr.s[i] ^= uint8(xc & zt & (xt ^ zc ^ 1))
		rowSet(sr, i, t, xt^xc, zt)
		rowSet(sr, i, c, xc, zc^zt)
	}
}
