package layout

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/routing"
)

// Defaults of the Sabre layout parameters.
const (
	DefaultSabreTrials     = 8
	DefaultSabreIterations = 4
)

// Sabre is SABRE's layout search: from a starting layout, route the
// circuit forwards, then its reverse from where the forward pass ended,
// and repeat; the layout the last backward pass ends on is where the
// circuit should start. Trial 0 starts from the NoiseAware layout, the
// others from random connected sets of qubits (random seeds of props.Seed,
// so the result is deterministic); the layout whose forward routing needs
// the fewest SWAPs (then the smallest depth, then the lowest trial) wins.
// When the interacting qubits do not fit in one region, every trial
// starts from the NoiseAware layout and only the routing's tie-breaking
// differs.
type Sabre struct {
	// Trials is the number of starting layouts; 0 means
	// DefaultSabreTrials.
	Trials int
	// Iterations is the number of forward-backward rounds; 0 means
	// DefaultSabreIterations.
	Iterations int
	// Routing holds the heuristic's parameters (its Trials is unused: each
	// layout trial routes once per pass).
	Routing routing.Sabre
	// Workers bounds the goroutines running trials; 0 means GOMAXPROCS.
	Workers int
}

// Name returns "sabre-layout".
func (Sabre) Name() string { return "sabre-layout" }

// Run writes props.InitialLayout.
func (s Sabre) Run(ctx context.Context, c *circuit.Circuit, t *device.Device, props *transpile.PropertySet) (*circuit.Circuit, error) {
	start, err := denseLayout(c, t, true)
	if err != nil {
		return nil, err
	}
	ia, err := analyse(c)
	if err != nil {
		return nil, err
	}
	cp, err := routing.NewCoupling(t, s.Routing.ErrorWeight)
	if err != nil {
		return nil, err
	}
	fwd, err := s.Routing.NewRouter(c, cp, false)
	if err != nil {
		return nil, err
	}
	bwd, err := s.Routing.NewRouter(c, cp, true)
	if err != nil {
		return nil, err
	}
	trials, iters, workers := s.Trials, s.Iterations, s.Workers
	if trials <= 0 {
		trials = DefaultSabreTrials
	}
	if iters <= 0 {
		iters = DefaultSabreIterations
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, trials)
	m := ia.interacting()
	fitsOne := false
	for _, size := range cp.RegionSizes() {
		fitsOne = fitsOne || size >= m
	}
	type outcome struct {
		l            transpile.Layout
		swaps, depth int
		err          error
	}
	results := make([]outcome, trials)
	runTrial := func(i int) outcome {
		l := start
		if i > 0 && fitsOne && m > 0 {
			l = randomStart(ia, cp, m, rand.New(rand.NewPCG(props.Seed, uint64(i)<<32|0x1a7)))
		}
		step := uint64(0)
		for range iters {
			for _, r := range []*routing.Router{fwd, bwd} {
				f, _, _, err := r.Trial(ctx, l, props.Seed, uint64(i)<<32|step)
				if err != nil {
					return outcome{err: err}
				}
				l = f
				step++
			}
		}
		_, swaps, depth, err := fwd.Trial(ctx, l, props.Seed, uint64(i)<<32|step)
		return outcome{l: l, swaps: swaps, depth: depth, err: err}
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = runTrial(i)
			}
		}()
	}
	for i := range trials {
		next <- i
	}
	close(next)
	wg.Wait()
	best := -1
	for i, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		if best < 0 || r.swaps < results[best].swaps || r.swaps == results[best].swaps && r.depth < results[best].depth {
			best = i
		}
	}
	props.InitialLayout = results[best].l
	return c, nil
}

// randomStart grows a random connected set of m usable qubits in a region
// large enough, places the interacting virtual qubits on it in random
// order, and the idle ones on random free usable qubits.
func randomStart(ia *interaction, cp *routing.Coupling, m int, rng *rand.Rand) transpile.Layout {
	n := cp.NumQubits()
	var seeds, usable []int
	for p := range n {
		if cp.Usable(p) {
			usable = append(usable, p)
			if cp.RegionSizes()[cp.Region(p)] >= m {
				seeds = append(seeds, p)
			}
		}
	}
	in := make([]bool, n)
	seed := seeds[rng.IntN(len(seeds))]
	set := []int{seed}
	in[seed] = true
	front := append([]int(nil), cp.Neighbors(seed)...)
	for len(set) < m {
		i := rng.IntN(len(front))
		q := front[i]
		front[i] = front[len(front)-1]
		front = front[:len(front)-1]
		if in[q] {
			continue
		}
		in[q] = true
		set = append(set, q)
		for _, r := range cp.Neighbors(q) {
			if !in[r] {
				front = append(front, r)
			}
		}
	}
	rng.Shuffle(len(set), func(i, j int) { set[i], set[j] = set[j], set[i] })
	l := make(transpile.Layout, ia.n)
	k := 0
	for _, g := range ia.groups {
		for _, v := range g {
			l[v] = set[k]
			k++
		}
	}
	var free []int
	for _, p := range usable {
		if !in[p] {
			free = append(free, p)
		}
	}
	rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	for i, v := range ia.idle {
		l[v] = free[i]
	}
	return l
}
