// Package simtest is the conformance suite every simulation engine runs
// (and, later, every kernel variant of an engine): random circuits compared
// with the dense reference in sim/ref, known states, exact distributions of
// circuits with mid-circuit measurement, reset and conditions, χ² tests of
// sampling, reproducibility, worker-count independence, and the error
// contract of sim.Engine.
//
// An engine's test calls Run(t, engine). RandomCircuit is exported for
// engines' own tests and benchmarks.
package simtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/ref"
)

// Tolerances of the suite.
const (
	// AmpTol bounds |engine amplitude − reference amplitude|.
	AmpTol = 1e-12
	// ProbTol bounds |engine probability − reference probability|.
	ProbTol = 1e-12
)

// scale returns n, or half of it (at least 1) under the race detector.
func scale(n int) int {
	if raceEnabled {
		return max(1, n/2)
	}
	return n
}

// Run runs the conformance suite against e as subtests of t.
func Run(t *testing.T, e sim.Engine) {
	t.Run("amplitudes match the reference", func(t *testing.T) { testAmplitudes(t, e) })
	t.Run("statevector before terminal measurements", func(t *testing.T) { testStateBeforeMeasure(t, e) })
	t.Run("circuit then inverse returns to zero state", func(t *testing.T) { testInverse(t, e) })
	t.Run("known states", func(t *testing.T) { testKnownStates(t, e) })
	t.Run("counts keys follow qiskit bit order", func(t *testing.T) { testKeys(t, e) })
	t.Run("probabilities match the reference", func(t *testing.T) { testDistributions(t, e) })
	t.Run("sampling fits the distribution", func(t *testing.T) { testSampling(t, e) })
	t.Run("seeds make counts reproducible", func(t *testing.T) { testSeeds(t, e) })
	t.Run("workers do not change results", func(t *testing.T) { testWorkers(t, e) })
	t.Run("errors", func(t *testing.T) { testErrors(t, e) })
}

// run calls e.Run with a background context and fails the test on error.
func run(t *testing.T, e sim.Engine, c *circuit.Circuit, opt sim.Options) *sim.Result {
	t.Helper()
	res, err := e.Run(context.Background(), c, opt)
	if err != nil {
		t.Fatalf("Run(%v): %v", c, err)
	}
	return res
}

// randomWidth draws a width in [1, 10], favouring narrow circuits (which are
// cheap and where the interesting structure of small gates concentrates).
func randomWidth(rng *rand.Rand) int {
	if rng.IntN(3) == 0 {
		return 7 + rng.IntN(4)
	}
	return 1 + rng.IntN(6)
}

// maxAmpDiff returns max_i |a_i − b_i| (Inf on a length mismatch).
func maxAmpDiff(a, b []complex128) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var m float64
	for i := range a {
		m = max(m, cmplx.Abs(a[i]-b[i]))
	}
	return m
}

// maxProbDiff returns max over keys of |a[k] − b[k]| (missing keys are 0)
// and the key where it occurs.
func maxProbDiff(a, b map[string]float64) (float64, string) {
	var m float64
	var at string
	for k, p := range a {
		if d := math.Abs(p - b[k]); d > m {
			m, at = d, k
		}
	}
	for k, p := range b {
		if d := math.Abs(p - a[k]); d > m {
			m, at = d, k
		}
	}
	return m, at
}

func testAmplitudes(t *testing.T, e sim.Engine) {
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range scale(300) {
		nq := randomWidth(rng)
		c := RandomCircuit(rng, nq, 1+rng.IntN(40), RandomOptions{Barrier: 0.05})
		want, err := ref.State(c)
		if err != nil {
			t.Fatalf("circuit %d: ref.State: %v", i, err)
		}
		res := run(t, e, c, sim.Options{Statevector: true, Seed: uint64(i)})
		if d := maxAmpDiff(res.Statevector, want); d > AmpTol {
			t.Errorf("circuit %d (%d qubits, %d ops): max amplitude difference %.3g > %g\n%s",
				i, nq, len(c.Ops), d, AmpTol, describe(c))
		}
		var norm float64
		for _, a := range res.Statevector {
			norm += real(a)*real(a) + imag(a)*imag(a)
		}
		if math.Abs(norm-1) > AmpTol {
			t.Errorf("circuit %d: norm² = %.17g, want 1", i, norm)
		}
		if res.Engine != e.Name() || res.NumQubits != nq || res.Seed != uint64(i) {
			t.Errorf("circuit %d: result header got engine %q, %d qubits, seed %d; want %q, %d, %d",
				i, res.Engine, res.NumQubits, res.Seed, e.Name(), nq, i)
		}
	}
}

func testStateBeforeMeasure(t *testing.T, e sim.Engine) {
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range scale(30) {
		nq := randomWidth(rng)
		c := RandomCircuit(rng, nq, 1+rng.IntN(30), RandomOptions{MeasureAll: true})
		unitary := c.Clone()
		unitary.Ops = unitary.Ops[:len(c.Ops)-nq]
		want, err := ref.State(unitary)
		if err != nil {
			t.Fatal(err)
		}
		res := run(t, e, c, sim.Options{Statevector: true, Shots: 10})
		if d := maxAmpDiff(res.Statevector, want); d > AmpTol {
			t.Errorf("circuit %d: max amplitude difference %.3g > %g", i, d, AmpTol)
		}
	}
}

func testInverse(t *testing.T, e sim.Engine) {
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range scale(100) {
		nq := randomWidth(rng)
		c := RandomCircuit(rng, nq, 1+rng.IntN(30), RandomOptions{})
		inv, err := c.Inverse()
		if err != nil {
			t.Fatalf("circuit %d: Inverse: %v", i, err)
		}
		c.Ops = append(c.Ops, inv.Ops...)
		res := run(t, e, c, sim.Options{Statevector: true})
		want := make([]complex128, 1<<nq)
		want[0] = 1
		if d := maxAmpDiff(res.Statevector, want); d > 1e-11 {
			t.Errorf("circuit %d (%d qubits): ‖U†U|0⟩ − |0⟩‖∞ = %.3g, want ≤ 1e-11\n%s", i, nq, d, describe(c))
		}
	}
}

func testKnownStates(t *testing.T, e sim.Engine) {
	for n := 1; n <= 10; n++ {
		t.Run(fmt.Sprintf("GHZ %d", n), func(t *testing.T) {
			c := newCircuit(n, 0)
			add(c, "h", nil, 0)
			for q := 1; q < n; q++ {
				add(c, "cx", nil, q-1, q)
			}
			res := run(t, e, c, sim.Options{Statevector: true})
			want := make([]complex128, 1<<n)
			want[0], want[1<<n-1] = complex(1/math.Sqrt2, 0), complex(1/math.Sqrt2, 0)
			if d := maxAmpDiff(res.Statevector, want); d > AmpTol {
				t.Errorf("got %v, want (|0…0⟩+|1…1⟩)/√2", res.Statevector)
			}
		})
	}
	rng := rand.New(rand.NewPCG(4, 4))
	for n := 1; n <= 6; n++ {
		x := rng.IntN(1 << n)
		t.Run(fmt.Sprintf("QFT %d of |%d⟩", n, x), func(t *testing.T) {
			c := newCircuit(n, 0)
			for q := range n {
				if x>>q&1 == 1 {
					add(c, "x", nil, q)
				}
			}
			appendQFT(c, n)
			res := run(t, e, c, sim.Options{Statevector: true})
			// QFT|x⟩ = Σ_y e^{2πi·xy/N}|y⟩/√N with N = 2^n.
			N := 1 << n
			want := make([]complex128, N)
			for y := range N {
				want[y] = cmplx.Exp(complex(0, 2*math.Pi*float64(x*y%N)/float64(N))) / complex(math.Sqrt(float64(N)), 0)
			}
			if d := maxAmpDiff(res.Statevector, want); d > AmpTol {
				t.Errorf("max amplitude difference %.3g > %g\ngot  %v\nwant %v", d, AmpTol, res.Statevector, want)
			}
		})
	}
}

// appendQFT appends the quantum Fourier transform on qubits 0…n−1 (with the
// final qubit reversal), built from h, cx and u3(0,0,λ) = diag(1, e^{iλ})
// only, so that it does not depend on the rest of the gate table.
func appendQFT(c *circuit.Circuit, n int) {
	cp := func(lambda float64, a, b int) { // controlled phase, exact with global phase
		add(c, "u3", []float64{0, 0, lambda / 2}, a)
		add(c, "cx", nil, a, b)
		add(c, "u3", []float64{0, 0, -lambda / 2}, b)
		add(c, "cx", nil, a, b)
		add(c, "u3", []float64{0, 0, lambda / 2}, b)
	}
	for j := n - 1; j >= 0; j-- {
		add(c, "h", nil, j)
		for k := j - 1; k >= 0; k-- {
			cp(math.Pi/float64(int(1)<<(j-k)), k, j)
		}
	}
	for i := 0; i < n/2; i++ {
		a, b := i, n-1-i
		add(c, "cx", nil, a, b)
		add(c, "cx", nil, b, a)
		add(c, "cx", nil, a, b)
	}
}

func testKeys(t *testing.T, e sim.Engine) {
	// Two registers c0[2], c1[1]; q0 = 1 → c0[1], q1 = 0 → c0[0], q2 = 1 →
	// c1[0]. Qiskit writes later registers first, highest bit leftmost:
	// "1 10".
	c := newCircuit(3, 0)
	must(c.AddCReg("c0", 2))
	must(c.AddCReg("c1", 1))
	add(c, "x", nil, 0)
	add(c, "x", nil, 2)
	for _, m := range [][2]int{{0, 1}, {1, 0}, {2, 2}} {
		must0(c.Append(circuit.Op{Kind: circuit.Measure, Qubits: []int{m[0]}, Clbits: []int{m[1]}}))
	}
	res := run(t, e, c, sim.Options{Shots: 10, Probabilities: true})
	if len(res.Counts) != 1 || res.Counts["1 10"] != 10 {
		t.Errorf("counts: got %v, want map[1 10:10]", res.Counts)
	}
	if len(res.Probabilities) != 1 || math.Abs(res.Probabilities["1 10"]-1) > ProbTol {
		t.Errorf("probabilities: got %v, want map[1 10:1]", res.Probabilities)
	}
	if res.NumClbits != 3 || res.Shots != 10 {
		t.Errorf("got %d clbits, %d shots; want 3, 10", res.NumClbits, res.Shots)
	}
	// Without measurements, probabilities are over the qubits (x on q0 of 3
	// qubits is "001") and counts see clbits that stay 0.
	u := newCircuit(3, 2)
	add(u, "x", nil, 0)
	res = run(t, e, u, sim.Options{Probabilities: true, Shots: 5})
	if len(res.Probabilities) != 1 || math.Abs(res.Probabilities["001"]-1) > ProbTol {
		t.Errorf("qubit probabilities: got %v, want map[001:1]", res.Probabilities)
	}
	if len(res.Counts) != 1 || res.Counts["00"] != 5 {
		t.Errorf("counts without measurements: got %v, want map[00:5]", res.Counts)
	}
}

// midCircuit are the random-circuit options for mid-circuit measurement,
// reset and conditions.
var midCircuit = RandomOptions{Measure: 0.12, Reset: 0.06, Condition: 0.2, Barrier: 0.03}

// midCircuitMeasured adds terminal measurements to midCircuit, so that
// counts carry the qubits' outcomes.
var midCircuitMeasured = RandomOptions{Measure: 0.12, Reset: 0.06, Condition: 0.2, Barrier: 0.03, MeasureAll: true}

func testDistributions(t *testing.T, e sim.Engine) {
	rng := rand.New(rand.NewPCG(5, 5))
	cases := []struct {
		name string
		opts RandomOptions
		n    int
	}{
		{"terminal measurements", RandomOptions{MeasureAll: true}, 40},
		{"unitary circuits over qubits", RandomOptions{}, 40},
		{"resets without measurements", RandomOptions{Reset: 0.15}, 40},
		{"mid-circuit measure, reset and conditions", midCircuit, 150},
		{"mid-circuit then terminal measurements", RandomOptions{Measure: 0.1, Reset: 0.05, Condition: 0.2, MeasureAll: true}, 60},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i := range scale(tc.n) {
				nq := 1 + rng.IntN(6)
				c := RandomCircuit(rng, nq, 1+rng.IntN(25), tc.opts)
				want, err := ref.Distribution(c)
				if err != nil {
					t.Fatalf("circuit %d: ref.Distribution: %v", i, err)
				}
				res := run(t, e, c, sim.Options{Probabilities: true})
				if d, k := maxProbDiff(res.Probabilities, want); d > ProbTol {
					t.Errorf("circuit %d: probability of %q: got %.15g, want %.15g\n%s",
						i, k, res.Probabilities[k], want[k], describe(c))
				}
			}
		})
	}
}

func testSampling(t *testing.T, e sim.Engine) {
	rng := rand.New(rand.NewPCG(6, 6))
	cases := []struct {
		name string
		opts RandomOptions
		max  int // MaxBranches
		n    int
	}{
		{"terminal measurements", RandomOptions{MeasureAll: true}, 0, 10},
		{"mid-circuit, exact branches", midCircuitMeasured, 0, 10},
		{"mid-circuit, per-shot trajectories", midCircuitMeasured, 1, 10},
	}
	const shots = 4000
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i := range scale(tc.n) {
				nq := 1 + rng.IntN(5)
				c := RandomCircuit(rng, nq, 3+rng.IntN(20), tc.opts)
				want, err := ref.Distribution(c)
				if err != nil {
					t.Fatal(err)
				}
				res := run(t, e, c, sim.Options{Shots: shots, Seed: uint64(100 + i), MaxBranches: tc.max})
				if err := GoodnessOfFit(res.Counts, want, shots); err != nil {
					t.Errorf("circuit %d: %v\ncounts %v\nwant %v\n%s", i, err, res.Counts, want, describe(c))
				}
			}
		})
	}
}

func testSeeds(t *testing.T, e sim.Engine) {
	// Spread-out distributions: h on every qubit, then random gates.
	rng := rand.New(rand.NewPCG(7, 7))
	for _, tc := range []struct {
		name string
		opts RandomOptions
		max  int
	}{
		{"terminal", RandomOptions{MeasureAll: true}, 0},
		{"branches", RandomOptions{Measure: 0.1, Reset: 0.05, MeasureAll: true}, 0},
		{"trajectories", RandomOptions{Measure: 0.1, Reset: 0.05, MeasureAll: true}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const nq = 4
			c := newCircuit(nq, 0)
			for q := range nq {
				add(c, "h", nil, q)
			}
			r := RandomCircuit(rng, nq, 10, tc.opts)
			c.CRegs, c.NumClbits = r.CRegs, r.NumClbits
			c.Ops = append(c.Ops, r.Ops...)
			opt := sim.Options{Shots: 2000, Seed: 42, MaxBranches: tc.max}
			a, b := run(t, e, c, opt), run(t, e, c, opt)
			if !equalCounts(a.Counts, b.Counts) {
				t.Errorf("same seed: got %v and %v", a.Counts, b.Counts)
			}
			opt.Seed = 43
			if d := run(t, e, c, opt); equalCounts(a.Counts, d.Counts) {
				t.Errorf("seeds 42 and 43 gave the same counts %v", a.Counts)
			}
		})
	}
}

func testWorkers(t *testing.T, e sim.Engine) {
	rng := rand.New(rand.NewPCG(8, 8))
	const nq = 16
	for _, tc := range []struct {
		name string
		opts RandomOptions
		nq   int
		max  int
	}{
		{"terminal, 16 qubits", RandomOptions{MeasureAll: true}, nq, 0},
		{"branches, 16 qubits", RandomOptions{Measure: 0.02, Reset: 0.01, Condition: 0.1}, nq, 0},
		{"trajectories, 16 qubits", RandomOptions{Measure: 0.02, Reset: 0.01, Condition: 0.1}, nq, 1},
		{"trajectories, 6 qubits", midCircuit, 6, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := RandomCircuit(rng, tc.nq, scale(100), tc.opts)
			terminal, _ := c.TerminalMeasurements()
			shots := 300
			if tc.max == 1 && tc.nq > 10 {
				shots = scale(40)
			}
			opt := sim.Options{Shots: shots, Seed: 9, Statevector: terminal, Probabilities: tc.max == 0, MaxBranches: tc.max}
			opt.Workers = 1
			one := run(t, e, c, opt)
			opt.Workers = 4
			four := run(t, e, c, opt)
			for i := range one.Statevector {
				if one.Statevector[i] != four.Statevector[i] {
					t.Fatalf("amplitude %d: workers=1 gives %v, workers=4 gives %v", i, one.Statevector[i], four.Statevector[i])
				}
			}
			if len(one.Statevector) != len(four.Statevector) {
				t.Fatalf("statevector lengths %d and %d", len(one.Statevector), len(four.Statevector))
			}
			if !equalCounts(one.Counts, four.Counts) {
				t.Errorf("counts: workers=1 gives %v, workers=4 gives %v", one.Counts, four.Counts)
			}
			for k, p := range one.Probabilities {
				if four.Probabilities[k] != p {
					t.Errorf("probability of %q: workers=1 gives %v, workers=4 gives %v", k, p, four.Probabilities[k])
				}
			}
		})
	}
}

func testErrors(t *testing.T, e sim.Engine) {
	ctx := context.Background()
	wide := newCircuit(40, 0)
	for q := range 40 {
		add(wide, "h", nil, q)
	}
	opaque := newCircuit(2, 0)
	opaque.Opaques = []circuit.Opaque{{Name: "magic", Qubits: 2}}
	must0(opaque.Append(circuit.Op{Kind: circuit.GateOp, Name: "magic", Qubits: []int{0, 1}, Line: 7}))
	unbound := newCircuit(1, 0)
	u3, _ := gate.Lookup("u3")
	must0(unbound.Append(circuit.Op{Kind: circuit.GateOp, Gate: u3, Name: "u3", Qubits: []int{0},
		Params: []circuit.Param{circuit.Symbol("theta"), circuit.Const(0), circuit.Const(0)}}))
	mid := newCircuit(3, 3)
	for q := range 3 {
		add(mid, "h", nil, q)
		must0(mid.Append(circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{q}}))
		add(mid, "h", nil, q)
	}
	small := newCircuit(17, 0)
	add(small, "h", nil, 0)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		c    *circuit.Circuit
		opt  sim.Options
		want error
		text string // a substring of the message
	}{
		{"refuses 40 qubits before allocating", ctx, wide, sim.Options{Shots: 1}, sim.ErrTooLarge, "40 qubits"},
		{"refuses a state over the memory limit", ctx, small, sim.Options{MemoryLimit: 1 << 20}, sim.ErrTooLarge, "17 qubits"},
		{"opaque gate is unsupported", ctx, opaque, sim.Options{Shots: 1}, sim.ErrUnsupported, "opaque gate magic at line 7"},
		{"unbound parameter is unsupported", ctx, unbound, sim.Options{Shots: 1}, sim.ErrUnsupported, "theta"},
		{"probabilities over too many branches", ctx, mid, sim.Options{Probabilities: true, MaxBranches: 4}, sim.ErrTooManyBranches, "4"},
		{"statevector after mid-circuit measurement", ctx, mid, sim.Options{Statevector: true}, sim.ErrUnsupported, ""},
		{"cancelled context", cancelled, mid, sim.Options{Shots: 10}, context.Canceled, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.Run(tc.ctx, tc.c, tc.opt)
			if err == nil {
				t.Fatalf("got result %+v, want an error", res)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got error %q, want one wrapping %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("got error %q, want it to mention %q", err, tc.text)
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

// newCircuit returns a circuit with register q[nq] and, if nc > 0, c[nc].
func newCircuit(nq, nc int) *circuit.Circuit {
	c := &circuit.Circuit{}
	must(c.AddQReg("q", nq))
	if nc > 0 {
		must(c.AddCReg("c", nc))
	}
	return c
}

// add appends table gate name with constant params on qubits; it panics if
// the gate is missing (a programming error in the suite).
func add(c *circuit.Circuit, name string, params []float64, qubits ...int) {
	g, ok := gate.Lookup(name)
	if !ok {
		panic("simtest: no gate " + name)
	}
	op := circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: qubits}
	for _, p := range params {
		op.Params = append(op.Params, circuit.Const(p))
	}
	must0(c.Append(op))
}

// describe lists a circuit's ops, one per line, for failure messages.
func describe(c *circuit.Circuit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "circuit (%v):\n", c)
	for _, op := range c.Ops {
		b.WriteString("  ")
		if op.Cond != nil {
			fmt.Fprintf(&b, "if(%s==%v) ", c.CRegs[op.Cond.CReg].Name, op.Cond.Value)
		}
		switch op.Kind {
		case circuit.GateOp:
			fmt.Fprintf(&b, "%s", op.Name)
			if len(op.Params) > 0 {
				b.WriteString("(")
				for i, p := range op.Params {
					if i > 0 {
						b.WriteString(",")
					}
					b.WriteString(p.String())
				}
				b.WriteString(")")
			}
			fmt.Fprintf(&b, " %v\n", op.Qubits)
		case circuit.Measure:
			fmt.Fprintf(&b, "measure q[%d] -> clbit %d\n", op.Qubits[0], op.Clbits[0])
		default:
			fmt.Fprintf(&b, "%s %v\n", op.Kind, op.Qubits)
		}
	}
	return b.String()
}
