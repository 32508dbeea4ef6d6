package statevec

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
)

// branch is one measurement history: its probability, its clbits and the
// normalised state it leaves.
type branch struct {
	p    float64
	bits circuit.Bits
	v    []complex128
}

// boundError reports that branch enumeration needed more live branches than
// allowed.
type boundError struct {
	need, bound, maxBranches int
	limit, state             int64
}

func (e *boundError) Error() string {
	return fmt.Sprintf("exact probabilities need at least %d live measurement branches, over the bound of %d "+
		"(MaxBranches %d; memory limit %s at %s per branch state)",
		e.need, e.bound, e.maxBranches, sim.FormatBytes(e.limit), sim.FormatBytes(e.state))
}

// branching runs a circuit with mid-circuit measurement, reset or
// conditions: exact distribution by branch enumeration, sampled for counts,
// or per-shot trajectories when the enumeration exceeds its bound and only
// counts are wanted.
func (r *run) branching(res *sim.Result) error {
	if !r.opt.Probabilities && r.opt.Shots == 0 {
		return nil // nothing asked for
	}
	pre := 0
	for pre < len(r.steps) && r.steps[pre].op.IsUnitary() {
		pre++
	}
	v := r.newState()
	if err := r.evolve(v, 0, pre); err != nil {
		return err
	}
	dist, err := r.enumerate(v, pre)
	var be *boundError
	if errors.As(err, &be) && !r.opt.Probabilities {
		// Trajectories evolve the prefix again rather than keep a copy of
		// it through the enumeration: time is cheaper than a second state.
		return r.trajectories(res, pre)
	}
	if err != nil {
		if be != nil {
			return fmt.Errorf("%w: %v", sim.ErrTooManyBranches, be)
		}
		return err
	}
	if r.opt.Shots > 0 {
		keys := make([]string, 0, len(dist))
		for k := range dist {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		probs := make([]float64, len(keys))
		for i, k := range keys {
			probs[i] = dist[k]
		}
		res.Counts = sampleDist(keys, probs, r.opt.Shots, rand.New(rand.NewPCG(r.opt.Seed, sampleStream)))
		r.prog.shots(r.opt.Shots)
	}
	if r.opt.Probabilities {
		dropSmall(dist)
		res.Probabilities = dist
	}
	return nil
}

// enumerate runs steps [from, end) on the state v (which it takes over),
// splitting into branches at each measure and reset, and returns the exact
// outcome distribution: over the clbits if the circuit measures, else over
// the qubits. It fails with a *boundError when more live branches would be
// needed than MaxBranches or the memory limit allows.
func (r *run) enumerate(v []complex128, from int) (map[string]float64, error) {
	size := stateBytes(r.n)
	memBound := r.limit / size
	bound := min(int64(r.opt.MaxBranchesOrDefault()), memBound)
	live := []branch{{p: 1, bits: circuit.NewBits(r.c.NumClbits), v: v}}
	for i := from; i < len(r.steps); i++ {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		s := &r.steps[i]
		switch s.kind {
		case circuit.GateOp:
			for _, b := range live {
				if s.cond.holds(b.bits) {
					s.k.apply(r.x, b.v, r.n)
				}
			}
		case circuit.Measure, circuit.Reset:
			var next []branch
			q := s.op.Qubits[0]
			for bi, b := range live {
				if !s.cond.holds(b.bits) {
					next = append(next, b)
					continue
				}
				p0, p1 := r.x.qubitProbs(b.v, q)
				w := [2]float64{b.p * p0 / (p0 + p1), b.p * p1 / (p0 + p1)}
				keep := [2]bool{w[0] >= pruneBelow, w[1] >= pruneBelow}
				reset := s.kind == circuit.Reset
				record := func(nb *branch, outcome int) {
					if !reset {
						nb.bits.Set(s.op.Clbits[0], outcome == 1)
					}
				}
				switch {
				case keep[0] && keep[1]:
					if need := len(next) + len(live) - bi + 1; int64(need) > bound {
						return nil, &boundError{need: need, bound: int(bound),
							maxBranches: r.opt.MaxBranchesOrDefault(), limit: r.limit, state: size}
					}
					one := branch{p: w[1], bits: b.bits.Clone(), v: make([]complex128, len(b.v))}
					r.x.copyState(one.v, b.v)
					r.x.collapse(one.v, q, 1, p1, reset)
					record(&one, 1)
					zero := branch{p: w[0], bits: b.bits, v: b.v}
					r.x.collapse(zero.v, q, 0, p0, reset)
					record(&zero, 0)
					next = append(next, zero, one)
				case keep[0] || keep[1]:
					outcome := 0
					if keep[1] {
						outcome = 1
					}
					nb := branch{p: w[outcome], bits: b.bits, v: b.v}
					r.x.collapse(nb.v, q, outcome, [2]float64{p0, p1}[outcome], reset)
					record(&nb, outcome)
					next = append(next, nb)
				}
			}
			live = next
		}
		r.prog.ops(i + 1)
	}
	out := map[string]float64{}
	if r.c.HasMeasure() {
		for _, b := range live {
			out[r.c.Key(b.bits)] += b.p
		}
		return out, nil
	}
	acc := make([]float64, 1<<r.n)
	for _, b := range live {
		for i, a := range b.v {
			acc[i] += b.p * norm2(a)
		}
	}
	for i, p := range acc {
		if p > 0 {
			out[circuit.QubitKey(uint64(i), r.n)] = p
		}
	}
	return out, nil
}
