package stabilizer_test

import (
	"context"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/ref"
	"github.com/qluster/qluster/sim/simtest"
	"github.com/qluster/qluster/sim/stabilizer"
	"github.com/qluster/qluster/sim/statevec"
)

const probTol = 1e-12

// scale returns n, or a fifth of it (at least 1) in -short mode or under
// the race detector.
func scale(n int) int {
	if testing.Short() || raceEnabled {
		return max(1, n/5)
	}
	return n
}

func run(t testing.TB, c *circuit.Circuit, opt sim.Options) *sim.Result {
	t.Helper()
	res, err := stabilizer.New().Run(context.Background(), c, opt)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, describe(c))
	}
	return res
}

// exact returns the reference distribution: sim/ref up to its width, the
// state-vector engine beyond.
func exact(t *testing.T, c *circuit.Circuit) map[string]float64 {
	t.Helper()
	if c.NumQubits <= ref.MaxQubits {
		d, err := ref.Distribution(c)
		if err != nil {
			t.Fatalf("ref.Distribution: %v", err)
		}
		return d
	}
	res, err := statevec.New().Run(context.Background(), c, sim.Options{Probabilities: true, MaxBranches: 1 << 16})
	if err != nil {
		t.Fatalf("statevec: %v", err)
	}
	return res.Probabilities
}

// maxDiff returns the largest |a[k] − b[k]| over both key sets, treating
// reference outcomes below 1e-15 (rounding residue) as absent.
func maxDiff(got, want map[string]float64) (float64, string) {
	m, at := 0.0, ""
	for k, p := range want {
		if d := math.Abs(p - got[k]); d > m {
			m, at = d, k
		}
	}
	for k, p := range got {
		if _, ok := want[k]; !ok && p > m {
			m, at = p, k
		}
	}
	return m, at
}

func TestProbabilitiesMatchReference(t *testing.T) {
	for _, tc := range []struct {
		name       string
		seed       uint64
		opts       cliffordOptions
		maxQubits  int
		maxOps     int
		iterations int
	}{
		{"unitary circuits", 1, cliffordOptions{Barrier: 0.05}, 12, 40, 200},
		{"terminal measurements", 2, cliffordOptions{MeasureAll: true}, 12, 40, 200},
		{"terminal measurements of random qubits into random clbits", 6, cliffordOptions{MeasureRandom: true}, 12, 40, 200},
		{"mid-circuit measurement, reset and conditions", 3,
			cliffordOptions{Measure: 0.1, Reset: 0.05, Condition: 0.15, Barrier: 0.02, MeasureAll: true}, 12, 40, 200},
		{"mid-circuit measurement without terminal measure", 4, cliffordOptions{Measure: 0.1, Condition: 0.1}, 12, 40, 200},
		{"resets only", 5, cliffordOptions{Reset: 0.1}, 12, 40, 200},
		{"long circuits with measurements", 14,
			cliffordOptions{Measure: 0.05, Reset: 0.02, Condition: 0.05, MeasureAll: true}, 7, 150, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tc.seed, 7))
			for i := range scale(tc.iterations) {
				nq := 1 + rng.IntN(tc.maxQubits)
				c := randomClifford(t, rng, nq, 1+rng.IntN(tc.maxOps), tc.opts)
				want := exact(t, c)
				got := run(t, c, sim.Options{Probabilities: true, Seed: uint64(i)}).Probabilities
				if d, k := maxDiff(got, want); d > probTol {
					t.Fatalf("circuit %d (%d qubits): P(%q) got %.15g, want %.15g\n%s", i, nq, k, got[k], want[k], describe(c))
				}
			}
		})
	}
}

func TestSamplingFitsDistribution(t *testing.T) {
	for _, tc := range []struct {
		name string
		seed uint64
		opts cliffordOptions
	}{
		{"terminal measurements", 11, cliffordOptions{MeasureAll: true}},
		{"terminal measurements of random qubits into random clbits", 13, cliffordOptions{MeasureRandom: true}},
		{"mid-circuit measurement, reset and conditions", 12,
			cliffordOptions{Measure: 0.1, Reset: 0.05, Condition: 0.15, MeasureAll: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tc.seed, 7))
			for i := range scale(25) {
				nq := 1 + rng.IntN(8)
				c := randomClifford(t, rng, nq, 1+rng.IntN(30), tc.opts)
				want := exact(t, c)
				const shots = 4000
				res := run(t, c, sim.Options{Shots: shots, Seed: uint64(1000 + i)})
				if err := simtest.GoodnessOfFit(res.Counts, want, shots); err != nil {
					t.Errorf("circuit %d (%d qubits): %v\ncounts %v\nwant %v\n%s", i, nq, err, res.Counts, want, describe(c))
				}
			}
		})
	}
}

func TestKnownStates(t *testing.T) {
	t.Run("GHZ on 1000 qubits gives only all zeros and all ones", func(t *testing.T) {
		const n = 1000
		c := newCircuit(t, n, n)
		add(t, c, "h", nil, 0)
		for q := 1; q < n; q++ {
			add(t, c, "cx", nil, q-1, q)
		}
		for q := range n {
			measure(t, c, q, q)
		}
		res := run(t, c, sim.Options{Shots: 2000, Seed: 5, Probabilities: true})
		zeros, ones := strings.Repeat("0", n), strings.Repeat("1", n)
		if len(res.Counts) != 2 || res.Counts[zeros]+res.Counts[ones] != 2000 {
			t.Fatalf("got %d distinct outcomes, want only all-0 and all-1", len(res.Counts))
		}
		if z := res.Counts[zeros]; z < 850 || z > 1150 {
			t.Errorf("all-zero count %d of 2000, want about 1000", z)
		}
		if len(res.Probabilities) != 2 || res.Probabilities[zeros] != 0.5 || res.Probabilities[ones] != 0.5 {
			t.Errorf("probabilities got %d outcomes, want all-0 and all-1 at 0.5", len(res.Probabilities))
		}
	})
	bell := newCircuit(t, 2, 2)
	add(t, bell, "h", nil, 0)
	add(t, bell, "cx", nil, 0, 1)
	measure(t, bell, 0, 0)
	measure(t, bell, 1, 1)

	oneMinus := newCircuit(t, 3, 3) // X on q0, |−⟩ then H on q1: deterministic 011
	add(t, oneMinus, "x", nil, 0)
	add(t, oneMinus, "x", nil, 1)
	add(t, oneMinus, "h", nil, 1)
	add(t, oneMinus, "z", nil, 1)
	add(t, oneMinus, "s", nil, 1)
	add(t, oneMinus, "s", nil, 1)
	add(t, oneMinus, "h", nil, 1)
	for q := range 3 {
		measure(t, oneMinus, q, q)
	}

	// Measuring q0 of a Bell pair, then q1 twice: the second and third
	// outcomes are determined by the first.
	repeated := newCircuit(t, 2, 3)
	add(t, repeated, "h", nil, 0)
	add(t, repeated, "cx", nil, 0, 1)
	measure(t, repeated, 0, 0)
	add(t, repeated, "y", nil, 0)
	measure(t, repeated, 1, 1)
	measure(t, repeated, 1, 2)

	// Reset of a Bell qubit leaves the partner mixed; conditioned X
	// (teleportation-style correction) makes q1 |0⟩ again.
	corrected := newCircuit(t, 2, 2)
	add(t, corrected, "h", nil, 0)
	add(t, corrected, "cx", nil, 0, 1)
	measure(t, corrected, 0, 0)
	check(t, corrected.Append(circuit.Op{Kind: circuit.GateOp, Gate: lookup(t, "x"), Name: "x", Qubits: []int{1},
		Cond: &circuit.Condition{CReg: 0, Value: big.NewInt(1)}}))
	check(t, corrected.Append(circuit.Op{Kind: circuit.Reset, Qubits: []int{0}}))
	measure(t, corrected, 0, 0)
	measure(t, corrected, 1, 1)

	// Clifford angles of parameterised gates: rz(π/2)=S, u3(π/2,0,π)=H,
	// cu1(π)=CZ: this prepares |+⟩|1⟩ → measured "10" or "11" with q1=1.
	angles := newCircuit(t, 2, 2)
	add(t, angles, "u3", []float64{math.Pi / 2, 0, math.Pi}, 0)
	add(t, angles, "rz", []float64{math.Pi / 2}, 0)
	add(t, angles, "rz", []float64{-math.Pi / 2}, 0)
	add(t, angles, "x", nil, 1)
	add(t, angles, "cu1", []float64{math.Pi}, 0, 1)
	add(t, angles, "h", nil, 0) // |−⟩ → |1⟩ after CZ kicked a phase
	measure(t, angles, 0, 0)
	measure(t, angles, 1, 1)

	noMeasure := newCircuit(t, 3, 0)
	add(t, noMeasure, "h", nil, 2)
	add(t, noMeasure, "cx", nil, 2, 0)

	for _, tc := range []struct {
		name string
		c    *circuit.Circuit
		want map[string]float64
	}{
		{"Bell pair", bell, map[string]float64{"00": 0.5, "11": 0.5}},
		{"deterministic outcome after phases", oneMinus, map[string]float64{"011": 1}},
		{"repeated measurement is deterministic", repeated, map[string]float64{"000": 0.5, "111": 0.5}},
		{"conditioned correction and reset", corrected, map[string]float64{"00": 1}},
		{"parameterised gates at Clifford angles", angles, map[string]float64{"11": 1}},
		{"no measurement: keys over qubits", noMeasure, map[string]float64{"000": 0.5, "101": 0.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, tc.c, sim.Options{Probabilities: true, Shots: 1000, Seed: 3})
			if d, k := maxDiff(res.Probabilities, tc.want); d > probTol {
				t.Errorf("P(%q) got %v, want %v (all: got %v, want %v)", k, res.Probabilities[k], tc.want[k], res.Probabilities, tc.want)
			}
			if tc.c.HasMeasure() {
				if err := simtest.GoodnessOfFit(res.Counts, tc.want, 1000); err != nil {
					t.Errorf("counts %v: %v", res.Counts, err)
				}
			} else if want := map[string]int{"": 1000}; !equalCounts(res.Counts, want) {
				t.Errorf("counts without measurement got %v, want %v", res.Counts, want)
			}
			if res.Engine != "stabilizer" || res.Shots != 1000 || res.NumQubits != tc.c.NumQubits {
				t.Errorf("result header: engine %q, shots %d, %d qubits", res.Engine, res.Shots, res.NumQubits)
			}
		})
	}
}

func lookup(t testing.TB, name string) *gate.Gate {
	t.Helper()
	g, ok := gate.Lookup(name)
	if !ok {
		t.Fatalf("no gate %s", name)
	}
	return g
}

func TestSeedsAndWorkers(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 21))
	for _, tc := range []struct {
		name string
		c    *circuit.Circuit
	}{
		{"terminal", randomClifford(t, rng, 10, 60, cliffordOptions{MeasureAll: true})},
		{"mid-circuit", randomClifford(t, rng, 10, 60, cliffordOptions{Measure: 0.1, Reset: 0.05, Condition: 0.1, MeasureAll: true})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := sim.Options{Shots: 3000, Seed: 42, Workers: 1}
			a := run(t, tc.c, opt)
			opt.Workers = 3
			b := run(t, tc.c, opt)
			if !equalCounts(a.Counts, b.Counts) {
				t.Errorf("same seed, workers 1 and 3: counts differ:\n%v\n%v", a.Counts, b.Counts)
			}
			opt.Seed = 43
			c := run(t, tc.c, opt)
			if len(a.Counts) > 1 && equalCounts(a.Counts, c.Counts) {
				t.Errorf("seeds 42 and 43 give identical counts %v", a.Counts)
			}
		})
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestKeysFollowQiskitOrder(t *testing.T) {
	c := &circuit.Circuit{}
	check(t, errOf(c.AddQReg("q", 3)))
	check(t, errOf(c.AddCReg("a", 2)))
	check(t, errOf(c.AddCReg("b", 1)))
	add(t, c, "x", nil, 0)
	add(t, c, "x", nil, 2)
	measure(t, c, 0, 0) // a[0] = 1
	measure(t, c, 1, 1) // a[1] = 0
	measure(t, c, 2, 2) // b[0] = 1
	res := run(t, c, sim.Options{Shots: 10, Probabilities: true})
	if want := map[string]int{"1 01": 10}; !equalCounts(res.Counts, want) {
		t.Errorf("counts got %v, want %v", res.Counts, want)
	}
	if res.Probabilities["1 01"] != 1 {
		t.Errorf("probabilities got %v, want {1 01: 1}", res.Probabilities)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	tGate := newCircuit(t, 2, 0)
	add(t, tGate, "h", nil, 0)
	check(t, tGate.Append(circuit.Op{Kind: circuit.GateOp, Gate: lookup(t, "t"), Name: "t", Qubits: []int{1}, Line: 4}))
	rz := newCircuit(t, 1, 0)
	add(t, rz, "rz", []float64{0.3}, 0)
	ccx := newCircuit(t, 3, 0)
	add(t, ccx, "ccx", nil, 0, 1, 2)
	opaque := newCircuit(t, 2, 0)
	opaque.Opaques = []circuit.Opaque{{Name: "magic", Qubits: 2}}
	check(t, opaque.Append(circuit.Op{Kind: circuit.GateOp, Name: "magic", Qubits: []int{0, 1}, Line: 7}))
	unbound := newCircuit(t, 1, 0)
	check(t, unbound.Append(circuit.Op{Kind: circuit.GateOp, Gate: lookup(t, "u3"), Name: "u3", Qubits: []int{0},
		Params: []circuit.Param{circuit.Symbol("theta"), circuit.Const(0), circuit.Const(0)}}))
	mid := newCircuit(t, 3, 3)
	for q := range 3 {
		add(t, mid, "h", nil, q)
		measure(t, mid, q, q)
		add(t, mid, "h", nil, q)
	}
	wide := newCircuit(t, 30, 30)
	for q := range 30 {
		add(t, wide, "h", nil, q)
		measure(t, wide, q, q)
	}
	huge := newCircuit(t, 100000, 0)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		c    *circuit.Circuit
		opt  sim.Options
		want error
		text string
	}{
		{"non-Clifford gate names gate and line", ctx, tGate, sim.Options{Shots: 1}, sim.ErrUnsupported, "gate t at line 4 is not a Clifford"},
		{"rotation at a non-Clifford angle", ctx, rz, sim.Options{Shots: 1}, sim.ErrUnsupported, "rz(0.3)"},
		{"ccx is not Clifford", ctx, ccx, sim.Options{Shots: 1}, sim.ErrUnsupported, "ccx"},
		{"opaque gate", ctx, opaque, sim.Options{Shots: 1}, sim.ErrUnsupported, "opaque gate magic at line 7"},
		{"unbound parameter", ctx, unbound, sim.Options{Shots: 1}, sim.ErrUnsupported, "theta"},
		{"statevector is not produced", ctx, mid, sim.Options{Statevector: true}, sim.ErrUnsupported, "amplitudes"},
		{"probabilities over too many branches", ctx, mid, sim.Options{Probabilities: true, MaxBranches: 4}, sim.ErrTooManyBranches, "4"},
		{"probabilities over too large a support", ctx, wide, sim.Options{Probabilities: true}, sim.ErrTooManyBranches, "2^30"},
		{"tableau over the memory limit", ctx, huge, sim.Options{Shots: 1, MemoryLimit: 1 << 30}, sim.ErrTooLarge, "100000 qubits"},
		{"cancelled context", cancelled, mid, sim.Options{Shots: 10}, context.Canceled, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := stabilizer.New().Run(tc.ctx, tc.c, tc.opt)
			if err == nil {
				t.Fatalf("got result %+v, want an error", res)
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("got error %q, want one wrapping %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("got error %q, want it to mention %q", err, tc.text)
			}
		})
	}
}

func TestSupports(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	clifford := randomClifford(t, rng, 5, 50, cliffordOptions{Measure: 0.1, Reset: 0.1, Condition: 0.1, Barrier: 0.1})
	tGate := newCircuit(t, 1, 0)
	add(t, tGate, "t", nil, 0)
	for _, tc := range []struct {
		name string
		c    *circuit.Circuit
		ok   bool
	}{
		{"random Clifford circuit with measure, reset, barrier, conditions", clifford, true},
		{"t gate", tGate, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := stabilizer.Supports(tc.c)
			if got := err == nil; got != tc.ok {
				t.Errorf("Supports got %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, sim.ErrUnsupported) {
				t.Errorf("got %v, want an error wrapping sim.ErrUnsupported", err)
			}
		})
	}
}
