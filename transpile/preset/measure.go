package preset

import (
	"context"
	"slices"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/transpile"
)

// delayMeasures is the transformation pass that moves each unconditioned
// measurement as late as it can go: past every later op that touches
// neither its qubit nor its clbit (nor, through a condition, its clbit's
// register), and through an unconditioned SWAP by measuring the SWAP's
// other qubit afterwards, which gives the same outcome and leaves the same
// state. Routing may swap a measured qubit along a path or emit a
// measurement before unrelated gates; this pass puts such measurements
// back at the end so that engines sample the final state once. Run it
// after routing and before basis translation (which expands SWAPs).
type delayMeasures struct{}

func (delayMeasures) Name() string { return "delay-measures" }

func (delayMeasures) Run(_ context.Context, c *circuit.Circuit, _ *device.Device, _ *transpile.PropertySet) (*circuit.Circuit, error) {
	out := c.Clone()
	out.Ops = out.Ops[:0]
	var pending []circuit.Op // delayed measurements, in order
	onQubit := map[int]int{} // qubit → index in pending
	flush := func(keep func(*circuit.Op) bool) {
		rest := pending[:0]
		for _, m := range pending {
			if keep(&m) {
				rest = append(rest, m)
				continue
			}
			delete(onQubit, m.Qubits[0])
			out.Ops = append(out.Ops, m)
		}
		pending = rest
		for i, m := range pending {
			onQubit[m.Qubits[0]] = i
		}
	}
	for _, op := range c.Clone().Ops {
		if op.Kind == circuit.Measure && op.Cond == nil {
			clash := false
			for _, m := range pending {
				clash = clash || m.Qubits[0] == op.Qubits[0] || m.Clbits[0] == op.Clbits[0]
			}
			if !clash {
				onQubit[op.Qubits[0]] = len(pending)
				pending = append(pending, op)
				continue
			}
		}
		if op.Kind == circuit.GateOp && op.Name == "swap" && op.Cond == nil {
			a, b := op.Qubits[0], op.Qubits[1]
			ia, okA := onQubit[a]
			ib, okB := onQubit[b]
			if okA || okB {
				if okA {
					pending[ia].Qubits[0] = b
				}
				if okB {
					pending[ib].Qubits[0] = a
				}
				delete(onQubit, a)
				delete(onQubit, b)
				if okA {
					onQubit[b] = ia
				}
				if okB {
					onQubit[a] = ib
				}
				out.Ops = append(out.Ops, op)
				continue
			}
		}
		var cond []int
		if op.Cond != nil {
			r := c.CRegs[op.Cond.CReg]
			for k := range r.Size {
				cond = append(cond, r.Offset+k)
			}
		}
		flush(func(m *circuit.Op) bool {
			return !slices.Contains(op.Qubits, m.Qubits[0]) && !slices.Contains(op.Clbits, m.Clbits[0]) && !slices.Contains(cond, m.Clbits[0])
		})
		out.Ops = append(out.Ops, op)
	}
	flush(func(*circuit.Op) bool { return false })
	return out, nil
}
