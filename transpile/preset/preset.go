package preset

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/basis"
	"github.com/qluster/qluster/transpile/layout"
	"github.com/qluster/qluster/transpile/optimize"
	"github.com/qluster/qluster/transpile/routing"
	"github.com/qluster/qluster/transpile/unroll"
)

// MaxLevel is the heaviest optimisation level.
const MaxLevel = 3

// Effort bounds. They were set on bench/transpile's circuits on the
// Dongling map: more rounds or trials there bought under 1% fewer
// two-qubit gates for a third more compile time.
const (
	// maxRounds bounds level 2's optimisation loop.
	maxRounds = 6
	// level3Rounds bounds level 3's loop after routing, whose passes
	// (re-synthesis above all) cost the most. On the benchmark circuits a
	// second round never removed a two-qubit gate.
	level3Rounds = 1
	// level3RoutingTrials is the number of SABRE routing trials at
	// level 3 (routing.DefaultTrials at levels 1 and 2).
	level3RoutingTrials = 32
)

// Errors Run wraps, so that callers can tell a circuit that can never run
// on the device from a failure of the compiler.
var (
	// ErrTooWide is wrapped when the circuit has more qubits than the
	// device has usable ones.
	ErrTooWide = errors.New("circuit wider than the device")
	// ErrBasis is wrapped when the device's basis cannot express the
	// circuit's gates (no CX or CZ for a two-qubit gate).
	ErrBasis = errors.New("device basis cannot express the circuit")
	// ErrLevel is wrapped for an optimisation level outside 0…MaxLevel.
	ErrLevel = errors.New("invalid optimisation level")
)

// Options configures Run.
type Options struct {
	// Level is the optimisation level, 0 (map only) to MaxLevel.
	Level int
	// Seed drives every randomised pass (layout and routing trials); the
	// same circuit, device, level and seed always give the same result.
	Seed uint64
	// Workers bounds the goroutines running layout and routing trials; 0
	// means GOMAXPROCS. The result does not depend on it.
	Workers int
}

// PassTiming is how long one pass of a compilation took.
type PassTiming struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration_ns"`
}

// Result is a compiled circuit and what the compiler did.
type Result struct {
	// Circuit is over the device's physical qubits (one register, see
	// routing.PhysicalRegName), in the device's basis, every two-qubit
	// gate on a coupling edge in an allowed direction. A circuit that
	// level 0 passes through unchanged keeps its own registers (its
	// qubit indices are already physical).
	Circuit *circuit.Circuit
	// InitialLayout[v] is the physical qubit where virtual qubit v
	// starts; FinalLayout[v] where its state ends.
	InitialLayout, FinalLayout transpile.Layout
	// TwoQubitGates and Depth are Circuit's figures (see TwoQubitGates
	// and Depth).
	TwoQubitGates, Depth int
	// Passes lists the passes run, in order, with their durations.
	Passes []PassTiming
	// Duration is the whole compilation's wall time.
	Duration time.Duration
}

// Run compiles c for t at the optimisation level of opt:
//
//   - Level 0 maps only: unroll, trivial layout when every virtual qubit's
//     physical namesake is usable and each two-qubit gate's pair lies in one
//     connected region (else dense layout), SABRE routing, basis
//     translation. A circuit that is already Native (its qubit indices read
//     as physical qubits) is returned unchanged, with identity layouts.
//   - Level 1 adds a dense layout always, inverse cancellation and
//     one-qubit merging after translation.
//   - Level 2 uses a perfect layout (no SWAP needed) when one exists, else
//     the noise-aware layout, and adds commutation-aware cancellation,
//     iterated to a fixed point.
//   - Level 3 first removes the circuit's SWAP gates by relabelling
//     (folding them into the final layout), translates and optimises the
//     virtual circuit once (two-qubit block re-synthesis, commutation-aware
//     cancellation, one-qubit merging), uses a perfect layout or else SABRE
//     layout, routes with more trials, and repeats cancellation, two-qubit
//     re-synthesis (which absorbs SWAPs into neighbouring gates) and
//     one-qubit merging, keeping the result only if it is better.
//
// It fails, wrapping ErrTooWide, ErrBasis or ErrLevel where they apply, when
// the circuit cannot fit (wider than the usable qubits, or interacting
// qubits larger than every connected region: the layout pass names them),
// holds opaque gates outside the basis or unbound parameters, or ctx ends.
func Run(ctx context.Context, c *circuit.Circuit, t *device.Device, opt Options) (*Result, error) {
	start := time.Now()
	if opt.Level < 0 || opt.Level > MaxLevel {
		return nil, fmt.Errorf("%w %d: want 0…%d", ErrLevel, opt.Level, MaxLevel)
	}
	if t == nil {
		return nil, errors.New("transpile: no target device")
	}
	if c == nil {
		return nil, errors.New("transpile: no circuit")
	}
	native := opt.Level == 0 && Native(c, t)
	if !native {
		if err := precheck(c, t); err != nil {
			return nil, err
		}
	}
	r := &runner{t: t, props: &transpile.PropertySet{Seed: opt.Seed}}
	var (
		out   *circuit.Circuit
		final func(transpile.Layout) transpile.Layout
		err   error
	)
	if native {
		out = c.Clone()
		id := make(transpile.Layout, c.NumQubits)
		for v := range id {
			id[v] = v
		}
		r.props.InitialLayout, r.props.FinalLayout = id, slices.Clone(id)
	} else {
		out, final, err = r.compile(ctx, c, opt)
		if err != nil {
			return nil, err
		}
	}
	if err := Check(out, t); err != nil {
		return nil, fmt.Errorf("transpile: internal error: %w", err)
	}
	res := &Result{
		Circuit:       out,
		InitialLayout: r.props.InitialLayout,
		FinalLayout:   r.props.FinalLayout,
		TwoQubitGates: TwoQubitGates(out),
		Depth:         Depth(out),
		Passes:        r.timings,
	}
	if final != nil {
		res.FinalLayout = final(res.FinalLayout)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// precheck reports the failures that no pass can fix, with the device's
// figures.
func precheck(c *circuit.Circuit, t *device.Device) error {
	if usable := len(t.UsableQubits()); c.NumQubits > usable {
		return fmt.Errorf("%w: circuit needs %d qubits, device %s has %d usable", ErrTooWide, c.NumQubits, t.Name, usable)
	}
	if basis.Entangler(t.Basis) != "" {
		return nil
	}
	for i := range c.Ops {
		if op := &c.Ops[i]; op.Kind == circuit.GateOp && len(op.Qubits) >= 2 && !slices.Contains(t.Basis, op.Name) {
			return fmt.Errorf("%w: op %d (%s) needs a two-qubit entangler, device %s's basis %v has neither cx nor cz",
				ErrBasis, i, op.Name, t.Name, t.Basis)
		}
	}
	return nil
}

// runner runs passes, timing each.
type runner struct {
	t       *device.Device
	props   *transpile.PropertySet
	timings []PassTiming
}

// run runs passes in order on c against target tg (nil: the device).
func (r *runner) run(ctx context.Context, c *circuit.Circuit, tg *device.Device, passes ...transpile.Pass) (*circuit.Circuit, error) {
	if tg == nil {
		tg = r.t
	}
	for _, p := range passes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t0 := time.Now()
		out, err := p.Run(ctx, c, tg, r.props)
		r.timings = append(r.timings, PassTiming{Name: p.Name(), Duration: time.Since(t0)})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name(), err)
		}
		c = out
	}
	return c, nil
}

// fixpoint runs passes repeatedly until a round no longer lowers the
// two-qubit gate count or the op count, at most rounds times, and returns
// the best circuit seen.
func (r *runner) fixpoint(ctx context.Context, c *circuit.Circuit, tg *device.Device, rounds int, passes ...transpile.Pass) (*circuit.Circuit, error) {
	best := c
	for range rounds {
		out, err := r.run(ctx, best, tg, passes...)
		if err != nil {
			return nil, err
		}
		if !better(out, best) {
			break
		}
		best = out
	}
	return best, nil
}

// better reports whether a has fewer two-qubit gates than b, or as many and
// fewer ops.
func better(a, b *circuit.Circuit) bool {
	ta, tb := TwoQubitGates(a), TwoQubitGates(b)
	if ta != tb {
		return ta < tb
	}
	return len(a.Ops) < len(b.Ops)
}

// compile runs the level's pipeline. The returned function, when not nil,
// maps the routed final layout to the source circuit's.
func (r *runner) compile(ctx context.Context, c *circuit.Circuit, opt Options) (*circuit.Circuit, func(transpile.Layout) transpile.Layout, error) {
	t := r.t
	// virt is the Target for passes on virtual qubits: the basis without
	// the coupling map, whose edge directions name physical qubits.
	virt := &device.Device{Name: t.Name, Basis: t.Basis}
	c, err := r.run(ctx, c, nil, unroll.Pass{})
	if err != nil {
		return nil, nil, err
	}
	var final func(transpile.Layout) transpile.Layout
	if opt.Level >= 3 {
		t0 := time.Now()
		var perm []int
		c, perm = elideSwaps(c)
		r.timings = append(r.timings, PassTiming{Name: "elide-swaps", Duration: time.Since(t0)})
		final = func(l transpile.Layout) transpile.Layout {
			out := make(transpile.Layout, len(l))
			for v := range out {
				out[v] = l[perm[v]]
			}
			return out
		}
	}
	if opt.Level >= 1 {
		c, err = r.run(ctx, c, virt, optimize.CancelInverses{})
		if err != nil {
			return nil, nil, err
		}
	}
	if opt.Level >= 3 {
		c, err = r.run(ctx, c, virt, basis.Translate{}, optimize.Resynth2Q{}, optimize.CommutationCancel{}, optimize.Merge1Q{})
		if err != nil {
			return nil, nil, err
		}
	}
	route := routing.Sabre{Workers: opt.Workers}
	var place transpile.Pass
	switch opt.Level {
	case 0:
		place = r.level0Layout(c)
		route.Trials = 4
	case 1:
		place = layout.Dense{}
	case 2:
		place = layout.Perfect{Fallback: layout.NoiseAware{}}
	default:
		place = layout.Perfect{Fallback: layout.Sabre{Workers: opt.Workers}}
		route.Trials = level3RoutingTrials
	}
	c, err = r.run(ctx, c, nil, place, layout.Apply{}, route, delayMeasures{}, basis.Translate{})
	if err != nil {
		return nil, nil, err
	}
	c, err = r.fixDirections(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	switch opt.Level {
	case 1:
		c, err = r.run(ctx, c, nil, optimize.CancelInverses{}, optimize.Merge1Q{})
	case 2:
		c, err = r.fixpoint(ctx, c, nil, maxRounds, optimize.CancelInverses{}, optimize.CommutationCancel{}, optimize.Merge1Q{})
	case 3:
		c, err = r.fixpoint(ctx, c, nil, level3Rounds, optimize.CommutationCancel{}, optimize.Resynth2Q{}, optimize.Merge1Q{})
	}
	if err != nil {
		return nil, nil, err
	}
	return c, final, nil
}

// level0Layout returns the trivial layout when it is valid and keeps every
// two-qubit gate inside one connected region, else the dense layout.
func (r *runner) level0Layout(c *circuit.Circuit) transpile.Pass {
	t := r.t
	if c.NumQubits > t.NumQubits() {
		return layout.Dense{}
	}
	for v := range c.NumQubits {
		if !t.Qubits[v].Usable {
			return layout.Dense{}
		}
	}
	cp, err := routing.NewCoupling(t, 0)
	if err != nil {
		return layout.Dense{}
	}
	for i := range c.Ops {
		op := &c.Ops[i]
		if op.Kind == circuit.GateOp && len(op.Qubits) == 2 && cp.Region(op.Qubits[0]) != cp.Region(op.Qubits[1]) {
			return layout.Dense{}
		}
	}
	return layout.Trivial{}
}

// elideSwaps removes every unconditioned SWAP gate by relabelling the ops
// after it, and returns the new circuit and the permutation: the state the
// source leaves on qubit v is on qubit perm[v] of the result.
func elideSwaps(c *circuit.Circuit) (*circuit.Circuit, []int) {
	perm := make([]int, c.NumQubits)
	for v := range perm {
		perm[v] = v
	}
	out := c.Clone()
	out.Ops = out.Ops[:0]
	for _, op := range c.Clone().Ops {
		if op.Kind == circuit.GateOp && op.Name == "swap" && op.Cond == nil && len(op.Qubits) == 2 {
			a, b := op.Qubits[0], op.Qubits[1]
			perm[a], perm[b] = perm[b], perm[a]
			continue
		}
		for k, q := range op.Qubits {
			op.Qubits[k] = perm[q]
		}
		out.Ops = append(out.Ops, op)
	}
	return out, perm
}
