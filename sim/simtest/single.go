package simtest

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/ref"
)

// SingleTol bounds |engine − reference| for amplitudes and probabilities
// when an engine runs with Options.Precision set to sim.PrecisionSingle.
const SingleTol = 1e-5

// RunSingle runs the reference comparisons of the suite with
// Options.Precision = sim.PrecisionSingle, at tolerance SingleTol: random
// circuits' amplitudes and exact distributions (terminal and mid-circuit
// measurement), sampling, and worker-count independence. Engines call it in
// addition to Run when they have a single-precision path.
func RunSingle(t *testing.T, e sim.Engine) {
	t.Run("single precision amplitudes match the reference", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(31, 31))
		for i := range scale(150) {
			nq := randomWidth(rng)
			c := RandomCircuit(rng, nq, 1+rng.IntN(40), RandomOptions{Barrier: 0.05})
			want, err := ref.State(c)
			if err != nil {
				t.Fatalf("circuit %d: ref.State: %v", i, err)
			}
			res := run(t, e, c, sim.Options{Statevector: true, Precision: sim.PrecisionSingle})
			if d := maxAmpDiff(res.Statevector, want); d > SingleTol {
				t.Errorf("circuit %d (%d qubits, %d ops): max amplitude difference %.3g > %g\n%s",
					i, nq, len(c.Ops), d, SingleTol, describe(c))
			}
		}
	})
	t.Run("single precision probabilities match the reference", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(32, 32))
		for _, tc := range []struct {
			name string
			opts RandomOptions
			n    int
		}{
			{"terminal measurements", RandomOptions{MeasureAll: true}, 40},
			{"unitary circuits over qubits", RandomOptions{}, 40},
			{"mid-circuit measure, reset and conditions", midCircuit, 60},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for i := range scale(tc.n) {
					c := RandomCircuit(rng, 1+rng.IntN(6), 1+rng.IntN(25), tc.opts)
					want, err := ref.Distribution(c)
					if err != nil {
						t.Fatalf("circuit %d: ref.Distribution: %v", i, err)
					}
					res := run(t, e, c, sim.Options{Probabilities: true, Precision: sim.PrecisionSingle})
					if d, k := maxProbDiff(res.Probabilities, want); d > SingleTol {
						t.Errorf("circuit %d: probability of %q: got %.9g, want %.9g\n%s",
							i, k, res.Probabilities[k], want[k], describe(c))
					}
				}
			})
		}
	})
	t.Run("single precision sampling fits the distribution", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(33, 33))
		const shots = 4000
		for i := range scale(10) {
			c := RandomCircuit(rng, 1+rng.IntN(5), 3+rng.IntN(20), RandomOptions{MeasureAll: true})
			want, err := ref.Distribution(c)
			if err != nil {
				t.Fatal(err)
			}
			res := run(t, e, c, sim.Options{Shots: shots, Seed: uint64(200 + i), Precision: sim.PrecisionSingle})
			if err := GoodnessOfFit(res.Counts, want, shots); err != nil {
				t.Errorf("circuit %d: %v\n%s", i, err, describe(c))
			}
		}
	})
	t.Run("single precision workers do not change results", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(34, 34))
		c := RandomCircuit(rng, 16, scale(100), RandomOptions{MeasureAll: true})
		opt := sim.Options{Shots: 300, Seed: 9, Statevector: true, Probabilities: true, Precision: sim.PrecisionSingle, Workers: 1}
		one := run(t, e, c, opt)
		opt.Workers = 4
		four := run(t, e, c, opt)
		if len(one.Statevector) != len(four.Statevector) {
			t.Fatalf("statevector lengths %d and %d", len(one.Statevector), len(four.Statevector))
		}
		for i := range one.Statevector {
			if one.Statevector[i] != four.Statevector[i] {
				t.Fatalf("amplitude %d: workers=1 gives %v, workers=4 gives %v", i, one.Statevector[i], four.Statevector[i])
			}
		}
		if !equalCounts(one.Counts, four.Counts) {
			t.Errorf("counts: workers=1 gives %v, workers=4 gives %v", one.Counts, four.Counts)
		}
		var norm float64
		for _, a := range one.Statevector {
			norm += real(a)*real(a) + imag(a)*imag(a)
		}
		if math.Abs(norm-1) > SingleTol {
			t.Errorf("norm² = %.9g, want 1 within %g", norm, SingleTol)
		}
	})
}
