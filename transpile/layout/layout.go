// Package layout chooses where a circuit's virtual qubits sit on a device
// (analysis passes writing props.InitialLayout) and rewrites the circuit
// onto the physical qubits (Apply).
//
// Every layout pass puts virtual qubits on distinct usable physical qubits
// only, and fails with a descriptive error when the circuit cannot fit:
// wider than the device's usable qubits, or (Dense, NoiseAware, Sabre) a
// group of interacting qubits larger than every connected region of usable
// qubits left for it. A pipeline runs a layout pass, then Apply, then
// routing (package transpile/routing).
// Circuits reaching these passes have only one- and two-qubit gates (plus
// measure, reset, barrier and conditions); a wider gate is an error.
package layout

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/routing"
)

// interaction is a circuit's interaction graph: which virtual qubits share
// two-qubit gates, and how often.
type interaction struct {
	n      int
	weight map[[2]int]int // pair (a < b) → number of two-qubit gates
	nbrs   [][]int        // neighbours of each virtual qubit, increasing
	deg    []int          // weighted degree
	groups [][]int        // connected groups of two or more qubits, largest first
	idle   []int          // qubits in no two-qubit gate
}

// analyse builds c's interaction graph, failing on a gate of three or more
// qubits.
func analyse(c *circuit.Circuit) (*interaction, error) {
	ia := &interaction{n: c.NumQubits, weight: map[[2]int]int{}, nbrs: make([][]int, c.NumQubits), deg: make([]int, c.NumQubits)}
	for i := range c.Ops {
		op := &c.Ops[i]
		if op.Kind != circuit.GateOp {
			continue
		}
		switch len(op.Qubits) {
		case 0, 1:
			continue
		case 2:
		default:
			return nil, fmt.Errorf("op %d: gate %s acts on %d qubits: layout takes only one- and two-qubit gates (unroll first)", i, op.Name, len(op.Qubits))
		}
		a, b := min(op.Qubits[0], op.Qubits[1]), max(op.Qubits[0], op.Qubits[1])
		if ia.weight[[2]int{a, b}] == 0 {
			ia.nbrs[a] = append(ia.nbrs[a], b)
			ia.nbrs[b] = append(ia.nbrs[b], a)
		}
		ia.weight[[2]int{a, b}]++
		ia.deg[a]++
		ia.deg[b]++
	}
	seen := make([]bool, ia.n)
	for v := range ia.n {
		slices.Sort(ia.nbrs[v])
		if seen[v] {
			continue
		}
		if len(ia.nbrs[v]) == 0 {
			ia.idle = append(ia.idle, v)
			continue
		}
		group := []int{v}
		seen[v] = true
		for h := 0; h < len(group); h++ {
			for _, u := range ia.nbrs[group[h]] {
				if !seen[u] {
					seen[u] = true
					group = append(group, u)
				}
			}
		}
		slices.Sort(group)
		ia.groups = append(ia.groups, group)
	}
	slices.SortStableFunc(ia.groups, func(x, y []int) int { return cmp.Compare(len(y), len(x)) })
	return ia, nil
}

// w returns the number of two-qubit gates between a and b.
func (ia *interaction) w(a, b int) int { return ia.weight[[2]int{min(a, b), max(a, b)}] }

// interacting returns the number of qubits in some two-qubit gate.
func (ia *interaction) interacting() int { return ia.n - len(ia.idle) }

// fit checks that c can be placed on the device at all and assigns each
// interacting group a region (largest group first, into the region with
// the most room left). It returns the region of each group.
func fit(ia *interaction, t *device.Device, cp *routing.Coupling) ([]int, error) {
	usable := len(t.UsableQubits())
	if ia.n > usable {
		return nil, fmt.Errorf("circuit needs %d qubits, device %s has %d usable", ia.n, t.Name, usable)
	}
	room := slices.Clone(cp.RegionSizes())
	assign := make([]int, len(ia.groups))
	for i, g := range ia.groups {
		best := -1
		for r, left := range room {
			if left >= len(g) && (best < 0 || left > room[best]) {
				best = r
			}
		}
		if best < 0 {
			return nil, fmt.Errorf("circuit's virtual qubits %s interact as one group of %d, but device %s has no connected region of usable qubits that large left (region sizes %v, room left %v)",
				span(g), len(g), t.Name, cp.RegionSizes(), room)
		}
		room[best] -= len(g)
		assign[i] = best
	}
	return assign, nil
}

// span renders a sorted qubit list compactly ("0-9", "[0 3 5]").
func span(g []int) string {
	if len(g) > 1 && g[len(g)-1]-g[0] == len(g)-1 {
		return fmt.Sprintf("%d-%d", g[0], g[len(g)-1])
	}
	return fmt.Sprint(g)
}

// Apply rewrites a circuit over virtual qubits onto the device's physical
// qubits with props.InitialLayout: the result has one quantum register "q"
// (see routing.PhysicalRegName) of the device's size, virtual qubit v's ops
// act on InitialLayout[v], and classical registers are unchanged.
type Apply struct{}

// Name returns "apply-layout".
func (Apply) Name() string { return "apply-layout" }

// Run applies props.InitialLayout, which must place every virtual qubit on
// a distinct usable physical qubit.
func (Apply) Run(_ context.Context, c *circuit.Circuit, t *device.Device, props *transpile.PropertySet) (*circuit.Circuit, error) {
	l := props.InitialLayout
	if l == nil {
		return nil, fmt.Errorf("no initial layout: run a layout pass first")
	}
	if err := Check(l, c.NumQubits, t); err != nil {
		return nil, err
	}
	out := c.Clone()
	out.NumQubits = t.NumQubits()
	out.QRegs = []circuit.Register{{Name: routing.PhysicalRegName(c), Size: t.NumQubits()}}
	if t.NumQubits() == 0 {
		out.QRegs = nil
	}
	for i := range out.Ops {
		for j, v := range out.Ops[i].Qubits {
			out.Ops[i].Qubits[j] = l[v]
		}
	}
	return out, nil
}

// Check reports whether l places nv virtual qubits on distinct usable
// physical qubits of t.
func Check(l transpile.Layout, nv int, t *device.Device) error {
	if len(l) != nv {
		return fmt.Errorf("layout places %d virtual qubits, circuit has %d", len(l), nv)
	}
	seen := make([]bool, t.NumQubits())
	for v, p := range l {
		if p < 0 || p >= t.NumQubits() {
			return fmt.Errorf("layout puts virtual qubit %d on physical qubit %d, out of range [0,%d) of device %s", v, p, t.NumQubits(), t.Name)
		}
		if !t.Qubits[p].Usable {
			return fmt.Errorf("layout puts virtual qubit %d on physical qubit %d, which is unusable on device %s", v, p, t.Name)
		}
		if seen[p] {
			return fmt.Errorf("layout puts two virtual qubits on physical qubit %d", p)
		}
		seen[p] = true
	}
	return nil
}

// Trivial is the layout v → v: virtual qubit v on physical qubit v. It
// fails when one of those physical qubits is missing or unusable (it never
// moves a qubit elsewhere); use it for circuits already written for the
// device's physical qubits. It does not look at connectivity: routing
// rejects a gate whose qubits lie in disconnected regions.
type Trivial struct{}

// Name returns "trivial-layout".
func (Trivial) Name() string { return "trivial-layout" }

// Run writes props.InitialLayout.
func (Trivial) Run(_ context.Context, c *circuit.Circuit, t *device.Device, props *transpile.PropertySet) (*circuit.Circuit, error) {
	ia, err := analyse(c)
	if err != nil {
		return nil, err
	}
	if usable := len(t.UsableQubits()); ia.n > usable {
		return nil, fmt.Errorf("circuit needs %d qubits, device %s has %d usable", ia.n, t.Name, usable)
	}
	l := make(transpile.Layout, c.NumQubits)
	for v := range l {
		if v >= t.NumQubits() || !t.Qubits[v].Usable {
			return nil, fmt.Errorf("trivial layout would put virtual qubit %d on physical qubit %d, which is unusable on device %s (use a dense, noise-aware or SABRE layout)", v, v, t.Name)
		}
		l[v] = v
	}
	props.InitialLayout = l
	return c, nil
}
