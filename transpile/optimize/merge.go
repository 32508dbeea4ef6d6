package optimize

import (
	"context"
	"fmt"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/synth"
)

// Merge1Q is the transformation pass that fuses every maximal run of plain
// one-qubit gates on a qubit into one matrix and re-synthesises it into the
// Target's basis with synth.OneQubit. A run is replaced when the result is
// cheaper (fewer gates, then fewer non-diagonal gates) or when the run
// holds gates outside the basis; a run equal to the identity disappears.
// Runs the basis cannot express are left alone. It fails without a Target.
type Merge1Q struct{}

var _ transpile.Pass = Merge1Q{}

// Name returns "merge-1q".
func (Merge1Q) Name() string { return "merge-1q" }

// Run returns c with its one-qubit runs merged.
func (Merge1Q) Run(_ context.Context, c *circuit.Circuit, t *device.Device, _ *transpile.PropertySet) (*circuit.Circuit, error) {
	if t == nil {
		return nil, fmt.Errorf("merge-1q: no target")
	}
	basis := t.Basis
	// runs[q] collects the indices of the open run on qubit q.
	runs := make([][]int, c.NumQubits)
	replace := map[int][]circuit.Op{} // first index of a run → its replacement
	drop := make([]bool, len(c.Ops))
	flush := func(q int) {
		run := runs[q]
		runs[q] = nil
		if len(run) == 0 {
			return
		}
		m := gate.Identity(1)
		old := make([]circuit.Op, len(run))
		for k, i := range run {
			mi, _ := plain(&c.Ops[i])
			m = gate.Mul(mi, m)
			old[k] = c.Ops[i]
		}
		seq, _, err := synth.OneQubit(m, basis)
		if err != nil {
			return
		}
		repl := synthOps(seq, []int{q}, &c.Ops[run[0]])
		if inBasis(old, basis) && !costOf(repl).less(costOf(old)) {
			return
		}
		for _, i := range run {
			drop[i] = true
		}
		replace[run[0]] = repl
	}
	for i := range c.Ops {
		op := &c.Ops[i]
		if _, ok := plain(op); ok && len(op.Qubits) == 1 {
			runs[op.Qubits[0]] = append(runs[op.Qubits[0]], i)
			continue
		}
		for _, q := range op.Qubits {
			flush(q)
		}
	}
	for q := range runs {
		flush(q)
	}
	var ops []circuit.Op
	for i := range c.Ops {
		if r, ok := replace[i]; ok {
			ops = append(ops, r...)
		}
		if !drop[i] {
			ops = append(ops, cloneOp(&c.Ops[i]))
		}
	}
	return rebuild(c, ops), nil
}
