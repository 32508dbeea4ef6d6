package layout

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/routing"
)

// Defaults of the Perfect search.
const (
	DefaultPerfectSteps     = 200_000
	DefaultPerfectSolutions = 64
)

// Perfect looks for a layout under which every two-qubit gate already acts
// on a usable edge, so that routing inserts no SWAP: an embedding of the
// circuit's interaction graph into the coupling graph, found by
// backtracking (virtual qubits in breadth-first order from the busiest,
// each tried on the free neighbours of a placed partner). Among the first
// Solutions embeddings it keeps the one with the lowest NoiseAware cost.
// When the search finds none within Steps, Perfect runs Fallback, or fails
// if Fallback is nil. Idle virtual qubits go to the free qubits with the
// best single-qubit and readout figures.
type Perfect struct {
	// Fallback is the layout pass run when no embedding is found (e.g.
	// Sabre{}); nil makes Perfect fail instead.
	Fallback transpile.Pass
	// Steps bounds the backtracking steps; 0 means DefaultPerfectSteps.
	Steps int
	// Solutions is the number of embeddings compared; 0 means
	// DefaultPerfectSolutions.
	Solutions int
}

// Name returns "perfect-layout".
func (Perfect) Name() string { return "perfect-layout" }

// Run writes props.InitialLayout.
func (pf Perfect) Run(ctx context.Context, c *circuit.Circuit, t *device.Device, props *transpile.PropertySet) (*circuit.Circuit, error) {
	ia, err := analyse(c)
	if err != nil {
		return nil, err
	}
	cp, err := routing.NewCoupling(t, 0)
	if err != nil {
		return nil, err
	}
	if _, err := fit(ia, t, cp); err != nil {
		return nil, err
	}
	steps, sols := pf.Steps, pf.Solutions
	if steps <= 0 {
		steps = DefaultPerfectSteps
	}
	if sols <= 0 {
		sols = DefaultPerfectSolutions
	}
	cs := newCosts(t, cp, true)
	l, ok := embed(ia, cp, cs, steps, sols)
	if !ok {
		if pf.Fallback == nil {
			return nil, fmt.Errorf("no layout of %s puts every two-qubit gate on a coupling edge of device %s (searched %d steps)", c.Name, t.Name, steps)
		}
		return pf.Fallback.Run(ctx, c, t, props)
	}
	free := make([]bool, t.NumQubits())
	for p := range free {
		free[p] = cp.Usable(p)
	}
	for v := range ia.n {
		if len(ia.nbrs[v]) > 0 {
			free[l[v]] = false
		}
	}
	for _, v := range ia.idle {
		p := -1
		for q, ok := range free {
			if ok && (p < 0 || cs.qubit[q] < cs.qubit[p]) {
				p = q
			}
		}
		l[v] = p
		free[p] = false
	}
	props.InitialLayout = l
	return c, nil
}

// embed searches for an embedding of the interacting qubits (idle ones are
// left at -1) and returns the cheapest of the first sols found.
func embed(ia *interaction, cp *routing.Coupling, cs *costs, steps, sols int) (transpile.Layout, bool) {
	n := cp.NumQubits()
	// Order: each group breadth first from its busiest qubit, always
	// taking next the qubit with the most placed partners.
	var order []int
	parent := make([]int, ia.n) // a placed partner, or -1
	in := make([]bool, ia.n)
	for _, g := range ia.groups {
		first := g[0]
		for _, v := range g {
			if len(ia.nbrs[v]) > len(ia.nbrs[first]) {
				first = v
			}
		}
		order = append(order, first)
		in[first] = true
		parent[first] = -1
		for range len(g) - 1 {
			best, bestLinks := -1, -1
			for _, v := range g {
				if in[v] {
					continue
				}
				links := 0
				for _, u := range ia.nbrs[v] {
					if in[u] {
						links++
					}
				}
				if links > bestLinks || links == bestLinks && len(ia.nbrs[v]) > len(ia.nbrs[best]) {
					best, bestLinks = v, links
				}
			}
			in[best] = true
			parent[best] = -1
			for _, u := range ia.nbrs[best] {
				if in[u] && u != best {
					parent[best] = u
					break
				}
			}
			order = append(order, best)
		}
	}
	// Starting qubits, best figures first.
	var starts []int
	for p := range n {
		if cp.Usable(p) {
			starts = append(starts, p)
		}
	}
	slices.SortStableFunc(starts, func(a, b int) int { return cmp.Compare(cs.qubit[a], cs.qubit[b]) })
	l := make(transpile.Layout, ia.n)
	for v := range l {
		l[v] = -1
	}
	used := make([]bool, n)
	var best transpile.Layout
	bestCost := math.Inf(1)
	found, left := 0, steps
	var try func(k int) bool // reports whether to stop
	try = func(k int) bool {
		if k == len(order) {
			cost := 0.0
			for _, v := range order {
				cost += cs.qubit[l[v]]
				for _, u := range ia.nbrs[v] {
					if u < v {
						cost += float64(ia.w(u, v)) * cs.pair[l[u]*n+l[v]]
					}
				}
			}
			if cost < bestCost {
				bestCost = cost
				best = slices.Clone(l)
			}
			found++
			return found >= sols
		}
		v := order[k]
		cands := starts
		if parent[v] >= 0 {
			cands = cp.Neighbors(l[parent[v]])
		}
		for _, p := range cands {
			if left--; left < 0 {
				return true
			}
			if used[p] || len(cp.Neighbors(p)) < len(ia.nbrs[v]) {
				continue
			}
			ok := true
			for _, u := range ia.nbrs[v] {
				if l[u] >= 0 && !cp.Adjacent(p, l[u]) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			l[v], used[p] = p, true
			stop := try(k + 1)
			l[v], used[p] = -1, false
			if stop {
				return true
			}
		}
		return false
	}
	try(0)
	return best, best != nil
}
