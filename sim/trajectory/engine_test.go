package trajectory

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/densitymat"
	"github.com/qluster/qluster/sim/noise"
	"github.com/qluster/qluster/sim/ref"
	"github.com/qluster/qluster/sim/simtest"
)

// strongNoise returns the line20 preset with its figures made much worse
// (long gates, short T1, large gate and readout errors), so that noise
// moves the distributions far enough for statistical tests to see it. Even
// qubits have T2 < T1 (relaxation sampled as identity, Z or reset), odd ones
// T2 > T1 (sampled by its Kraus operators).
func strongNoise(t *testing.T, idle bool) *noise.Model {
	t.Helper()
	d, err := device.Preset("line20")
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Qubits {
		q := &d.Qubits[i]
		q.T1, q.T2, q.T2Star = 12+float64(i), 9+float64(i)/2, 5
		if i%2 == 1 { // T2 > T1: relaxation sampled by its Kraus operators
			q.T2 = 1.6 * q.T1
		}
		q.Gate1QDuration, q.Gate1QError = 300, 0.03
		q.ReadoutP10, q.ReadoutP01 = 0.04, 0.09
		q.ReadoutDuration = 800
	}
	for i := range d.Edges {
		d.Edges[i].Duration, d.Edges[i].Error = 700, 0.08
	}
	m, err := noise.FromDevice(d, noise.ModelOptions{IdleNoise: idle})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// lineCircuit draws a random circuit of single-qubit gates, with cz and cx
// on neighbouring qubits (a line's coupling map) inserted among them.
func lineCircuit(rng *rand.Rand, nq, nops int, opts simtest.RandomOptions) *circuit.Circuit {
	opts.Gates = func(g *gate.Gate) bool { return g.Qubits == 1 }
	c := simtest.RandomCircuit(rng, nq, nops, opts)
	tail := 0
	if opts.MeasureAll {
		tail = nq
	}
	for range nops / 3 {
		if nq < 2 {
			break
		}
		name := []string{"cz", "cx"}[rng.IntN(2)]
		g, _ := gate.Lookup(name)
		q := rng.IntN(nq - 1)
		qs := []int{q, q + 1}
		if rng.IntN(2) == 0 {
			qs = []int{q + 1, q}
		}
		at := rng.IntN(len(c.Ops) - tail + 1)
		c.Ops = slices.Insert(c.Ops, at, circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: qs})
	}
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return c
}

// within5Sigma checks every outcome's frequency against p within five
// standard deviations (plus a rounding floor), and that no outcome of
// probability 0 appears.
func within5Sigma(counts map[string]int, want map[string]float64, shots int) error {
	keys := map[string]bool{}
	for k := range counts {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	for k := range keys {
		p, f := want[k], float64(counts[k])/float64(shots)
		sigma := math.Sqrt(p * (1 - p) / float64(shots))
		if math.Abs(f-p) > 5*sigma+1e-9 {
			return fmt.Errorf("outcome %q: frequency %.5f, want %.5f ± 5σ (σ = %.5f)", k, f, p, sigma)
		}
	}
	return nil
}

// TestConvergesToDensityMatrix samples noisy circuits (terminal and
// mid-circuit measurements, resets, conditions, idle noise) and checks the
// counts against the exact distribution of sim/densitymat with the same
// model: χ² at the 0.999 level and every outcome within 5σ.
func TestConvergesToDensityMatrix(t *testing.T) {
	const shots = 20000
	rng := rand.New(rand.NewPCG(31, 31))
	mid := simtest.RandomOptions{Measure: 0.1, Reset: 0.05, Condition: 0.2, MeasureAll: true}
	for _, tc := range []struct {
		name string
		nq   int
		opts simtest.RandomOptions
		idle bool
		n    int
	}{
		{"terminal measurements", 4, simtest.RandomOptions{MeasureAll: true}, false, 4},
		{"terminal measurements with idle noise", 4, simtest.RandomOptions{MeasureAll: true}, true, 3},
		{"mid-circuit measure, reset and conditions", 3, mid, false, 4},
		{"mid-circuit with idle noise", 3, mid, true, 3},
		{"no measurements (counts of zero clbits)", 2, simtest.RandomOptions{}, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := strongNoise(t, tc.idle)
			phys := []int{3, 4, 5, 6, 7, 8}[:tc.nq]
			for i := range tc.n {
				c := lineCircuit(rng, tc.nq, 8+rng.IntN(10), tc.opts)
				exact, err := densitymat.New(m, densitymat.Options{PhysicalQubits: phys}).Run(context.Background(), c,
					sim.Options{Probabilities: true})
				if err != nil {
					t.Fatal(err)
				}
				want := exact.Probabilities
				if !c.HasMeasure() {
					want = map[string]float64{c.Key(circuit.NewBits(c.NumClbits)): 1}
				}
				res, err := New(m, Options{PhysicalQubits: phys}).Run(context.Background(), c, sim.Options{Shots: shots, Seed: uint64(i)})
				if err != nil {
					t.Fatal(err)
				}
				if err := simtest.GoodnessOfFit(res.Counts, want, shots); err != nil {
					t.Errorf("circuit %d: %v\ncounts %v\nwant %v", i, err, res.Counts, want)
				}
				if err := within5Sigma(res.Counts, want, shots); err != nil {
					t.Errorf("circuit %d: %v", i, err)
				}
			}
		})
	}
}

// TestIdealSampling checks the noiseless engine against sim/ref.
func TestIdealSampling(t *testing.T) {
	const shots = 4000
	rng := rand.New(rand.NewPCG(32, 32))
	for i := range 12 {
		opts := simtest.RandomOptions{Measure: 0.1, Reset: 0.05, Condition: 0.2, MeasureAll: true}
		if i%2 == 0 {
			opts = simtest.RandomOptions{MeasureAll: true}
		}
		c := simtest.RandomCircuit(rng, 1+rng.IntN(5), 3+rng.IntN(20), opts)
		want, err := ref.Distribution(c)
		if err != nil {
			t.Fatal(err)
		}
		res, err := New(nil, Options{}).Run(context.Background(), c, sim.Options{Shots: shots, Seed: uint64(i)})
		if err != nil {
			t.Fatal(err)
		}
		if err := simtest.GoodnessOfFit(res.Counts, want, shots); err != nil {
			t.Errorf("circuit %d: %v", i, err)
		}
	}
}

// TestReadoutConfusion prepares each basis state of two qubits and checks
// the counts against the product of the qubits' confusion matrices.
func TestReadoutConfusion(t *testing.T) {
	d, err := device.Preset("dongling")
	if err != nil {
		t.Fatal(err)
	}
	d.Qubits[2].ReadoutP10, d.Qubits[2].ReadoutP01 = 0.03, 0.11
	d.Qubits[3].ReadoutP10, d.Qubits[3].ReadoutP01 = 0.07, 0.05
	m, err := noise.FromDevice(d, noise.ModelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const shots = 20000
	for prep := range 4 {
		t.Run(fmt.Sprintf("prepare |%02b⟩", prep), func(t *testing.T) {
			c := &circuit.Circuit{}
			must(c.AddQReg("q", 2))
			must(c.AddCReg("c", 2))
			xg, _ := gate.Lookup("x")
			for q := range 2 {
				if prep>>q&1 == 1 {
					must0(c.Append(circuit.Op{Kind: circuit.GateOp, Gate: xg, Name: "x", Qubits: []int{q}}))
				}
			}
			for q := range 2 {
				must0(c.Append(circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{q}}))
			}
			phys := []int{2, 3}
			exact, err := densitymat.New(m, densitymat.Options{PhysicalQubits: phys}).Run(context.Background(), c,
				sim.Options{Probabilities: true})
			if err != nil {
				t.Fatal(err)
			}
			// The exact distribution is the prepared populations times the
			// confusion matrices: check it, then sample against it.
			pop := exact.Probabilities
			pre, err := densitymat.New(m, densitymat.Options{PhysicalQubits: phys}).DensityMatrix(context.Background(),
				withoutMeasure(c), sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for out := range 4 {
				var want float64
				for actual := range 4 {
					p := real(pre[actual*4+actual])
					for q := range 2 {
						p *= m.Readout(phys[q]).Prob(out>>q&1, actual>>q&1)
					}
					want += p
				}
				key := fmt.Sprintf("%02b", out)
				if math.Abs(pop[key]-want) > 1e-12 {
					t.Errorf("exact p(%s) = %.15g, want %.15g", key, pop[key], want)
				}
			}
			for name, e := range map[string]sim.Engine{
				"density_matrix": densitymat.New(m, densitymat.Options{PhysicalQubits: phys}),
				"trajectory":     New(m, Options{PhysicalQubits: phys}),
			} {
				res, err := e.Run(context.Background(), c, sim.Options{Shots: shots, Seed: 7})
				if err != nil {
					t.Fatal(err)
				}
				if err := simtest.GoodnessOfFit(res.Counts, pop, shots); err != nil {
					t.Errorf("%s: %v\ncounts %v\nwant %v", name, err, res.Counts, pop)
				}
			}
		})
	}
}

func withoutMeasure(c *circuit.Circuit) *circuit.Circuit {
	u := c.Clone()
	u.Ops = slices.DeleteFunc(u.Ops, func(op circuit.Op) bool { return op.Kind == circuit.Measure })
	return u
}

func TestWorkersDoNotChangeCounts(t *testing.T) {
	m := strongNoise(t, true)
	rng := rand.New(rand.NewPCG(33, 33))
	c := lineCircuit(rng, 5, 40, simtest.RandomOptions{Measure: 0.05, Reset: 0.03, Condition: 0.2, MeasureAll: true})
	var first map[string]int
	for _, w := range []int{1, 2, 5} {
		res, err := New(m, Options{}).Run(context.Background(), c, sim.Options{Shots: 500, Seed: 11, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res.Counts
			continue
		}
		if fmt.Sprint(res.Counts) != fmt.Sprint(first) {
			t.Errorf("workers=%d: counts %v, want %v (workers=1)", w, res.Counts, first)
		}
	}
}

func TestErrors(t *testing.T) {
	m := strongNoise(t, false)
	three := &circuit.Circuit{}
	must(three.AddQReg("q", 3))
	ccx, _ := gate.Lookup("ccx")
	must0(three.Append(circuit.Op{Kind: circuit.GateOp, Gate: ccx, Name: "ccx", Qubits: []int{0, 1, 2}}))
	wide := &circuit.Circuit{}
	must(wide.AddQReg("q", 20))
	for _, tc := range []struct {
		name string
		e    *Engine
		c    *circuit.Circuit
		opt  sim.Options
		want error
		text string
	}{
		{"probabilities are unsupported", New(m, Options{}), three, sim.Options{Probabilities: true}, sim.ErrUnsupported, "counts only"},
		{"statevector is unsupported", New(nil, Options{}), three, sim.Options{Statevector: true}, sim.ErrUnsupported, "counts only"},
		{"three-qubit gate on a device", New(m, Options{}), three, sim.Options{Shots: 1}, nil, "transpile"},
		{"memory limit", New(nil, Options{}), wide, sim.Options{Shots: 1, MemoryLimit: 1 << 20}, sim.ErrTooLarge, "20 qubits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.e.Run(context.Background(), tc.c, tc.opt)
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("got error %v, want one wrapping %v mentioning %q", err, tc.want, tc.text)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func must0(err error) {
	if err != nil {
		panic(err)
	}
}

// TestMemoryLimitDoesNotChangeCounts squeezes shot branching down to one
// or two live states (splits then rerun from the start) and checks that
// the counts stay the same.
func TestMemoryLimitDoesNotChangeCounts(t *testing.T) {
	m := strongNoise(t, true)
	rng := rand.New(rand.NewPCG(34, 34))
	c := lineCircuit(rng, 5, 30, simtest.RandomOptions{Measure: 0.1, Reset: 0.05, Condition: 0.3, MeasureAll: true})
	var first map[string]int
	for _, limit := range []int64{0, 16 << 5 * 3, 16 << 5 * 2} {
		res, err := New(m, Options{}).Run(context.Background(), c, sim.Options{Shots: 300, Seed: 5, MemoryLimit: limit, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res.Counts
			continue
		}
		if fmt.Sprint(res.Counts) != fmt.Sprint(first) {
			t.Errorf("memory limit %d B: counts %v, want %v (no limit)", limit, res.Counts, first)
		}
	}
}
