package statevec

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim/simtest"
)

// directEvolve applies the gates of steps one by one with the plain
// kernels: the slow path cache blocking is checked against.
func directEvolve(steps []step, v []complex128, n int) {
	for _, s := range steps {
		if s.kind == circuit.GateOp {
			s.k.apply(&exec{workers: 1}, v, n)
		}
	}
}

// runProgram applies program(steps, …, n, w) to v.
func runProgram[T amp](steps []step, v []T, n, w, workers int) []pass {
	ps := program(steps, 0, len(steps), n, w)
	for i := range ps {
		applyPass(&ps[i], &exec{workers: workers}, v, n)
	}
	return ps
}

func TestCacheBlocksMatchDirectKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 21))
	for _, tc := range []struct{ n, w, ops int }{
		{8, 6, 60}, {10, 6, 200}, {10, 7, 200}, {12, 8, 300}, {12, 10, 300}, {9, 5, 100},
	} {
		t.Run(fmt.Sprintf("n=%d,w=%d", tc.n, tc.w), func(t *testing.T) {
			for trial := range 5 {
				c := simtest.RandomCircuit(rng, tc.n, tc.ops, simtest.RandomOptions{Barrier: 0.02})
				steps, err := plan(c)
				if err != nil {
					t.Fatal(err)
				}
				want := newState[complex128](tc.n)
				directEvolve(steps, want, tc.n)
				got := newState[complex128](tc.n)
				ps := runProgram(steps, got, tc.n, tc.w, 1)
				blocked := 0
				for _, p := range ps {
					if p.blk != nil {
						blocked++
					}
				}
				if blocked == 0 {
					t.Errorf("trial %d: no cache-blocked pass among %d", trial, len(ps))
				}
				for i := range want {
					if d := cmplx.Abs(got[i] - want[i]); d > 1e-12 {
						t.Fatalf("trial %d: amplitude %d: got %v, want %v", trial, i, got[i], want[i])
					}
				}
				three := newState[complex128](tc.n)
				runProgram(steps, three, tc.n, tc.w, 3)
				for i := range got {
					if got[i] != three[i] {
						t.Fatalf("trial %d: amplitude %d: 1 worker %v, 3 workers %v", trial, i, got[i], three[i])
					}
				}
				single := newState[complex64](tc.n)
				runProgram(steps, single, tc.n, tc.w, 2)
				for i := range want {
					if d := cmplx.Abs(complex128(single[i]) - want[i]); d > 1e-5 {
						t.Fatalf("trial %d: single-precision amplitude %d: got %v, want %v", trial, i, single[i], want[i])
					}
				}
			}
		})
	}
}

func TestFusedDiagonalsMatchDirectKernels(t *testing.T) {
	// A QFT is mostly ladders of controlled phases: inside cache blocks
	// they must become phase tables, with the same result.
	const n, w = 12, 8
	c := &circuit.Circuit{}
	if _, err := c.AddQReg("q", n); err != nil {
		t.Fatal(err)
	}
	for j := n - 1; j >= 0; j-- {
		appendGate(t, c, "h", nil, j)
		for k := j - 1; k >= 0; k-- {
			appendGate(t, c, "cp", []float64{math.Pi / float64(int(1)<<(j-k))}, k, j)
		}
	}
	steps, err := plan(c)
	if err != nil {
		t.Fatal(err)
	}
	want := randomState(rand.New(rand.NewPCG(3, 3)), n)
	got := append([]complex128(nil), want...)
	directEvolve(steps, want, n)
	ps := runProgram(steps, got, n, w, 2)
	tables := 0
	for _, p := range ps {
		if p.blk == nil {
			continue
		}
		for _, k := range p.blk.ks {
			if k.kind == kindDiagTable || k.kind == kindPhase {
				tables++
			}
		}
	}
	if tables == 0 {
		t.Errorf("no fused diagonal among %d passes", len(ps))
	}
	for i := range want {
		if d := cmplx.Abs(got[i] - want[i]); d > 1e-12 {
			t.Fatalf("amplitude %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

func appendGate(t *testing.T, c *circuit.Circuit, name string, params []float64, qs ...int) {
	t.Helper()
	g, ok := gate.Lookup(name)
	if !ok {
		t.Fatalf("no gate %s", name)
	}
	op := circuit.Op{Kind: circuit.GateOp, Gate: g, Name: name, Qubits: qs}
	for _, p := range params {
		op.Params = append(op.Params, circuit.Const(p))
	}
	if err := c.Append(op); err != nil {
		t.Fatal(err)
	}
}
