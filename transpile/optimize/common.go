package optimize

import (
	"math/big"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile/basis"
	"github.com/qluster/qluster/transpile/synth"
)

// plain reports whether op is an unconditioned table gate with bound
// parameters, the only kind the passes may move, merge or delete; it also
// returns its matrix.
func plain(op *circuit.Op) (gate.Matrix, bool) {
	if op.Kind != circuit.GateOp || op.Cond != nil || op.Gate == nil {
		return nil, false
	}
	vals, err := circuit.Values(op.Params)
	if err != nil {
		return nil, false
	}
	return op.Gate.Matrix(vals), true
}

func cloneOp(op *circuit.Op) circuit.Op {
	o := *op
	o.Params = append([]circuit.Param(nil), op.Params...)
	o.Qubits = append([]int(nil), op.Qubits...)
	o.Clbits = append([]int(nil), op.Clbits...)
	if op.Cond != nil {
		o.Cond = &circuit.Condition{CReg: op.Cond.CReg, Value: new(big.Int).Set(op.Cond.Value)}
	}
	return o
}

// rebuild returns a copy of c with the ops in order.
func rebuild(c *circuit.Circuit, ops []circuit.Op) *circuit.Circuit {
	out := c.Clone()
	out.Ops = ops
	return out
}

// targetBasis returns the Target's basis, or nil without a Target.
func targetBasis(t *device.Device) []string {
	if t == nil {
		return nil
	}
	return t.Basis
}

// embed returns the matrix of m (acting on qs, in argument order) on the
// local space of the qubits in space (index bit k = space[k]).
func embed(m gate.Matrix, qs, space []int) gate.Matrix {
	n := len(space)
	d, k := 1<<n, m.Dim()
	pos := make([]int, len(qs))
	mask := 0
	for a, q := range qs {
		for i, s := range space {
			if s == q {
				pos[a] = i
			}
		}
		mask |= 1 << pos[a]
	}
	local := func(idx int) int {
		j := 0
		for a, p := range pos {
			j |= ((idx >> p) & 1) << a
		}
		return j
	}
	out := make(gate.Matrix, d*d)
	for r := 0; r < d; r++ {
		for c := 0; c < d; c++ {
			if r&^mask == c&^mask {
				out[r*d+c] = m[local(r)*k+local(c)]
			}
		}
	}
	return out
}

// union returns the qubits of a followed by those of b not in a.
func union(a, b []int) []int {
	out := append([]int(nil), a...)
	for _, q := range b {
		if !has(out, q) {
			out = append(out, q)
		}
	}
	return out
}

func has(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func overlap(a, b []int) bool {
	for _, q := range a {
		if has(b, q) {
			return true
		}
	}
	return false
}

func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for _, q := range a {
		if !has(b, q) {
			return false
		}
	}
	return true
}

// synthOps converts synthesised ops on local qubits into circuit ops on
// qubits (local k → qubits[k]), placed at the source position of at.
func synthOps(seq []synth.Op, qubits []int, at *circuit.Op) []circuit.Op {
	out := make([]circuit.Op, 0, len(seq))
	for _, s := range seq {
		out = append(out, basis.Op(s, qubits, nil, at.Line, at.Col))
	}
	return out
}

// cost orders gate sequences: fewer two-qubit gates, then fewer gates, then
// fewer non-diagonal (physical) one-qubit gates.
type cost struct{ twoQ, gates, phys int }

func (c cost) less(d cost) bool {
	if c.twoQ != d.twoQ {
		return c.twoQ < d.twoQ
	}
	if c.gates != d.gates {
		return c.gates < d.gates
	}
	return c.phys < d.phys
}

func costOf(ops []circuit.Op) cost {
	var c cost
	for i := range ops {
		c.gates++
		if len(ops[i].Qubits) >= 2 {
			c.twoQ++
		} else if ops[i].Gate != nil && !ops[i].Gate.Diagonal {
			c.phys++
		}
	}
	return c
}

// inBasis reports whether every op is a gate in basis.
func inBasis(ops []circuit.Op, basis []string) bool {
	for i := range ops {
		if !contains(basis, ops[i].Name) {
			return false
		}
	}
	return true
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
