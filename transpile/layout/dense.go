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

// Dense places the circuit's virtual qubits greedily so that interacting
// qubits sit close together: the most-interacting virtual qubit first,
// then repeatedly the one most tied to those already placed, each on the
// free usable qubit where its gates to placed partners are cheapest (a
// gate between qubits h hops apart is counted as 3(h−1)+1 two-qubit gates:
// the SWAPs that bring them together and the gate itself). Every usable
// qubit is tried as the starting point and the cheapest whole layout kept.
// It ignores calibration; NoiseAware weighs the same search with it.
// Idle virtual qubits (in no two-qubit gate) go last, on free qubits.
type Dense struct{}

// Name returns "dense-layout".
func (Dense) Name() string { return "dense-layout" }

// Run writes props.InitialLayout.
func (Dense) Run(_ context.Context, c *circuit.Circuit, t *device.Device, props *transpile.PropertySet) (*circuit.Circuit, error) {
	l, err := denseLayout(c, t, false)
	if err != nil {
		return nil, err
	}
	props.InitialLayout = l
	return c, nil
}

// NoiseAware is Dense with costs from calibration, in units of −ln of a
// success probability: a gate between adjacent qubits costs −ln(1 − error)
// of their edge, one between qubits h > 1 hops apart 3(h−1)+1 times that
// of the device's mean edge; each placed qubit adds −ln(1 − single-qubit
// error) − ln(1 − mean readout error). The layout found thus favours
// connected regions of good qubits and edges. Idle virtual qubits go to
// the free qubits with the best single-qubit and readout figures.
type NoiseAware struct{}

// Name returns "noise-aware-layout".
func (NoiseAware) Name() string { return "noise-aware-layout" }

// Run writes props.InitialLayout.
func (NoiseAware) Run(_ context.Context, c *circuit.Circuit, t *device.Device, props *transpile.PropertySet) (*circuit.Circuit, error) {
	l, err := denseLayout(c, t, true)
	if err != nil {
		return nil, err
	}
	props.InitialLayout = l
	return c, nil
}

// costs holds the placement costs: per pair of physical qubits (a gate
// between them) and per physical qubit.
type costs struct {
	cp    *routing.Coupling
	n     int
	pair  []float64 // n×n, +Inf across regions
	qubit []float64
}

func newCosts(t *device.Device, cp *routing.Coupling, noise bool) *costs {
	n := t.NumQubits()
	c := &costs{cp: cp, n: n, pair: make([]float64, n*n), qubit: make([]float64, n)}
	unit := 1.0
	edgeCost := map[[2]int]float64{}
	if noise {
		sum := 0.0
		for _, e := range t.Edges {
			k := [2]int{min(e.A, e.B), max(e.A, e.B)}
			v := -logFid(e.Error)
			if old, ok := edgeCost[k]; !ok || v < old {
				edgeCost[k] = v
			}
		}
		for _, k := range cp.Edges() {
			sum += edgeCost[k]
		}
		if len(cp.Edges()) > 0 {
			unit = sum / float64(len(cp.Edges()))
		}
		unit = math.Max(unit, 1e-6)
		for i, q := range t.Qubits {
			ro := (q.ReadoutP01 + q.ReadoutP10) / 2
			c.qubit[i] = -logFid(q.Gate1QError) - logFid(ro)
		}
	}
	for a := range n {
		for b := range n {
			h := cp.Hops(a, b)
			switch {
			case h < 0:
				c.pair[a*n+b] = math.Inf(1)
			case h == 1 && noise:
				c.pair[a*n+b] = edgeCost[[2]int{min(a, b), max(a, b)}]
			default:
				c.pair[a*n+b] = float64(3*(h-1)+1) * unit
			}
		}
	}
	return c
}

// logFid returns ln(1 − err), clamped for errors at or above 1.
func logFid(err float64) float64 {
	return math.Log(math.Max(1-err, 1e-3))
}

// placeGroup places the virtual qubits of group greedily from each free
// start that room accepts, writes the cheapest placement into l and
// reports whether there was one. free marks the physical qubits still
// free; it is not changed.
func (c *costs) placeGroup(ia *interaction, group []int, free []bool, room func(p int) bool, l transpile.Layout) bool {
	n := c.n
	// The order of placement depends only on the interaction graph: the
	// most-interacting qubit, then always the one most tied to those
	// placed (ties: higher degree, then lower index).
	type link struct {
		j int // index into order
		w float64
	}
	idx := make(map[int]int, len(group))
	for i, v := range group {
		idx[v] = i
	}
	order := make([]int, 0, len(group)) // indices into group
	at := make([]int, len(group))       // position of group[i] in order
	tie := make([]int, len(group))
	placed := make([]bool, len(group))
	for range group {
		v := -1
		for i, u := range group {
			if !placed[i] && (v < 0 || tie[i] > tie[v] || tie[i] == tie[v] && ia.deg[u] > ia.deg[group[v]]) {
				v = i
			}
		}
		placed[v] = true
		at[v] = len(order)
		order = append(order, v)
		for _, u := range ia.nbrs[group[v]] {
			tie[idx[u]] += ia.w(u, group[v])
		}
	}
	// back[k] lists the gates from the k-th placed qubit to earlier ones.
	back := make([][]link, len(order))
	for k, i := range order {
		v := group[i]
		for _, u := range ia.nbrs[v] {
			if j := at[idx[u]]; j < k {
				back[k] = append(back[k], link{j, float64(ia.w(u, v))})
			}
		}
	}
	bestCost := math.Inf(1)
	var best []int
	pos := make([]int, len(order)) // physical qubit of the k-th placed
	used := make([]bool, n)
	for _, start := range c.starts(ia, group, free, room) {
		for i := range used {
			used[i] = !free[i] || c.cp.Region(i) != c.cp.Region(start)
		}
		pos[0], used[start] = start, true
		total := c.qubit[start]
		for k := 1; k < len(order) && total < bestCost; k++ {
			p, pc := -1, math.Inf(1)
			for q := range n {
				if used[q] {
					continue
				}
				cost := c.qubit[q]
				row := c.pair[q*n : (q+1)*n]
				for _, b := range back[k] {
					cost += b.w * row[pos[b.j]]
				}
				if cost < pc {
					p, pc = q, cost
				}
			}
			if p < 0 {
				total = math.Inf(1)
				break
			}
			total += pc
			pos[k] = p
			used[p] = true
		}
		if total < bestCost {
			bestCost = total
			best = append(best[:0], pos...)
		}
	}
	if best == nil {
		return false
	}
	for k, i := range order {
		l[group[i]] = best[k]
	}
	return true
}

// denseLayout computes the Dense (noise false) or NoiseAware layout.
func denseLayout(c *circuit.Circuit, t *device.Device, noise bool) (transpile.Layout, error) {
	ia, err := analyse(c)
	if err != nil {
		return nil, err
	}
	cp, err := routing.NewCoupling(t, 0)
	if err != nil {
		return nil, err
	}
	assign, err := fit(ia, t, cp)
	if err != nil {
		return nil, err
	}
	cs := newCosts(t, cp, noise)
	// Each group goes where it is cheapest, in any region with room; when
	// that strands a later group, retry with the regions fit assigned.
	l, free, ok := cs.placeAll(ia, nil)
	if !ok {
		if l, free, ok = cs.placeAll(ia, assign); !ok {
			return nil, fmt.Errorf("device %s: could not place the interacting groups of virtual qubits (sizes %v) in its regions (sizes %v)",
				t.Name, groupSizes(ia), cp.RegionSizes())
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
	return l, nil
}

// placeAll places every interacting group, largest first, each in a
// region with room for it (the region assign gives it, when not nil). It
// returns the layout and the physical qubits left free.
func (c *costs) placeAll(ia *interaction, assign []int) (transpile.Layout, []bool, bool) {
	cp := c.cp
	l := make(transpile.Layout, ia.n)
	free := make([]bool, c.n)
	for p := range free {
		free[p] = cp.Usable(p)
	}
	room := slices.Clone(cp.RegionSizes())
	for i, g := range ia.groups {
		size := len(g)
		ok := func(p int) bool { return room[cp.Region(p)] >= size }
		if assign != nil {
			ok = func(p int) bool { return cp.Region(p) == assign[i] }
		}
		if !c.placeGroup(ia, g, free, ok, l) {
			return nil, nil, false
		}
		for _, v := range g {
			free[l[v]] = false
			room[cp.Region(l[v])]--
		}
	}
	return l, free, true
}

func groupSizes(ia *interaction) []int {
	out := make([]int, len(ia.groups))
	for i, g := range ia.groups {
		out[i] = len(g)
	}
	return out
}

// placementBudget bounds the work of placeGroup (pair-cost evaluations
// over all starts); past it, only the most central starts are tried.
const placementBudget = 4_000_000

// starts returns the start qubits placeGroup tries: every free qubit room
// accepts, or, when that would exceed placementBudget, the most central
// of them (smallest total pair cost to the others), at least 8.
func (c *costs) starts(ia *interaction, group []int, free []bool, room func(int) bool) []int {
	var out []int
	for p := range c.n {
		if free[p] && room(p) {
			out = append(out, p)
		}
	}
	links := 0
	for _, v := range group {
		links += len(ia.nbrs[v])
	}
	perStart := max(1, links*c.n)
	limit := max(8, placementBudget/perStart)
	if len(out) <= limit {
		return out
	}
	central := make([]float64, c.n)
	for _, p := range out {
		for _, q := range out {
			if d := c.pair[p*c.n+q]; !math.IsInf(d, 1) {
				central[p] += d
			}
		}
		central[p] += c.qubit[p]
	}
	slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(central[a], central[b]) })
	out = out[:limit]
	slices.Sort(out)
	return out
}
