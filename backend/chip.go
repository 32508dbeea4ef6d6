package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/densitymat"
	"github.com/qluster/qluster/sim/engines"
	"github.com/qluster/qluster/sim/noise"
	"github.com/qluster/qluster/sim/trajectory"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/basis"
	"github.com/qluster/qluster/transpile/preset"
)

// Defaults of emulated chips, used when ChipOptions leave them zero.
const (
	// DefaultChipMaxShots bounds the shots of one circuit on a chip: noisy
	// simulation costs far more per shot than ideal sampling.
	DefaultChipMaxShots = 100_000
	// DefaultChipLevel is the optimisation level chips compile at when a
	// job names none. Level 2 adds the noise-aware (or perfect) layout and
	// commutation-aware cancellation to level 1 for a few milliseconds on
	// small circuits; level 3's extra routing trials and re-synthesis are
	// left for jobs that ask.
	DefaultChipLevel = 2
)

// ChipEngines lists the engines a chip accepts in RunOptions.Engine: "auto"
// (noise.ChooseEngine on the number of qubits the compiled circuit touches)
// and the two noisy simulators.
var ChipEngines = []string{engines.Auto, noise.EngineDensityMatrix, noise.EngineTrajectory}

// ChipOptions configure NewChip.
type ChipOptions struct {
	// Device is the chip; NewChip validates it. Required. The backend keeps
	// it: the caller must not change it afterwards.
	Device *device.Device
	// Node names the machine the backend runs on (BackendInfo.Node).
	Node string
	// MemoryLimit caps one run's state memory in bytes; 0 means
	// sim.MemoryBudget() when NewChip is called.
	MemoryLimit int64
	// MaxShots bounds the shots; 0 means DefaultChipMaxShots.
	MaxShots int
	// MaxOutputQubits bounds the width of returned probabilities; 0 means
	// DefaultMaxOutputQubits.
	MaxOutputQubits int
	// Level is the default optimisation level; nil means
	// DefaultChipLevel.
	Level *int
	// Workers bounds the goroutines of one run when RunOptions.Workers is
	// 0; 0 means GOMAXPROCS.
	Workers int
	// Noise tunes the noise model built from the device's calibration.
	Noise noise.ModelOptions
}

// Chip is an emulated quantum chip: a device.Device, the noise model
// derived from its calibration (noise.FromDevice) and the noisy engines.
// Run compiles a circuit for the device (unless the job turns transpilation
// off, in which case the circuit must already be native), simulates only
// the physical qubits the compiled circuit touches, with those qubits' and
// edges' noise and readout errors, and reports the compiled circuit with
// the counts. A Chip is safe for concurrent use.
type Chip struct {
	dev       *device.Device
	model     *noise.Model
	calib     json.RawMessage
	usable    int
	largest   int // size of the largest connected region of usable qubits
	node      string
	memLimit  int64
	maxShots  int
	maxOut    int
	level     int
	workers   int
	estimator estimator

	// simulated, when set (by tests), is called before each simulation
	// with the engine's name and the physical qubits simulated.
	simulated func(engine string, physical []int)
}

var _ Backend = (*Chip)(nil)

// NewChip returns the backend of opt.Device. It fails when the device does
// not validate, its calibration gives no valid noise model, or the default
// level is out of range.
func NewChip(opt ChipOptions) (*Chip, error) {
	d := opt.Device
	if d == nil {
		return nil, errors.New("chip backend: no device")
	}
	model, err := noise.FromDevice(d, opt.Noise)
	if err != nil {
		return nil, fmt.Errorf("chip backend %s: %w", d.Name, err)
	}
	calib, err := device.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("chip backend %s: calibration: %w", d.Name, err)
	}
	c := &Chip{
		dev: d, model: model, calib: calib, usable: len(d.UsableQubits()),
		node: opt.Node, memLimit: opt.MemoryLimit, maxShots: opt.MaxShots, maxOut: opt.MaxOutputQubits,
		level: DefaultChipLevel, workers: opt.Workers,
	}
	if comps := d.ConnectedComponents(); len(comps) > 0 {
		c.largest = len(comps[0])
	}
	if opt.Level != nil {
		if *opt.Level < 0 || *opt.Level > preset.MaxLevel {
			return nil, fmt.Errorf("chip backend %s: level %d: want 0…%d", d.Name, *opt.Level, preset.MaxLevel)
		}
		c.level = *opt.Level
	}
	if c.memLimit <= 0 {
		c.memLimit = sim.MemoryBudget()
	}
	if c.maxShots <= 0 {
		c.maxShots = DefaultChipMaxShots
	}
	if c.maxOut <= 0 {
		c.maxOut = DefaultMaxOutputQubits
	}
	c.estimator = newEstimator(d)
	return c, nil
}

// Device returns the chip's device. The caller must not change it.
func (c *Chip) Device() *device.Device { return c.dev }

// Info describes the chip: kind chip, NumQubits the usable qubits, the
// device's basis and coupling map (physical indices), the noisy engines,
// and as Calibration the device in the qluster.device/v1 schema
// (device/SCHEMA.md), whose "defaults" records say which figures did not
// come from a measurement.
func (c *Chip) Info() qluster.BackendInfo {
	desc := c.dev.Description
	if desc == "" {
		desc = fmt.Sprintf("%d usable qubits, %d edges", c.usable, len(c.dev.Edges))
	}
	desc += " (emulated with its calibration's noise)"
	return qluster.BackendInfo{
		Name:           c.dev.Name,
		Kind:           qluster.BackendChip,
		Description:    desc,
		Status:         qluster.BackendOnline,
		NumQubits:      c.usable,
		PhysicalQubits: c.dev.NumQubits(),
		MaxShots:       c.maxShots,
		Basis:          slices.Clone(c.dev.Basis),
		CouplingMap:    c.dev.CouplingMap(),
		Engines:        slices.Clone(ChipEngines),
		Node:           c.node,
		Calibration:    slices.Clone(c.calib),
		Defaults:       qluster.BackendDefaults{Shots: 1024, Transpile: true, OptimizationLevel: c.level, Engine: engines.Auto},
	}
}

// Validate checks c and spec without running: EINVALID for a shot count
// out of range, an option chips do not support (state vectors, single
// precision, an engine that is not noisy, probabilities of a circuit
// without measurements or from the trajectory engine), an optimisation
// level out of range, a basis without an entangler for a circuit that
// needs one, and, with transpilation off, any op off the device (a gate
// outside the basis, a two-qubit gate off the coupling map, an op on an
// unusable qubit); ETOOLARGE for a circuit wider than the device's
// physical qubits, one that uses (with transpilation on) more qubits than
// the device has usable, interacting qubits more than the largest
// connected region holds, probabilities wider than the output limit, or
// per-shot memory over MaxMemoryBytes. Idle declared qubits cost nothing:
// they are neither compiled nor simulated.
func (c *Chip) Validate(circ *circuit.Circuit, spec qluster.JobSpec) error {
	return c.check(circ, RunOptionsFor(spec, "", 0))
}

// transpiling reports whether opt asks for compilation.
func (c *Chip) transpiling(opt RunOptions) bool {
	return opt.Transpile == nil || *opt.Transpile
}

// levelFor returns the optimisation level of opt.
func (c *Chip) levelFor(opt RunOptions) int {
	if opt.OptimizationLevel != nil {
		return *opt.OptimizationLevel
	}
	return c.level
}

func (c *Chip) check(circ *circuit.Circuit, opt RunOptions) error {
	name := c.dev.Name
	switch {
	case opt.Shots < 0:
		return qluster.Errorf(qluster.EINVALID, "shots must be ≥ 0, got %d", opt.Shots)
	case opt.Shots > c.maxShots:
		return qluster.Errorf(qluster.EINVALID, "backend %s takes at most %d shots, got %d", name, c.maxShots, opt.Shots)
	case opt.Statevector:
		return qluster.Errorf(qluster.EINVALID, "backend %s: a noisy chip's state is mixed and has no state vector (ask for probabilities)", name)
	case opt.Precision != "" && opt.Precision != sim.PrecisionDouble:
		if opt.Precision == sim.PrecisionSingle {
			return qluster.Errorf(qluster.EINVALID, "backend %s: the noisy engines run in double precision only", name)
		}
		return qluster.Errorf(qluster.EINVALID, "precision must be double or single, got %q", opt.Precision)
	case opt.Engine != "" && !slices.Contains(ChipEngines, opt.Engine):
		return qluster.Errorf(qluster.EINVALID, "backend %s runs the noisy engines %s, not %q",
			name, strings.Join(ChipEngines, ", "), opt.Engine)
	case opt.OptimizationLevel != nil && (*opt.OptimizationLevel < 0 || *opt.OptimizationLevel > preset.MaxLevel):
		return qluster.Errorf(qluster.EINVALID, "optimization level must be 0 to %d, got %d", preset.MaxLevel, *opt.OptimizationLevel)
	}
	if opt.Probabilities {
		switch {
		case !circ.HasMeasure():
			return qluster.Errorf(qluster.EINVALID, "backend %s reports measured outcomes: probabilities need a circuit with measurements", name)
		case opt.Engine == noise.EngineTrajectory:
			return qluster.Errorf(qluster.EINVALID, "the trajectory engine samples counts only; exact probabilities need density_matrix")
		case circ.NumClbits > c.maxOut:
			return qluster.Errorf(qluster.ETOOLARGE, "probabilities are returned over at most %d bits, circuit has %d", c.maxOut, circ.NumClbits)
		}
	}
	if err := checkOutput(name, circ, opt); err != nil {
		return err
	}
	if !c.transpiling(opt) {
		if circ.NumQubits > c.dev.NumQubits() {
			return qluster.Errorf(qluster.ETOOLARGE, "circuit has %d qubits; device %s has %d physical qubits (%d usable)",
				circ.NumQubits, name, c.dev.NumQubits(), c.usable)
		}
		if err := preset.Check(circ, c.dev); err != nil {
			return qluster.Errorf(qluster.EINVALID, "transpile is off and the circuit is not native to %s: %v", name, err)
		}
		return nil
	}
	if circ.NumQubits > c.dev.NumQubits() {
		return qluster.Errorf(qluster.ETOOLARGE, "circuit has %d qubits; %s has %d usable of %d physical",
			circ.NumQubits, name, c.usable, c.dev.NumQubits())
	}
	if circ.NumQubits > c.usable {
		if _, active := Compact(circ); len(active) > c.usable {
			return qluster.Errorf(qluster.ETOOLARGE, "circuit uses %d qubits; %s has %d usable", len(active), name, c.usable)
		}
	}
	group, needsEntangler := interactionGroup(circ)
	if group > c.largest {
		return qluster.Errorf(qluster.ETOOLARGE, "circuit has %d qubits that interact as one group; the largest connected region of %s has %d usable qubits",
			group, name, c.largest)
	}
	if needsEntangler != "" && basis.Entangler(c.dev.Basis) == "" && !slices.Contains(c.dev.Basis, needsEntangler) {
		return qluster.Errorf(qluster.EINVALID, "gate %s needs a two-qubit entangler, but %s's basis %v has neither cx nor cz",
			needsEntangler, name, c.dev.Basis)
	}
	for i := range circ.Ops {
		op := &circ.Ops[i]
		if op.Kind == circuit.GateOp && op.Gate == nil && !slices.Contains(c.dev.Basis, op.Name) {
			return qluster.Errorf(qluster.EINVALID, "opaque gate %s%s is not in %s's basis %v and cannot be compiled",
				op.Name, opLine(op), name, c.dev.Basis)
		}
	}
	return nil
}

// interactionGroup returns the size of the largest set of qubits that
// multi-qubit gates join (1 for a circuit without them, 0 for one without
// qubits) and the name of one multi-qubit gate, if any.
func interactionGroup(c *circuit.Circuit) (int, string) {
	parent := make([]int, c.NumQubits)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	multi := ""
	for i := range c.Ops {
		op := &c.Ops[i]
		if op.Kind != circuit.GateOp || len(op.Qubits) < 2 {
			continue
		}
		multi = op.Name
		r := find(op.Qubits[0])
		for _, q := range op.Qubits[1:] {
			parent[find(q)] = r
		}
	}
	size := map[int]int{}
	best := 0
	for q := range parent {
		r := find(q)
		size[r]++
		best = max(best, size[r])
	}
	return best, multi
}

func opLine(op *circuit.Op) string {
	if op.Line > 0 {
		return fmt.Sprintf(" (line %d)", op.Line)
	}
	return ""
}

// Run validates circ against opt (see Validate), compiles it for the
// device when transpilation is on (preset.Run at the job's level, seeded
// with opt.Seed), and simulates the physical qubits the compiled circuit
// touches on the engine opt names or, for "auto", the one
// noise.ChooseEngine picks for that many qubits. The result's Engine names
// the engine that ran and Compiled describes the compiled circuit (nil when
// transpilation is off); per-shot memory, when asked for, is the counts'
// outcomes in a random order drawn from the run's seed. Errors: those of Validate; EINVALID for a circuit
// the compiler cannot map or an op the engine cannot run; ETOOLARGE for a
// state over the memory limit; ctx's error when cancelled.
func (c *Chip) Run(ctx context.Context, circ *circuit.Circuit, opt RunOptions) (*qluster.CircuitResult, error) {
	if err := c.check(circ, opt); err != nil {
		return nil, err
	}
	start := time.Now()
	phys := circ
	var compiled *qluster.CompiledCircuit
	if c.transpiling(opt) {
		res, err := c.compileCircuit(ctx, circ, c.levelFor(opt), opt.Seed, opt.Workers)
		if err != nil {
			return nil, err
		}
		text, err := qasm.String(res.Circuit)
		if err != nil {
			return nil, fmt.Errorf("writing the compiled circuit: %w", err)
		}
		phys = res.Circuit
		compiled = &qluster.CompiledCircuit{
			QASM: text, InitialLayout: res.InitialLayout, FinalLayout: res.FinalLayout,
			TwoQubitGates: res.TwoQubitGates, Depth: res.Depth,
		}
	}
	small, physical := Compact(phys)
	workers := opt.Workers
	if workers <= 0 {
		workers = c.workers
	}
	so := sim.Options{
		Shots: opt.Shots, Seed: opt.Seed, Probabilities: opt.Probabilities,
		Workers: workers, MemoryLimit: c.memLimit, Progress: opt.Progress,
	}
	eng := c.engine(opt, small.NumQubits, physical)
	if c.simulated != nil {
		c.simulated(eng.Name(), physical)
	}
	res, err := eng.Run(ctx, small, so)
	if err != nil {
		return nil, engineError(ctx, eng.Name(), err)
	}
	out := convertResult(opt.Name, res, time.Since(start))
	out.DurationMS = float64(time.Since(start)) / float64(time.Millisecond)
	out.Compiled = compiled
	addMemory(out, opt)
	return out, nil
}

// compileCircuit compiles circ for the device. A circuit that declares
// more qubits than the device has usable ones (one compiled for the whole
// chip elsewhere, say) is compiled on the qubits it uses; its idle qubits
// get -1 in both layouts. Level 0 passes a native circuit through as is.
func (c *Chip) compileCircuit(ctx context.Context, circ *circuit.Circuit, level int, seed uint64, workers int) (*preset.Result, error) {
	if circ.NumQubits <= c.usable || (level == 0 && preset.Native(circ, c.dev)) {
		return c.compile(ctx, circ, level, seed, workers)
	}
	small, active := Compact(circ)
	res, err := c.compile(ctx, small, level, seed, workers)
	if err != nil {
		return nil, err
	}
	expand := func(l transpile.Layout) transpile.Layout {
		if len(l) != len(active) {
			return l
		}
		out := make(transpile.Layout, circ.NumQubits)
		for v := range out {
			out[v] = -1
		}
		for k, v := range active {
			out[v] = l[k]
		}
		return out
	}
	res.InitialLayout, res.FinalLayout = expand(res.InitialLayout), expand(res.FinalLayout)
	return res, nil
}

// compile runs the preset pipeline, giving its errors codes.
func (c *Chip) compile(ctx context.Context, circ *circuit.Circuit, level int, seed uint64, workers int) (*preset.Result, error) {
	res, err := preset.Run(ctx, circ, c.dev, preset.Options{Level: level, Seed: seed, Workers: workers})
	switch {
	case err == nil:
		return res, nil
	case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		return nil, fmt.Errorf("transpile: %w", err)
	case errors.Is(err, preset.ErrTooWide):
		return nil, qluster.Errorf(qluster.ETOOLARGE, "transpile for %s: %w", c.dev.Name, err)
	}
	// The compiler's other failures are circuits it cannot map (a layout
	// that does not fit the connected regions, an opaque gate, an unbound
	// parameter): the circuit's fault, shown to the user.
	return nil, qluster.Errorf(qluster.EINVALID, "transpile for %s: %w", c.dev.Name, err)
}

// engine returns the noisy engine for a run of n qubits on physical.
func (c *Chip) engine(opt RunOptions, n int, physical []int) sim.Engine {
	name := opt.Engine
	if name == "" || name == engines.Auto {
		name = noise.ChooseEngine(n, c.memLimit)
		if opt.Probabilities {
			name = noise.EngineDensityMatrix
		}
	}
	if name == noise.EngineTrajectory {
		return trajectory.New(c.model, trajectory.Options{PhysicalQubits: physical})
	}
	return densitymat.New(c.model, densitymat.Options{PhysicalQubits: physical})
}

// Compact returns c restricted to the qubits its operations touch, renumbered
// in increasing order into one register "q", and those qubits: qubit k of
// the result is qubit physical[k] of c. Barriers keep only touched qubits
// (and are dropped when none is left); classical registers are unchanged,
// so outcomes read the same. An engine given physical as its layout then
// simulates len(physical) qubits with the noise of c's qubits.
func Compact(c *circuit.Circuit) (*circuit.Circuit, []int) {
	used := make([]bool, c.NumQubits)
	for i := range c.Ops {
		if c.Ops[i].Kind == circuit.Barrier {
			continue
		}
		for _, q := range c.Ops[i].Qubits {
			used[q] = true
		}
	}
	index := make([]int, c.NumQubits)
	var physical []int
	for q, u := range used {
		index[q] = -1
		if u {
			index[q] = len(physical)
			physical = append(physical, q)
		}
	}
	out := c.Clone()
	out.NumQubits = len(physical)
	out.QRegs = []circuit.Register{{Name: "q", Size: len(physical)}}
	if len(physical) == 0 {
		out.QRegs = nil
	}
	ops := out.Ops[:0]
	for _, op := range out.Ops {
		qs := op.Qubits[:0]
		for _, q := range op.Qubits {
			if index[q] >= 0 {
				qs = append(qs, index[q])
			}
		}
		op.Qubits = qs
		if op.Kind == circuit.Barrier && len(qs) == 0 {
			continue
		}
		ops = append(ops, op)
	}
	out.Ops = ops
	if physical == nil {
		physical = []int{}
	}
	return out, physical
}
