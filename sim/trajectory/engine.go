package trajectory

import (
	"context"
	"fmt"
	"time"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/noise"
)

// MaxQubits is the widest state the engine will consider; wider circuits
// fail with sim.ErrTooLarge before any size is computed.
const MaxQubits = 58

// Options configure an Engine.
type Options struct {
	// PhysicalQubits maps circuit qubits to device qubits: circuit qubit i
	// runs on device qubit PhysicalQubits[i], whose calibration gives its
	// noise. Nil means circuit qubit i is device qubit i. Only the circuit's
	// qubits are simulated.
	PhysicalQubits []int
}

// Engine is the Monte Carlo trajectory simulator. It is safe for concurrent
// use: each Run has its own states.
type Engine struct {
	model *noise.Model
	opt   Options
}

// New returns a trajectory engine that applies model's noise (nil: ideal).
func New(model *noise.Model, opt Options) *Engine {
	return &Engine{model: model, opt: Options{PhysicalQubits: append([]int(nil), opt.PhysicalQubits...)}}
}

// Name returns "trajectory".
func (*Engine) Name() string { return noise.EngineTrajectory }

// stateBytes returns 16·2^n, or -1 where n exceeds MaxQubits.
func stateBytes(n int) int64 {
	if n > MaxQubits {
		return -1
	}
	return 16 << n
}

// Run samples opt.Shots trajectories of c (see sim.Engine and the package
// documentation). It gives counts only: Probabilities and Statevector fail
// with an error wrapping sim.ErrUnsupported, as do opaque gates and unbound
// parameters. Other errors wrap sim.ErrTooLarge (states over the memory
// limit), come from the noise model (a gate off the coupling map) or are
// ctx's.
func (e *Engine) Run(ctx context.Context, c *circuit.Circuit, opt sim.Options) (*sim.Result, error) {
	start := time.Now()
	if opt.Shots < 0 {
		return nil, fmt.Errorf("trajectory: shots %d must be non-negative", opt.Shots)
	}
	if opt.Probabilities || opt.Statevector {
		return nil, fmt.Errorf("trajectory: %w: trajectories give sampled counts only, not exact probabilities or amplitudes (use density_matrix)", sim.ErrUnsupported)
	}
	n := c.NumQubits
	limit := opt.MemoryLimitOrDefault()
	if err := sim.CheckMemory(fmt.Sprintf("state vector of %d qubits", n), stateBytes(n), limit); err != nil {
		return nil, fmt.Errorf("trajectory: %w", err)
	}
	mats, err := sim.GateMatrices(c)
	if err != nil {
		return nil, fmt.Errorf("trajectory: %w", err)
	}
	plan, err := e.model.Plan(c, e.opt.PhysicalQubits)
	if err != nil {
		return nil, fmt.Errorf("trajectory: noise: %w", err)
	}
	r := &run{c: c, n: n, opt: opt}
	r.compile(plan, mats)
	res := &sim.Result{Engine: e.Name(), Shots: opt.Shots, Seed: opt.Seed, NumQubits: n,
		NumClbits: c.NumClbits, Counts: map[string]int{}}
	if opt.Shots > 0 {
		if res.Counts, err = r.sample(ctx, limit); err != nil {
			return nil, fmt.Errorf("trajectory: %w", err)
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}
