package densitymat

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
)

// perShot samples each shot on its own density matrix when the exact
// branches do not fit: every immediate measurement draws its recorded
// outcome from the shot's PCG stream (seeded with Options.Seed and the shot
// index) and keeps the state given that record, so counts do not depend on
// the worker count. Shots run in parallel, one matrix per worker, with
// serial kernels.
func (r *run) perShot(ctx context.Context) (map[string]int, error) {
	size := matBytes(r.n)
	workers := max(1, min(r.workers, r.opt.Shots))
	workers = int(max(1, min(int64(workers), r.limit/size)))
	if err := sim.CheckMemory(fmt.Sprintf("%d per-shot density matrices of %d qubits", workers, r.n),
		size*int64(workers), r.limit); err != nil {
		return nil, err
	}
	keys := make([]string, r.opt.Shots)
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rho := make([]complex128, 1<<(2*r.n))
			for {
				s := int(next.Add(1) - 1)
				if s >= r.opt.Shots {
					return
				}
				if err := ctx.Err(); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				clear(rho)
				rho[0] = 1
				keys[s] = r.c.Key(r.shot(rho, rand.New(rand.NewPCG(r.opt.Seed, uint64(s)))))
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	counts := map[string]int{}
	for _, k := range keys {
		counts[k]++
	}
	return counts, nil
}

// shot runs one sampled history on rho and returns its clbits.
func (r *run) shot(rho []complex128, rng *rand.Rand) circuit.Bits {
	bits := circuit.NewBits(r.c.NumClbits)
	var deferred []step
	for i := range r.steps {
		s := &r.steps[i]
		switch s.kind {
		case evolve:
			if r.holds(s, bits) {
				for _, k := range s.kernels {
					k.apply(rho, 1)
				}
			}
		case measureLater:
			deferred = append(deferred, *s)
		case measureNow:
			if !r.holds(s, bits) {
				continue
			}
			one := r.split(rho, s)
			t0, t1 := r.trace(rho), r.trace(one)
			keep, outcome := rho, false
			if rng.Float64()*(t0+t1) >= t0 {
				keep, outcome = one, true
			}
			scale := complex(1/r.trace(keep), 0)
			for j, v := range keep {
				rho[j] = v * scale
			}
			bits.Set(s.clbit, outcome)
		}
	}
	if len(deferred) == 0 {
		return bits
	}
	qs, pick := deferredQubits(deferred)
	marg := r.marginal(rho, qs)
	var total float64
	for _, p := range marg {
		total += max(p, 0)
	}
	u, x := rng.Float64()*total, len(marg)-1
	for i, p := range marg {
		if u < max(p, 0) {
			x = i
			break
		}
		u -= max(p, 0)
	}
	for _, s := range deferred {
		bits.Set(s.clbit, x>>pick[s.qubit]&1 == 1)
	}
	for _, s := range lastWriters(deferred) {
		if s.readout.IsZero() {
			continue
		}
		actual := 0
		if bits.Get(s.clbit) {
			actual = 1
		}
		if rng.Float64() >= s.readout.Prob(actual, actual) {
			bits.Set(s.clbit, actual == 0)
		}
	}
	return bits
}
