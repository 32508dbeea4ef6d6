package densitymat

import (
	"context"
	"errors"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/noise"
	"github.com/qluster/qluster/sim/ref"
	"github.com/qluster/qluster/sim/simtest"
	"github.com/qluster/qluster/sim/statevec"
)

// wideToStatevec runs circuits wider than maxDM qubits on the state-vector
// engine: simtest's worker test uses 16 qubits (a 64 GiB density matrix)
// and its error tests 17 and 40, which this engine refuses by design
// (TestMemoryLimit checks its own refusal). Everything narrower — all of
// the suite's reference comparisons, at most 10 qubits — runs on the
// density matrix.
type wideToStatevec struct {
	dm    *Engine
	maxDM int
}

func (w wideToStatevec) Name() string { return w.dm.Name() }

func (w wideToStatevec) Run(ctx context.Context, c *circuit.Circuit, opt sim.Options) (*sim.Result, error) {
	if c.NumQubits > w.maxDM {
		res, err := statevec.New().Run(ctx, c, opt)
		if res != nil {
			res.Engine = w.dm.Name()
		}
		return res, err
	}
	return w.dm.Run(ctx, c, opt)
}

func TestIdealConformance(t *testing.T) {
	simtest.Run(t, wideToStatevec{dm: New(nil, Options{}), maxDM: noise.DensityMatrixMaxQubits})
}

// TestIdealDensityMatrixIsPure checks ρ itself (not the amplitudes, which
// come from sim/statevec) against |ψ⟩⟨ψ| of the reference.
func TestIdealDensityMatrixIsPure(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 21))
	for i := range 60 {
		nq := 1 + rng.IntN(6)
		c := simtest.RandomCircuit(rng, nq, 1+rng.IntN(30), simtest.RandomOptions{Barrier: 0.05})
		psi, err := ref.State(c)
		if err != nil {
			t.Fatal(err)
		}
		rho, err := New(nil, Options{}).DensityMatrix(context.Background(), c, sim.Options{Workers: 1 + i%3})
		if err != nil {
			t.Fatal(err)
		}
		d := 1 << nq
		var worst float64
		for r := range d {
			for col := range d {
				want := psi[r] * cmplx.Conj(psi[col])
				worst = max(worst, cmplx.Abs(rho[r*d+col]-want))
			}
		}
		if worst > 1e-12 {
			t.Errorf("circuit %d (%d qubits): max |ρ − |ψ⟩⟨ψ|| = %.3g, want ≤ 1e-12", i, nq, worst)
		}
	}
}

func TestMemoryLimit(t *testing.T) {
	c := &circuit.Circuit{}
	if _, err := c.AddQReg("q", 11); err != nil {
		t.Fatal(err)
	}
	_, err := New(nil, Options{}).Run(context.Background(), c, sim.Options{MemoryLimit: 16 << 20})
	if !errors.Is(err, sim.ErrTooLarge) || !strings.Contains(err.Error(), "11 qubits") {
		t.Fatalf("11 qubits (64 MiB) under a 16 MiB limit: got error %v, want ErrTooLarge naming 11 qubits", err)
	}
}
