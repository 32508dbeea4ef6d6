package statevec

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/gate"
)

func randomState(rng *rand.Rand, n int) []complex128 {
	v := make([]complex128, 1<<n)
	var s float64
	for i := range v {
		v[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		s += norm2(v[i])
	}
	for i := range v {
		v[i] /= complex(math.Sqrt(s), 0)
	}
	return v
}

// randomUnitary returns a random d×d unitary (Gram–Schmidt on a complex
// Gaussian matrix).
func randomUnitary(rng *rand.Rand, d int) gate.Matrix {
	m := make(gate.Matrix, d*d)
	for c := range d {
		col := make([]complex128, d)
		for r := range d {
			col[r] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		for p := range c {
			var dot complex128
			for r := range d {
				dot += cmplx.Conj(m[r*d+p]) * col[r]
			}
			for r := range d {
				col[r] -= dot * m[r*d+p]
			}
		}
		var s float64
		for _, a := range col {
			s += norm2(a)
		}
		for r := range d {
			m[r*d+c] = col[r] / complex(math.Sqrt(s), 0)
		}
	}
	return m
}

func randomPhase(rng *rand.Rand) complex128 { return cmplx.Exp(complex(0, rng.Float64()*2*math.Pi)) }

// controlledOn embeds u (on the remaining arguments) in a k-argument matrix
// that is the identity unless every argument in ctrl is 1.
func controlledOn(u gate.Matrix, k int, ctrl []int) gate.Matrix {
	d := 1 << k
	mask := 0
	for _, a := range ctrl {
		mask |= 1 << a
	}
	var targets []int
	for a := range k {
		if mask>>a&1 == 0 {
			targets = append(targets, a)
		}
	}
	sub := func(i int) int {
		j := 0
		for t, a := range targets {
			j |= (i >> a & 1) << t
		}
		return j
	}
	m := make(gate.Matrix, d*d)
	for r := range d {
		for c := range d {
			switch {
			case r&mask != mask || c&mask != mask:
				if r == c {
					m[r*d+c] = 1
				}
			default:
				m[r*d+c] = u[sub(r)*u.Dim()+sub(c)]
			}
		}
	}
	return m
}

// checkFastPath applies m on qs to a random n-qubit state with the fast
// kernel and with the general dense kernel and compares.
func checkFastPath(t *testing.T, rng *rand.Rand, m gate.Matrix, qs []int, n int, wantKind kernelKind, wantCtrl int) {
	t.Helper()
	fast, slow := newKernel(m, qs), buildKernel(m, qs, false)
	if fast.kind != wantKind {
		t.Errorf("kernel kind: got %v, want %v", fast.kind, wantKind)
	}
	if got := countBits(fast.ctrl); wantCtrl >= 0 && got != wantCtrl {
		t.Errorf("controls detected: got %d, want %d", got, wantCtrl)
	}
	v := randomState(rng, n)
	a, b := append([]complex128(nil), v...), append([]complex128(nil), v...)
	x := &exec{workers: 1}
	fast.apply(x, a, n)
	slow.apply(x, b, n)
	for i := range a {
		if cmplx.Abs(a[i]-b[i]) > 1e-14 {
			t.Fatalf("amplitude %d: fast %v, general %v", i, a[i], b[i])
		}
	}
}

func countBits(x int) int {
	c := 0
	for ; x != 0; x &= x - 1 {
		c++
	}
	return c
}

func TestFastPathsMatchGeneralKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	const n = 6
	for _, tc := range []struct {
		name string
		make func(k int) gate.Matrix
		kind func(k int) kernelKind
		ctrl func(k int) int // controls the detection must find; -1: any
	}{
		{"random diagonal", func(k int) gate.Matrix {
			m := make(gate.Matrix, 1<<(2*k))
			for j := range 1 << k {
				m[j<<k+j] = randomPhase(rng)
			}
			return m
		}, func(int) kernelKind { return kindDiag }, none},
		{"random monomial", func(k int) gate.Matrix {
			d := 1 << k
			m := make(gate.Matrix, d*d)
			perm := rng.Perm(d)
			for perm[0] == 0 { // not the identity permutation
				perm = rng.Perm(d)
			}
			for c, r := range perm {
				m[r*d+c] = randomPhase(rng)
			}
			return m
		}, func(int) kernelKind { return kindPerm }, func(int) int { return -1 }},
		{"random dense", func(k int) gate.Matrix { return randomUnitary(rng, 1<<k) },
			func(k int) kernelKind { return [...]kernelKind{0, kindDense1, kindDense2, kindDenseK, kindDenseK}[k] }, none},
		{"controlled dense, last argument target", func(k int) gate.Matrix {
			return controlledOn(randomUnitary(rng, 2), k, seq(k-1))
		}, func(int) kernelKind { return kindDense1 }, func(k int) int { return k - 1 }},
		{"controlled dense, first argument target", func(k int) gate.Matrix {
			return controlledOn(randomUnitary(rng, 2), k, seq(k)[1:])
		}, func(int) kernelKind { return kindDense1 }, func(k int) int { return k - 1 }},
	} {
		for k := 1; k <= 4; k++ {
			t.Run(fmt.Sprintf("%s on %d qubits", tc.name, k), func(t *testing.T) {
				for range 5 {
					checkFastPath(t, rng, tc.make(k), rng.Perm(n)[:k], n, tc.kind(k), tc.ctrl(k))
				}
			})
		}
	}
}

func none(int) int { return 0 }

func seq(k int) []int {
	s := make([]int, k)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestTableGatesUseExpectedKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	// Literal expectations for well-known gates (kind, controls found).
	want := map[string]struct {
		kind kernelKind
		ctrl int
	}{
		"id": {kindNone, 1}, "x": {kindPerm, 0}, "y": {kindPerm, 0}, "z": {kindDiag, 1},
		"h": {kindDense1, 0}, "rz": {kindDiag, 0}, "p": {kindDiag, 1}, "t": {kindDiag, 1},
		"cx": {kindPerm, 1}, "cz": {kindDiag, 2}, "cp": {kindDiag, 2}, "swap": {kindPerm, 0},
		"ccx": {kindPerm, 2}, "c3x": {kindPerm, 3}, "c4x": {kindPerm, 4}, "cswap": {kindPerm, 1},
		"ch": {kindDense1, 1}, "cu3": {kindDense1, 1}, "crz": {kindDiag, 1}, "rxx": {kindDense2, 0},
		"rzz": {kindDiag, 0},
	}
	for _, g := range gate.All() {
		t.Run(g.Name, func(t *testing.T) {
			params := make([]float64, len(g.Params))
			for i := range params {
				params[i] = 0.3 + rng.Float64()
			}
			m := g.Matrix(params)
			w, ok := want[g.Name]
			if !ok {
				w.ctrl = -1
				w.kind = newKernel(m, seq(g.Qubits)).kind
			}
			checkFastPath(t, rng, m, rng.Perm(6)[:g.Qubits], 6, w.kind, w.ctrl)
		})
	}
}

func TestZeroQubitKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	phase := randomPhase(rng)
	checkFastPath(t, rng, gate.Matrix{phase}, nil, 4, kindDiag, 0)
	checkFastPath(t, rng, gate.Matrix{1}, nil, 4, kindNone, 0)
}

func TestParallelKernelsAreBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	const n = ParallelQubits + 1
	v := randomState(rng, n)
	for _, g := range gate.All() {
		params := make([]float64, len(g.Params))
		for i := range params {
			params[i] = rng.Float64() * 6
		}
		for _, fast := range []bool{true, false} {
			k := buildKernel(g.Matrix(params), rng.Perm(n)[:g.Qubits], fast)
			a, b := append([]complex128(nil), v...), append([]complex128(nil), v...)
			k.apply(&exec{workers: 1}, a, n)
			k.apply(&exec{workers: 3}, b, n)
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("%s (fast=%v): amplitude %d: 1 worker %v, 3 workers %v", g.Name, fast, i, a[i], b[i])
				}
			}
		}
	}
	// Reductions too.
	p0, p1 := (&exec{workers: 1}).qubitProbs(v, 3)
	q0, q1 := (&exec{workers: 3}).qubitProbs(v, 3)
	if p0 != q0 || p1 != q1 {
		t.Errorf("qubitProbs: 1 worker (%v, %v), 3 workers (%v, %v)", p0, p1, q0, q1)
	}
}

func TestSampleStateNeverDrawsZeroAmplitudes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n       int
		nonzero []int
	}{
		{"last index only", 13, []int{1<<13 - 1}},
		{"first index only", 13, []int{0}},
		{"block edges", 14, []int{blockSize - 1, blockSize, 3*blockSize - 1}},
		{"single qubit", 1, []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := make([]complex128, 1<<tc.n)
			for _, i := range tc.nonzero {
				v[i] = complex(1/math.Sqrt(float64(len(tc.nonzero))), 0)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			got := (&exec{workers: 2}).sampleState(v, 3000, rng)
			total := 0
			for i, c := range got {
				if v[i] == 0 {
					t.Errorf("index %d sampled %d times; its amplitude is 0", i, c)
				}
				total += c
			}
			if total != 3000 {
				t.Errorf("got %d samples, want 3000", total)
			}
		})
	}
}
