// Package ref is a deliberately simple, obviously correct dense simulator
// used only by tests: every fast engine is compared against it on random
// circuits (see package simtest). It favours clarity over speed and is meant
// for circuits of at most MaxQubits qubits.
//
// Bit order is Qiskit's: qubit k contributes 2^k to a state index, and gate
// matrices use gate.Matrix's little-endian argument order.
package ref

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
)

// MaxQubits is the largest circuit the reference accepts.
const MaxQubits = 10

// PruneBelow is the branch probability under which Distribution drops a
// measurement branch. Such a branch cannot move any probability by more
// than its own weight; dropping it keeps branches that exist only through
// rounding (weights near 1e-32) from doubling the work at every
// deterministic measurement.
const PruneBelow = 1e-20

// Unitary returns the circuit's full 2^n×2^n unitary (row-major, index bit k
// = qubit k). It fails for measure, reset and conditions (not unitary), and
// with an error wrapping sim.ErrUnsupported for opaque gates and unbound
// parameters.
func Unitary(c *circuit.Circuit) (gate.Matrix, error) {
	if err := checkSize(c); err != nil {
		return nil, err
	}
	d := 1 << c.NumQubits
	u := identity(d)
	for i := range c.Ops {
		op := &c.Ops[i]
		if !op.IsUnitary() {
			return nil, fmt.Errorf("ref: op %d (%s) is not unitary", i, op.Kind)
		}
		if op.Kind == circuit.Barrier {
			continue
		}
		m, err := opMatrix(op)
		if err != nil {
			return nil, err
		}
		u = mul(expand(m, op.Qubits, c.NumQubits), u)
	}
	return u, nil
}

// State returns the final state of a unitary circuit started in |0…0⟩. It
// fails like Unitary.
func State(c *circuit.Circuit) ([]complex128, error) {
	if err := checkSize(c); err != nil {
		return nil, err
	}
	v := make([]complex128, 1<<c.NumQubits)
	v[0] = 1
	for i := range c.Ops {
		op := &c.Ops[i]
		if !op.IsUnitary() {
			return nil, fmt.Errorf("ref: op %d (%s) is not unitary", i, op.Kind)
		}
		if op.Kind == circuit.Barrier {
			continue
		}
		m, err := opMatrix(op)
		if err != nil {
			return nil, err
		}
		v = apply(m, op.Qubits, v)
	}
	return v, nil
}

// branch is one measurement history: its probability, its clbits and the
// normalised state that history leaves.
type branch struct {
	p     float64
	bits  circuit.Bits
	state []complex128
}

// Distribution returns the exact outcome distribution of c started in
// |0…0⟩, with measure, reset and conditions anywhere, by enumerating every
// measurement branch. If the circuit measures, keys are its clbits in
// circuit.Key format; otherwise keys are basis states over the qubits in
// circuit.QubitKey format. Outcomes of probability 0 are omitted.
func Distribution(c *circuit.Circuit) (map[string]float64, error) {
	if err := checkSize(c); err != nil {
		return nil, err
	}
	n := c.NumQubits
	start := make([]complex128, 1<<n)
	start[0] = 1
	live := []branch{{p: 1, bits: circuit.NewBits(c.NumClbits), state: start}}
	for i := range c.Ops {
		op := &c.Ops[i]
		if op.Kind == circuit.Barrier {
			continue
		}
		var m gate.Matrix
		if op.Kind == circuit.GateOp {
			var err error
			if m, err = opMatrix(op); err != nil {
				return nil, err
			}
		}
		var next []branch
		for _, b := range live {
			if !c.CondHolds(op, b.bits) {
				next = append(next, b)
				continue
			}
			switch op.Kind {
			case circuit.GateOp:
				b.state = apply(m, op.Qubits, b.state)
				next = append(next, b)
			case circuit.Measure, circuit.Reset:
				q := op.Qubits[0]
				for outcome := 0; outcome < 2; outcome++ {
					s, p := collapse(b.state, q, outcome)
					if b.p*p < PruneBelow {
						continue
					}
					nb := branch{p: b.p * p, bits: b.bits.Clone(), state: s}
					if op.Kind == circuit.Measure {
						nb.bits.Set(op.Clbits[0], outcome == 1)
					} else if outcome == 1 {
						nb.state = apply(gate.Matrix{0, 1, 1, 0}, []int{q}, nb.state)
					}
					next = append(next, nb)
				}
			}
		}
		live = next
	}
	out := map[string]float64{}
	for _, b := range live {
		if c.HasMeasure() {
			out[c.Key(b.bits)] += b.p
			continue
		}
		for idx, a := range b.state {
			if pa := real(a)*real(a) + imag(a)*imag(a); pa > 0 {
				out[circuit.QubitKey(uint64(idx), n)] += b.p * pa
			}
		}
	}
	return out, nil
}

// collapse projects s onto qubit q = outcome and renormalises. It returns
// the new state and the probability of the outcome (relative to s).
func collapse(s []complex128, q, outcome int) ([]complex128, float64) {
	var p, total float64
	out := make([]complex128, len(s))
	for idx, a := range s {
		pa := real(a)*real(a) + imag(a)*imag(a)
		total += pa
		if (idx>>q)&1 == outcome {
			out[idx] = a
			p += pa
		}
	}
	if p == 0 {
		return out, 0
	}
	scale := complex(1/math.Sqrt(p), 0)
	for idx := range out {
		out[idx] *= scale
	}
	return out, p / total
}

func checkSize(c *circuit.Circuit) error {
	if c.NumQubits > MaxQubits {
		return fmt.Errorf("ref: %d qubits exceed the reference limit of %d: %w", c.NumQubits, MaxQubits, sim.ErrTooLarge)
	}
	return nil
}

// opMatrix returns the matrix of a gate op, or an error wrapping
// sim.ErrUnsupported.
func opMatrix(op *circuit.Op) (gate.Matrix, error) {
	if op.Gate == nil {
		return nil, fmt.Errorf("ref: opaque gate %s at line %d cannot be simulated: %w", op.Name, op.Line, sim.ErrUnsupported)
	}
	vals, err := circuit.Values(op.Params)
	if err != nil {
		return nil, fmt.Errorf("ref: gate %s at line %d: %v: %w", op.Name, op.Line, err, sim.ErrUnsupported)
	}
	return op.Gate.Matrix(vals), nil
}

// local returns the gate-matrix index of full index idx: bit a is the state
// of qubit qs[a].
func local(idx int, qs []int) int {
	j := 0
	for a, q := range qs {
		j |= ((idx >> q) & 1) << a
	}
	return j
}

// expand returns the full 2^n×2^n matrix of m acting on qubits qs: element
// (r, c) is m[local(r), local(c)] where r and c agree on every other qubit,
// and 0 elsewhere (I ⊗ m with the tensor factors placed by index).
func expand(m gate.Matrix, qs []int, n int) gate.Matrix {
	d, k := 1<<n, m.Dim()
	mask := 0
	for _, q := range qs {
		mask |= 1 << q
	}
	out := make(gate.Matrix, d*d)
	for r := 0; r < d; r++ {
		for c := 0; c < d; c++ {
			if r&^mask == c&^mask {
				out[r*d+c] = m[local(r, qs)*k+local(c, qs)]
			}
		}
	}
	return out
}

// apply returns expand(m, qs, n)·v, computed row by row over the columns
// that can be non-zero (those agreeing with the row outside qs).
func apply(m gate.Matrix, qs []int, v []complex128) []complex128 {
	k := m.Dim()
	mask := 0
	for _, q := range qs {
		mask |= 1 << q
	}
	out := make([]complex128, len(v))
	for r := range v {
		lr := local(r, qs)
		var sum complex128
		for j := 0; j < k; j++ {
			c := r &^ mask
			for a, q := range qs {
				c |= ((j >> a) & 1) << q
			}
			sum += m[lr*k+j] * v[c]
		}
		out[r] = sum
	}
	return out
}

// mul returns a·b for square matrices of equal dimension.
func mul(a, b gate.Matrix) gate.Matrix {
	d := a.Dim()
	out := make(gate.Matrix, d*d)
	for i := 0; i < d; i++ {
		for k := 0; k < d; k++ {
			if a[i*d+k] == 0 {
				continue
			}
			for j := 0; j < d; j++ {
				out[i*d+j] += a[i*d+k] * b[k*d+j]
			}
		}
	}
	return out
}

func identity(d int) gate.Matrix {
	out := make(gate.Matrix, d*d)
	for i := 0; i < d; i++ {
		out[i*d+i] = 1
	}
	return out
}

// Fidelity returns |⟨a|b⟩|², a convenience for tests comparing states up to
// global phase.
func Fidelity(a, b []complex128) float64 {
	var s complex128
	for i := range a {
		s += cmplx.Conj(a[i]) * b[i]
	}
	return real(s)*real(s) + imag(s)*imag(s)
}
