package statevec

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim/simtest"
)

func TestSplitDense1ReproducesTheGate(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	u3 := func(th, ph, la float64) gate.Matrix {
		g, _ := gate.Lookup("u3")
		return g.Matrix([]float64{th, ph, la})
	}
	for _, tc := range []struct {
		name string
		m    gate.Matrix
	}{
		{"random unitary", randomUnitary(rng, 2)},
		{"u3 with c > s", u3(0.3, 1.1, -2.0)},
		{"u3 with c < s", u3(2.9, -0.4, 0.7)},
		{"u3 with c = s", u3(math.Pi/2, 0.2, 0.5)},
		{"sx", func() gate.Matrix { g, _ := gate.Lookup("sx"); return g.Matrix(nil) }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newKernel(tc.m, []int{2})
			p, r, q := splitDense1(k)
			if r == nil {
				t.Fatalf("got no split of %v", tc.m)
			}
			d := func(k *kernel, j int) complex128 {
				if k == nil {
					return 1
				}
				return diagAt(k, j<<2)
			}
			for row := range 2 {
				for col := range 2 {
					got := d(p, row) * complex(r.scale, 0) * r.m[row*2+col] * d(q, col)
					if want := k.m[row*2+col]; cmplx.Abs(got-want) > 1e-14 {
						t.Errorf("entry (%d, %d): got %v, want %v", row, col, got, want)
					}
				}
			}
			if math.Abs(r.tau) > 1 {
				t.Errorf("got |tau| = %v, want at most 1", math.Abs(r.tau))
			}
		})
	}
}

func TestSegmentBounds(t *testing.T) {
	on := func(qss ...[]int) []*kernel {
		var fs []*kernel
		for _, qs := range qss {
			fs = append(fs, diagKernel(qs, slices.Repeat([]complex128{-1}, 1<<len(qs))))
		}
		return fs
	}
	for _, tc := range []struct {
		name string
		fs   []*kernel
		w    int
		want []int
	}{
		{"one qubit low", on([]int{1}), 17, []int{0, 3}},
		{"pairs fit in the low segment", on([]int{0, 1}, []int{8, 9}), 17, []int{0, 10}},
		{"a high pair moves the low boundary", on([]int{9, 10}, []int{16}), 17, []int{0, 9, 17}},
		{"a pair across every boundary", on([]int{0, 16}), 17, nil},
		{"narrow block", on([]int{1}), 2, []int{0, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := segmentBounds(tc.fs, tc.w); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// brickwork returns bench/circuits.py's brickwork circuit on n qubits:
// depth layers of u3 with random angles on every qubit, then cz on (0, 1),
// (2, 3), … in even layers or cx on (1, 2), (3, 4), … in odd ones.
func brickwork(t *testing.T, rng *rand.Rand, n, depth int) *circuit.Circuit {
	c := &circuit.Circuit{}
	if _, err := c.AddQReg("q", n); err != nil {
		t.Fatal(err)
	}
	for l := range depth {
		for q := range n {
			appendGate(t, c, "u3", []float64{rng.Float64() * math.Pi, rng.Float64() * 2 * math.Pi, rng.Float64() * 2 * math.Pi}, q)
		}
		name, first := "cz", 0
		if l%2 == 1 {
			name, first = "cx", 1
		}
		for q := first; q+1 < n; q += 2 {
			appendGate(t, c, name, nil, q, q+1)
		}
	}
	return c
}

// cxFolded stands, in TestScheduledBlocksMatchDirectKernels, for a cx
// folded into a kindReal2 kernel.
const cxFolded kernelKind = 255

func TestScheduledBlocksMatchDirectKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	type variant struct {
		name string
		simd bool
	}
	variants := []variant{{"pure go", false}}
	if useSIMD {
		variants = append(variants, variant{"simd", true})
	}
	for _, v := range variants {
		for _, tc := range []struct {
			name  string
			c     func() *circuit.Circuit
			n, w  int
			kinds []kernelKind // kernels the program must contain
		}{
			{"brickwork", func() *circuit.Circuit { return brickwork(t, rng, 13, 8) }, 13, 11,
				[]kernelKind{kindPhase, kindReal2, kindLanes, cxFolded}},
			{"brickwork, wider block", func() *circuit.Circuit { return brickwork(t, rng, 14, 10) }, 14, 12,
				[]kernelKind{kindPhase, kindReal2, kindLanes, cxFolded}},
			{"random gates", func() *circuit.Circuit {
				return simtest.RandomCircuit(rng, 12, 300, simtest.RandomOptions{Barrier: 0.01})
			}, 12, 10, nil},
		} {
			t.Run(v.name+", "+tc.name, func(t *testing.T) {
				old := useSIMD
				useSIMD = v.simd
				defer func() { useSIMD = old }()
				c := tc.c()
				steps, err := plan(c)
				if err != nil {
					t.Fatal(err)
				}
				want := randomState(rand.New(rand.NewPCG(9, 9)), tc.n)
				got := slices.Clone(want)
				single := make([]complex64, len(want))
				for i, a := range want {
					single[i] = complex64(a)
				}
				three := slices.Clone(want)
				directEvolve(steps, want, tc.n)
				ps := runProgram(steps, got, tc.n, tc.w, 1)
				runProgram(steps, three, tc.n, tc.w, 3)
				runProgram(steps, single, tc.n, tc.w, 2)
				seen := map[kernelKind]bool{}
				var visit func(ks []*kernel)
				visit = func(ks []*kernel) {
					for _, k := range ks {
						seen[k.kind] = true
						if k.kind == kindReal2 && k.swapOut != 0 {
							seen[cxFolded] = true
						}
					}
				}
				for _, p := range ps {
					if p.blk != nil {
						visit(p.blk.ks)
					}
				}
				for _, k := range tc.kinds {
					if !seen[k] {
						t.Errorf("got no %v kernel among %v", k, seen)
					}
				}
				for i := range want {
					if d := cmplx.Abs(got[i] - want[i]); d > 1e-12 {
						t.Fatalf("amplitude %d: got %v, want %v", i, got[i], want[i])
					}
					if got[i] != three[i] {
						t.Fatalf("amplitude %d: 1 worker %v, 3 workers %v", i, got[i], three[i])
					}
					if d := cmplx.Abs(complex128(single[i]) - want[i]); d > 1e-5 {
						t.Fatalf("single-precision amplitude %d: got %v, want %v", i, single[i], want[i])
					}
				}
			})
		}
	}
}

func TestConjugateMovesDiagonalsPastPermutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	cx, _ := gate.Lookup("cx")
	ccx, _ := gate.Lookup("ccx")
	for _, tc := range []struct {
		name string
		perm *kernel
		diag [][]int // qubits of the diagonal factors
	}{
		{"cx, phase on the target", newKernel(cx.Matrix(nil), []int{1, 3}), [][]int{{3}}},
		{"cx, phases on both", newKernel(cx.Matrix(nil), []int{3, 1}), [][]int{{1}, {3}, {0}}},
		{"ccx, pair phase", newKernel(ccx.Matrix(nil), []int{0, 2, 4}), [][]int{{2, 4}, {1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 5
			var pending []*kernel
			for _, qs := range tc.diag {
				vals := make([]complex128, 1<<len(qs))
				for i := range vals {
					vals[i] = randomPhase(rng)
				}
				pending = append(pending, diagKernel(qs, vals))
			}
			want := randomState(rng, n)
			got := slices.Clone(want)
			x := &exec{workers: 1}
			for _, f := range pending {
				f.apply(x, want, n)
			}
			tc.perm.apply(x, want, n)
			if !conjugate(&pending, tc.perm) {
				t.Fatal("got no conjugation")
			}
			tc.perm.apply(x, got, n)
			for _, f := range pending {
				f.apply(x, got, n)
			}
			for i := range want {
				if d := cmplx.Abs(got[i] - want[i]); d > 1e-14 {
					t.Fatalf("amplitude %d: got %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestBrickworkSchedulePerLayer(t *testing.T) {
	// One block of brickwork: per layer, one phase kernel and no separate
	// cz or cx sweep above the lane qubits; the sweeps are what the
	// speed rests on, so a change in them should be deliberate.
	c := brickwork(t, rand.New(rand.NewPCG(1, 1)), 17, 4)
	steps, err := plan(c)
	if err != nil {
		t.Fatal(err)
	}
	ps := program(steps, 0, len(steps), 19, 17)
	count := map[string]int{}
	for _, p := range ps {
		if p.blk == nil {
			continue
		}
		for _, k := range p.blk.ks {
			count[k.kind.String()]++
		}
	}
	if got := count["perm"]; got > 4 {
		t.Errorf("got %d permutation sweeps, want at most one per cx layer (lane qubits only): %v", got, count)
	}
	if got := count["diag"]; got > 0 {
		t.Errorf("got %d unfused diagonal sweeps, want 0: %v", got, count)
	}
	if got, want := count["phase"], 5; got > want {
		t.Errorf("got %d phase sweeps, want at most %d: %v", got, want, count)
	}
}
