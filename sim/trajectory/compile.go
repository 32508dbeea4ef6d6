package trajectory

import (
	"math"
	"math/bits"
	"math/cmplx"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/noise"
)

// elemKind says how a compiled element acts on a trajectory.
type elemKind uint8

const (
	// apply multiplies the state by a fixed matrix.
	apply elemKind = iota
	// mix picks one of several actions with fixed probabilities: a
	// mixed-unitary channel (depolarizing) or a relaxation written as
	// identity, Z or reset.
	mix
	// kraus picks one Kraus operator K with probability ‖Kψ‖²: a general
	// channel, or a reset.
	kraus
	// measure collapses a qubit and records the (readout-noisy) outcome.
	measure
)

// action is one outcome of a mix: apply u (nil: nothing), then reset the
// element's qubit if reset is set.
type action struct {
	u     gate.Matrix
	reset bool
}

// elem is one compiled element. Elements of a conditioned op carry the op
// and act only on shots whose clbits satisfy its condition.
type elem struct {
	kind    elemKind
	cond    *circuit.Op
	lay     layout
	qubits  []int
	u       gate.Matrix   // apply
	probs   []float64     // mix
	acts    []action      // mix
	ops     []gate.Matrix // kraus
	clbit   int           // measure
	readout noise.ReadoutError
}

// deferred is a measurement read from the final state.
type deferred struct {
	qubit, clbit int
	readout      noise.ReadoutError
}

// run is the state of one Run.
type run struct {
	c        *circuit.Circuit
	n        int
	opt      sim.Options
	elems    []elem
	deferred []deferred
	bufLen   int // the largest layout dimension
}

// resetOps are the Kraus operators of a reset: |0⟩⟨0| and |0⟩⟨1|.
var resetOps = []gate.Matrix{{1, 0, 0, 0}, {0, 1, 0, 0}}

// compile turns the noise plan into elements.
func (r *run) compile(plan []noise.Step, mats []gate.Matrix) {
	index := make(map[*circuit.Op]int, len(r.c.Ops))
	for i := range r.c.Ops {
		index[&r.c.Ops[i]] = i
	}
	later := noise.Deferrable(r.c, plan)
	r.bufLen = 2
	add := func(e elem) {
		e.lay = newLayout(e.qubits)
		r.bufLen = max(r.bufLen, e.lay.dim)
		r.elems = append(r.elems, e)
	}
	for i := range plan {
		st := &plan[i]
		var cond *circuit.Op
		if st.Op != nil && st.Op.Cond != nil {
			cond = st.Op
		}
		switch {
		case st.Op != nil && st.Op.Kind == circuit.Barrier:
			continue
		case st.Op != nil && st.Op.Kind == circuit.Measure:
			q, b := st.Op.Qubits[0], st.Op.Clbits[0]
			if later[i] {
				r.deferred = append(r.deferred, deferred{q, b, st.Readout})
				continue
			}
			add(elem{kind: measure, cond: cond, qubits: []int{q}, clbit: b, readout: st.Readout})
			continue
		case st.Op != nil && st.Op.Kind == circuit.Reset:
			add(elem{kind: kraus, cond: cond, qubits: st.Qubits, ops: resetOps})
			continue
		case st.Op != nil:
			add(elem{kind: apply, cond: cond, qubits: st.Qubits, u: mats[index[st.Op]]})
		}
		for _, ch := range st.Noise {
			qs, ch := localize(st.Qubits, ch)
			add(channelElem(ch, qs, cond))
		}
	}
}

// channelElem returns the element that samples ch on qubits qs.
func channelElem(ch noise.Channel, qs []int, cond *circuit.Op) elem {
	if ch.IsMixedUnitary(1e-12) {
		e := elem{kind: mix, cond: cond, qubits: qs}
		for _, k := range ch.Kraus {
			p := real(gate.Mul(gate.Adjoint(k), k)[0])
			u := make(gate.Matrix, len(k))
			for i, v := range k {
				u[i] = v / complex(math.Sqrt(p), 0)
			}
			if isIdentity(u) {
				u = nil
			}
			e.probs = append(e.probs, p)
			e.acts = append(e.acts, action{u: u})
		}
		return e
	}
	if ch.Qubits == 1 {
		if a, b, rst, ok := resetMixture(ch); ok {
			return elem{kind: mix, cond: cond, qubits: qs, probs: []float64{a, b, rst},
				acts: []action{{}, {u: gate.Matrix{1, 0, 0, -1}}, {reset: true}}}
		}
	}
	return elem{kind: kraus, cond: cond, qubits: qs, ops: ch.Kraus}
}

// isIdentity reports whether u is the identity up to a global phase.
func isIdentity(u gate.Matrix) bool {
	return gate.EqualUpToPhase(u, gate.Identity(bits.TrailingZeros(uint(u.Dim()))), 1e-14)
}

// localize returns a two-qubit channel whose every Kraus operator acts on
// one argument only (k ⊗ I or I ⊗ k) as a one-qubit channel on that qubit;
// other channels come back unchanged.
func localize(qs []int, ch noise.Channel) ([]int, noise.Channel) {
	if ch.Qubits != 2 {
		return qs, ch
	}
	for arg := range 2 {
		var ks []gate.Matrix
		for _, k := range ch.Kraus {
			small, ok := factor(k, arg)
			if !ok {
				ks = nil
				break
			}
			ks = append(ks, small)
		}
		if ks != nil {
			return []int{qs[arg]}, noise.Channel{Qubits: 1, Kraus: ks}
		}
	}
	return qs, ch
}

// factor returns k when the 4×4 matrix m equals k on argument arg tensored
// with the identity on the other.
func factor(m gate.Matrix, arg int) (gate.Matrix, bool) {
	other := 1 - arg
	k := make(gate.Matrix, 4)
	for r := range 2 {
		for c := range 2 {
			k[r*2+c] = m[(r<<arg)*4+(c<<arg)]
		}
	}
	for r := range 4 {
		for c := range 4 {
			want := complex(0, 0)
			if r>>other&1 == c>>other&1 {
				want = k[(r>>arg&1)*2+(c>>arg&1)]
			}
			if cmplx.Abs(m[r*4+c]-want) > 1e-15 {
				return nil, false
			}
		}
	}
	return k, true
}

// resetMixture writes a one-qubit channel as a·ρ + b·ZρZ + r·|0⟩⟨0|Tr ρ
// when it is one: thermal relaxation to the ground state with T2 ≤ T1.
// Every such channel keeps |0⟩⟨0|, moves population r from |1⟩ to |0⟩ and
// scales the coherence by c = a − b, with a + b = 1 − r; ok is false unless
// a, b ≥ 0 and the channel equals the mixture on all four matrix units.
func resetMixture(ch noise.Channel) (a, b, r float64, ok bool) {
	out := func(rho gate.Matrix) gate.Matrix {
		res := make(gate.Matrix, 4)
		for _, k := range ch.Kraus {
			for i, v := range gate.Mul(gate.Mul(k, rho), gate.Adjoint(k)) {
				res[i] += v
			}
		}
		return res
	}
	r = real(out(gate.Matrix{0, 0, 0, 1})[0])
	c := real(out(gate.Matrix{0, 1, 0, 0})[1])
	a, b = (1-r+c)/2, (1-r-c)/2
	if a < 0 || b < -1e-15 || r < 0 {
		return 0, 0, 0, false
	}
	b = max(b, 0)
	for _, unit := range []gate.Matrix{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}} {
		got := out(unit)
		tr := unit[0] + unit[3]
		want := gate.Matrix{
			complex(a+b, 0)*unit[0] + complex(r, 0)*tr, complex(a-b, 0) * unit[1],
			complex(a-b, 0) * unit[2], complex(a+b, 0) * unit[3],
		}
		for i := range want {
			if cmplx.Abs(got[i]-want[i]) > 1e-13 {
				return 0, 0, 0, false
			}
		}
	}
	return a, b, r, true
}
