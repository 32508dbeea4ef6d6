package densitymat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/noise"
	"github.com/qluster/qluster/sim/statevec"
)

// MaxQubits is the widest circuit whose density-matrix size the engine
// computes; wider circuits fail with sim.ErrTooLarge at once.
const MaxQubits = 29

// pruneBelow is the probability under which a measurement branch is
// dropped (as sim/ref does): such a branch cannot move any outcome's
// probability by more than its own weight.
const pruneBelow = 1e-20

// sampleStream is the PCG stream used to sample shots from the exact
// distribution; per-shot runs use their shot index as the stream.
const sampleStream = 0xd3_5e_ed

// Options configure an Engine.
type Options struct {
	// PhysicalQubits maps circuit qubits to device qubits: circuit qubit i
	// runs on device qubit PhysicalQubits[i], whose calibration gives its
	// noise. Nil means circuit qubit i is device qubit i. Only the circuit's
	// qubits are simulated, whatever the device's size.
	PhysicalQubits []int
}

// Engine is the exact density-matrix simulator. It is safe for concurrent
// use: each Run has its own state.
type Engine struct {
	model *noise.Model
	opt   Options
}

// New returns a density-matrix engine that applies model's noise (nil:
// ideal, noiseless simulation).
func New(model *noise.Model, opt Options) *Engine {
	return &Engine{model: model, opt: Options{PhysicalQubits: append([]int(nil), opt.PhysicalQubits...)}}
}

// Name returns "density_matrix".
func (*Engine) Name() string { return noise.EngineDensityMatrix }

// matBytes returns 16·4^n, or -1 where n exceeds MaxQubits.
func matBytes(n int) int64 {
	if n > MaxQubits {
		return -1
	}
	return 16 << (2 * n)
}

// Run simulates c (see sim.Engine). Errors wrap sim.ErrUnsupported (opaque
// gate, unbound parameter, a statevector asked of a noisy engine or of a
// circuit with mid-circuit measurement), sim.ErrTooLarge (density matrix
// over the memory limit), sim.ErrTooManyBranches (exact probabilities
// needing more than MaxBranches classical branches), the noise model's
// errors (a gate off the coupling map) or ctx's error.
func (e *Engine) Run(ctx context.Context, c *circuit.Circuit, opt sim.Options) (*sim.Result, error) {
	start := time.Now()
	if opt.Shots < 0 {
		return nil, fmt.Errorf("density matrix: shots %d must be non-negative", opt.Shots)
	}
	r, err := e.prepare(c, opt)
	if err != nil {
		return nil, err
	}
	n, limit := r.n, r.limit
	res := &sim.Result{Engine: e.Name(), Shots: opt.Shots, Seed: opt.Seed, NumQubits: n,
		NumClbits: c.NumClbits, Counts: map[string]int{}}
	if opt.Statevector {
		if e.model != nil {
			return nil, fmt.Errorf("density matrix: %w: a noisy state is mixed and has no state vector (ask for probabilities)", sim.ErrUnsupported)
		}
		// ρ carries no global phase: the amplitudes of the ideal state come
		// from the state-vector engine.
		sv, err := statevec.New().Run(ctx, c, sim.Options{Statevector: true, Workers: opt.Workers, MemoryLimit: limit})
		if err != nil {
			return nil, fmt.Errorf("density matrix: %w", err)
		}
		res.Statevector = sv.Statevector
	}
	out, err := r.exact(ctx)
	switch {
	case errors.Is(err, errBranches) && !opt.Probabilities && opt.Shots > 0:
		counts, err := r.perShot(ctx)
		if err != nil {
			return nil, fmt.Errorf("density matrix: %w", err)
		}
		res.Counts = counts
	case errors.Is(err, errBranches):
		return nil, fmt.Errorf("density matrix: %w: exact probabilities need more than %d classical branches (MaxBranches %d, or what the memory limit holds)",
			sim.ErrTooManyBranches, r.maxBranches(), r.opt.MaxBranchesOrDefault())
	case err != nil:
		return nil, fmt.Errorf("density matrix: %w", err)
	default:
		if opt.Probabilities {
			res.Probabilities = out.probabilities()
		}
		if opt.Shots > 0 {
			res.Counts = out.sample(opt.Shots, opt.Seed)
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

// prepare checks c against the memory limit and compiles it with the noise
// model into a run.
func (e *Engine) prepare(c *circuit.Circuit, opt sim.Options) (*run, error) {
	n := c.NumQubits
	limit := opt.MemoryLimitOrDefault()
	if err := sim.CheckMemory(fmt.Sprintf("density matrix of %d qubits", n), matBytes(n), limit); err != nil {
		return nil, fmt.Errorf("density matrix: %w", err)
	}
	mats, err := sim.GateMatrices(c)
	if err != nil {
		return nil, fmt.Errorf("density matrix: %w", err)
	}
	plan, err := e.model.Plan(c, e.opt.PhysicalQubits)
	if err != nil {
		return nil, fmt.Errorf("density matrix: noise: %w", err)
	}
	return &run{c: c, n: n, opt: opt, limit: limit, workers: opt.WorkersOrDefault(), steps: compile(c, plan, mats)}, nil
}

// DensityMatrix returns the final density matrix of c, a circuit without
// measurements (resets, noise and conditions allowed), as a row-major
// 2^n × 2^n matrix: element (r, c) is at index r·2^n + c, with Qiskit's
// qubit order in r and c. It fails like Run, and for a circuit that
// measures.
func (e *Engine) DensityMatrix(ctx context.Context, c *circuit.Circuit, opt sim.Options) ([]complex128, error) {
	if c.HasMeasure() {
		return nil, fmt.Errorf("density matrix: %w: DensityMatrix of a circuit with measurements", sim.ErrUnsupported)
	}
	r, err := e.prepare(c, opt)
	if err != nil {
		return nil, err
	}
	rho := r.initial()
	for i := range r.steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if s := &r.steps[i]; r.holds(s, circuit.NewBits(c.NumClbits)) {
			for _, k := range s.kernels {
				k.apply(rho, r.workers)
			}
		}
	}
	d := 1 << r.n
	out := make([]complex128, len(rho))
	for row := range d {
		for col := range d {
			out[row*d+col] = rho[row+col*d]
		}
	}
	return out, nil
}
