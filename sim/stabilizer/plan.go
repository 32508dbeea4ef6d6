package stabilizer

import (
	"fmt"
	"sync"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
)

// kernel names the tableau update a gate op runs.
type kernel uint8

const (
	kNone kernel = iota // identity (id, u0, barriers, identity angles)
	kH
	kS
	kSdg
	kX
	kY
	kZ
	kSX
	kSXdg
	kCX
	kCZ
	kCY
	kSwap
	kGeneric // the table-driven update of a cliff
)

// fastByGate maps table gates to their specialised updates.
var fastByGate = sync.OnceValue(func() map[*gate.Gate]kernel {
	m := map[*gate.Gate]kernel{}
	for name, k := range fastByName {
		g, ok := gate.Lookup(name)
		if !ok {
			panic("stabilizer: gate table has no " + name)
		}
		m[g] = k
	}
	return m
})

// fastByName names the table gates with specialised updates.
var fastByName = map[string]kernel{
	"id": kNone, "u0": kNone, "h": kH, "s": kS, "sdg": kSdg, "x": kX, "y": kY, "z": kZ,
	"sx": kSX, "sxdg": kSXdg, "cx": kCX, "CX": kCX, "cz": kCZ, "cy": kCY, "swap": kSwap,
}

// fastTables are the conjugation tables of the specialised updates, used
// to run a generic Clifford (rz(π/2), u3 at Clifford angles, cu1(π)…) with
// a specialised update when it is one. A 2-qubit entry with swapped set
// matches the gate with its arguments reversed.
var fastTables = sync.OnceValue(func() []fastTable {
	var out []fastTable
	for _, name := range []string{"id", "h", "s", "sdg", "x", "y", "z", "sx", "sxdg", "cx", "cz", "cy", "swap"} {
		g, ok := gate.Lookup(name)
		if !ok {
			panic("stabilizer: gate table has no " + name)
		}
		m := g.Matrix(nil)
		cl, err := newCliff(m, g.Qubits)
		if err != nil {
			panic("stabilizer: " + name + ": " + err.Error())
		}
		out = append(out, fastTable{k: fastByName[name], cl: cl})
		if g.Qubits == 2 {
			rev, err := newCliff(swapArgs(m), 2)
			if err != nil {
				panic("stabilizer: " + name + ": " + err.Error())
			}
			out = append(out, fastTable{k: fastByName[name], cl: rev, swapped: true})
		}
	}
	// The 2-qubit identity (cu1(0), rzz(0)…).
	id2, _ := newCliff(gate.Identity(2), 2)
	return append(out, fastTable{k: kNone, cl: id2})
})

type fastTable struct {
	k       kernel
	cl      *cliff
	swapped bool
}

// swapArgs returns the 2-qubit matrix m with its two arguments exchanged.
func swapArgs(m gate.Matrix) gate.Matrix {
	perm := [4]int{0, 2, 1, 3}
	out := make(gate.Matrix, 16)
	for r := 0; r < 4; r++ {
		for c := 0; c < 4; c++ {
			out[perm[r]*4+perm[c]] = m[r*4+c]
		}
	}
	return out
}

// step is one prepared op.
type step struct {
	op   *circuit.Op
	kind circuit.OpKind
	k    kernel
	a, b int    // arguments of specialised updates
	cl   *cliff // kGeneric, on op.Qubits
	cond *cond
}

// cond is a prepared classical condition: register bits [off, off+size)
// must equal want (never is set when the value does not fit the register).
type cond struct {
	off, size int
	want      circuit.Bits
	never     bool
}

func (c *cond) holds(b circuit.Bits) bool {
	if c == nil {
		return true
	}
	if c.never {
		return false
	}
	for i := 0; i < c.size; i++ {
		if b.Get(c.off+i) != c.want.Get(i) {
			return false
		}
	}
	return true
}

// at locates op for messages: " at line N", or "" when unknown.
func at(op *circuit.Op) string {
	if op.Line > 0 {
		return fmt.Sprintf(" at line %d", op.Line)
	}
	return ""
}

// checkOp returns the bound parameters of a gate op, or an error wrapping
// sim.ErrUnsupported if the op is not a Clifford operation this engine can
// run.
func checkOp(op *circuit.Op) ([]float64, error) {
	switch op.Kind {
	case circuit.Measure, circuit.Reset, circuit.Barrier:
		return nil, nil
	case circuit.GateOp:
	default:
		return nil, fmt.Errorf("%w: operation %s%s", sim.ErrUnsupported, op.Kind, at(op))
	}
	if op.Gate == nil {
		return nil, fmt.Errorf("%w: opaque gate %s%s cannot be simulated", sim.ErrUnsupported, op.Name, at(op))
	}
	var vals []float64
	if len(op.Params) > 0 {
		var err error
		if vals, err = circuit.Values(op.Params); err != nil {
			return nil, fmt.Errorf("%w: gate %s%s: %v", sim.ErrUnsupported, op.Name, at(op), err)
		}
	}
	if !op.Gate.IsClifford(vals) {
		return nil, fmt.Errorf("%w: gate %s%s is not a Clifford operation (the stabilizer engine runs only Clifford circuits)",
			sim.ErrUnsupported, describeGate(op, vals), at(op))
	}
	if _, fast := fastByGate()[op.Gate]; !fast && op.Gate.Qubits > maxGenericQubits {
		return nil, fmt.Errorf("%w: gate %s%s acts on %d qubits; the stabilizer engine handles Clifford gates of at most %d",
			sim.ErrUnsupported, op.Name, at(op), op.Gate.Qubits, maxGenericQubits)
	}
	return vals, nil
}

// describeGate renders a gate with its bound parameters, e.g. "rz(0.3)".
func describeGate(op *circuit.Op, vals []float64) string {
	if len(vals) == 0 {
		return op.Name
	}
	s := op.Name + "("
	for i, v := range vals {
		if i > 0 {
			s += ","
		}
		s += circuit.FormatFloat(v)
	}
	return s + ")"
}

// Supports reports whether the stabilizer engine can run c: nil when every
// gate is a Clifford operation for its bound parameters, otherwise an error
// wrapping sim.ErrUnsupported that names the first offending gate and its
// line (an opaque gate, an unbound parameter, a non-Clifford gate such as
// t or ccx, or rz at a non-Clifford angle). Measure, reset, barrier and
// conditions are always supported.
func Supports(c *circuit.Circuit) error {
	for i := range c.Ops {
		if _, err := checkOp(&c.Ops[i]); err != nil {
			return err
		}
	}
	return nil
}

// cacheKey identifies a (gate, parameters) pair whose table is computed
// once per plan.
type cacheKey struct {
	g  *gate.Gate
	np int
	p  [4]float64
}

// plan prepares every op of c, failing like Supports.
func plan(c *circuit.Circuit) ([]step, error) {
	steps := make([]step, 0, len(c.Ops))
	cache := map[cacheKey]*step{}
	for i := range c.Ops {
		op := &c.Ops[i]
		vals, err := checkOp(op)
		if err != nil {
			return nil, err
		}
		s := step{op: op, kind: op.Kind}
		if op.Kind == circuit.GateOp {
			if err := prepareGate(&s, op, vals, cache); err != nil {
				return nil, err
			}
		}
		if op.Cond != nil {
			if op.Cond.CReg < 0 || op.Cond.CReg >= len(c.CRegs) || op.Cond.Value == nil {
				return nil, fmt.Errorf("%s%s: invalid condition", op.Kind, at(op))
			}
			reg := c.CRegs[op.Cond.CReg]
			cd := &cond{off: reg.Offset, size: reg.Size, want: circuit.NewBits(reg.Size),
				never: op.Cond.Value.Sign() < 0 || op.Cond.Value.BitLen() > reg.Size}
			for b := 0; b < reg.Size; b++ {
				cd.want.Set(b, op.Cond.Value.Bit(b) == 1)
			}
			s.cond = cd
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// prepareGate chooses the update of a Clifford gate op: the specialised
// one for the gates that have it, else the gate's conjugation table
// (computed once per gate and parameters), itself replaced by a
// specialised update when it matches one.
func prepareGate(s *step, op *circuit.Op, vals []float64, cache map[cacheKey]*step) error {
	if k, ok := fastByGate()[op.Gate]; ok {
		s.k = k
		s.a = op.Qubits[0]
		if len(op.Qubits) > 1 {
			s.b = op.Qubits[1]
		}
		return nil
	}
	key := cacheKey{g: op.Gate, np: len(vals)}
	cacheable := len(vals) <= len(key.p)
	if cacheable {
		copy(key.p[:], vals)
	}
	proto, ok := cache[key]
	if !ok || !cacheable {
		cl, err := newCliff(op.Gate.Matrix(vals), op.Gate.Qubits)
		if err != nil {
			return fmt.Errorf("%w: gate %s%s: %v", sim.ErrUnsupported, describeGate(op, vals), at(op), err)
		}
		proto = &step{k: kGeneric, cl: cl}
		for _, f := range fastTables() {
			if f.cl.equal(cl) {
				proto = &step{k: f.k, cl: cl}
				if f.swapped {
					proto.b = 1 // arguments reversed
				}
				break
			}
		}
		if cacheable {
			cache[key] = proto
		}
	}
	s.k, s.cl = proto.k, proto.cl
	switch {
	case s.k == kGeneric:
	case len(op.Qubits) == 2 && proto.b == 1:
		s.a, s.b = op.Qubits[1], op.Qubits[0]
	case len(op.Qubits) == 2:
		s.a, s.b = op.Qubits[0], op.Qubits[1]
	default:
		s.a = op.Qubits[0]
	}
	return nil
}

// apply runs a gate step on t.
func (t *tableau) apply(s *step) {
	switch s.k {
	case kNone:
	case kH:
		t.h(s.a)
	case kS:
		t.s(s.a)
	case kSdg:
		t.sdg(s.a)
	case kX:
		t.pauliX(s.a)
	case kY:
		t.pauliY(s.a)
	case kZ:
		t.pauliZ(s.a)
	case kSX:
		t.sx(s.a)
	case kSXdg:
		t.sxdg(s.a)
	case kCX:
		t.cx(s.a, s.b)
	case kCZ:
		t.cz(s.a, s.b)
	case kCY:
		t.cy(s.a, s.b)
	case kSwap:
		t.swap(s.a, s.b)
	case kGeneric:
		t.applyCliff(s.cl, s.op.Qubits)
	}
}
