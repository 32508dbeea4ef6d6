package statevec

import (
	"math"
	"sync"
	"time"

	"github.com/qluster/qluster/sim"
)

// ParallelQubits is the width from which kernels and reductions split the
// index space across goroutines; narrower states run on the calling
// goroutine, where the start-up cost of goroutines would dominate.
const ParallelQubits = 14

// blockSize is the number of amplitudes in one reduction block. Reductions
// sum each block serially and then the block sums in order, so their result
// does not depend on the worker count.
const blockSize = 1 << 12

// exec runs loops over index ranges, serially or across goroutines.
type exec struct{ workers int }

// newExec returns an exec for an n-qubit state: workers goroutines from
// ParallelQubits qubits on, else serial.
func newExec(n, workers int) *exec {
	if n < ParallelQubits || workers < 1 {
		workers = 1
	}
	return &exec{workers: workers}
}

// parallelFor calls f on a partition of [0, total) into contiguous ranges,
// one per worker, and waits for all of them.
func (x *exec) parallelFor(total int, f func(lo, hi int)) {
	w := x.workers
	if w > total {
		w = total
	}
	if w <= 1 {
		f(0, total)
		return
	}
	var wg sync.WaitGroup
	for i := range w {
		lo, hi := total/w*i+min(i, total%w), total/w*(i+1)+min(i+1, total%w)
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

func numBlocks(n int) int { return (n + blockSize - 1) / blockSize }

func norm2[T amp](a T) float64 {
	c := complex128(a)
	return real(c)*real(c) + imag(c)*imag(c)
}

// blockNorms returns Σ|a|² over each reduction block of v.
func blockNorms[T amp](x *exec, v []T) []float64 {
	out := make([]float64, numBlocks(len(v)))
	x.parallelFor(len(out), func(lo, hi int) {
		for b := lo; b < hi; b++ {
			var s float64
			for _, a := range v[b*blockSize : min((b+1)*blockSize, len(v))] {
				s += norm2(a)
			}
			out[b] = s
		}
	})
	return out
}

// qubitProbs returns Σ|a|² over the amplitudes of v with qubit q equal to 0
// and to 1.
func (x *exec) qubitProbs(v []complex128, q int) (p0, p1 float64) {
	part := make([][2]float64, numBlocks(len(v)))
	x.parallelFor(len(part), func(lo, hi int) {
		for b := lo; b < hi; b++ {
			var s [2]float64
			end := min((b+1)*blockSize, len(v))
			for i := b * blockSize; i < end; i++ {
				s[i>>q&1] += norm2(v[i])
			}
			part[b] = s
		}
	})
	for _, s := range part {
		p0 += s[0]
		p1 += s[1]
	}
	return p0, p1
}

// collapse projects v onto qubit q = outcome, whose weight is p, and
// renormalises. With toZero set (reset) the surviving amplitudes then move
// to q = 0.
func (x *exec) collapse(v []complex128, q, outcome int, p float64, toZero bool) {
	s := 1 / math.Sqrt(p)
	bit := 1 << q
	x.parallelFor(numBlocks(len(v)), func(lo, hi int) {
		for i := lo * blockSize; i < min(hi*blockSize, len(v)); i++ {
			if i>>q&1 != outcome {
				if !toZero || outcome == 0 {
					v[i] = 0
				}
				continue
			}
			a := complex(real(v[i])*s, imag(v[i])*s)
			if toZero && outcome == 1 {
				v[i^bit] = a
				v[i] = 0
			} else {
				v[i] = a
			}
		}
	})
}

// copyState copies src into dst across the workers.
func (x *exec) copyState(dst, src []complex128) {
	x.parallelFor(numBlocks(len(src)), func(lo, hi int) {
		copy(dst[lo*blockSize:min(hi*blockSize, len(src))], src[lo*blockSize:min(hi*blockSize, len(src))])
	})
}

// progressInterval is the least time between two Progress calls.
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
