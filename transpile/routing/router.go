package routing

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
)

// checkScores makes every trial compare scoreFast with score (tests).
var checkScores = false

// swapGate is the table gate routing inserts.
var swapGate = mustLookup("swap")

func mustLookup(name string) *gate.Gate {
	g, ok := gate.Lookup(name)
	if !ok {
		panic("routing: gate table has no " + name)
	}
	return g
}

// Router is a circuit prepared for SABRE trials: the dependency graph of
// its operations (each op depends on the previous op on every qubit and
// clbit it touches, conditions touching their whole register) together
// with a coupling graph and the heuristic's parameters. A Router is
// read-only once built, so trials may run on it concurrently.
type Router struct {
	cp      *Coupling
	c       *circuit.Circuit
	ops     []circuit.Op // in dependency order (reversed for a reverse router)
	nv      int
	twoQ    []bool
	pair    [][2]int32 // virtual qubits of each two-qubit gate
	succOff []int32    // successors of node i: succ[succOff[i]:succOff[i+1]]
	succ    []int32
	npred   []int32
	p       params
}

// params are the resolved heuristic parameters.
type params struct {
	lookahead  float64
	extSize    int
	decay      float64
	decayReset int
}

// NewRouter prepares c, a circuit over virtual qubits (c.NumQubits at most
// the coupling's qubit count), for routing on cp. With reverse set the ops
// are taken last to first, as SABRE layout's backward passes need. It fails
// on a gate of three or more qubits.
func (s Sabre) NewRouter(c *circuit.Circuit, cp *Coupling, reverse bool) (*Router, error) {
	if c.NumQubits > cp.n {
		return nil, fmt.Errorf("circuit has %d qubits, device %s has %d", c.NumQubits, cp.name, cp.n)
	}
	r := &Router{cp: cp, c: c, nv: c.NumQubits, p: s.params()}
	r.ops = make([]circuit.Op, len(c.Ops))
	for i := range c.Ops {
		j := i
		if reverse {
			j = len(c.Ops) - 1 - i
		}
		r.ops[i] = c.Ops[j]
	}
	nw := c.NumQubits + c.NumClbits
	last := make([]int32, nw)
	for i := range last {
		last[i] = -1
	}
	n := len(r.ops)
	r.twoQ = make([]bool, n)
	r.pair = make([][2]int32, n)
	r.npred = make([]int32, n)
	preds := make([][]int32, n)
	nsucc := make([]int32, n+1)
	var wires []int
	for i := range r.ops {
		op := &r.ops[i]
		for _, q := range op.Qubits {
			if q < 0 || q >= c.NumQubits {
				return nil, fmt.Errorf("op %d (%s): qubit %d out of range [0,%d)", i, opName(op), q, c.NumQubits)
			}
		}
		if op.Kind == circuit.GateOp {
			switch len(op.Qubits) {
			case 1:
			case 2:
				r.twoQ[i] = true
				r.pair[i] = [2]int32{int32(op.Qubits[0]), int32(op.Qubits[1])}
			default:
				return nil, fmt.Errorf("op %d: gate %s acts on %d qubits: routing takes only one- and two-qubit gates (unroll first)", i, opName(op), len(op.Qubits))
			}
		}
		wires = wires[:0]
		wires = append(wires, op.Qubits...)
		for _, b := range op.Clbits {
			wires = append(wires, c.NumQubits+b)
		}
		if op.Cond != nil {
			reg := c.CRegs[op.Cond.CReg]
			for b := reg.Offset; b < reg.Offset+reg.Size; b++ {
				wires = append(wires, c.NumQubits+b)
			}
		}
		for _, w := range wires {
			p := last[w]
			last[w] = int32(i)
			if p < 0 || contains(preds[i], p) {
				continue
			}
			preds[i] = append(preds[i], p)
			nsucc[p]++
		}
		r.npred[i] = int32(len(preds[i]))
	}
	r.succOff = make([]int32, n+1)
	for i := range n {
		r.succOff[i+1] = r.succOff[i] + nsucc[i]
	}
	r.succ = make([]int32, r.succOff[n])
	fill := append([]int32(nil), r.succOff[:n]...)
	for i, ps := range preds {
		for _, p := range ps {
			r.succ[fill[p]] = int32(i)
			fill[p]++
		}
	}
	return r, nil
}

func contains(s []int32, x int32) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func opName(op *circuit.Op) string {
	if op.Kind == circuit.GateOp {
		return op.Name
	}
	return op.Kind.String()
}

// CheckLayout reports whether l places the router's virtual qubits on
// distinct usable physical qubits such that both qubits of every two-qubit
// gate lie in the same connected region (a SWAP never leaves its region).
func (r *Router) CheckLayout(l transpile.Layout) error {
	if err := checkLayout(l, r.nv, r.cp); err != nil {
		return err
	}
	for i, two := range r.twoQ {
		if !two {
			continue
		}
		a, b := r.pair[i][0], r.pair[i][1]
		pa, pb := l[a], l[b]
		if r.cp.comp[pa] != r.cp.comp[pb] {
			return fmt.Errorf("gate %s on virtual qubits %d and %d: their physical qubits %d and %d lie in disconnected regions of device %s",
				r.ops[i].Name, a, b, pa, pb, r.cp.name)
		}
	}
	return nil
}

// checkLayout checks that l has one distinct usable physical qubit for each
// of nv virtual qubits.
func checkLayout(l transpile.Layout, nv int, cp *Coupling) error {
	if len(l) != nv {
		return fmt.Errorf("layout places %d virtual qubits, circuit has %d", len(l), nv)
	}
	seen := make([]bool, cp.n)
	for v, p := range l {
		if p < 0 || p >= cp.n {
			return fmt.Errorf("layout puts virtual qubit %d on physical qubit %d, out of range [0,%d) of device %s", v, p, cp.n, cp.name)
		}
		if !cp.usable[p] {
			return fmt.Errorf("layout puts virtual qubit %d on physical qubit %d, which is unusable on device %s", v, p, cp.name)
		}
		if seen[p] {
			return fmt.Errorf("layout puts two virtual qubits on physical qubit %d", p)
		}
		seen[p] = true
	}
	return nil
}

// trial is the outcome of one SABRE pass.
type trial struct {
	// events lists what was emitted, in order: a node index (≥ 0), or a
	// SWAP on physical qubits (p, q) encoded as -(p·n+q)-1.
	events []int32
	final  []int
	swaps  int
	depth  int
	// cost weighs the SWAPs by the two-qubit gates they will cost after
	// re-synthesis: 1 for a SWAP that directly follows a two-qubit op on
	// the same pair (they merge into one block), 3 for any other.
	cost int
}

// absorbBonus is subtracted from the score of a SWAP candidate on a pair
// whose last op was a two-qubit gate between the same qubits: such a SWAP
// merges with that gate into one two-qubit block, which re-synthesis
// (optimize.Resynth2Q) turns into at most three CX or CZ, so it costs about
// one two-qubit gate instead of three. The value was tuned on QFT, QAOA and
// random circuits on the Dongling map (bench/transpile): 0.15 to 0.3 cut
// QFT's two-qubit gates by a quarter; much larger values make the
// heuristic trade real distance for merges and insert more SWAPs.
const absorbBonus = 0.2

// Trial runs one SABRE pass from initial (which must satisfy CheckLayout)
// with the random stream (seed, stream) breaking ties, and returns the final
// layout, the number of SWAPs inserted and the depth of the routed circuit.
func (r *Router) Trial(ctx context.Context, initial transpile.Layout, seed, stream uint64) (final transpile.Layout, swaps, depth int, err error) {
	if err := r.CheckLayout(initial); err != nil {
		return nil, 0, 0, err
	}
	t, err := r.run(ctx, initial, newRand(seed, stream), false)
	if err != nil {
		return nil, 0, 0, err
	}
	return t.final, t.swaps, t.depth, nil
}

// newRand returns the random source of one trial.
func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream*0x9e3779b97f4a7c15+0x632be59bd9b4e019))
}

// state is the mutable state of one trial.
type state struct {
	r        *Router
	l2p, p2l []int
	decay    []float64
	depth    []int32
	maxDepth int32
	t        trial
	record   bool
	// Scored gates (front then extended set) by virtual qubit, and their
	// distance sums under the current layout; see scoreFast.
	inc        [][]int32
	touched    []int
	fsum, esum float64
	// last[p] is the physical partner of the last op on wire p when that
	// was an unconditioned two-qubit gate, else -1: a SWAP on such a pair
	// merges with the gate into one two-qubit block (see absorbBonus).
	last []int
}

func (st *state) swap(p, q int) {
	vp, vq := st.p2l[p], st.p2l[q]
	st.p2l[p], st.p2l[q] = vq, vp
	if vp >= 0 {
		st.l2p[vp] = q
	}
	if vq >= 0 {
		st.l2p[vq] = p
	}
	if st.record {
		st.t.events = append(st.t.events, int32(-(p*st.r.cp.n+q)-1))
	}
	st.t.swaps++
	if st.last[p] == q {
		st.t.cost++
	} else {
		st.t.cost += 3
	}
	st.bump(p, q)
	st.last[p], st.last[q] = -1, -1
}

// bump advances the depth of one or two physical wires (q < 0 for one).
func (st *state) bump(p, q int) {
	d := st.depth[p]
	if q >= 0 {
		d = max(d, st.depth[q])
	}
	d++
	st.depth[p] = d
	if q >= 0 {
		st.depth[q] = d
	}
	st.maxDepth = max(st.maxDepth, d)
}

func (st *state) emit(nd int32) {
	if st.record {
		st.t.events = append(st.t.events, nd)
	}
	op := &st.r.ops[nd]
	if op.Kind == circuit.Barrier {
		return
	}
	if len(op.Qubits) == 2 {
		p, q := st.l2p[op.Qubits[0]], st.l2p[op.Qubits[1]]
		st.bump(p, q)
		st.last[p], st.last[q] = q, p
		if op.Cond != nil {
			st.last[p], st.last[q] = -1, -1
		}
	} else if len(op.Qubits) == 1 {
		st.bump(st.l2p[op.Qubits[0]], -1)
		if op.Kind != circuit.GateOp || op.Cond != nil {
			st.last[st.l2p[op.Qubits[0]]] = -1
		}
	}
}

// run performs one SABRE pass.
func (r *Router) run(ctx context.Context, initial []int, rng *rand.Rand, record bool) (trial, error) {
	cp := r.cp
	n := cp.n
	st := &state{
		r:      r,
		l2p:    slices.Clone(initial),
		p2l:    make([]int, n),
		decay:  make([]float64, n),
		depth:  make([]int32, n),
		record: record,
		inc:    make([][]int32, r.nv),
		last:   make([]int, n),
	}
	for i := range st.last {
		st.last[i] = -1
	}
	for i := range st.p2l {
		st.p2l[i] = -1
	}
	for v, p := range st.l2p {
		st.p2l[p] = v
	}
	resetDecay := func() {
		for i := range st.decay {
			st.decay[i] = 1
		}
	}
	resetDecay()
	if record {
		st.t.events = make([]int32, 0, len(r.ops)+len(r.ops)/2)
	}
	indeg := append([]int32(nil), r.npred...)
	// Ready nodes leave in index order, so that a circuit needing no SWAP
	// comes out exactly as it went in.
	var ready minHeap
	for i, d := range indeg {
		if d == 0 {
			ready.push(int32(i))
		}
	}
	var (
		front, ext, visit []int32
		cands, ties       []int32
		seen              = make([]uint32, len(r.ops))
		candSeen          = make([]uint32, len(cp.edges))
		gen               uint32
		progressed        = true
		stall, sinceReset int
		maxStall          = 10 + 2*cp.diam
		iter              int
	)
	for {
		for len(ready) > 0 {
			nd := ready.pop()
			if r.twoQ[nd] && !cp.adjM[st.l2p[r.pair[nd][0]]*n+st.l2p[r.pair[nd][1]]] {
				front = append(front, nd)
				continue
			}
			st.emit(nd)
			for _, s := range r.succ[r.succOff[nd]:r.succOff[nd+1]] {
				if indeg[s]--; indeg[s] == 0 {
					ready.push(s)
				}
			}
			progressed = true
		}
		if len(front) == 0 {
			break
		}
		if iter++; iter&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return trial{}, err
			}
		}
		if progressed {
			progressed = false
			resetDecay()
			sinceReset, stall = 0, 0
			// Extended set: the next two-qubit gates after the front
			// layer, breadth first through the dependency graph.
			gen++
			ext = ext[:0]
			visit = append(visit[:0], front...)
			for _, nd := range front {
				seen[nd] = gen
			}
		bfs:
			for h := 0; h < len(visit); h++ {
				nd := visit[h]
				for _, s := range r.succ[r.succOff[nd]:r.succOff[nd+1]] {
					if seen[s] == gen {
						continue
					}
					seen[s] = gen
					visit = append(visit, s)
					if r.twoQ[s] {
						ext = append(ext, s)
						if len(ext) >= r.p.extSize {
							break bfs
						}
					}
				}
			}
			st.index(front, ext)
		}
		if stall >= maxStall {
			st.release(front)
			stall = 0
		} else {
			// Candidate SWAPs: usable edges touching a front-layer qubit.
			gen++
			cands = cands[:0]
			for _, nd := range front {
				for _, v := range r.pair[nd] {
					p := st.l2p[v]
					for _, q := range cp.adj[p] {
						id := cp.edgeID[p*n+q]
						if candSeen[id] != gen {
							candSeen[id] = gen
							cands = append(cands, id)
						}
					}
				}
			}
			best := math.Inf(1)
			ties = ties[:0]
			st.sums(front, ext)
			for _, id := range cands {
				e := cp.edges[id]
				h := st.scoreFast(e[0], e[1], front, ext)
				if checkScores {
					if slow := st.score(e[0], e[1], front, ext); math.Abs(slow-h) > 1e-9*max(1, slow) {
						panic(fmt.Sprintf("routing: fast score %g, slow score %g for swap %v", h, slow, e))
					}
				}
				if st.last[e[0]] == e[1] {
					h -= absorbBonus // see absorbBonus
				}
				switch {
				case h < best-1e-10:
					best = h
					ties = append(ties[:0], id)
				case h <= best+1e-10:
					ties = append(ties, id)
				}
			}
			e := cp.edges[ties[0]]
			if len(ties) > 1 {
				e = cp.edges[ties[rng.IntN(len(ties))]]
			}
			st.swap(e[0], e[1])
			st.decay[e[0]] += r.p.decay
			st.decay[e[1]] += r.p.decay
			stall++
			if sinceReset++; sinceReset >= r.p.decayReset {
				resetDecay()
				sinceReset = 0
			}
		}
		keep := front[:0]
		for _, nd := range front {
			if cp.adjM[st.l2p[r.pair[nd][0]]*n+st.l2p[r.pair[nd][1]]] {
				ready.push(nd)
			} else {
				keep = append(keep, nd)
			}
		}
		front = keep
	}
	st.t.final = st.l2p
	st.t.depth = int(st.maxDepth)
	return st.t, nil
}

// index records, for each virtual qubit, which scored gates (front then
// extended set) act on it.
func (st *state) index(front, ext []int32) {
	for _, v := range st.touched {
		st.inc[v] = st.inc[v][:0]
	}
	st.touched = st.touched[:0]
	add := func(k int32, nd int32) {
		for _, v := range st.r.pair[nd] {
			if len(st.inc[v]) == 0 {
				st.touched = append(st.touched, int(v))
			}
			st.inc[v] = append(st.inc[v], k)
		}
	}
	for k, nd := range front {
		add(int32(k), nd)
	}
	for k, nd := range ext {
		add(int32(len(front)+k), nd)
	}
}

// sums computes the distance sums of the front layer and extended set
// under the current layout.
func (st *state) sums(front, ext []int32) {
	r := st.r
	dist, n := r.cp.dist, r.cp.n
	st.fsum, st.esum = 0, 0
	for _, nd := range front {
		st.fsum += dist[st.l2p[r.pair[nd][0]]*n+st.l2p[r.pair[nd][1]]]
	}
	for _, nd := range ext {
		st.esum += dist[st.l2p[r.pair[nd][0]]*n+st.l2p[r.pair[nd][1]]]
	}
}

// scoreFast equals score but updates the sums from sums only for the
// gates on the two swapped qubits (index must describe front and ext).
func (st *state) scoreFast(p, q int, front, ext []int32) float64 {
	r := st.r
	dist, n := r.cp.dist, r.cp.n
	nf := int32(len(front))
	f, e := st.fsum, st.esum
	move := func(v, other, from, to int) {
		if v < 0 {
			return
		}
		for _, k := range st.inc[v] {
			var nd int32
			if k < nf {
				nd = front[k]
			} else {
				nd = ext[k-nf]
			}
			u := int(r.pair[nd][0])
			if u == v {
				u = int(r.pair[nd][1])
			}
			if u == other {
				continue // both ends swap: the distance is unchanged
			}
			pu := st.l2p[u]
			d := dist[to*n+pu] - dist[from*n+pu]
			if k < nf {
				f += d
			} else {
				e += d
			}
		}
	}
	vp, vq := st.p2l[p], st.p2l[q]
	move(vp, vq, p, q)
	move(vq, vp, q, p)
	h := f / float64(len(front))
	if len(ext) > 0 && r.p.lookahead > 0 {
		h += r.p.lookahead * e / float64(len(ext))
	}
	return h * max(st.decay[p], st.decay[q])
}

// score is SABRE's cost of the layout after swapping physical p and q: the
// mean distance of the front layer plus the weighted mean distance of the
// extended set, scaled by the larger decay of p and q.
func (st *state) score(p, q int, front, ext []int32) float64 {
	r := st.r
	vp, vq := st.p2l[p], st.p2l[q]
	pos := func(v int32) int {
		switch int(v) {
		case vp:
			return q
		case vq:
			return p
		}
		return st.l2p[v]
	}
	dist, n := r.cp.dist, r.cp.n
	var f float64
	for _, nd := range front {
		f += dist[pos(r.pair[nd][0])*n+pos(r.pair[nd][1])]
	}
	h := f / float64(len(front))
	if len(ext) > 0 && r.p.lookahead > 0 {
		var e float64
		for _, nd := range ext {
			e += dist[pos(r.pair[nd][0])*n+pos(r.pair[nd][1])]
		}
		h += r.p.lookahead * e / float64(len(ext))
	}
	return h * max(st.decay[p], st.decay[q])
}

// release breaks a stall: it brings the front gate whose qubits are
// closest together adjacent along a shortest path.
func (st *state) release(front []int32) {
	r := st.r
	cp := r.cp
	best, bestD := front[0], math.MaxInt
	for _, nd := range front {
		if d := cp.Hops(st.l2p[r.pair[nd][0]], st.l2p[r.pair[nd][1]]); d < bestD {
			best, bestD = nd, d
		}
	}
	a, b := st.l2p[r.pair[best][0]], st.l2p[r.pair[best][1]]
	for !cp.Adjacent(a, b) {
		d := cp.Hops(a, b)
		next := -1
		for _, x := range cp.adj[a] {
			if cp.Hops(x, b) == d-1 {
				next = x
				break
			}
		}
		st.swap(a, next)
		a = next
	}
}

// build replays a recorded trial into a circuit over the device's physical
// qubits.
func (r *Router) build(t trial, initial []int) *circuit.Circuit {
	c := r.c
	n := r.cp.n
	out := &circuit.Circuit{
		Name:      c.Name,
		QRegs:     []circuit.Register{{Name: PhysicalRegName(c), Offset: 0, Size: n}},
		CRegs:     append([]circuit.Register(nil), c.CRegs...),
		NumQubits: n,
		NumClbits: c.NumClbits,
		Opaques:   append([]circuit.Opaque(nil), c.Opaques...),
		Ops:       make([]circuit.Op, 0, len(t.events)),
	}
	l2p := append([]int(nil), initial...)
	p2l := make([]int, n)
	for i := range p2l {
		p2l[i] = -1
	}
	for v, p := range l2p {
		p2l[p] = v
	}
	for _, ev := range t.events {
		if ev < 0 {
			code := int(-ev - 1)
			p, q := code/n, code%n
			vp, vq := p2l[p], p2l[q]
			p2l[p], p2l[q] = vq, vp
			if vp >= 0 {
				l2p[vp] = q
			}
			if vq >= 0 {
				l2p[vq] = p
			}
			out.Ops = append(out.Ops, circuit.Op{Kind: circuit.GateOp, Gate: swapGate, Name: swapGate.Name, Qubits: []int{p, q}})
			continue
		}
		op := cloneOp(r.ops[ev])
		for i, v := range op.Qubits {
			op.Qubits[i] = l2p[v]
		}
		out.Ops = append(out.Ops, op)
	}
	return out
}

// cloneOp returns a deep copy of op.
func cloneOp(op circuit.Op) circuit.Op {
	op.Params = append([]circuit.Param(nil), op.Params...)
	op.Qubits = append([]int(nil), op.Qubits...)
	op.Clbits = append([]int(nil), op.Clbits...)
	if op.Cond != nil {
		op.Cond = &circuit.Condition{CReg: op.Cond.CReg, Value: new(big.Int).Set(op.Cond.Value)}
	}
	return op
}

// minHeap is a binary min-heap of node indices.
type minHeap []int32

func (h *minHeap) push(x int32) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p] <= a[i] {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *minHeap) pop() int32 {
	a := *h
	top := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(a) && a[l] < a[m] {
			m = l
		}
		if l+1 < len(a) && a[l+1] < a[m] {
			m = l + 1
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top
}

// PhysicalRegName returns the name of the one quantum register of a
// circuit over physical qubits: "q", or, when c has a classical register
// of that name, "q" followed by as many underscores as needed to be free.
func PhysicalRegName(c *circuit.Circuit) string {
	name := "q"
	for {
		if _, taken := c.CReg(name); !taken {
			return name
		}
		name += "_"
	}
}
