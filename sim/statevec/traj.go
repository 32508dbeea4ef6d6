package statevec

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
)

// trajectories samples each shot by running steps [pre, end) on its own
// copy of the prefix state, with measurement outcomes drawn from the
// shot's own random stream (PCG seeded with Options.Seed and the shot
// index), so counts do not depend on the worker count or on which worker
// ran which shot.
//
// Narrow states run shots in parallel, one state buffer per worker, with
// serial kernels; from ParallelQubits qubits on shots run one after the
// other with parallel kernels. The number of buffers is cut to fit the
// memory limit.
func (r *run) trajectories(res *sim.Result, pre int) error {
	v0 := r.newState()
	if err := r.evolve(v0, 0, pre); err != nil {
		return err
	}
	size := stateBytes(r.n)
	workers := 1 // wide states: shots in turn, kernels in parallel
	if r.n < ParallelQubits {
		workers = max(1, min(r.opt.WorkersOrDefault(), r.opt.Shots))
	}
	workers = int(max(1, min(int64(workers), r.limit/size-1)))
	if err := sim.CheckMemory(fmt.Sprintf("prefix state and %d trajectory state(s) of %d qubits", workers, r.n),
		size*int64(1+workers), r.limit); err != nil {
		return err
	}
	var (
		next   atomic.Int64
		mu     sync.Mutex
		counts = map[string]int{}
		errs   = make([]error, workers)
		wg     sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			buf := make([]complex128, len(v0))
			local := map[string]int{}
			for {
				shot := next.Add(1) - 1
				if shot >= int64(r.opt.Shots) {
					break
				}
				if err := r.ctx.Err(); err != nil {
					errs[w] = err
					break
				}
				key := r.shot(r.x, v0, buf, pre, uint64(shot))
				local[key]++
				r.prog.shots(1)
			}
			mu.Lock()
			for k, n := range local {
				counts[k] += n
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	res.Counts = counts
	return nil
}

// shot runs one trajectory from the prefix state v0 in buf and returns its
// counts key.
func (r *run) shot(x *exec, v0, buf []complex128, pre int, index uint64) string {
	rng := rand.New(rand.NewPCG(r.opt.Seed, index))
	x.copyState(buf, v0)
	bits := circuit.NewBits(r.c.NumClbits)
	for i := pre; i < len(r.steps); i++ {
		s := &r.steps[i]
		if !s.cond.holds(bits) {
			continue
		}
		switch s.kind {
		case circuit.GateOp:
			s.k.apply(x, buf, r.n)
		case circuit.Measure, circuit.Reset:
			q := s.op.Qubits[0]
			p0, p1 := x.qubitProbs(buf, q)
			outcome, p := 0, p0
			if p0 == 0 || (p1 > 0 && rng.Float64()*(p0+p1) >= p0) {
				outcome, p = 1, p1
			}
			x.collapse(buf, q, outcome, p, s.kind == circuit.Reset)
			if s.kind == circuit.Measure {
				bits.Set(s.op.Clbits[0], outcome == 1)
			}
		}
	}
	return r.c.Key(bits)
}
