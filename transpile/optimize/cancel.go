package optimize

import (
	"context"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/synth"
)

// CancelInverses is the transformation pass that removes pairs of adjacent
// gates on the same qubits whose product is the identity up to global
// phase (h h, cx cx, s sdg, rz(a) rz(−a), swap on either qubit order, …),
// repeatedly, so nested pairs such as h x x h vanish too. Nothing cancels
// across a barrier, measurement, reset or conditioned op. It ignores the
// Target and never fails.
type CancelInverses struct{}

var _ transpile.Pass = CancelInverses{}

// Name returns "cancel-inverses".
func (CancelInverses) Name() string { return "cancel-inverses" }

// Run returns c without its cancelling pairs.
func (CancelInverses) Run(_ context.Context, c *circuit.Circuit, _ *device.Device, _ *transpile.PropertySet) (*circuit.Circuit, error) {
	keep := make([]bool, len(c.Ops))
	stacks := make([][]int, c.NumQubits)
	for i := range c.Ops {
		op := &c.Ops[i]
		keep[i] = true
		if j := topOfAll(stacks, op.Qubits); j >= 0 && sameSet(c.Ops[j].Qubits, op.Qubits) && cancels(&c.Ops[j], op) {
			keep[i], keep[j] = false, false
			for _, q := range op.Qubits {
				stacks[q] = stacks[q][:len(stacks[q])-1]
			}
			continue
		}
		for _, q := range op.Qubits {
			stacks[q] = append(stacks[q], i)
		}
	}
	var ops []circuit.Op
	for i := range c.Ops {
		if keep[i] {
			ops = append(ops, cloneOp(&c.Ops[i]))
		}
	}
	return rebuild(c, ops), nil
}

// topOfAll returns the op on top of every stack of qs, or −1 if they
// differ or one is empty.
func topOfAll(stacks [][]int, qs []int) int {
	j := -1
	for k, q := range qs {
		s := stacks[q]
		if len(s) == 0 {
			return -1
		}
		if k == 0 {
			j = s[len(s)-1]
		} else if s[len(s)-1] != j {
			return -1
		}
	}
	return j
}

// cancels reports whether b·a is the identity up to phase for two plain
// gates on the same qubit set (at most three qubits).
func cancels(a, b *circuit.Op) bool {
	if len(a.Qubits) > 3 || len(a.Qubits) == 0 {
		return false
	}
	ma, ok := plain(a)
	if !ok {
		return false
	}
	mb, ok := plain(b)
	if !ok {
		return false
	}
	space := a.Qubits
	prod := gate.Mul(embed(mb, b.Qubits, space), embed(ma, a.Qubits, space))
	return synth.IsIdentity(prod, 1e-12)
}
