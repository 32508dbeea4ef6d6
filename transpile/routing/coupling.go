package routing

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/qluster/qluster/device"
)

// Coupling is a device's graph of usable qubits and usable edges, with
// distances precomputed once so that routing and layout heuristics read them
// in constant time. Edge direction is ignored: a SWAP, and any two-qubit
// gate up to single-qubit corrections, runs either way on a directed edge;
// fixing the direction is left to basis translation.
type Coupling struct {
	name   string
	n      int
	usable []bool
	adj    [][]int
	adjM   []bool    // n×n adjacency
	edgeID []int32   // n×n index into edges, -1 when not adjacent
	hops   []int32   // n×n hop distance, -1 when unreachable
	dist   []float64 // n×n heuristic distance, +Inf when unreachable
	comp   []int     // region id per qubit, -1 for unusable qubits
	size   []int     // qubits per region
	edges  [][2]int  // usable undirected edges, A < B, sorted
	diam   int       // largest finite hop distance
}

// NewCoupling builds the coupling graph of d. With errorWeight 0 the
// heuristic distance is the hop count; with errorWeight w > 0 each edge
// costs 1 + w·err/meanErr, so routing prefers low-error paths. Edges that
// touch an unusable qubit are left out.
func NewCoupling(d *device.Device, errorWeight float64) (*Coupling, error) {
	if errorWeight < 0 || math.IsNaN(errorWeight) {
		return nil, fmt.Errorf("coupling of %s: error weight %g must be non-negative", d.Name, errorWeight)
	}
	n := d.NumQubits()
	c := &Coupling{
		name:   d.Name,
		n:      n,
		usable: make([]bool, n),
		adj:    make([][]int, n),
		adjM:   make([]bool, n*n),
		edgeID: make([]int32, n*n),
		hops:   make([]int32, n*n),
		dist:   make([]float64, n*n),
		comp:   make([]int, n),
	}
	for i, q := range d.Qubits {
		c.usable[i] = q.Usable
	}
	// Best (lowest) error per undirected pair.
	errOf := map[[2]int]float64{}
	for _, e := range d.Edges {
		if e.A < 0 || e.B < 0 || e.A >= n || e.B >= n || e.A == e.B || !c.usable[e.A] || !c.usable[e.B] {
			continue
		}
		k := [2]int{min(e.A, e.B), max(e.A, e.B)}
		if old, ok := errOf[k]; !ok || e.Error < old {
			errOf[k] = e.Error
		}
	}
	mean := 0.0
	for k, e := range errOf {
		c.edges = append(c.edges, k)
		mean += e
	}
	slices.SortFunc(c.edges, func(x, y [2]int) int {
		if c := cmp.Compare(x[0], y[0]); c != 0 {
			return c
		}
		return cmp.Compare(x[1], y[1])
	})
	if len(errOf) > 0 {
		mean /= float64(len(errOf))
	}
	for i := range c.edgeID {
		c.edgeID[i] = -1
	}
	for id, k := range c.edges {
		a, b := k[0], k[1]
		c.edgeID[a*n+b], c.edgeID[b*n+a] = int32(id), int32(id)
		c.adjM[a*n+b], c.adjM[b*n+a] = true, true
		c.adj[a] = append(c.adj[a], b)
		c.adj[b] = append(c.adj[b], a)
	}
	for p := range c.adj {
		slices.Sort(c.adj[p])
	}
	c.bfs()
	c.weighted(errOf, errorWeight, mean)
	return c, nil
}

// bfs fills hops, comp, size and diam.
func (c *Coupling) bfs() {
	n := c.n
	for i := range c.hops {
		c.hops[i] = -1
	}
	for i := range c.comp {
		c.comp[i] = -1
	}
	queue := make([]int, 0, n)
	for s := range n {
		if !c.usable[s] {
			continue
		}
		row := c.hops[s*n : (s+1)*n]
		row[s] = 0
		queue = append(queue[:0], s)
		for h := 0; h < len(queue); h++ {
			p := queue[h]
			for _, q := range c.adj[p] {
				if row[q] < 0 {
					row[q] = row[p] + 1
					c.diam = max(c.diam, int(row[q]))
					queue = append(queue, q)
				}
			}
		}
		if c.comp[s] < 0 {
			id := len(c.size)
			for _, q := range queue {
				c.comp[q] = id
			}
			c.size = append(c.size, len(queue))
		}
	}
}

// weighted fills dist: hop counts, or error-weighted shortest paths
// (Floyd–Warshall; devices have at most a few hundred qubits).
func (c *Coupling) weighted(errOf map[[2]int]float64, w, mean float64) {
	n := c.n
	inf := math.Inf(1)
	for i, h := range c.hops {
		if h < 0 {
			c.dist[i] = inf
		} else {
			c.dist[i] = float64(h)
		}
	}
	if w == 0 || mean == 0 {
		return
	}
	for i := range c.dist {
		if i/n != i%n {
			c.dist[i] = inf
		}
	}
	for k, e := range errOf {
		cost := 1 + w*e/mean
		c.dist[k[0]*n+k[1]], c.dist[k[1]*n+k[0]] = cost, cost
	}
	for k := range n {
		rowK := c.dist[k*n : (k+1)*n]
		for i := range n {
			dik := c.dist[i*n+k]
			if math.IsInf(dik, 1) {
				continue
			}
			rowI := c.dist[i*n : (i+1)*n]
			for j, dkj := range rowK {
				if s := dik + dkj; s < rowI[j] {
					rowI[j] = s
				}
			}
		}
	}
}

// Name returns the device's name.
func (c *Coupling) Name() string { return c.name }

// NumQubits returns the number of physical qubits, usable or not.
func (c *Coupling) NumQubits() int { return c.n }

// Usable reports whether physical qubit p exists and is usable.
func (c *Coupling) Usable(p int) bool { return p >= 0 && p < c.n && c.usable[p] }

// Adjacent reports whether a usable edge joins a and b (either direction).
func (c *Coupling) Adjacent(a, b int) bool { return c.adjM[a*c.n+b] }

// Neighbors returns the usable neighbours of p in increasing order. The
// slice is shared: do not modify it.
func (c *Coupling) Neighbors(p int) []int { return c.adj[p] }

// Hops returns the number of edges on a shortest usable path from a to b,
// or -1 when no usable path joins them.
func (c *Coupling) Hops(a, b int) int { return int(c.hops[a*c.n+b]) }

// Distance returns the heuristic distance from a to b (hops, or
// error-weighted; see NewCoupling), +Inf when unreachable.
func (c *Coupling) Distance(a, b int) float64 { return c.dist[a*c.n+b] }

// Region returns the id of p's connected usable region, or -1 when p is
// unusable. Regions are numbered from 0 in order of their smallest qubit.
func (c *Coupling) Region(p int) int { return c.comp[p] }

// RegionSizes returns the number of qubits in each region, indexed by
// region id. The slice is shared: do not modify it.
func (c *Coupling) RegionSizes() []int { return c.size }

// Edges returns the usable undirected edges (A < B), sorted. The slice is
// shared: do not modify it.
func (c *Coupling) Edges() [][2]int { return c.edges }

// Diameter returns the largest finite hop distance between usable qubits.
func (c *Coupling) Diameter() int { return c.diam }
