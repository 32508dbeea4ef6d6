package preset

import (
	"context"
	"fmt"
	"slices"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile/basis"
	"github.com/qluster/qluster/transpile/optimize"
)

// TwoQubitGates returns the number of gates on two or more qubits in c.
func TwoQubitGates(c *circuit.Circuit) int {
	n := 0
	for i := range c.Ops {
		if c.Ops[i].Kind == circuit.GateOp && len(c.Ops[i].Qubits) >= 2 {
			n++
		}
	}
	return n
}

// Depth returns the length of c's longest path of operations: each gate,
// measurement or reset sits one step after the latest earlier operation
// sharing a qubit, a clbit or (for a conditioned op) a clbit of its
// condition's register with it. Barriers take no step and order nothing.
func Depth(c *circuit.Circuit) int {
	level := make([]int, c.NumQubits+c.NumClbits)
	depth := 0
	var wires []int
	for i := range c.Ops {
		op := &c.Ops[i]
		if op.Kind == circuit.Barrier {
			continue
		}
		wires = wires[:0]
		wires = append(wires, op.Qubits...)
		for _, b := range op.Clbits {
			wires = append(wires, c.NumQubits+b)
		}
		if op.Cond != nil && op.Cond.CReg >= 0 && op.Cond.CReg < len(c.CRegs) {
			reg := c.CRegs[op.Cond.CReg]
			for k := range reg.Size {
				wires = append(wires, c.NumQubits+reg.Offset+k)
			}
		}
		d := 0
		for _, w := range wires {
			d = max(d, level[w])
		}
		d++
		for _, w := range wires {
			level[w] = d
		}
		depth = max(depth, d)
	}
	return depth
}

// Native reports whether c already runs on t as written, reading its qubit
// indices as physical qubits: c is no wider than t, every op acts on usable
// qubits (idle declared qubits may be unusable), every gate is in t's basis,
// and every two-qubit gate acts on a coupling edge in an allowed direction.
func Native(c *circuit.Circuit, t *device.Device) bool {
	return c.NumQubits <= t.NumQubits() && Check(c, t) == nil
}

// Check reports whether every gate of c, a circuit over t's physical
// qubits, is in t's basis and acts on usable qubits, with each two-qubit
// gate on a coupling edge in an allowed direction. The error names the
// first offending op.
func Check(c *circuit.Circuit, t *device.Device) error {
	for i := range c.Ops {
		op := &c.Ops[i]
		for _, q := range op.Qubits {
			if q >= t.NumQubits() || !t.Qubits[q].Usable {
				return fmt.Errorf("op %d (%s) acts on physical qubit %d, not usable on device %s", i, opName(op), q, t.Name)
			}
		}
		if op.Kind != circuit.GateOp {
			continue
		}
		if !slices.Contains(t.Basis, op.Name) {
			return fmt.Errorf("op %d: gate %s is not in device %s's basis %v", i, op.Name, t.Name, t.Basis)
		}
		switch len(op.Qubits) {
		case 0, 1:
		case 2:
			if !t.Coupled(op.Qubits[0], op.Qubits[1]) {
				return fmt.Errorf("op %d: %s %v is not on a coupling edge of device %s", i, op.Name, op.Qubits, t.Name)
			}
		default:
			return fmt.Errorf("op %d: gate %s acts on %d qubits", i, op.Name, len(op.Qubits))
		}
	}
	return nil
}

func opName(op *circuit.Op) string {
	switch op.Kind {
	case circuit.Measure:
		return "measure"
	case circuit.Reset:
		return "reset"
	case circuit.Barrier:
		return "barrier"
	}
	return op.Name
}

// fixDirections turns round every two-qubit basis gate that runs against a
// directed edge: a CZ by swapping its arguments, a CX with Hadamards on
// both qubits, which the basis then absorbs (translation and, at level 1 and
// above, one-qubit merging follow when any were added).
func (r *runner) fixDirections(ctx context.Context, c *circuit.Circuit) (*circuit.Circuit, error) {
	t := r.t
	directed := false
	for _, e := range t.Edges {
		directed = directed || e.Directed
	}
	if !directed {
		return c, nil
	}
	h, _ := gate.Lookup("h")
	hOn := func(q int, cond *circuit.Condition) circuit.Op {
		return circuit.Op{Kind: circuit.GateOp, Gate: h, Name: h.Name, Qubits: []int{q}, Cond: cond}
	}
	out := c.Clone()
	out.Ops = out.Ops[:0]
	added := false
	for _, op := range c.Clone().Ops {
		if op.Kind != circuit.GateOp || len(op.Qubits) != 2 || t.Coupled(op.Qubits[0], op.Qubits[1]) {
			out.Ops = append(out.Ops, op)
			continue
		}
		a, b := op.Qubits[0], op.Qubits[1]
		if !t.Coupled(b, a) {
			return nil, fmt.Errorf("transpile: %s on %d,%d: no coupling edge either way on device %s", op.Name, a, b, t.Name)
		}
		switch op.Name {
		case "cz":
			op.Qubits[0], op.Qubits[1] = b, a
			out.Ops = append(out.Ops, op)
		case "cx":
			op.Qubits[0], op.Qubits[1] = b, a
			out.Ops = append(out.Ops, hOn(a, op.Cond), hOn(b, op.Cond), op, hOn(a, op.Cond), hOn(b, op.Cond))
			added = true
		default:
			return nil, fmt.Errorf("transpile: %s on %d,%d runs against the directed edge of device %s and cannot be turned round", op.Name, a, b, t.Name)
		}
	}
	if !added {
		return out, nil
	}
	return r.run(ctx, out, nil, basis.Translate{}, optimize.Merge1Q{})
}
