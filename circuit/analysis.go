package circuit

import "fmt"

// TerminalMeasurements reports whether the circuit's only non-unitary
// operations are measurements at the end: no reset, no condition, and no
// gate on a qubit after it has been measured. Such circuits can be
// simulated once and sampled from the final distribution. It also returns
// the measurement map: for each measure in order, (qubit, clbit).
func (c *Circuit) TerminalMeasurements() (ok bool, measures [][2]int) {
	measured := make([]bool, c.NumQubits)
	for i := range c.Ops {
		op := &c.Ops[i]
		if op.Cond != nil || op.Kind == Reset {
			return false, nil
		}
		switch op.Kind {
		case Measure:
			measured[op.Qubits[0]] = true
			measures = append(measures, [2]int{op.Qubits[0], op.Clbits[0]})
		case GateOp:
			for _, q := range op.Qubits {
				if measured[q] {
					return false, nil
				}
			}
		}
	}
	return true, measures
}

// HasMeasure reports whether the circuit contains any measurement.
func (c *Circuit) HasMeasure() bool {
	for i := range c.Ops {
		if c.Ops[i].Kind == Measure {
			return true
		}
	}
	return false
}

// Inverse returns the inverse circuit: gates in reverse order, each replaced
// by its table inverse. It fails on measure, reset, conditions, opaque gates
// and unbound parameters.
func (c *Circuit) Inverse() (*Circuit, error) {
	out := c.Clone()
	out.Ops = out.Ops[:0]
	for i := len(c.Ops) - 1; i >= 0; i-- {
		op := c.Ops[i]
		if !op.IsUnitary() {
			return nil, fmt.Errorf("inverse: %s is not unitary", op.describe())
		}
		if op.Kind == Barrier {
			out.Ops = append(out.Ops, op)
			continue
		}
		if op.Gate == nil {
			return nil, fmt.Errorf("inverse: opaque gate %s", op.Name)
		}
		vals, err := Values(op.Params)
		if err != nil {
			return nil, fmt.Errorf("inverse: %s: %w", op.describe(), err)
		}
		g, inv := op.Gate.Inverse(vals)
		ps := make([]Param, len(inv))
		for j, v := range inv {
			ps[j] = Const(v)
		}
		out.Ops = append(out.Ops, Op{Kind: GateOp, Gate: g, Name: g.Name, Params: ps, Qubits: append([]int(nil), op.Qubits...)})
	}
	return out, nil
}
