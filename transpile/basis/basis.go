// Package basis translates a circuit into a device's native gates: every
// gate outside the Target's basis (device.Device.Basis) is replaced by an
// exactly equivalent sequence (up to global phase) of basis gates. One-qubit
// gates are re-synthesised with synth.OneQubit; CX and CZ convert into each
// other with two Hadamards; SWAP becomes three CX; any other two-qubit gate
// is re-synthesised by KAK into at most three of the basis entangler.
//
// It runs after routing, so it never changes which qubits a gate acts on.
package basis

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/synth"
	"github.com/qluster/qluster/transpile/unroll"
)

// Translate is the transformation pass that rewrites every gate into the
// Target's basis. Gates already in the basis (symbolic parameters
// included), measurements, resets and barriers pass through unchanged; a
// conditioned gate's replacements all carry its condition. Gates on three
// or more qubits are unrolled first (package unroll).
//
// It fails when the Target is nil or its basis cannot express a gate (no
// CX or CZ for a two-qubit gate, one-qubit gates that cannot form an
// arbitrary rotation), for opaque gates outside the basis, and for gates
// outside the basis with unbound parameters.
type Translate struct{}

var _ transpile.Pass = Translate{}

// Name returns "basis".
func (Translate) Name() string { return "basis" }

// Run returns c translated into t.Basis.
func (Translate) Run(ctx context.Context, c *circuit.Circuit, t *device.Device, _ *transpile.PropertySet) (*circuit.Circuit, error) {
	if t == nil {
		return nil, fmt.Errorf("translate: no target")
	}
	tr := translator{basis: t.Basis, entangler: Entangler(t.Basis)}
	out := c.Clone()
	out.Ops = make([]circuit.Op, 0, len(c.Ops))
	for i := range c.Ops {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		op := &c.Ops[i]
		ops, err := tr.op(op, 0)
		if err != nil {
			return nil, fmt.Errorf("op %d (%s): %w", i, op.Name, err)
		}
		out.Ops = append(out.Ops, ops...)
	}
	return out, nil
}

// Entangler returns the two-qubit gate that synthesis emits for basis: "cx"
// or "cz", whichever comes first in basis, or "" if it has neither.
func Entangler(basis []string) string {
	for _, b := range basis {
		if b == "cx" || b == "cz" {
			return b
		}
	}
	return ""
}

type translator struct {
	basis     []string
	entangler string
}

// Op returns the gate-table op for a synthesised gate on the given circuit
// qubits (local qubit k of s is qubits[k]), carrying cond.
func Op(s synth.Op, qubits []int, cond *circuit.Condition, line, col int) circuit.Op {
	g, ok := gate.Lookup(s.Name)
	if !ok {
		panic("basis: synthesised unknown gate " + s.Name)
	}
	ps := make([]circuit.Param, len(s.Params))
	for i, v := range s.Params {
		ps[i] = circuit.Const(v)
	}
	qs := make([]int, len(s.Qubits))
	for i, q := range s.Qubits {
		qs[i] = qubits[q]
	}
	var cc *circuit.Condition
	if cond != nil {
		cc = &circuit.Condition{CReg: cond.CReg, Value: new(big.Int).Set(cond.Value)}
	}
	return circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Params: ps, Qubits: qs, Cond: cc, Line: line, Col: col}
}

// rules are the fixed rewrites tried before KAK synthesis, keyed by gate
// and target entangler, in local qubits of the gate.
var rules = map[[2]string][]synth.Op{
	{"cx", "cz"}: {{Name: "h", Qubits: []int{1}}, {Name: "cz", Qubits: []int{0, 1}}, {Name: "h", Qubits: []int{1}}},
	{"CX", "cz"}: {{Name: "h", Qubits: []int{1}}, {Name: "cz", Qubits: []int{0, 1}}, {Name: "h", Qubits: []int{1}}},
	{"cz", "cx"}: {{Name: "h", Qubits: []int{1}}, {Name: "cx", Qubits: []int{0, 1}}, {Name: "h", Qubits: []int{1}}},
	{"CX", "cx"}: {{Name: "cx", Qubits: []int{0, 1}}},
	{"swap", "cx"}: {{Name: "cx", Qubits: []int{0, 1}}, {Name: "cx", Qubits: []int{1, 0}},
		{Name: "cx", Qubits: []int{0, 1}}},
	// SWAP as three alternating CX, each a CZ between Hadamards on its
	// target: a fixed rule instead of a KAK synthesis per routed SWAP.
	{"swap", "cz"}: {{Name: "h", Qubits: []int{1}}, {Name: "cz", Qubits: []int{0, 1}},
		{Name: "h", Qubits: []int{0}}, {Name: "h", Qubits: []int{1}}, {Name: "cz", Qubits: []int{1, 0}},
		{Name: "h", Qubits: []int{0}}, {Name: "h", Qubits: []int{1}}, {Name: "cz", Qubits: []int{0, 1}},
		{Name: "h", Qubits: []int{1}}},
}

func (tr translator) op(op *circuit.Op, depth int) ([]circuit.Op, error) {
	if op.Kind != circuit.GateOp || slices.Contains(tr.basis, op.Name) {
		return []circuit.Op{cloneOp(op)}, nil
	}
	if op.Gate == nil {
		return nil, fmt.Errorf("opaque gate %s is not in the basis %v", op.Name, tr.basis)
	}
	vals, err := circuit.Values(op.Params)
	if err != nil {
		return nil, fmt.Errorf("gate outside the basis with unbound parameters: %w", err)
	}
	n := len(op.Qubits)
	var steps []circuit.Op
	switch {
	case n == 1:
		seq, _, err := synth.OneQubit(op.Gate.Matrix(vals), tr.basis)
		if err != nil {
			return nil, err
		}
		for _, s := range seq {
			steps = append(steps, Op(s, op.Qubits, op.Cond, op.Line, op.Col))
		}
		return steps, nil
	case n == 2:
		if tr.entangler == "" {
			return nil, fmt.Errorf("basis %v has no cx or cz for two-qubit gates", tr.basis)
		}
		if r, ok := rules[[2]string{op.Name, tr.entangler}]; ok {
			for _, s := range r {
				steps = append(steps, Op(s, op.Qubits, op.Cond, op.Line, op.Col))
			}
			break
		}
		seq, _, err := synth.TwoQubit(op.Gate.Matrix(vals), tr.entangler, tr.basis)
		if err != nil {
			return nil, err
		}
		for _, s := range seq {
			steps = append(steps, Op(s, op.Qubits, op.Cond, op.Line, op.Col))
		}
		return steps, nil
	default:
		body, err := unroll.Expand(op.Gate)
		if err != nil {
			return nil, err
		}
		for _, b := range body {
			s := cloneOp(&b)
			for k, q := range s.Qubits {
				s.Qubits[k] = op.Qubits[q]
			}
			s.Cond = cloneCond(op.Cond)
			s.Line, s.Col = op.Line, op.Col
			steps = append(steps, s)
		}
	}
	var out []circuit.Op
	for i := range steps {
		sub, err := tr.op(&steps[i], depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, sub...)
	}
	return out, nil
}

func cloneCond(c *circuit.Condition) *circuit.Condition {
	if c == nil {
		return nil
	}
	return &circuit.Condition{CReg: c.CReg, Value: new(big.Int).Set(c.Value)}
}

func cloneOp(op *circuit.Op) circuit.Op {
	o := *op
	o.Params = append([]circuit.Param(nil), op.Params...)
	o.Qubits = append([]int(nil), op.Qubits...)
	o.Clbits = append([]int(nil), op.Clbits...)
	o.Cond = cloneCond(op.Cond)
	return o
}
