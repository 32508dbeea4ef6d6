package trajectory

import (
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/gate"
)

// TestLayoutApply checks every kernel path (dense, monomial, diagonal; one
// and two qubits; the generic path for three) against a direct sum.
func TestLayoutApply(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 51))
	const n = 5
	randc := func() complex128 { return complex(rng.NormFloat64(), rng.NormFloat64()) }
	for _, tc := range []struct {
		name   string
		qubits []int
		kind   string
	}{
		{"1q dense", []int{2}, "dense"}, {"1q diagonal", []int{0}, "diag"}, {"1q monomial", []int{4}, "perm"},
		{"2q dense", []int{3, 1}, "dense"}, {"2q dense ascending", []int{0, 4}, "dense"},
		{"2q diagonal", []int{1, 2}, "diag"}, {"2q monomial", []int{4, 0}, "perm"},
		{"3q dense", []int{2, 0, 4}, "dense"},
		{"1q one column", []int{1}, "column"}, {"2q one column", []int{2, 3}, "column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := 1 << len(tc.qubits)
			m := make(gate.Matrix, d*d)
			perm := rng.Perm(d)
			for r := range d {
				for c := range d {
					switch {
					case tc.kind == "dense", tc.kind == "diag" && r == c, tc.kind == "perm" && perm[r] == c,
						tc.kind == "column" && c == 1:
						m[r*d+c] = randc()
					}
				}
			}
			psi := make([]complex128, 1<<n)
			for i := range psi {
				psi[i] = randc()
			}
			want := make([]complex128, len(psi))
			for i := range psi {
				r := 0
				for k, q := range tc.qubits {
					r |= (i >> q & 1) << k
				}
				for c := range d {
					j := i
					for k, q := range tc.qubits {
						j = j&^(1<<q) | (c>>k&1)<<q
					}
					want[i] += m[r*d+c] * psi[j]
				}
			}
			l := newLayout(tc.qubits)
			got := append([]complex128(nil), psi...)
			l.apply(got, m, 1, make([]complex128, d))
			for i := range got {
				if cmplx.Abs(got[i]-want[i]) > 1e-12 {
					t.Fatalf("amplitude %d: got %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

// TestReduced checks the one-qubit fast path of reduced against the
// generic one.
func TestReduced(t *testing.T) {
	rng := rand.New(rand.NewPCG(52, 52))
	psi := make([]complex128, 1<<5)
	for i := range psi {
		psi[i] = complex(rng.NormFloat64(), rng.NormFloat64())
	}
	for q := range 5 {
		l := newLayout([]int{q})
		got := make(gate.Matrix, 4)
		l.reduced(psi, got, make([]complex128, 2))
		want := make(gate.Matrix, 4)
		for i, a := range psi {
			if i>>q&1 == 1 {
				continue
			}
			amps := [2]complex128{a, psi[i|1<<q]}
			for r := range 2 {
				for c := range 2 {
					want[r*2+c] += amps[r] * cmplx.Conj(amps[c])
				}
			}
		}
		for i := range got {
			if cmplx.Abs(got[i]-want[i]) > 1e-12 {
				t.Errorf("qubit %d: ρ[%d] = %v, want %v", q, i, got[i], want[i])
			}
		}
	}
}
