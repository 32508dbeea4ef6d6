// Package routing makes a circuit run on a device's coupling map by
// inserting SWAP gates, with the SABRE heuristic of Li, Ding and Xie,
// "Tackling the Qubit Mapping Problem for NISQ-Era Quantum Devices"
// (ASPLOS 2019): a front layer of blocked two-qubit gates, a look-ahead
// extended set, and a decay that spreads SWAPs over qubits. Several seeded
// trials run in parallel and the best is kept.
//
// Only usable qubits and usable edges are ever used. Edges are used in
// both directions (Device edges marked Directed included): a SWAP and every
// two-qubit gate can run either way up to single-qubit gates, and basis
// translation fixes the direction afterwards.
//
// A pipeline chains a layout pass (package transpile/layout), layout.Apply
// (which rewrites the circuit onto physical qubits) and Sabre, which then
// writes props.FinalLayout. Sabre.Route and Router serve callers that work
// on virtual circuits directly, such as SABRE layout.
package routing

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/transpile"
)

// Defaults of the Sabre parameters.
const (
	DefaultTrials          = 16
	DefaultLookaheadWeight = 0.5
	DefaultExtendedSetSize = 20
	DefaultDecayRate       = 0.001
	DefaultDecayReset      = 5
)

// Sabre is the SABRE routing pass. Its zero value uses the defaults. The
// random tie-breaking of trial i draws from the stream (props.Seed, i), so
// the result depends only on the seed, whatever the goroutine scheduling.
type Sabre struct {
	// Trials is the number of seeded routing trials; 0 means
	// DefaultTrials. The trial whose SWAPs cost the fewest two-qubit
	// gates after re-synthesis wins (a SWAP right after a two-qubit gate
	// on the same pair counts 1, any other 3), then the smallest depth,
	// then the lowest trial number.
	Trials int
	// LookaheadWeight weighs the extended set against the front layer; 0
	// means DefaultLookaheadWeight, a negative value turns look-ahead off.
	LookaheadWeight float64
	// ExtendedSetSize is the number of upcoming two-qubit gates the
	// look-ahead considers; 0 means DefaultExtendedSetSize.
	ExtendedSetSize int
	// DecayRate is added to a qubit's decay factor each time a SWAP
	// touches it; 0 means DefaultDecayRate.
	DecayRate float64
	// DecayReset is the number of SWAPs after which decay factors return
	// to 1 (they also do whenever a gate is routed); 0 means
	// DefaultDecayReset.
	DecayReset int
	// ErrorWeight makes distances error-aware (see NewCoupling); 0 means
	// plain hop counts.
	ErrorWeight float64
	// Workers bounds the goroutines running trials; 0 means GOMAXPROCS.
	Workers int
}

func (s Sabre) params() params {
	p := params{lookahead: s.LookaheadWeight, extSize: s.ExtendedSetSize, decay: s.DecayRate, decayReset: s.DecayReset}
	if p.lookahead == 0 {
		p.lookahead = DefaultLookaheadWeight
	}
	if p.extSize <= 0 {
		p.extSize = DefaultExtendedSetSize
	}
	if p.decay == 0 {
		p.decay = DefaultDecayRate
	}
	if p.decayReset <= 0 {
		p.decayReset = DefaultDecayReset
	}
	return p
}

func (s Sabre) trials() int {
	if s.Trials > 0 {
		return s.Trials
	}
	return DefaultTrials
}

// Name returns "sabre-routing".
func (Sabre) Name() string { return "sabre-routing" }

// Result is the outcome of Route.
type Result struct {
	// Circuit is the routed circuit over the device's physical qubits (one
	// register "q" of the device's size, see PhysicalRegName; classical
	// registers unchanged).
	Circuit *circuit.Circuit
	// Final is where each virtual qubit ends: Final[v] = physical qubit.
	Final transpile.Layout
	// Swaps is the number of SWAP gates inserted; Depth the routed depth
	// (barriers excluded); Trial the winning trial's number.
	Swaps, Depth, Trial int
}

// Route routes c, a circuit over virtual qubits placed by initial, onto
// cp, running the configured number of trials seeded by seed, and returns
// the best. Every two-qubit gate of the result acts on a usable edge, and
// each op of virtual qubit v acts on the physical qubit holding v at that
// point (measurements included).
func (s Sabre) Route(ctx context.Context, c *circuit.Circuit, cp *Coupling, initial transpile.Layout, seed uint64) (*Result, error) {
	r, err := s.NewRouter(c, cp, false)
	if err != nil {
		return nil, err
	}
	if err := r.CheckLayout(initial); err != nil {
		return nil, err
	}
	n := s.trials()
	results := make([]trial, n)
	errs := make([]error, n)
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = r.run(ctx, initial, newRand(seed, uint64(i)), true)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	best := -1
	for i := range n {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if best < 0 || results[i].cost < results[best].cost ||
			results[i].cost == results[best].cost && results[i].depth < results[best].depth {
			best = i
		}
	}
	t := results[best]
	return &Result{
		Circuit: r.build(t, initial),
		Final:   transpile.Layout(t.final),
		Swaps:   t.swaps,
		Depth:   t.depth,
		Trial:   best,
	}, nil
}

// Run routes c, which must already be over t's physical qubits (run
// layout.Apply first), and writes props.FinalLayout: FinalLayout[v] is the
// physical qubit holding, at the end, the virtual qubit that
// props.InitialLayout put on InitialLayout[v]. With no InitialLayout every
// physical qubit counts as its own virtual qubit and FinalLayout is the
// permutation of all of them.
func (s Sabre) Run(ctx context.Context, c *circuit.Circuit, t *device.Device, props *transpile.PropertySet) (*circuit.Circuit, error) {
	if c.NumQubits != t.NumQubits() {
		return nil, fmt.Errorf("circuit has %d qubits, device %s has %d: routing takes a circuit over physical qubits (apply a layout first)",
			c.NumQubits, t.Name, t.NumQubits())
	}
	cp, err := NewCoupling(t, s.ErrorWeight)
	if err != nil {
		return nil, err
	}
	for i := range c.Ops {
		for _, q := range c.Ops[i].Qubits {
			if !cp.Usable(q) {
				return nil, fmt.Errorf("op %d (%s) acts on physical qubit %d, which is unusable on device %s", i, opName(&c.Ops[i]), q, t.Name)
			}
		}
	}
	res, err := s.routePhysical(ctx, c, cp, props.Seed)
	if err != nil {
		return nil, err
	}
	if props.InitialLayout == nil {
		props.FinalLayout = res.Final
		return res.Circuit, nil
	}
	final := make(transpile.Layout, len(props.InitialLayout))
	for v, p := range props.InitialLayout {
		if p < 0 || p >= len(res.Final) {
			return nil, fmt.Errorf("initial layout puts virtual qubit %d on physical qubit %d, out of range [0,%d)", v, p, len(res.Final))
		}
		final[v] = res.Final[p]
	}
	props.FinalLayout = final
	return res.Circuit, nil
}

// routePhysical routes a circuit over physical qubits: each usable qubit
// is a virtual wire starting in place; unusable qubits (which carry no ops)
// stay where they are. Final covers every physical qubit.
func (s Sabre) routePhysical(ctx context.Context, c *circuit.Circuit, cp *Coupling, seed uint64) (*Result, error) {
	var usable transpile.Layout
	index := make([]int, cp.n)
	for p := range cp.n {
		index[p] = -1
		if cp.usable[p] {
			index[p] = len(usable)
			usable = append(usable, p)
		}
	}
	v := c.Clone()
	v.NumQubits = len(usable)
	v.QRegs = []circuit.Register{{Name: PhysicalRegName(c), Size: len(usable)}}
	for i := range v.Ops {
		for j, q := range v.Ops[i].Qubits {
			v.Ops[i].Qubits[j] = index[q]
		}
	}
	if len(usable) == 0 {
		v.QRegs = nil
	}
	res, err := s.Route(ctx, v, cp, usable, seed)
	if err != nil {
		return nil, err
	}
	final := make(transpile.Layout, cp.n)
	for p := range final {
		final[p] = p
		if i := index[p]; i >= 0 {
			final[p] = res.Final[i]
		}
	}
	res.Final = final
	return res, nil
}
