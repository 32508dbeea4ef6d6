package statevec_test

import (
	"context"
	"errors"
	"math"
	"math/big"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/simtest"
	"github.com/qluster/qluster/sim/statevec"
)

// TestConformance runs the conformance suite, in both precisions, on every
// kernel variant of this build: SIMD kernels (when built with
// GOEXPERIMENT=simd on amd64 and not -tags purego) and pure Go, each with
// the default cache blocks (used from 17 qubits on) and with 6-qubit blocks
// (used from 8 qubits on, so the suite's random circuits go through them).
func TestConformance(t *testing.T) {
	for _, v := range []struct {
		name  string
		simd  bool
		width int
	}{
		{"simd", true, 0}, {"pure go", false, 0}, {"simd, small blocks", true, 6}, {"pure go, small blocks", false, 6},
	} {
		if v.simd && !statevec.SIMDBuilt {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			defer statevec.SetKernels(v.simd, v.width)()
			simtest.Run(t, statevec.New())
			simtest.RunSingle(t, statevec.New())
		})
	}
}

func newCircuit(t *testing.T, nq, nc int) *circuit.Circuit {
	t.Helper()
	c := &circuit.Circuit{}
	if nq > 0 {
		if _, err := c.AddQReg("q", nq); err != nil {
			t.Fatal(err)
		}
	}
	if nc > 0 {
		if _, err := c.AddCReg("c", nc); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func add(t *testing.T, c *circuit.Circuit, op circuit.Op) {
	t.Helper()
	if op.Kind == circuit.GateOp {
		g, ok := gate.Lookup(op.Name)
		if !ok {
			t.Fatalf("no gate %s", op.Name)
		}
		op.Gate = g
	}
	if err := c.Append(op); err != nil {
		t.Fatal(err)
	}
}

func TestProgressIsThrottled(t *testing.T) {
	c := newCircuit(t, 16, 0)
	for i := range 1500 {
		add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "h", Qubits: []int{i % 16}})
	}
	var (
		mu    sync.Mutex
		calls []time.Time
		last  sim.Progress
	)
	start := time.Now()
	_, err := statevec.New().Run(context.Background(), c, sim.Options{Progress: func(p sim.Progress) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, time.Now())
		if p.OpsDone < last.OpsDone || p.OpsDone > p.OpsTotal || p.OpsTotal != 1500 {
			t.Errorf("progress %+v after %+v", p, last)
		}
		last = p
	}})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	prev := start
	for i, at := range calls {
		if gap := at.Sub(prev); gap < 95*time.Millisecond {
			t.Errorf("call %d came %v after the previous one, want ≥ 100ms", i, gap)
		}
		prev = at
	}
	if elapsed > 300*time.Millisecond && len(calls) == 0 {
		t.Errorf("a %v run made no progress call", elapsed)
	}
	t.Logf("%d progress calls in %v", len(calls), elapsed)
}

func TestRunEdgeCases(t *testing.T) {
	ctx := context.Background()
	t.Run("circuit without qubits", func(t *testing.T) {
		c := newCircuit(t, 0, 2)
		res, err := statevec.New().Run(ctx, c, sim.Options{Shots: 3, Probabilities: true, Statevector: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Counts["00"] != 3 || len(res.Statevector) != 1 || res.Statevector[0] != 1 {
			t.Errorf("got counts %v, state %v; want map[00:3], [1]", res.Counts, res.Statevector)
		}
	})
	t.Run("conditions compare whole registers", func(t *testing.T) {
		// c is 2 bits; h, measure into c[0], then x on q1 if c == 1 and x
		// on q1 if c == 5 (wider than the register: never true), then
		// measure q1 into c[1]: outcomes "00" and "11".
		c := newCircuit(t, 2, 2)
		add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "h", Qubits: []int{0}})
		add(t, c, circuit.Op{Kind: circuit.Measure, Qubits: []int{0}, Clbits: []int{0}})
		add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "x", Qubits: []int{1}, Cond: &circuit.Condition{Value: big.NewInt(1)}})
		add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "x", Qubits: []int{1}, Cond: &circuit.Condition{Value: big.NewInt(5)}})
		add(t, c, circuit.Op{Kind: circuit.Measure, Qubits: []int{1}, Clbits: []int{1}})
		for _, maxBranches := range []int{0, 1} {
			res, err := statevec.New().Run(ctx, c, sim.Options{Shots: 1000, Probabilities: maxBranches == 0, MaxBranches: maxBranches})
			if err != nil {
				t.Fatal(err)
			}
			if res.Counts["00"]+res.Counts["11"] != 1000 || res.Counts["00"] < 400 || res.Counts["11"] < 400 {
				t.Errorf("MaxBranches %d: got counts %v, want about 500 each of 00 and 11", maxBranches, res.Counts)
			}
			if maxBranches == 0 && (math.Abs(res.Probabilities["00"]-0.5) > 1e-12 || len(res.Probabilities) != 2) {
				t.Errorf("got probabilities %v, want map[00:0.5 11:0.5]", res.Probabilities)
			}
		}
	})
	t.Run("negative shots", func(t *testing.T) {
		if _, err := statevec.New().Run(ctx, newCircuit(t, 1, 0), sim.Options{Shots: -1}); err == nil {
			t.Error("got no error for -1 shots")
		}
	})
	t.Run("branches bounded by memory", func(t *testing.T) {
		// Ten qubits (16 KiB per state) and a 40 KiB limit: at most two
		// live branches, while three mid-circuit measurements of |+⟩ need
		// eight.
		c := newCircuit(t, 10, 3)
		for q := range 3 {
			add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "h", Qubits: []int{q}})
			add(t, c, circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{q}})
			add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "h", Qubits: []int{q}})
		}
		opt := sim.Options{Probabilities: true, MemoryLimit: 40 << 10}
		_, err := statevec.New().Run(ctx, c, opt)
		if !errors.Is(err, sim.ErrTooManyBranches) || !strings.Contains(err.Error(), "bound of 2") {
			t.Errorf("got %v, want ErrTooManyBranches naming a bound of 2", err)
		}
		// Counts only: per-shot trajectories, one state beside the prefix.
		opt = sim.Options{Shots: 800, MemoryLimit: 40 << 10, Seed: 1}
		res, err := statevec.New().Run(ctx, c, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Counts) != 8 {
			t.Errorf("got counts %v, want all 8 outcomes", res.Counts)
		}
	})
}

func qftCircuit(t *testing.T, n int) *circuit.Circuit {
	t.Helper()
	c := newCircuit(t, n, n)
	for j := n - 1; j >= 0; j-- {
		add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "h", Qubits: []int{j}})
		for k := j - 1; k >= 0; k-- {
			add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "cp", Qubits: []int{k, j},
				Params: []circuit.Param{circuit.Const(math.Pi / float64(int(1)<<(j-k)))}})
		}
	}
	for i := range n / 2 {
		add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "swap", Qubits: []int{i, n - 1 - i}})
	}
	return c
}

func TestSinglePrecisionMemoryCheck(t *testing.T) {
	// A 31-qubit QFT in single precision needs 2^31 × 8 B = 16 GiB: it must
	// pass a 20 GiB limit (this machine has 24 GiB), where double precision
	// (32 GiB) must not. The context is cancelled, so nothing is allocated:
	// an accepted run stops with the context's error.
	c := qftCircuit(t, 31)
	const limit = 20 << 30
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		opt  sim.Options
		want error
	}{
		{"single precision is accepted", sim.Options{Precision: sim.PrecisionSingle, Shots: 10}, context.Canceled},
		{"single precision with probabilities is accepted", sim.Options{Precision: sim.PrecisionSingle, Probabilities: true}, context.Canceled},
		{"double precision is too large", sim.Options{Shots: 10}, sim.ErrTooLarge},
		{"single precision statevector (returned as complex128) is too large",
			sim.Options{Precision: sim.PrecisionSingle, Statevector: true}, sim.ErrTooLarge},
		{"unknown precision is unsupported", sim.Options{Precision: "half"}, sim.ErrUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.MemoryLimit = limit
			_, err := statevec.New().Run(ctx, c, tc.opt)
			if !errors.Is(err, tc.want) {
				t.Errorf("got error %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSinglePrecisionAgreesWithDouble(t *testing.T) {
	// 18 qubits: the default cache blocks and fused diagonals are used.
	c := qftCircuit(t, 18)
	rng := rand.New(rand.NewPCG(5, 5))
	for q := range 18 { // a non-uniform input, so that the QFT has structure
		add(t, c, circuit.Op{Kind: circuit.GateOp, Name: "u3", Qubits: []int{q},
			Params: []circuit.Param{circuit.Const(rng.Float64() * 3), circuit.Const(rng.Float64()), circuit.Const(rng.Float64())}})
	}
	run := func(p string) []complex128 {
		res, err := statevec.New().Run(context.Background(), c, sim.Options{Statevector: true, Precision: p})
		if err != nil {
			t.Fatal(err)
		}
		return res.Statevector
	}
	d, s := run(sim.PrecisionDouble), run(sim.PrecisionSingle)
	var maxDiff float64
	for i := range d {
		maxDiff = max(maxDiff, cmplx.Abs(d[i]-s[i]))
	}
	if maxDiff > simtest.SingleTol || maxDiff == 0 {
		t.Errorf("max |single − double| = %.3g, want in (0, %g]", maxDiff, simtest.SingleTol)
	}
}
