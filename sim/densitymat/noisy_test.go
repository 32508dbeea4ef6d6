package densitymat

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/noise"
	"github.com/qluster/qluster/sim/simtest"
)

// donglingPath returns the dongling noise model and n qubits along a path
// of its coupling map.
func donglingPath(t *testing.T, n int, opt noise.ModelOptions) (*noise.Model, []int) {
	t.Helper()
	d, err := device.Preset("dongling")
	if err != nil {
		t.Fatal(err)
	}
	m, err := noise.FromDevice(d, opt)
	if err != nil {
		t.Fatal(err)
	}
	path := []int{d.ConnectedComponents()[0][0]}
	seen := map[int]bool{path[0]: true}
	for len(path) < n {
		grown := false
		for _, nb := range d.Neighbors(path[len(path)-1]) {
			if !seen[nb] {
				path, seen[nb], grown = append(path, nb), true, true
				break
			}
		}
		if !grown {
			t.Fatalf("no path of %d qubits from %d", n, path[0])
		}
	}
	return m, path
}

// lineOps draws a random circuit of one-qubit gates with cz between
// neighbours, mid-circuit measurements, resets, conditions and terminal
// measurements.
func lineOps(rng *rand.Rand, nq, nops int, opts simtest.RandomOptions) *circuit.Circuit {
	opts.Gates = func(g *gate.Gate) bool { return g.Qubits == 1 }
	c := simtest.RandomCircuit(rng, nq, nops, opts)
	cz, _ := gate.Lookup("cz")
	tail := 0
	if opts.MeasureAll {
		tail = nq
	}
	for range nops / 3 {
		q := rng.IntN(nq - 1)
		at := rng.IntN(len(c.Ops) - tail + 1)
		op := circuit.Op{Kind: circuit.GateOp, Gate: cz, Name: "cz", Qubits: []int{q, q + 1}}
		c.Ops = append(c.Ops[:at], append([]circuit.Op{op}, c.Ops[at:]...)...)
	}
	return c
}

// TestPerShotMatchesExact runs noisy mid-circuit circuits with MaxBranches
// 1, which forces per-shot sampling, against the exact branch distribution.
func TestPerShotMatchesExact(t *testing.T) {
	m, path := donglingPath(t, 4, noise.ModelOptions{IdleNoise: true})
	rng := rand.New(rand.NewPCG(41, 41))
	e := New(m, Options{PhysicalQubits: path})
	const shots = 4000
	for i := range 6 {
		c := lineOps(rng, 4, 12+rng.IntN(10), simtest.RandomOptions{Measure: 0.15, Reset: 0.05, Condition: 0.3, MeasureAll: true})
		exact, err := e.Run(context.Background(), c, sim.Options{Probabilities: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Run(context.Background(), c, sim.Options{Shots: shots, Seed: uint64(i), MaxBranches: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := simtest.GoodnessOfFit(res.Counts, exact.Probabilities, shots); err != nil {
			t.Errorf("circuit %d: %v", i, err)
		}
		again, err := e.Run(context.Background(), c, sim.Options{Shots: shots, Seed: uint64(i), MaxBranches: 1, Workers: 3})
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range res.Counts {
			if again.Counts[k] != v {
				t.Fatalf("circuit %d: per-shot counts differ between 1 worker and 3: %v vs %v", i, res.Counts, again.Counts)
			}
		}
	}
}

// TestOnlyCircuitQubitsAreSimulated runs a 5-qubit job on the 130-qubit
// chip under a memory limit that a 5-qubit density matrix fits and the chip
// never would.
func TestOnlyCircuitQubitsAreSimulated(t *testing.T) {
	m, path := donglingPath(t, 5, noise.ModelOptions{})
	rng := rand.New(rand.NewPCG(42, 42))
	c := lineOps(rng, 5, 30, simtest.RandomOptions{MeasureAll: true})
	res, err := New(m, Options{PhysicalQubits: path}).Run(context.Background(), c,
		sim.Options{Shots: 1000, Probabilities: true, MemoryLimit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, p := range res.Probabilities {
		total += p
	}
	if res.NumQubits != 5 || len(res.Probabilities) < 2 || total < 1-1e-12 || total > 1+1e-12 {
		t.Errorf("got %d qubits, %d outcomes summing to %.15g; want 5 qubits and a noisy distribution summing to 1",
			res.NumQubits, len(res.Probabilities), total)
	}
}

func TestNoisyErrors(t *testing.T) {
	m, path := donglingPath(t, 3, noise.ModelOptions{})
	empty := &circuit.Circuit{}
	if _, err := empty.AddQReg("q", 3); err != nil {
		t.Fatal(err)
	}
	offMap := empty.Clone()
	cz, _ := gate.Lookup("cz")
	if err := offMap.Append(circuit.Op{Kind: circuit.GateOp, Gate: cz, Name: "cz", Qubits: []int{0, 2}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		c    *circuit.Circuit
		opt  sim.Options
		want error
		text string
	}{
		{"statevector of a noisy state", empty, sim.Options{Statevector: true}, sim.ErrUnsupported, "mixed"},
		{"gate off the coupling map", offMap, sim.Options{Shots: 10}, nil, "no such edge"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(m, Options{PhysicalQubits: path}).Run(context.Background(), tc.c, tc.opt)
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("got error %v, want one wrapping %v mentioning %q", err, tc.want, tc.text)
			}
		})
	}
}

// TestNoisyWorkersAgree checks that exact probabilities do not depend on
// the worker count (the kernels split work but never reduce across it).
func TestNoisyWorkersAgree(t *testing.T) {
	m, path := donglingPath(t, 8, noise.ModelOptions{IdleNoise: true})
	rng := rand.New(rand.NewPCG(43, 43))
	c := lineOps(rng, 8, 40, simtest.RandomOptions{MeasureAll: true})
	var first map[string]float64
	for _, w := range []int{1, 4} {
		res, err := New(m, Options{PhysicalQubits: path}).Run(context.Background(), c, sim.Options{Probabilities: true, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res.Probabilities
			continue
		}
		for k, p := range first {
			if res.Probabilities[k] != p {
				t.Fatalf("p(%s): workers=1 gives %v, workers=%d gives %v", k, p, w, res.Probabilities[k])
			}
		}
	}
}
