package statevec

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
	"unsafe"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
)

// MinProbability is the probability below which an outcome is left out of
// Result.Probabilities. It sits far above the ~1e-32 weights that rounding
// leaves on outcomes that are exactly impossible, and far below anything
// that sampling could reveal.
const MinProbability = 1e-15

// pruneBelow is the branch probability under which branch enumeration drops
// a measurement branch (as sim/ref does): such a branch can change no
// probability by more than its own weight, and branches made only of
// rounding noise (weights near 1e-32) would otherwise double the work at
// every deterministic measurement.
const pruneBelow = 1e-20

// MaxQubits is the widest state the engine will consider; wider circuits
// fail with sim.ErrTooLarge before any size is computed.
const MaxQubits = 58

// sampleStream is the PCG stream used to sample from a final distribution;
// trajectories use their shot index as the stream instead.
const sampleStream = 0x5eed_5eed_5eed_5eed

// Engine is the dense state-vector simulator. It is safe for concurrent use:
// each Run has its own state.
type Engine struct{}

// New returns a state-vector engine.
func New() *Engine { return &Engine{} }

// Name returns "statevector".
func (*Engine) Name() string { return "statevector" }

// stateBytes returns 16·2^n, or -1 where that overflows int64.
func stateBytes(n int) int64 {
	if n > MaxQubits {
		return -1
	}
	return 16 << n
}

// Run simulates c (see sim.Engine). Errors wrap sim.ErrUnsupported (opaque
// gate, unbound parameter, a statevector asked of a circuit with mid-circuit
// measurement, reset or conditions), sim.ErrTooLarge (state over the memory
// limit, or more than MaxQubits qubits), sim.ErrTooManyBranches (exact
// probabilities needing more than MaxBranches branches) or ctx's error.
func (e *Engine) Run(ctx context.Context, c *circuit.Circuit, opt sim.Options) (*sim.Result, error) {
	start := time.Now()
	if opt.Shots < 0 {
		return nil, fmt.Errorf("statevector: shots %d must not be negative", opt.Shots)
	}
	n := c.NumQubits
	limit := opt.MemoryLimitOrDefault()
	what := fmt.Sprintf("state vector of %d qubits", n)
	if n > MaxQubits {
		return nil, fmt.Errorf("statevector: %w: %s exceeds the engine's maximum of %d qubits", sim.ErrTooLarge, what, MaxQubits)
	}
	single := false
	switch opt.Precision {
	case "", sim.PrecisionDouble:
	case sim.PrecisionSingle:
		single = true
	default:
		return nil, fmt.Errorf("statevector: %w: precision %q (want %q or %q)", sim.ErrUnsupported,
			opt.Precision, sim.PrecisionDouble, sim.PrecisionSingle)
	}
	terminal, measures := c.TerminalMeasurements()
	// Single precision covers circuits evolved once (terminal measurements
	// only); the others run in double precision, so they need its memory.
	single = single && terminal
	need := stateBytes(n)
	if single {
		what = fmt.Sprintf("single-precision state vector of %d qubits", n)
		need = stateBytes(n) / 2
		if opt.Statevector {
			// The returned amplitudes are complex128.
			what += " and its double-precision copy"
			need = stateBytes(n) / 2 * 3
		}
	}
	if err := sim.CheckMemory(what, need, limit); err != nil {
		return nil, fmt.Errorf("statevector: %w", err)
	}
	steps, err := plan(c)
	if err != nil {
		return nil, fmt.Errorf("statevector: %w", err)
	}
	r := &run{
		ctx: ctx, c: c, opt: opt, n: n, steps: steps, limit: limit,
		x:    newExec(n, opt.WorkersOrDefault()),
		prog: newProgress(opt.Progress, len(c.Ops), opt.Shots),
	}
	res := &sim.Result{
		Engine: e.Name(), Shots: opt.Shots, Seed: opt.Seed,
		NumQubits: n, NumClbits: c.NumClbits, Counts: map[string]int{},
	}
	switch {
	case single:
		err = terminalRun[complex64](r, res, measures)
	case terminal:
		err = terminalRun[complex128](r, res, measures)
	default:
		if opt.Statevector {
			return nil, fmt.Errorf("statevector: %w: the final state is not defined for a circuit with mid-circuit measurement, reset or conditions", sim.ErrUnsupported)
		}
		err = r.branching(res)
	}
	if err != nil {
		return nil, fmt.Errorf("statevector: %w", err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// run is the state of one Run call.
type run struct {
	ctx   context.Context
	c     *circuit.Circuit
	opt   sim.Options
	n     int
	steps []step
	limit int64
	x     *exec
	prog  *progress
}

// newState allocates |0…0⟩.
func (r *run) newState() []complex128 { return newState[complex128](r.n) }

func newState[T amp](n int) []T {
	v := make([]T, 1<<n)
	adviseHuge(v)
	v[0] = 1
	return v
}

// evolve applies the gates among steps [from, to) to v, ignoring
// conditions, measurements, resets and barriers, and checking for
// cancellation between passes.
func (r *run) evolve(v []complex128, from, to int) error { return evolve(r, v, from, to) }

// evolve is run.evolve for either precision: the gates run as the passes of
// program (cache-blocked runs of gates, see group.go).
func evolve[T amp](r *run, v []T, from, to int) error {
	w := blockWidth128
	if _, ok := any(v).([]complex64); ok {
		w = blockWidth64
	}
	done := from
	for _, p := range program(r.steps, from, to, r.n, w) {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		applyPass(&p, r.x, v, r.n)
		done = max(done, p.last+1)
		r.prog.ops(done)
	}
	r.prog.ops(to)
	return r.ctx.Err()
}

// terminalRun runs a circuit whose measurements are all at the end, with
// amplitudes of type T: one evolution, then sampling from the final
// distribution.
func terminalRun[T amp](r *run, res *sim.Result, measures [][2]int) error {
	if err := r.ctx.Err(); err != nil {
		return err // before allocating a state that may take most of memory
	}
	v := newState[T](r.n)
	// Measurements are terminal, so evolving past them (evolve skips them)
	// leaves the state before them.
	if err := evolve(r, v, 0, len(r.steps)); err != nil {
		return err
	}
	if r.opt.Shots > 0 {
		rng := rand.New(rand.NewPCG(r.opt.Seed, sampleStream))
		keys := map[int]string{}
		for idx, k := range sampleState(r.x, v, r.opt.Shots, rng) {
			key, ok := keys[idx]
			if !ok {
				key = r.measuredKey(idx, measures)
				keys[idx] = key
			}
			res.Counts[key] += k
		}
		r.prog.shots(r.opt.Shots)
	}
	if r.opt.Probabilities {
		p, err := finalProbabilities(r, v, measures)
		if err != nil {
			return err
		}
		res.Probabilities = p
	}
	if r.opt.Statevector {
		switch w := any(v).(type) {
		case []complex128:
			res.Statevector = w
		case []complex64:
			res.Statevector = make([]complex128, len(w))
			r.x.parallelFor(numBlocks(len(w)), func(lo, hi int) {
				for i := lo * blockSize; i < min(hi*blockSize, len(w)); i++ {
					res.Statevector[i] = complex128(w[i])
				}
			})
		}
	}
	return nil
}

// measuredKey returns the counts key of basis state idx under the measure
// map: each measured clbit takes its qubit's value, the rest stay 0.
func (r *run) measuredKey(idx int, measures [][2]int) string {
	b := circuit.NewBits(r.c.NumClbits)
	for _, m := range measures {
		b.Set(m[1], idx>>m[0]&1 == 1)
	}
	return r.c.Key(b)
}

// finalProbabilities returns the outcome distribution of the final state v:
// over the clbits if the circuit measures, else over the qubits.
func finalProbabilities[T amp](r *run, v []T, measures [][2]int) (map[string]float64, error) {
	out := map[string]float64{}
	if len(measures) == 0 {
		for i, a := range v {
			if p := norm2(a); p >= MinProbability {
				out[circuit.QubitKey(uint64(i), r.n)] = p
			}
		}
		return out, nil
	}
	// Marginal over the distinct measured qubits, then mapped to keys.
	var qs []int
	for _, m := range measures {
		if !slices.Contains(qs, m[0]) {
			qs = append(qs, m[0])
		}
	}
	if err := sim.CheckMemory(fmt.Sprintf("marginal over %d measured qubits", len(qs)),
		int64(len(v))*int64(unsafe.Sizeof(v[0]))+stateBytes(len(qs))/2, r.limit); err != nil {
		return nil, err
	}
	marg := make([]float64, 1<<len(qs))
	for i, a := range v {
		j := 0
		for t, q := range qs {
			j |= (i >> q & 1) << t
		}
		marg[j] += norm2(a)
	}
	for j, p := range marg {
		if p == 0 {
			continue
		}
		idx := 0
		for t, q := range qs {
			idx |= (j >> t & 1) << q
		}
		out[r.measuredKey(idx, measures)] += p
	}
	dropSmall(out)
	return out, nil
}

func dropSmall(m map[string]float64) {
	for k, p := range m {
		if p < MinProbability {
			delete(m, k)
		}
	}
}
