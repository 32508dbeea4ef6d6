package sim

import (
	"fmt"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// GateMatrices returns the matrix of every gate op of c (nil for measure,
// reset and barrier), for engines that apply dense matrices. It fails with
// ErrUnsupported for an opaque gate, an unbound parameter or any other kind
// of operation, naming the op's source line.
func GateMatrices(c *circuit.Circuit) ([]gate.Matrix, error) {
	out := make([]gate.Matrix, len(c.Ops))
	for i := range c.Ops {
		op := &c.Ops[i]
		switch op.Kind {
		case circuit.GateOp:
			if op.Gate == nil {
				return nil, fmt.Errorf("%w: opaque gate %s%s cannot be simulated", ErrUnsupported, op.Name, sourceLine(op))
			}
			vals, err := circuit.Values(op.Params)
			if err != nil {
				return nil, fmt.Errorf("%w: gate %s%s: %v", ErrUnsupported, op.Name, sourceLine(op), err)
			}
			out[i] = op.Gate.Matrix(vals)
		case circuit.Measure, circuit.Reset, circuit.Barrier:
		default:
			return nil, fmt.Errorf("%w: operation %s%s", ErrUnsupported, op.Kind, sourceLine(op))
		}
	}
	return out, nil
}

// sourceLine locates op in its source for error messages.
func sourceLine(op *circuit.Op) string {
	if op.Line > 0 {
		return fmt.Sprintf(" at line %d", op.Line)
	}
	return ""
}
