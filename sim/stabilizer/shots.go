package stabilizer

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
)

// midCircuit runs a circuit with mid-circuit measurement, reset or
// conditions: the unitary prefix once, then shot by shot for counts and by
// branch enumeration for exact probabilities.
func (r *run) midCircuit(res *sim.Result) error {
	if !r.opt.Probabilities && r.opt.Shots == 0 {
		return nil // nothing asked for
	}
	pre := 0
	for pre < len(r.steps) && r.steps[pre].op.IsUnitary() {
		pre++
	}
	t := newTableau(r.n)
	if err := r.evolve(t, 0, pre); err != nil {
		return err
	}
	if r.opt.Shots > 0 {
		counts, err := r.perShot(t, pre)
		if err != nil {
			return err
		}
		res.Counts = counts
	}
	if r.opt.Probabilities {
		p, err := r.branches(t, pre)
		if err != nil {
			return err
		}
		res.Probabilities = p
	}
	return nil
}

// perShot runs steps [pre, end) once per shot on a copy of the prefix
// tableau t0. Shot i draws its outcomes from PCG stream i of the seed, so
// counts do not depend on the worker count or on which worker ran which
// shot.
func (r *run) perShot(t0 *tableau, pre int) (map[string]int, error) {
	size := tableauBytes(r.n)
	workers := max(1, min(r.opt.WorkersOrDefault(), r.opt.Shots))
	workers = int(max(1, min(int64(workers), r.limit/size-1)))
	if err := sim.CheckMemory(fmt.Sprintf("prefix tableau and %d shot tableau(s) of %d qubits", workers, r.n),
		size*int64(1+workers), r.limit); err != nil {
		return nil, err
	}
	var (
		next   atomic.Int64
		mu     sync.Mutex
		counts = map[string]int{}
		errs   = make([]error, workers)
		wg     sync.WaitGroup
	)
	wm := (r.c.NumClbits + 63) / 64
	for w := range workers {
		wg.Go(func() {
			t := t0.clone()
			b := circuit.NewBits(r.c.NumClbits)
			buf := make([]byte, 0, 8*wm)
			raw := map[string]int{}
			for {
				shot := next.Add(1) - 1
				if shot >= int64(r.opt.Shots) {
					break
				}
				if err := r.ctx.Err(); err != nil {
					errs[w] = err
					break
				}
				t.copyFrom(t0)
				clear(b)
				r.shot(t, b, pre, rand.New(rand.NewPCG(r.opt.Seed, uint64(shot))))
				buf = buf[:0]
				for _, x := range b {
					buf = binary.LittleEndian.AppendUint64(buf, x)
				}
				raw[string(buf)]++
				r.prog.shots(1)
			}
			local := r.keyCounts(raw, wm)
			mu.Lock()
			for k, v := range local {
				counts[k] += v
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// shot runs steps [pre, end) on t, recording measurements in b.
func (r *run) shot(t *tableau, b circuit.Bits, pre int, rng *rand.Rand) {
	for i := pre; i < len(r.steps); i++ {
		s := &r.steps[i]
		if !s.cond.holds(b) {
			continue
		}
		switch s.kind {
		case circuit.GateOp:
			t.apply(s)
		case circuit.Measure:
			o, _ := t.measure(s.op.Qubits[0], rng)
			b.Set(s.op.Clbits[0], o == 1)
		case circuit.Reset:
			t.reset(s.op.Qubits[0], rng)
		}
	}
}

// branch is one measurement history: its probability 2^−k, its clbits and
// the tableau it leaves.
type branch struct {
	k    int
	bits circuit.Bits
	t    *tableau
}

// branches returns the exact outcome distribution of steps [pre, end) from
// tableau t (which it takes over) by following both outcomes of every
// random measurement or reset up to the trailing block of unconditioned
// measurements; each branch then contributes the uniform distribution of
// that block's outcomes over its own support, as for terminal
// measurements. Every branch has probability a power of 1/2, so the
// result is exact. It fails with sim.ErrTooManyBranches when more live
// branches are needed than MaxBranches or the memory limit allows.
func (r *run) branches(t *tableau, pre int) (map[string]float64, error) {
	size := tableauBytes(r.n)
	bound := min(int64(r.opt.MaxBranchesOrDefault()), r.limit/size)
	tail := len(r.steps)
	for tail > pre {
		s := &r.steps[tail-1]
		if s.cond != nil || (s.kind != circuit.Measure && s.kind != circuit.Barrier) {
			break
		}
		tail--
	}
	live := []branch{{bits: circuit.NewBits(r.c.NumClbits), t: t}}
	for i := pre; i < tail; i++ {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		s := &r.steps[i]
		switch s.kind {
		case circuit.GateOp:
			for _, b := range live {
				if s.cond.holds(b.bits) {
					b.t.apply(s)
				}
			}
		case circuit.Measure, circuit.Reset:
			q := s.op.Qubits[0]
			set := func(b *branch, o uint64) {
				if s.kind == circuit.Measure {
					b.bits.Set(s.op.Clbits[0], o == 1)
				} else if o == 1 {
					b.t.pauliX(q)
				}
			}
			next := make([]branch, 0, len(live))
			for bi, b := range live {
				if !s.cond.holds(b.bits) {
					next = append(next, b)
					continue
				}
				p := b.t.randomRow(q)
				if p < 0 {
					set(&b, b.t.deterministic(q))
					next = append(next, b)
					continue
				}
				if need := len(next) + len(live) - bi + 1; int64(need) > bound {
					return nil, fmt.Errorf("%w: exact probabilities need more than %d live measurement branches "+
						"(bound: MaxBranches %d, or %s of memory for the tableaux)",
						sim.ErrTooManyBranches, bound, r.opt.MaxBranchesOrDefault(), sim.FormatBytes(r.limit))
				}
				one := branch{k: b.k + 1, bits: b.bits.Clone(), t: b.t.clone()}
				one.t.collapse(q, p, 1)
				set(&one, 1)
				b.k++
				b.t.collapse(q, p, 0)
				set(&b, 0)
				next = append(next, b, one)
			}
			live = next
		}
		r.prog.ops(i + 1)
	}
	// The trailing measurements: clbit c finally holds qubit clq[c].
	var measures [][2]int
	for i := tail; i < len(r.steps); i++ {
		if op := r.steps[i].op; op.Kind == circuit.Measure {
			measures = append(measures, [2]int{op.Qubits[0], op.Clbits[0]})
		}
	}
	clq := clbitMap(r.c.NumClbits, measures)
	out := map[string]float64{}
	key := r.clbitKey()
	for _, b := range live {
		w := math.Ldexp(1, -b.k)
		switch {
		case !r.c.HasMeasure(): // nothing measured: the distribution over the qubits
			if err := r.enumerate(b.t.stabilizerRows().support(), w, out, r.qubitKeys()); err != nil {
				return nil, err
			}
		case len(measures) == 0:
			out[key(b.bits)] += w
		default:
			for c, q := range clq {
				if q >= 0 {
					b.bits.Set(c, false)
				}
			}
			a := b.t.stabilizerRows().support().project(clq)
			for i, v := range b.bits {
				a.x0[i] |= v // the tail's clbits are zero in b.bits
			}
			if err := r.enumerate(a, w, out, key); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
