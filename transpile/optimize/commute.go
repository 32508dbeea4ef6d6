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

// commuteWindow bounds how many earlier gates sharing a qubit
// CommutationCancel looks back over for each gate, keeping the pass linear.
const commuteWindow = 64

// CommutationCancel is the transformation pass that moves each plain gate
// (one or two qubits) back over the gates it commutes with (e.g. Z-type
// rotations through CX controls and CZ, X-type rotations through CX
// targets), and there cancels it against an inverse on the same qubits or,
// for one-qubit gates, merges it into a single basis gate. It repeats until
// nothing changes. It fails without a Target.
type CommutationCancel struct{}

var _ transpile.Pass = CommutationCancel{}

// Name returns "commutation-cancel".
func (CommutationCancel) Name() string { return "commutation-cancel" }

// Run returns c with commuting cancellations applied.
func (CommutationCancel) Run(ctx context.Context, c *circuit.Circuit, t *device.Device, _ *transpile.PropertySet) (*circuit.Circuit, error) {
	if t == nil {
		return nil, fmt.Errorf("commutation-cancel: no target")
	}
	ops := c.Ops
	for round := 0; round < 8; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		next, changed := commutePass(ops, t.Basis)
		ops = next
		if !changed {
			break
		}
	}
	out := make([]circuit.Op, len(ops))
	for i := range ops {
		out[i] = cloneOp(&ops[i])
	}
	return rebuild(c, out), nil
}

func commutePass(in []circuit.Op, basis []string) ([]circuit.Op, bool) {
	out := make([]circuit.Op, 0, len(in))
	dead := make([]bool, 0, len(in))
	mats := make([]gate.Matrix, 0, len(in)) // plain matrix of out[j], nil if not plain
	changed := false
	for i := range in {
		b := in[i]
		mb, ok := plain(&b)
		if !ok || len(b.Qubits) > 2 {
			out, dead, mats = append(out, b), append(dead, false), append(mats, mb)
			continue
		}
		merged := false
		seen := 0
		for j := len(out) - 1; j >= 0 && seen < commuteWindow; j-- {
			a := &out[j]
			if dead[j] || !overlap(a.Qubits, b.Qubits) {
				continue
			}
			seen++
			ma := mats[j]
			if ma == nil {
				break
			}
			if sameSet(a.Qubits, b.Qubits) {
				prod := gate.Mul(embed(mb, b.Qubits, a.Qubits), ma)
				if synth.IsIdentity(prod, 1e-12) {
					dead[j], merged = true, true
					break
				}
				if len(b.Qubits) == 1 && commutes(a, ma, &b, mb) {
					// Same-axis rotations: their product is one rotation.
					if seq, _, err := synth.OneQubit(prod, basis); err == nil && len(seq) <= 1 {
						if len(seq) == 0 {
							dead[j] = true
						} else {
							out[j] = synthOps(seq, a.Qubits, a)[0]
							mats[j], _ = plain(&out[j])
						}
						merged = true
						break
					}
				}
			}
			if !commutes(a, ma, &b, mb) {
				break
			}
		}
		if merged {
			changed = true
			continue
		}
		out, dead, mats = append(out, b), append(dead, false), append(mats, mb)
	}
	kept := out[:0]
	for j := range out {
		if !dead[j] {
			kept = append(kept, out[j])
		}
	}
	return kept, changed
}

// commutes reports whether the plain gates a and b (matrices ma, mb)
// commute exactly.
func commutes(a *circuit.Op, ma gate.Matrix, b *circuit.Op, mb gate.Matrix) bool {
	if !overlap(a.Qubits, b.Qubits) {
		return true
	}
	if isDiagonal(ma) && isDiagonal(mb) {
		return true
	}
	space := union(a.Qubits, b.Qubits)
	if len(space) > 4 {
		return false
	}
	ea, eb := embed(ma, a.Qubits, space), embed(mb, b.Qubits, space)
	ab, ba := gate.Mul(ea, eb), gate.Mul(eb, ea)
	for k := range ab {
		d := ab[k] - ba[k]
		if real(d)*real(d)+imag(d)*imag(d) > 1e-24 {
			return false
		}
	}
	return true
}

func isDiagonal(m gate.Matrix) bool {
	d := m.Dim()
	for r := 0; r < d; r++ {
		for c := 0; c < d; c++ {
			if r != c && m[r*d+c] != 0 {
				return false
			}
		}
	}
	return true
}
