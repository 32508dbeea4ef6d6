package device

import (
	"fmt"
	"sort"
	"time"
)

// Device is one chip: its qubits, coupling map, basis gates and calibration.
// Qubit indices are positions in Qubits; edges and couplers refer to them.
// A Device is a plain value: loaders and presets return a fresh one that the
// caller may change, and Validate checks it.
type Device struct {
	// Name identifies the device (and its backend): letters, digits, '.',
	// '_' and '-', at most 64 characters.
	Name string
	// Description is a one-line human-readable summary.
	Description string
	// Qubits lists every physical qubit, usable or not; Qubits[i].Index == i.
	Qubits []Qubit
	// Edges is the coupling map: the usable two-qubit gates between usable
	// qubits. The Quafu loader and the presets sort them by (A, B, Gate);
	// a schema file keeps its own order.
	Edges []Edge
	// Basis lists the native gates, lower-case canonical names from the
	// gate table, in the source's order.
	Basis []string
	// CalibrationTime is when the figures were measured, in UTC; zero when
	// unknown.
	CalibrationTime time.Time
	// Source says where the device came from (a file, a preset generator).
	Source string
	// SystemID is the chip's numeric id in the source system (Quafu's
	// system_id); 0 when none.
	SystemID int
	// Couplers lists the physical couplers, usable or not, each with
	// A < B. It is informational (it shows the chip's full layout); the
	// coupling map is Edges. Empty when the source does not list them.
	Couplers []Coupler
	// PriorityRegions lists groups of qubit indices the source recommends
	// for small jobs (Quafu's priority_qubits), in the source's order.
	PriorityRegions [][]int
	// Defaults records every figure that did not come from the source but
	// from a named default or a derivation (see defaults.go).
	Defaults []DefaultedFigure
}

// Qubit holds one physical qubit's calibration. Figures of an unusable
// qubit are zero when the source gives none.
type Qubit struct {
	// Index is the qubit's position in Device.Qubits.
	Index int
	// Name is the source's name for the qubit ("Q0103" on Quafu chips).
	Name string
	// Usable reports that the qubit is calibrated and may run gates.
	Usable bool
	// T1 is the energy relaxation time in microseconds.
	T1 float64
	// T2 is the dephasing time in microseconds: the Hahn-echo figure where
	// the source gives one (T2 ≤ 2·T1 always holds after loading).
	T2 float64
	// T2Star is the Ramsey (free-induction) dephasing time in microseconds;
	// 0 when unknown.
	T2Star float64
	// Frequency is the qubit's 0→1 transition frequency in GHz; 0 when
	// unknown.
	Frequency float64
	// Anharmonicity is in GHz as the source gives it (Quafu files give its
	// magnitude, a positive number; the generated presets follow them); 0
	// when unknown.
	Anharmonicity float64
	// ReadoutFrequency is the readout resonator frequency in GHz; 0 when
	// unknown.
	ReadoutFrequency float64
	// Gate1QDuration is the single-qubit gate duration in nanoseconds.
	Gate1QDuration float64
	// Gate1QError is the single-qubit gate error, 1 − average gate fidelity.
	Gate1QError float64
	// ReadoutP10 is the probability of reading 1 when the qubit is in |0⟩.
	ReadoutP10 float64
	// ReadoutP01 is the probability of reading 0 when the qubit is in |1⟩.
	ReadoutP01 float64
	// ReadoutDuration is the measurement duration in nanoseconds.
	ReadoutDuration float64
}

// Edge is one usable two-qubit gate of the coupling map.
type Edge struct {
	// A and B are qubit indices. For a directed edge, A is the first
	// argument (the control of a cx) and the gate runs only as Gate(A, B).
	A, B int
	// Gate is the native two-qubit gate, a lower-case canonical gate name
	// ("cz", "cx").
	Gate string
	// Error is the gate error, 1 − fidelity as the source reports it.
	Error float64
	// Duration is the gate duration in nanoseconds.
	Duration float64
	// Directed reports that the gate runs only from A to B. An undirected
	// edge runs either way with the same figures and is stored with A < B.
	Directed bool
}

// Coupler is one physical coupler between two qubits, usable or not.
type Coupler struct {
	// A and B are qubit indices, A < B.
	A, B int
	// Site is the coupler's number on the chip (Quafu's coupler "site"), or
	// -1 when the source gives none.
	Site int
}

// DefaultedFigure records that a figure did not come from the source.
type DefaultedFigure struct {
	// Field names the figure as in the device schema ("readout_p10",
	// "gate_1q_error", "t2_us", …).
	Field string
	// Value is the default used, in the field's unit: for a derived figure
	// the constant the derivation starts from, and 0 where the figure was
	// set per qubit (a clipped T2); the Reason says which.
	Value float64
	// Reason says why, and for which qubits or edges.
	Reason string
}

// NumQubits returns the number of physical qubits, usable or not.
func (d *Device) NumQubits() int { return len(d.Qubits) }

// UsableQubits returns the indices of the usable qubits in increasing order.
func (d *Device) UsableQubits() []int {
	var out []int
	for i, q := range d.Qubits {
		if q.Usable {
			out = append(out, i)
		}
	}
	return out
}

// QubitByName returns the qubit with the given name.
func (d *Device) QubitByName(name string) (Qubit, bool) {
	for _, q := range d.Qubits {
		if q.Name == name {
			return q, true
		}
	}
	return Qubit{}, false
}

// EdgeBetween returns the edge that runs a two-qubit gate with a as its
// first argument and b as its second: a directed edge A=a, B=b, or an
// undirected edge between a and b. With several gates on the pair it
// returns the one with the lowest error.
func (d *Device) EdgeBetween(a, b int) (Edge, bool) {
	var best Edge
	found := false
	for _, e := range d.Edges {
		if !e.runs(a, b) {
			continue
		}
		if !found || e.Error < best.Error {
			best, found = e, true
		}
	}
	return best, found
}

// runs reports whether e runs its gate with arguments (a, b).
func (e Edge) runs(a, b int) bool {
	if e.A == a && e.B == b {
		return true
	}
	return !e.Directed && e.A == b && e.B == a
}

// Coupled reports whether a two-qubit gate can run with a as its first
// argument and b as its second, respecting edge direction.
func (d *Device) Coupled(a, b int) bool {
	_, ok := d.EdgeBetween(a, b)
	return ok
}

// Neighbors returns the qubits that share an edge with q, in either
// direction, in increasing order.
func (d *Device) Neighbors(q int) []int {
	seen := map[int]bool{}
	for _, e := range d.Edges {
		switch q {
		case e.A:
			seen[e.B] = true
		case e.B:
			seen[e.A] = true
		}
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// CouplingMap returns the directed pairs (first argument, second argument)
// on which a two-qubit gate can run, as Qiskit's coupling map lists them: an
// undirected edge gives both directions. Pairs are unique and sorted.
func (d *Device) CouplingMap() [][2]int {
	seen := map[[2]int]bool{}
	var out [][2]int
	add := func(p [2]int) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, e := range d.Edges {
		add([2]int{e.A, e.B})
		if !e.Directed {
			add([2]int{e.B, e.A})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}

// ConnectedComponents returns the connected components of the graph of
// usable qubits and edges (ignoring direction), each sorted, largest first
// and, among equal sizes, by smallest index. An isolated usable qubit is a
// component of its own.
func (d *Device) ConnectedComponents() [][]int {
	parent := make([]int, len(d.Qubits))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range d.Edges {
		if !d.usable(e.A) || !d.usable(e.B) {
			continue
		}
		ra, rb := find(e.A), find(e.B)
		if ra != rb {
			if ra < rb {
				parent[rb] = ra
			} else {
				parent[ra] = rb
			}
		}
	}
	groups := map[int][]int{}
	for _, q := range d.UsableQubits() {
		r := find(q)
		groups[r] = append(groups[r], q)
	}
	out := make([][]int, 0, len(groups))
	for _, g := range groups {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i][0] < out[j][0]
	})
	return out
}

func (d *Device) usable(q int) bool {
	return q >= 0 && q < len(d.Qubits) && d.Qubits[q].Usable
}

// Sub returns the device restricted to the given qubits, renumbered in the
// given order: qubit qubits[i] of d becomes qubit i of the result. Edges and
// couplers between the chosen qubits are kept, priority regions are dropped,
// and every other field is copied. It fails on an index out of range or
// repeated.
func (d *Device) Sub(qubits []int) (*Device, error) {
	newIndex := make(map[int]int, len(qubits))
	out := &Device{
		Name:            d.Name,
		Description:     d.Description,
		Basis:           append([]string(nil), d.Basis...),
		CalibrationTime: d.CalibrationTime,
		Source:          d.Source,
		SystemID:        d.SystemID,
		Defaults:        append([]DefaultedFigure(nil), d.Defaults...),
	}
	for i, q := range qubits {
		if q < 0 || q >= len(d.Qubits) {
			return nil, fmt.Errorf("device %s: sub-device: qubit %d out of range [0, %d)", d.Name, q, len(d.Qubits))
		}
		if _, dup := newIndex[q]; dup {
			return nil, fmt.Errorf("device %s: sub-device: qubit %d listed twice", d.Name, q)
		}
		newIndex[q] = i
		nq := d.Qubits[q]
		nq.Index = i
		out.Qubits = append(out.Qubits, nq)
	}
	for _, e := range d.Edges {
		a, okA := newIndex[e.A]
		b, okB := newIndex[e.B]
		if !okA || !okB {
			continue
		}
		e.A, e.B = a, b
		if !e.Directed && e.A > e.B {
			e.A, e.B = e.B, e.A
		}
		out.Edges = append(out.Edges, e)
	}
	sortEdges(out.Edges)
	for _, c := range d.Couplers {
		a, okA := newIndex[c.A]
		b, okB := newIndex[c.B]
		if !okA || !okB {
			continue
		}
		if a > b {
			a, b = b, a
		}
		out.Couplers = append(out.Couplers, Coupler{A: a, B: b, Site: c.Site})
	}
	sortCouplers(out.Couplers)
	return out, nil
}

// sortEdges orders edges by (A, B, Gate).
func sortEdges(es []Edge) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].A != es[j].A {
			return es[i].A < es[j].A
		}
		if es[i].B != es[j].B {
			return es[i].B < es[j].B
		}
		return es[i].Gate < es[j].Gate
	})
}

// sortCouplers orders couplers by (A, B).
func sortCouplers(cs []Coupler) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].A != cs[j].A {
			return cs[i].A < cs[j].A
		}
		return cs[i].B < cs[j].B
	})
}
