package trajectory

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
)

// maxStates caps the state vectors alive at once during shot branching,
// whatever the memory limit allows.
const maxStates = 1024

// shot is one trajectory's classical side: its index, its random stream
// and its clbits.
type shot struct {
	index int
	rng   *rand.Rand
	bits  circuit.Bits
}

// task is a group of shots that share one state: the state after elements
// [0, next) of their common history, plus a pending action to apply first.
type task struct {
	psi     []complex128 // nil: a restart, which starts from the prefix state
	shots   []*shot
	next    int
	pending *pendingAction
	// pend holds, per qubit, a one-qubit matrix not yet applied to psi
	// (nil: none). Single-qubit gates and noise wait there and are folded
	// into the next two-qubit gate on the qubit, or applied when the
	// qubit's amplitudes are read (noise sampled from the state, a
	// measurement, the end).
	pend []gate.Matrix
}

// pendingAction is what a branch must still apply to its copy of the
// parent's state: u·scale on e's qubits, then a reset of e's qubit.
type pendingAction struct {
	e     *elem
	u     gate.Matrix
	scale complex128
	reset bool
}

// brancher runs the tasks on a pool of workers.
type brancher struct {
	r      *run
	ctx    context.Context
	prefix []complex128
	pre    int
	keys   []string

	mu       sync.Mutex
	cond     *sync.Cond
	ready    []*task // tasks that own a state
	restarts []*task // shots to rerun from the prefix
	active   int     // tasks being processed
	workers  int
	live     int // states allocated (prefix excluded)
	maxLive  int
	err      error
}

// sample runs the shots with shot branching: shots start together and stay
// together while they draw the same outcome at every noise channel,
// measurement and condition, so the common history is simulated once. At
// each split the largest group keeps the state and the others copy it;
// when the memory limit allows no copy, the split-off shots are rerun from
// the start later, replaying their own draws. Every shot draws from its own
// PCG stream (Options.Seed, shot index), one number per random element in
// program order, and a state's values do not depend on which group carried
// it, so the counts depend neither on the workers nor on the memory limit.
func (r *run) sample(ctx context.Context, limit int64) (map[string]int, error) {
	size := stateBytes(r.n)
	workers := max(1, min(r.opt.WorkersOrDefault(), r.opt.Shots))
	maxLive := int(min(int64(maxStates), limit/size-1))
	if err := sim.CheckMemory(fmt.Sprintf("prefix state and a trajectory state of %d qubits", r.n), 2*size, limit); err != nil {
		return nil, err
	}
	maxLive = max(maxLive, 1)
	b := &brancher{r: r, ctx: ctx, keys: make([]string, r.opt.Shots), maxLive: maxLive, workers: workers}
	b.cond = sync.NewCond(&b.mu)
	b.prefix = make([]complex128, 1<<r.n)
	b.prefix[0] = 1
	buf := make([]complex128, r.bufLen)
	for b.pre < len(r.elems) && r.elems[b.pre].kind == apply && r.elems[b.pre].cond == nil {
		e := &r.elems[b.pre]
		e.lay.apply(b.prefix, e.u, 1, buf)
		b.pre++
	}
	all := make([]*shot, r.opt.Shots)
	for i := range all {
		all[i] = &shot{index: i}
	}
	b.restarts = append(b.restarts, &task{shots: all})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.work()
		}()
	}
	wg.Wait()
	if b.err != nil {
		return nil, b.err
	}
	counts := map[string]int{}
	for _, k := range b.keys {
		counts[k]++
	}
	return counts, nil
}

// work processes tasks until none is left.
func (b *brancher) work() {
	buf := make([]complex128, b.r.bufLen)
	for {
		b.mu.Lock()
		var t *task
		for t == nil {
			if b.err != nil || len(b.ready) == 0 && len(b.restarts) == 0 && b.active == 0 {
				b.mu.Unlock()
				b.cond.Broadcast()
				return
			}
			switch {
			case len(b.ready) > 0:
				t = b.ready[len(b.ready)-1]
				b.ready = b.ready[:len(b.ready)-1]
			case len(b.restarts) > 0 && b.live < b.maxLive:
				t = b.restarts[len(b.restarts)-1]
				b.restarts = b.restarts[:len(b.restarts)-1]
				b.live++
			default:
				b.cond.Wait()
			}
		}
		b.active++
		b.mu.Unlock()
		if t.psi == nil {
			t.psi = append([]complex128(nil), b.prefix...)
			for _, s := range t.shots {
				s.rng = rand.New(rand.NewPCG(b.r.opt.Seed, uint64(s.index)))
				s.bits = circuit.NewBits(b.r.c.NumClbits)
			}
			t.next = b.pre
			t.pend = make([]gate.Matrix, b.r.n)
		}
		err := b.process(t, buf)
		b.mu.Lock()
		b.active--
		b.live--
		if err != nil && b.err == nil {
			b.err = err
		}
		b.mu.Unlock()
		b.cond.Broadcast()
	}
}

// spawn hands shots, which leave t here, to a new task: a copy of t's
// state with pending applied first. The task is queued for another worker
// while fewer tasks than workers wait, and otherwise run here at once
// (depth first), which keeps the live states few; when the memory limit
// allows no copy, the shots are rerun from the start later.
func (b *brancher) spawn(t *task, shots []*shot, pending *pendingAction, buf []complex128) {
	b.mu.Lock()
	if b.live >= b.maxLive {
		b.restarts = append(b.restarts, &task{shots: shots})
		b.mu.Unlock()
		return
	}
	b.live++
	inline := len(b.ready) >= b.workers
	b.mu.Unlock()
	child := &task{psi: append([]complex128(nil), t.psi...), shots: shots, next: t.next, pending: pending,
		pend: append([]gate.Matrix(nil), t.pend...)}
	if inline {
		err := b.process(child, buf)
		b.mu.Lock()
		b.live--
		if err != nil && b.err == nil {
			b.err = err
		}
		b.mu.Unlock()
		b.cond.Broadcast()
		return
	}
	b.mu.Lock()
	b.ready = append(b.ready, child)
	b.mu.Unlock()
	b.cond.Signal()
}

// process runs task t to the end of the circuit.
func (b *brancher) process(t *task, buf []complex128) error {
	r := b.r
	if t.pending != nil {
		p := t.pending
		t.pending = nil
		b.act(t, p, buf)
	}
	for t.next < len(r.elems) {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		e := &r.elems[t.next]
		t.next++
		if e.cond != nil {
			var hold, skip []*shot
			for _, s := range t.shots {
				if r.c.CondHolds(e.cond, s.bits) {
					hold = append(hold, s)
				} else {
					skip = append(skip, s)
				}
			}
			if len(hold) == 0 {
				continue
			}
			if len(skip) > 0 {
				b.spawn(t, skip, nil, buf)
				t.shots = hold
			}
		}
		switch e.kind {
		case apply:
			t.gate(e.qubits, &e.lay, e.u, 1, buf)
		case mix:
			b.split(t, e, e.probs, func(i int) *pendingAction {
				a := e.acts[i]
				if a.u == nil && !a.reset {
					return nil
				}
				return &pendingAction{e: e, u: a.u, scale: 1, reset: a.reset}
			}, buf)
		case kraus:
			t.flush(e.qubits, buf)
			rho := make(gate.Matrix, e.lay.dim*e.lay.dim)
			e.lay.reduced(t.psi, rho, buf)
			ws := make([]float64, len(e.ops))
			for i, k := range e.ops {
				ws[i] = max(weight(k, rho, e.lay.dim), 0)
			}
			b.split(t, e, ws, func(i int) *pendingAction {
				return &pendingAction{e: e, u: e.ops[i], scale: complex(1/math.Sqrt(ws[i]), 0)}
			}, buf)
		case measure:
			b.measure(t, e, buf)
		}
	}
	b.finish(t, buf)
	return nil
}

// split draws one outcome per shot with weights ws, hands every outcome but
// the most frequent to a new task, and applies the most frequent one's
// action to t.
func (b *brancher) split(t *task, e *elem, ws []float64, act func(int) *pendingAction, buf []complex128) {
	groups := make([][]*shot, len(ws))
	for _, s := range t.shots {
		i := pick(ws, s.rng.Float64())
		groups[i] = append(groups[i], s)
	}
	keep := 0
	for i, g := range groups {
		if len(g) > len(groups[keep]) {
			keep = i
		}
	}
	for i, g := range groups {
		if i != keep && len(g) > 0 {
			b.spawn(t, g, act(i), buf)
		}
	}
	t.shots = groups[keep]
	if p := act(keep); p != nil {
		b.act(t, p, buf)
	}
}

// act applies a pending action to t's state.
func (b *brancher) act(t *task, p *pendingAction, buf []complex128) {
	if p.u != nil {
		t.gate(p.e.qubits, &p.e.lay, p.u, p.scale, buf)
	}
	if p.reset {
		q := p.e.qubits[0]
		t.flush([]int{q}, buf)
		reset := &elem{kind: kraus, qubits: []int{q}, lay: newLayout([]int{q}), ops: resetOps}
		rho := make(gate.Matrix, 4)
		reset.lay.reduced(t.psi, rho, buf)
		ws := []float64{max(real(rho[0]), 0), max(real(rho[3]), 0)}
		b.split(t, reset, ws, func(i int) *pendingAction {
			return &pendingAction{e: reset, u: resetOps[i], scale: complex(1/math.Sqrt(ws[i]), 0)}
		}, buf)
	}
}

// measure splits t by measured outcome, then records each shot's bit with
// its own readout error.
func (b *brancher) measure(t *task, e *elem, buf []complex128) {
	t.flush(e.qubits, buf)
	rho := make(gate.Matrix, 4)
	e.lay.reduced(t.psi, rho, buf)
	ws := []float64{max(real(rho[0]), 0), max(real(rho[3]), 0)}
	projs := []gate.Matrix{{1, 0, 0, 0}, {0, 0, 0, 1}}
	outcome := map[*shot]int{}
	groups := make([][]*shot, 2)
	for _, s := range t.shots {
		o := pick(ws, s.rng.Float64())
		outcome[s] = o
		groups[o] = append(groups[o], s)
	}
	for _, s := range t.shots {
		read := outcome[s]
		if !e.readout.IsZero() && s.rng.Float64() >= e.readout.Prob(read, read) {
			read ^= 1
		}
		s.bits.Set(e.clbit, read == 1)
	}
	keep := 0
	if len(groups[1]) > len(groups[0]) {
		keep = 1
	}
	if other := 1 - keep; len(groups[other]) > 0 {
		b.spawn(t, groups[other], &pendingAction{e: e, u: projs[other], scale: complex(1/math.Sqrt(ws[other]), 0)}, buf)
	}
	t.shots = groups[keep]
	t.gate(e.qubits, &e.lay, projs[keep], complex(1/math.Sqrt(ws[keep]), 0), buf)
}

// finish reads the deferred measurements of every shot of t: one basis
// state drawn from |ψ|², clbits set in program order, then the last
// writer's readout error on each clbit.
func (b *brancher) finish(t *task, buf []complex128) {
	r := b.r
	if len(r.deferred) > 0 {
		all := make([]int, r.n)
		for q := range all {
			all[q] = q
		}
		t.flush(all, buf)
		cum := cumulative(t.psi)
		last := map[int]deferred{}
		for _, d := range r.deferred {
			last[d.clbit] = d
		}
		for _, s := range t.shots {
			x := searchCum(cum, s.rng.Float64()*cum[len(cum)-1])
			for _, d := range r.deferred {
				s.bits.Set(d.clbit, x>>d.qubit&1 == 1)
			}
			for c := 0; c < r.c.NumClbits; c++ {
				d, ok := last[c]
				if !ok || d.readout.IsZero() {
					continue
				}
				actual := 0
				if s.bits.Get(c) {
					actual = 1
				}
				if s.rng.Float64() >= d.readout.Prob(actual, actual) {
					s.bits.Set(c, actual == 0)
				}
			}
		}
	}
	for _, s := range t.shots {
		b.keys[s.index] = r.c.Key(s.bits)
	}
}

// pick returns the index i with probability ws[i]/Σws for u uniform in
// [0, 1), never one of weight 0.
func pick(ws []float64, u float64) int {
	var total float64
	for _, w := range ws {
		total += w
	}
	u *= total
	for i, w := range ws {
		if u < w {
			return i
		}
		u -= w
	}
	for i := len(ws) - 1; i >= 0; i-- {
		if ws[i] > 0 {
			return i
		}
	}
	return 0
}

// cumulative returns the running sums of |ψ_i|².
func cumulative(psi []complex128) []float64 {
	cum := make([]float64, len(psi))
	var t float64
	for i, a := range psi {
		t += real(a)*real(a) + imag(a)*imag(a)
		cum[i] = t
	}
	return cum
}

// searchCum returns the first index whose cumulative sum exceeds u.
func searchCum(cum []float64, u float64) int {
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] > u {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// gate applies m·scale on qubits (whose layout is lay) to t: a one-qubit
// matrix joins the qubit's pending matrix; a two-qubit one absorbs both
// qubits' pending matrices and is applied; wider ones flush first.
func (t *task) gate(qubits []int, lay *layout, m gate.Matrix, scale complex128, buf []complex128) {
	switch len(qubits) {
	case 1:
		q := qubits[0]
		s := make(gate.Matrix, 4)
		for i, v := range m {
			s[i] = v * scale
		}
		if t.pend[q] != nil {
			s = mul(s, t.pend[q], 2)
		}
		t.pend[q] = s
		return
	case 2:
		a, b := qubits[0], qubits[1]
		if t.pend[a] != nil || t.pend[b] != nil {
			pa, pb := t.pend[a], t.pend[b]
			if pa == nil {
				pa = gate.Identity(1)
			}
			if pb == nil {
				pb = gate.Identity(1)
			}
			m = mul(m, kron(pb, pa), 4)
			t.pend[a], t.pend[b] = nil, nil
		}
	default:
		t.flush(qubits, buf)
	}
	lay.apply(t.psi, m, scale, buf)
}

// flush applies the pending matrices of qubits to the state.
func (t *task) flush(qubits []int, buf []complex128) {
	for _, q := range qubits {
		if m := t.pend[q]; m != nil {
			l := newLayout([]int{q})
			l.apply(t.psi, m, 1, buf)
			t.pend[q] = nil
		}
	}
}

// kron returns a ⊗ b for 2×2 matrices: b acts on the low bit.
func kron(a, b gate.Matrix) gate.Matrix {
	out := make(gate.Matrix, 16)
	for ra := range 2 {
		for ca := range 2 {
			for rb := range 2 {
				for cb := range 2 {
					out[(ra*2+rb)*4+ca*2+cb] = a[ra*2+ca] * b[rb*2+cb]
				}
			}
		}
	}
	return out
}
