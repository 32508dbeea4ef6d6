package stabilizer

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
)

// maxQubits bounds the circuit width before any size is computed, so that
// tableau sizes cannot overflow.
const maxQubits = 1 << 22

// MaxSupportDim is the largest dimension of the outcome support (the
// number of independent random bits) for which exact probabilities are
// enumerated: 2^20 outcomes.
const MaxSupportDim = 20

// sampleStream is the PCG stream of the first chunk of shots sampled from
// a terminal distribution; chunk i uses sampleStream+i. Shot-by-shot runs
// use their shot index as the stream instead.
const sampleStream = 0x57ab_1112_e5ee_d000

// Engine is the stabilizer-tableau simulator for Clifford circuits. It is
// safe for concurrent use: each Run has its own state.
type Engine struct{}

// New returns a stabilizer engine.
func New() *Engine { return &Engine{} }

// Name returns "stabilizer".
func (*Engine) Name() string { return "stabilizer" }

// Run simulates c (see sim.Engine). Errors wrap sim.ErrUnsupported (a
// non-Clifford, opaque or unbound gate, see Supports; a statevector
// request, which this engine does not produce), sim.ErrTooLarge (tableaux
// over the memory limit), sim.ErrTooManyBranches (exact probabilities over
// more than 2^MaxSupportDim outcomes per branch, or more than MaxBranches
// measurement branches) or ctx's error.
func (e *Engine) Run(ctx context.Context, c *circuit.Circuit, opt sim.Options) (*sim.Result, error) {
	start := time.Now()
	if opt.Shots < 0 {
		return nil, fmt.Errorf("stabilizer: shots %d must not be negative", opt.Shots)
	}
	if opt.Statevector {
		return nil, fmt.Errorf("stabilizer: %w: the stabilizer engine does not compute amplitudes (use the statevector engine)", sim.ErrUnsupported)
	}
	n := c.NumQubits
	limit := opt.MemoryLimitOrDefault()
	what := fmt.Sprintf("stabilizer tableau of %d qubits", n)
	if n > maxQubits {
		return nil, fmt.Errorf("stabilizer: %w: %s exceeds the engine's maximum of %d qubits", sim.ErrTooLarge, what, maxQubits)
	}
	if err := sim.CheckMemory(what, tableauBytes(n), limit); err != nil {
		return nil, fmt.Errorf("stabilizer: %w", err)
	}
	steps, err := plan(c)
	if err != nil {
		return nil, fmt.Errorf("stabilizer: %w", err)
	}
	r := &run{ctx: ctx, c: c, opt: opt, n: n, steps: steps, limit: limit,
		prog: newProgress(opt.Progress, len(c.Ops), opt.Shots)}
	res := &sim.Result{
		Engine: e.Name(), Shots: opt.Shots, Seed: opt.Seed,
		NumQubits: n, NumClbits: c.NumClbits, Counts: map[string]int{},
	}
	if terminal, measures := c.TerminalMeasurements(); terminal {
		err = r.terminal(res, measures)
	} else {
		err = r.midCircuit(res)
	}
	if err != nil {
		return nil, fmt.Errorf("stabilizer: %w", err)
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
	prog  *progress
}

// evolve applies the gates among steps [from, to) to t, ignoring
// conditions, measurements, resets and barriers, and checking for
// cancellation from time to time.
func (r *run) evolve(t *tableau, from, to int) error {
	for i := from; i < to; i++ {
		if i%256 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			r.prog.ops(i)
		}
		if s := &r.steps[i]; s.kind == circuit.GateOp {
			t.apply(s)
		}
	}
	r.prog.ops(to)
	return r.ctx.Err()
}

const progressInterval = 100 * time.Millisecond

// progress forwards run progress to Options.Progress at most once per
// progressInterval, from one goroutine at a time.
type progress struct {
	fn   func(sim.Progress)
	mu   sync.Mutex
	last time.Time
	p    sim.Progress
}

func newProgress(fn func(sim.Progress), opsTotal, shotsTotal int) *progress {
	return &progress{fn: fn, last: time.Now(), p: sim.Progress{OpsTotal: opsTotal, ShotsTotal: shotsTotal}}
}

// ops records that done operations are finished.
func (p *progress) ops(done int) {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.p.OpsDone = done
	p.maybeReport()
}

// shots records that n more shots are finished.
func (p *progress) shots(n int) {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.p.ShotsDone += n
	p.maybeReport()
}

func (p *progress) maybeReport() {
	if now := time.Now(); now.Sub(p.last) >= progressInterval {
		p.last = now
		p.fn(p.p)
	}
}
