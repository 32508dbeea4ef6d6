package synth

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/gate"
)

// TestTwoQubitDegenerate runs KAK on unitaries of short random Clifford+T
// circuits, whose magic-basis spectra are highly degenerate, and on tiny
// perturbations of special gates.
func TestTwoQubitDegenerate(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	names1 := []string{"h", "s", "t", "x", "sx", "sdg", "tdg", "id"}
	names2 := []string{"cx", "cz", "swap", "cy", "ch"}
	hist := map[int]int{}
	worst := 0.0
	for i := 0; i < 3000; i++ {
		u := gate.Identity(2)
		for k := 0; k < r.IntN(8); k++ {
			if r.IntN(2) == 0 {
				g, _ := gate.Lookup(names1[r.IntN(len(names1))])
				u = gate.Mul(on(r.IntN(2), g.Matrix(nil)), u)
				continue
			}
			g, _ := gate.Lookup(names2[r.IntN(len(names2))])
			m := g.Matrix(nil)
			if r.IntN(2) == 0 {
				sw := gate.Matrix{1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1}
				m = mulAll(sw, m, sw)
			}
			u = gate.Mul(m, u)
		}
		if i%3 == 0 {
			// A perturbation far below the Weyl tolerance.
			eps := HaarUnitary(r, 4)
			for k := range eps {
				eps[k] *= 1e-14
			}
			for k := 0; k < 4; k++ {
				eps[k*4+k] += 1
			}
			u = gate.Mul(eps, u)
		}
		ops, ph, err := TwoQubit(u, "cx", []string{"rz", "sx", "x"})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		got := scaled(cmplx.Exp(complex(0, ph)), Unitary2(ops))
		worst = math.Max(worst, maxDiff(got, u))
		n := countName(ops, "cx")
		hist[n]++
		if n > 3 {
			t.Fatalf("case %d: %d cx", i, n)
		}
	}
	t.Logf("max error %.3g, cx histogram %v", worst, hist)
	if worst > 1e-10 {
		t.Errorf("max error %g, want ≤ 1e-10", worst)
	}
}
