package backend

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/engines"
	"github.com/qluster/qluster/sim/stabilizer"
)

// Limits of the ideal simulator, used when StateVectorOptions leave them
// zero.
const (
	// DefaultMaxShots bounds the shots of one circuit.
	DefaultMaxShots = 1_000_000
	// DefaultMaxOutputQubits bounds the width of a returned state vector or
	// probability distribution (2^20 entries, about 40 MB of JSON).
	DefaultMaxOutputQubits = 20
	// StateVectorName is the default name of the ideal simulator.
	StateVectorName = "sv"
)

// StateVectorOptions configure NewStateVector.
type StateVectorOptions struct {
	// Name is the backend's name; "" means StateVectorName.
	Name string
	// Node names the machine the backend runs on (BackendInfo.Node).
	Node string
	// MemoryLimit caps one run's state memory in bytes and so the width;
	// 0 means sim.MemoryBudget() when NewStateVector is called.
	MemoryLimit int64
	// MaxShots bounds the shots; 0 means DefaultMaxShots.
	MaxShots int
	// MaxOutputQubits bounds the width of returned amplitudes and
	// probabilities; 0 means DefaultMaxOutputQubits.
	MaxOutputQubits int
	// Workers bounds the goroutines of one run when RunOptions.Workers is
	// 0; 0 means GOMAXPROCS.
	Workers int
}

// StateVector is the ideal simulator backend: it runs any circuit of the
// gate table, without noise and without compilation, on the engine that
// engines.Choose picks (the stabilizer tableau for Clifford circuits, else
// the dense state vector) unless RunOptions.Engine names one. Its width is
// the largest n whose complex128 state vector (16·2^n bytes) fits the
// memory limit, and one qubit more for jobs in single precision (complex64,
// 8·2^n bytes) whose measurements are all terminal.
type StateVector struct {
	name      string
	node      string
	memLimit  int64
	numQubits int // widest double-precision state
	numSingle int // widest single-precision state
	numCliff  int // widest Clifford circuit (stabilizer engine)
	maxShots  int
	maxOut    int
	workers   int
}

var _ Backend = (*StateVector)(nil)

// NewStateVector returns the ideal simulator backend.
func NewStateVector(opt StateVectorOptions) *StateVector {
	s := &StateVector{
		name: opt.Name, node: opt.Node, memLimit: opt.MemoryLimit,
		maxShots: opt.MaxShots, maxOut: opt.MaxOutputQubits, workers: opt.Workers,
	}
	if s.name == "" {
		s.name = StateVectorName
	}
	if s.memLimit <= 0 {
		s.memLimit = sim.MemoryBudget()
	}
	if s.maxShots <= 0 {
		s.maxShots = DefaultMaxShots
	}
	if s.maxOut <= 0 {
		s.maxOut = DefaultMaxOutputQubits
	}
	s.numQubits = StateVectorQubits(s.memLimit)
	s.numSingle = StateVectorQubits(min(s.memLimit, math.MaxInt64/2) * 2)
	s.numCliff = max(s.numSingle, min(MaxCliffordQubits, int(math.Sqrt(float64(s.memLimit)))))
	return s
}

// MaxCliffordQubits is the widest Clifford circuit the ideal simulator
// accepts, where its memory limit allows: the stabilizer engine's tableau
// and sampling tables take about n² bytes (100 MB at this width).
const MaxCliffordQubits = 10000

// StateVectorQubits returns the largest n with 16·2^n ≤ limit bytes: the
// widest complex128 state vector that fits (0 when none does).
func StateVectorQubits(limit int64) int {
	if limit < 16 {
		return 0
	}
	n := 0
	for n < 58 && int64(16)<<(n+1) <= limit {
		n++
	}
	return n
}

// Info describes the backend.
func (s *StateVector) Info() qluster.BackendInfo {
	return qluster.BackendInfo{
		Name: s.name,
		Kind: qluster.BackendSimulator,
		Description: fmt.Sprintf("Ideal simulator: up to %d qubits in double precision, %d in single, %d for Clifford circuits (memory limit %s), no noise",
			s.numQubits, s.numSingle, s.numCliff, sim.FormatBytes(s.memLimit)),
		Status:         qluster.BackendOnline,
		NumQubits:      s.numSingle,
		CliffordQubits: s.numCliff,
		MaxShots:       s.maxShots,
		Engines:        engines.Names(),
		Node:           s.node,
		Defaults:       qluster.BackendDefaults{Shots: 1024, Transpile: false, OptimizationLevel: 0, Engine: engines.Auto},
	}
}

// Validate checks c and spec against the backend's limits: EINVALID for a
// negative or excessive shot count or an unknown precision or engine,
// ETOOLARGE for a circuit wider than its precision allows (single precision
// holds one qubit more, for circuits whose measurements are all terminal),
// an output wider than the output limit or per-shot memory over
// MaxMemoryBytes.
func (s *StateVector) Validate(c *circuit.Circuit, spec qluster.JobSpec) error {
	return s.check(c, RunOptionsFor(spec, "", 0))
}

func (s *StateVector) check(c *circuit.Circuit, opt RunOptions) error {
	switch {
	case opt.Shots < 0:
		return qluster.Errorf(qluster.EINVALID, "shots must be ≥ 0, got %d", opt.Shots)
	case opt.Shots > s.maxShots:
		return qluster.Errorf(qluster.EINVALID, "backend %s takes at most %d shots, got %d", s.name, s.maxShots, opt.Shots)
	case opt.Precision != "" && opt.Precision != sim.PrecisionDouble && opt.Precision != sim.PrecisionSingle:
		return qluster.Errorf(qluster.EINVALID, "precision must be double or single, got %q", opt.Precision)
	case opt.Engine != "" && !slices.Contains(engines.Names(), opt.Engine):
		return qluster.Errorf(qluster.EINVALID, "unknown engine %q (valid: %v)", opt.Engine, engines.Names())
	case c.NumQubits > s.numSingle && s.runsClifford(c, opt):
		if c.NumQubits > s.numCliff {
			return qluster.Errorf(qluster.ETOOLARGE, "circuit has %d qubits; backend %s runs Clifford circuits of at most %d",
				c.NumQubits, s.name, s.numCliff)
		}
	case c.NumQubits > s.numSingle:
		return qluster.Errorf(qluster.ETOOLARGE, "circuit has %d qubits; backend %s runs at most %d (memory limit %s), or %d for circuits of Clifford gates only",
			c.NumQubits, s.name, s.numSingle, sim.FormatBytes(s.memLimit), s.numCliff)
	case c.NumQubits > s.numQubits && !fitsSingle(c, opt):
		return qluster.Errorf(qluster.ETOOLARGE, "circuit has %d qubits; backend %s runs at most %d in double precision (memory limit %s); %s",
			c.NumQubits, s.name, s.numQubits, sim.FormatBytes(s.memLimit), singleHint(c, opt))
	case opt.Statevector && c.NumQubits > s.maxOut:
		return qluster.Errorf(qluster.ETOOLARGE, "a state vector is returned for at most %d qubits, circuit has %d", s.maxOut, c.NumQubits)
	}
	if opt.Probabilities {
		width := c.NumQubits
		if c.HasMeasure() {
			width = c.NumClbits
		}
		if width > s.maxOut {
			return qluster.Errorf(qluster.ETOOLARGE, "probabilities are returned over at most %d bits, circuit has %d", s.maxOut, width)
		}
	}
	return checkOutput(s.name, c, opt)
}

// runsClifford reports whether c runs on the stabilizer engine under opt:
// the engine engines.Choose picks (or opt names) is the stabilizer, and c
// has only operations it supports.
func (s *StateVector) runsClifford(c *circuit.Circuit, opt RunOptions) bool {
	eng, err := engines.Choose(opt.Engine, c, sim.Options{Statevector: opt.Statevector})
	if err != nil {
		return false
	}
	_, stab := eng.(*stabilizer.Engine)
	return stab && stabilizer.Supports(c) == nil
}

// fitsSingle reports whether c runs in single precision under opt, so that
// its state needs 8 bytes an amplitude: the precision asked for, terminal
// measurements only, and no double-precision copy of the state returned.
func fitsSingle(c *circuit.Circuit, opt RunOptions) bool {
	terminal, _ := c.TerminalMeasurements()
	return opt.Precision == sim.PrecisionSingle && terminal && !opt.Statevector
}

// singleHint says why a circuit too wide for double precision does not run
// in single precision.
func singleHint(c *circuit.Circuit, opt RunOptions) string {
	switch terminal, _ := c.TerminalMeasurements(); {
	case opt.Precision != sim.PrecisionSingle:
		return "single precision (precision: single) fits one qubit more"
	case !terminal:
		return "circuits with mid-circuit measurement, reset or conditions run in double precision"
	default:
		return "a returned state vector is double precision"
	}
}

// Run validates c against opt (see Validate) and simulates it. Per-shot
// memory, when asked for, is the counts' outcomes in a random order drawn
// from the run's seed (see MaxMemoryBytes). Errors:
// those of Validate; EINVALID for an operation the engine cannot run;
// ETOOLARGE when the state or the branch enumeration exceeds its limit;
// ctx's error when cancelled.
func (s *StateVector) Run(ctx context.Context, c *circuit.Circuit, opt RunOptions) (*qluster.CircuitResult, error) {
	if err := s.check(c, opt); err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = s.workers
	}
	so := sim.Options{
		Shots: opt.Shots, Seed: opt.Seed, Probabilities: opt.Probabilities, Statevector: opt.Statevector,
		Workers: workers, MemoryLimit: s.memLimit, Progress: opt.Progress, Precision: opt.Precision,
	}
	eng, err := engines.Choose(opt.Engine, c, so)
	if err != nil {
		return nil, qluster.Errorf(qluster.EINVALID, "%w", err)
	}
	start := time.Now()
	res, err := eng.Run(ctx, c, so)
	if err != nil {
		return nil, engineError(ctx, eng.Name(), err)
	}
	out := convertResult(opt.Name, res, time.Since(start))
	addMemory(out, opt)
	return out, nil
}

// engineError gives an engine's error the code its cause deserves.
func engineError(ctx context.Context, engine string, err error) error {
	switch {
	case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		return fmt.Errorf("%s: %w", engine, err)
	case errors.Is(err, sim.ErrUnsupported):
		return qluster.Errorf(qluster.EINVALID, "%s: %w", engine, err)
	case errors.Is(err, sim.ErrTooLarge), errors.Is(err, sim.ErrTooManyBranches):
		return qluster.Errorf(qluster.ETOOLARGE, "%s: %w", engine, err)
	}
	return fmt.Errorf("%s: %w", engine, err)
}

// convertResult turns an engine's result into the API's.
func convertResult(name string, res *sim.Result, wall time.Duration) *qluster.CircuitResult {
	d := res.Duration
	if d <= 0 {
		d = wall
	}
	out := &qluster.CircuitResult{
		Name:          name,
		Shots:         res.Shots,
		Counts:        res.Counts,
		Probabilities: res.Probabilities,
		Engine:        res.Engine,
		Seed:          res.Seed,
		DurationMS:    float64(d) / float64(time.Millisecond),
	}
	if out.Counts == nil {
		out.Counts = map[string]int{}
	}
	if res.Statevector != nil {
		out.Statevector = make([][2]float64, len(res.Statevector))
		for i, a := range res.Statevector {
			out.Statevector[i] = [2]float64{real(a), imag(a)}
		}
	}
	return out
}
