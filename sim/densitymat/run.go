package densitymat

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"sort"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/noise"
)

// errBranches reports that exact simulation needs more classical branches
// than MaxBranches (or than memory holds).
var errBranches = errors.New("too many classical branches")

// stepKind says how a compiled step acts.
type stepKind uint8

const (
	evolve       stepKind = iota // apply kernels to every branch whose condition holds
	measureNow                   // split branches by outcome
	measureLater                 // read from the final diagonal
)

// step is one compiled operation.
type step struct {
	kind    stepKind
	op      *circuit.Op // for its condition; nil for idle noise
	kernels []*kernel
	qubit   int
	clbit   int
	readout noise.ReadoutError
}

// compile turns the noise plan into kernels on the 2n-bit vector of ρ and
// marks the measurements that can be read at the end (noise.Deferrable).
func compile(c *circuit.Circuit, plan []noise.Step, mats []gate.Matrix) []step {
	n := c.NumQubits
	index := make(map[*circuit.Op]int, len(c.Ops))
	for i := range c.Ops {
		index[&c.Ops[i]] = i
	}
	later := noise.Deferrable(c, plan)
	var out []step
	for i := range plan {
		st := &plan[i]
		pos := positions(st.Qubits, n)
		s := step{kind: evolve, op: st.Op}
		var sop gate.Matrix
		switch {
		case st.Op == nil:
		case st.Op.Kind == circuit.Barrier:
			continue
		case st.Op.Kind == circuit.Measure:
			s.qubit, s.clbit, s.readout = st.Op.Qubits[0], st.Op.Clbits[0], st.Readout
			s.kind = measureNow
			if later[i] {
				s.kind = measureLater
			}
			out = append(out, s)
			continue
		case st.Op.Kind == circuit.Reset:
			sop = superop([]gate.Matrix{{1, 0, 0, 0}, {0, 1, 0, 0}}, 1)
		default:
			u := mats[index[st.Op]]
			k := len(st.Qubits)
			if k > 2 && len(st.Noise) == 0 {
				// Wide ideal gates: U on the row bits, conj(U) on the column bits.
				s.kernels = []*kernel{newKernel(u, pos[:k]), newKernel(conj(u), pos[k:])}
				out = append(out, s)
				continue
			}
			sop = superop([]gate.Matrix{u}, k)
		}
		for _, ch := range st.Noise {
			cs := superop(ch.Kraus, ch.Qubits)
			if sop == nil {
				sop = cs
			} else {
				sop = gate.Mul(cs, sop)
			}
		}
		if sop != nil {
			s.kernels = []*kernel{newKernel(sop, pos)}
			out = append(out, s)
		}
	}
	return out
}

// positions returns the bit positions of qubits qs in ρ's vector: the row
// bits qs, then the column bits qs + n.
func positions(qs []int, n int) []int {
	pos := make([]int, 0, 2*len(qs))
	pos = append(pos, qs...)
	for _, q := range qs {
		pos = append(pos, q+n)
	}
	return pos
}

// run is the state of one Run.
type run struct {
	c       *circuit.Circuit
	n       int
	opt     sim.Options
	limit   int64
	workers int
	steps   []step
}

// branch is one classical history: its clbits and the unnormalised ρ it
// leaves (trace = probability).
type branch struct {
	bits circuit.Bits
	rho  []complex128
}

// initial returns |0…0⟩⟨0…0|.
func (r *run) initial() []complex128 {
	rho := make([]complex128, 1<<(2*r.n))
	rho[0] = 1
	return rho
}

// holds reports whether s applies to a branch with clbits b.
func (r *run) holds(s *step, b circuit.Bits) bool {
	return s.op == nil || r.c.CondHolds(s.op, b)
}

// exact evolves every classical branch and returns the final distribution,
// or errBranches when more than MaxBranches branches (or more than memory
// holds) would be live.
func (r *run) exact(ctx context.Context) (*dist, error) {
	maxBranches := r.maxBranches()
	live := []*branch{{bits: circuit.NewBits(r.c.NumClbits), rho: r.initial()}}
	var deferred []step
	for i := range r.steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s := &r.steps[i]
		switch s.kind {
		case evolve:
			for _, b := range live {
				if r.holds(s, b.bits) {
					for _, k := range s.kernels {
						k.apply(b.rho, r.workers)
					}
				}
			}
		case measureLater:
			deferred = append(deferred, *s)
		case measureNow:
			next := newMerger()
			for _, b := range live {
				if !r.holds(s, b.bits) {
					next.add(b)
					continue
				}
				rec1 := r.split(b.rho, s)
				for outcome, rho := range [][]complex128{b.rho, rec1} {
					if r.trace(rho) < pruneBelow {
						continue
					}
					bits := b.bits.Clone()
					bits.Set(s.clbit, outcome == 1)
					next.add(&branch{bits: bits, rho: rho})
				}
				if len(next.list) > maxBranches {
					return nil, errBranches
				}
			}
			live = next.list
		}
	}
	return r.final(live, deferred), nil
}

// maxBranches returns how many classical branches exact simulation may
// keep: MaxBranches, or fewer where the memory limit holds fewer density
// matrices.
func (r *run) maxBranches() int {
	n := r.opt.MaxBranchesOrDefault()
	if b := r.limit / max(matBytes(r.n), 1); int64(n) > b {
		n = int(max(b, 1))
	}
	return n
}

// split measures qubit s.qubit of rho: afterwards rho holds the
// (unnormalised) state given that 0 was recorded and the returned slice the
// state given that 1 was, with the readout error mixing the two outcomes.
func (r *run) split(rho []complex128, s *step) []complex128 {
	one := make([]complex128, len(rho))
	rowBit, colBit := 1<<s.qubit, 1<<(s.qubit+r.n)
	e := s.readout
	for i, v := range rho {
		rb, cb := i&rowBit != 0, i&colBit != 0
		switch {
		case rb != cb:
			rho[i] = 0
		case !rb:
			rho[i], one[i] = v*complex(1-e.P10, 0), v*complex(e.P10, 0)
		default:
			rho[i], one[i] = v*complex(e.P01, 0), v*complex(1-e.P01, 0)
		}
	}
	return one
}

// trace returns Re Tr ρ.
func (r *run) trace(rho []complex128) float64 {
	var t float64
	stride := 1<<r.n + 1
	for i := 0; i < len(rho); i += stride {
		t += real(rho[i])
	}
	return t
}

// merger collects branches, adding the states of branches with equal
// clbits, in first-seen order.
type merger struct {
	index map[string]int
	list  []*branch
}

func newMerger() *merger { return &merger{index: map[string]int{}} }

func (m *merger) add(b *branch) {
	k := bitsKey(b.bits)
	if i, ok := m.index[k]; ok {
		dst := m.list[i].rho
		for j, v := range b.rho {
			dst[j] += v
		}
		return
	}
	m.index[k] = len(m.list)
	m.list = append(m.list, b)
}

// bitsKey encodes clbits as a map key.
func bitsKey(b circuit.Bits) string {
	buf := make([]byte, 8*len(b))
	for i, w := range b {
		binary.LittleEndian.PutUint64(buf[8*i:], w)
	}
	return string(buf)
}

// dist is a final outcome distribution: over clbits if the circuit
// measures, else over the qubits' basis states.
type dist struct {
	c          *circuit.Circuit
	overQubits bool
	bits       []circuit.Bits // outcomes over clbits, in first-seen order
	qubits     []float64      // outcomes over qubits, by basis index
	p          []float64
	index      map[string]int
}

func (d *dist) add(b circuit.Bits, p float64) {
	k := bitsKey(b)
	if i, ok := d.index[k]; ok {
		d.p[i] += p
		return
	}
	d.index[k] = len(d.bits)
	d.bits = append(d.bits, b)
	d.p = append(d.p, p)
}

// final reads the outcome distribution from the live branches: deferred
// measurements from each branch's diagonal, then their readout errors.
func (r *run) final(live []*branch, deferred []step) *dist {
	d := &dist{c: r.c, index: map[string]int{}}
	if !r.c.HasMeasure() {
		d.overQubits = true
		d.qubits = make([]float64, 1<<r.n)
		for _, b := range live {
			for i := range d.qubits {
				d.qubits[i] += real(b.rho[i*(1<<r.n+1)])
			}
		}
		return d
	}
	qs, pick := deferredQubits(deferred)
	for _, b := range live {
		marg := r.marginal(b.rho, qs)
		for x, p := range marg {
			if p <= 0 {
				continue
			}
			bits := b.bits.Clone()
			for _, s := range deferred {
				bits.Set(s.clbit, x>>pick[s.qubit]&1 == 1)
			}
			d.add(bits, p)
		}
	}
	for _, s := range lastWriters(deferred) {
		if s.readout.IsZero() {
			continue
		}
		old := d
		d = &dist{c: r.c, index: map[string]int{}}
		for i, b := range old.bits {
			actual := 0
			if b.Get(s.clbit) {
				actual = 1
			}
			for read := 0; read < 2; read++ {
				if p := old.p[i] * s.readout.Prob(read, actual); p > 0 {
					nb := b.Clone()
					nb.Set(s.clbit, read == 1)
					d.add(nb, p)
				}
			}
		}
	}
	return d
}

// deferredQubits returns the distinct qubits of the deferred measurements
// and, for each, its bit in the marginal index.
func deferredQubits(deferred []step) ([]int, map[int]int) {
	pick := map[int]int{}
	var qs []int
	for _, s := range deferred {
		if _, ok := pick[s.qubit]; !ok {
			pick[s.qubit] = len(qs)
			qs = append(qs, s.qubit)
		}
	}
	return qs, pick
}

// lastWriters returns, for each clbit written by deferred measurements,
// the last one, in clbit order.
func lastWriters(deferred []step) []step {
	last := map[int]step{}
	for _, s := range deferred {
		last[s.clbit] = s
	}
	out := make([]step, 0, len(last))
	for _, s := range last {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].clbit < out[j].clbit })
	return out
}

// marginal returns the diagonal of rho summed onto qubits qs (bit k of the
// result index is qubit qs[k]).
func (r *run) marginal(rho []complex128, qs []int) []float64 {
	out := make([]float64, 1<<len(qs))
	stride := 1<<r.n + 1
	for i := 0; i < 1<<r.n; i++ {
		x := 0
		for k, q := range qs {
			x |= (i >> q & 1) << k
		}
		out[x] += real(rho[i*stride])
	}
	return out
}

// probabilities returns the distribution keyed in Qiskit's order, without
// outcomes of probability 0.
func (d *dist) probabilities() map[string]float64 {
	out := map[string]float64{}
	if d.overQubits {
		for i, p := range d.qubits {
			if p > 0 {
				out[circuit.QubitKey(uint64(i), d.c.NumQubits)] = p
			}
		}
		return out
	}
	for i, b := range d.bits {
		if d.p[i] > 0 {
			out[d.c.Key(b)] += d.p[i]
		}
	}
	return out
}

// sample draws shots outcomes from the distribution with a PCG stream
// seeded by seed.
func (d *dist) sample(shots int, seed uint64) map[string]int {
	counts := map[string]int{}
	if d.overQubits {
		counts[d.c.Key(circuit.NewBits(d.c.NumClbits))] = shots
		return counts
	}
	cum := make([]float64, len(d.p))
	var total float64
	for i, p := range d.p {
		total += max(p, 0)
		cum[i] = total
	}
	rng := rand.New(rand.NewPCG(seed, sampleStream))
	hits := make([]int, len(cum))
	for range shots {
		u := rng.Float64() * total
		i := sort.SearchFloat64s(cum, u)
		for i < len(cum)-1 && (cum[i] <= u || d.p[i] <= 0) {
			i++
		}
		hits[i]++
	}
	for i, h := range hits {
		if h > 0 {
			counts[d.c.Key(d.bits[i])] += h
		}
	}
	return counts
}
