package synth

import (
	"fmt"
	"math"

	"github.com/qluster/qluster/gate"
)

// elem is one step of a two-qubit sequence: a 2×2 matrix on local qubit q,
// or (m == nil) a CX with control c and target t.
type elem struct {
	m    gate.Matrix
	q    int
	c, t int
}

func one(q int, m gate.Matrix) elem { return elem{m: m, q: q} }
func cx(c, t int) elem              { return elem{c: c, t: t} }

// interaction returns a circuit (in application order) for
// exp(i(x·XX + y·YY + z·ZZ)) up to global phase, with n CX gates; n must
// be the count NumTwoQubitGates gives for canonical (x, y, z).
func interaction(n int, x, y, z float64) []elem {
	switch n {
	case 0:
		return nil
	case 1:
		// CX = e^{iπ/4}·exp(−iπ/4 Z₀)·exp(−iπ/4 X₁)·exp(iπ/4 Z₀X₁), and
		// H on qubit 0 turns Z₀X₁ into X₀X₁.
		return []elem{one(0, hadam), cx(0, 1), one(0, rz(-math.Pi/2)), one(1, rxm(-math.Pi/2)), one(0, hadam)}
	case 2:
		// CX·(Rx(θ₁)⊗Rz(θ₂))·CX = exp(−iθ₁/2 X₀X₁)·exp(−iθ₂/2 Z₀Z₁), and
		// Rx(π/2)⊗Rx(π/2) turns ZZ into YY.
		v, vd := rxm(math.Pi/2), rxm(-math.Pi/2)
		return []elem{one(0, vd), one(1, vd), cx(0, 1), one(0, rxm(-2*x)), one(1, rz(-2*y)), cx(0, 1), one(0, v), one(1, v)}
	}
	// Three CX after Vatan and Williams (2004); the signs were fitted to
	// this package's conventions and are checked by the tests.
	return []elem{
		one(0, rz(math.Pi/2)), cx(0, 1),
		one(1, rz(math.Pi/2-2*z)), one(0, ry(math.Pi/2-2*x)), cx(1, 0),
		one(0, ry(2*y-math.Pi/2)), cx(0, 1),
		one(1, rz(-math.Pi/2)),
	}
}

// TwoQubit returns a circuit on local qubits 0 and 1 equal to the 4×4
// unitary u up to global phase, and the phase: u = e^{i·phase}·(product of
// the ops). It uses the fewest entanglers the Weyl coordinates allow (at
// most three) of the named kind, "cx" or "cz", and one-qubit gates from
// basis (see OneQubit). It fails for another entangler, a non-unitary u, or
// a basis that cannot express the one-qubit gates.
func TwoQubit(u gate.Matrix, entangler string, basis []string) ([]Op, float64, error) {
	return TwoQubitDirected(u, entangler, basis, nil)
}

// TwoQubitDirected is TwoQubit for a CX that runs in one direction only:
// allowed(control, target) reports whether a CX on those local qubits is
// native, and a CX the other way is turned round with Hadamards on both
// qubits (merged into the neighbouring one-qubit gates). A nil allowed
// permits both directions; CZ is symmetric and ignores it.
func TwoQubitDirected(u gate.Matrix, entangler string, basis []string, allowed func(control, target int) bool) ([]Op, float64, error) {
	if entangler != "cx" && entangler != "cz" {
		return nil, 0, fmt.Errorf("synth: two-qubit synthesis into %q (want cx or cz)", entangler)
	}
	k, err := Decompose(u)
	if err != nil {
		return nil, 0, err
	}
	n := k.NumTwoQubitGates()
	els := []elem{one(0, k.B2), one(1, k.A2)}
	els = append(els, interaction(n, k.X, k.Y, k.Z)...)
	els = append(els, one(0, k.B1), one(1, k.A1))
	ops, err := emit(els, entangler, basis, allowed)
	if err != nil {
		return nil, 0, err
	}
	got := Unitary2(ops)
	if !gate.EqualUpToPhase(got, u, 1e-8) {
		return nil, 0, fmt.Errorf("synth: two-qubit synthesis lost accuracy (internal error)")
	}
	return ops, phaseBetween(u, got), nil
}

// emit merges the one-qubit matrices between entanglers, turns each CX into
// the entangler (CZ with H on the target either side), and synthesises the
// one-qubit matrices into basis.
func emit(els []elem, entangler string, basis []string, allowed func(control, target int) bool) ([]Op, error) {
	pending := [2]gate.Matrix{gate.Identity(1), gate.Identity(1)}
	var out []Op
	flush := func(q int) error {
		ops, _, err := OneQubit(pending[q], basis)
		if err != nil {
			return err
		}
		for _, o := range ops {
			o.Qubits = []int{q}
			out = append(out, o)
		}
		pending[q] = gate.Identity(1)
		return nil
	}
	for _, e := range els {
		if e.m != nil {
			pending[e.q] = gate.Mul(e.m, pending[e.q])
			continue
		}
		flip := entangler == "cx" && allowed != nil && !allowed(e.c, e.t)
		switch {
		case entangler == "cz":
			pending[e.t] = gate.Mul(hadam, pending[e.t])
		case flip:
			// CX(c,t) = (H⊗H)·CX(t,c)·(H⊗H).
			pending[0] = gate.Mul(hadam, pending[0])
			pending[1] = gate.Mul(hadam, pending[1])
			e.c, e.t = e.t, e.c
		}
		for q := 0; q < 2; q++ {
			if err := flush(q); err != nil {
				return nil, err
			}
		}
		out = append(out, Op{Name: entangler, Qubits: []int{e.c, e.t}})
		switch {
		case entangler == "cz":
			pending[e.t] = hadam
		case flip:
			pending[0], pending[1] = hadam, hadam
		}
	}
	for q := 0; q < 2; q++ {
		if err := flush(q); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Unitary2 returns the 4×4 unitary of ops on local qubits 0 and 1 (first op
// applied first).
func Unitary2(ops []Op) gate.Matrix {
	u := gate.Identity(2)
	for _, o := range ops {
		m := o.Matrix()
		switch {
		case len(o.Qubits) == 1:
			m = on(o.Qubits[0], m)
		case o.Qubits[0] == 1:
			// The table matrix takes argument 0 as the low bit; swap the
			// qubits when the op runs on (1, 0).
			sw := gate.Matrix{1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1}
			m = mulAll(sw, m, sw)
		}
		u = gate.Mul(m, u)
	}
	return u
}
