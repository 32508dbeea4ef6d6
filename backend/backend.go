package backend

import (
	"context"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
)

// Backend runs circuits. Implementations are safe for concurrent use: the
// worker runs several circuits on one backend at once.
type Backend interface {
	// Info describes the backend. QueueLength is left to the caller, which
	// knows the queue.
	Info() qluster.BackendInfo
	// Validate reports whether the backend can run c with spec's shots and
	// options, without running it: EINVALID for options it does not
	// support or a shot count out of range, ETOOLARGE for a circuit wider
	// than the backend or an output too large to return.
	Validate(c *circuit.Circuit, spec qluster.JobSpec) error
	// Run runs c and returns its result, with Engine and Seed filled in. It
	// stops early with ctx's error when ctx is cancelled. Errors are coded
	// (see Validate) when they are the circuit's fault; an uncoded error is
	// internal.
	Run(ctx context.Context, c *circuit.Circuit, opt RunOptions) (*qluster.CircuitResult, error)
}

// RunOptions control one Run. RunOptionsFor derives them from a job.
type RunOptions struct {
	// Name labels the result (CircuitResult.Name).
	Name string
	// Shots is the number of samples; 0 means none.
	Shots int
	// Seed makes sampling reproducible; the result reports it.
	Seed uint64
	// Memory asks for per-shot outcomes.
	Memory bool
	// Probabilities asks for the exact outcome distribution.
	Probabilities bool
	// Statevector asks for the final amplitudes.
	Statevector bool
	// Precision is "double" or "single"; "" means double.
	Precision string
	// Transpile asks for compilation to the backend's target; nil means the
	// backend's default (BackendInfo.Defaults).
	Transpile *bool
	// OptimizationLevel is the transpiler level; nil means the default.
	OptimizationLevel *int
	// Engine names the simulator; "" or "auto" lets the backend choose.
	Engine string
	// Workers bounds the goroutines of one run; 0 means GOMAXPROCS.
	Workers int
	// Progress, if set, is called from time to time during the run.
	Progress func(sim.Progress)
}

// RunOptionsFor returns the options that run the circuit called name of a
// job with spec, sampling with seed.
func RunOptionsFor(spec qluster.JobSpec, name string, seed uint64) RunOptions {
	o := spec.Options
	return RunOptions{
		Name: name, Shots: spec.Shots, Seed: seed,
		Memory: o.Memory, Probabilities: o.Probabilities, Statevector: o.Statevector,
		Precision: o.Precision, Transpile: o.Transpile, OptimizationLevel: o.OptimizationLevel,
		Engine: o.Engine,
	}
}
