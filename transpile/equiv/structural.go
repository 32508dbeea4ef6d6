package equiv

import (
	"fmt"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/transpile"
)

// Structural reports whether b is a with its qubits relabelled by the
// layouts, SWAP gates inserted and independent ops reordered: what routing
// does. It works at any width, without simulation.
//
// Both circuits are read as operations on qubit contents: an unconditioned
// SWAP moves contents between wires instead of acting on them. Content v
// of a starts on a's wire v; of b, on physical qubit initial[v] (other
// physical qubits hold ancilla contents, which b may move but nothing else
// may touch). The check passes when every content and every clbit sees the
// same sequence of operations in both, and the content a leaves on its
// wire v ends in b on physical qubit final[v]. Layouts default as in
// Unitary.
func Structural(a, b *circuit.Circuit, initial, final transpile.Layout) error {
	initial, final, err := layouts(a, b, initial, final)
	if err != nil {
		return err
	}
	if a.NumClbits != b.NumClbits {
		return fmt.Errorf("equiv: source has %d clbits, compiled %d", a.NumClbits, b.NumClbits)
	}
	n := a.NumQubits
	// Source: wire → content, starting with the identity.
	aHold := make([]int, n)
	for v := range aHold {
		aHold[v] = v
	}
	aSeq := sequences(a, aHold, n+b.NumQubits)
	// Compiled: physical qubit → content; ancillas get n + p.
	bHold := make([]int, b.NumQubits)
	for p := range bHold {
		bHold[p] = n + p
	}
	for v, p := range initial {
		bHold[p] = v
	}
	bSeq := sequences(b, bHold, n+b.NumQubits)
	for w := range aSeq.wires {
		as, bs := aSeq.wires[w], bSeq.wires[w]
		what := fmt.Sprintf("virtual qubit %d", w)
		if w >= n+b.NumQubits {
			what = fmt.Sprintf("clbit %d", w-n-b.NumQubits)
		} else if w >= n {
			what = fmt.Sprintf("ancilla starting on physical qubit %d", w-n)
			if len(bs) > 0 {
				op := &b.Ops[bs[0]]
				return fmt.Errorf("equiv: compiled op %d (%s on %v) acts on an ancilla qubit (it started on physical qubit %d, outside the initial layout)",
					bs[0], describe(op), op.Qubits, w-n)
			}
			continue
		}
		for i := range max(len(as), len(bs)) {
			if i >= len(as) || i >= len(bs) {
				return fmt.Errorf("equiv: %s sees %d operations in the source, %d in the compiled circuit", what, len(as), len(bs))
			}
			ao, bo := &a.Ops[as[i]], &b.Ops[bs[i]]
			if !sameOp(ao, aSeq.contents[as[i]], bo, bSeq.contents[bs[i]]) {
				return fmt.Errorf("equiv: %s: operation %d differs: source op %d is %s on contents %v, compiled op %d is %s on contents %v",
					what, i, as[i], describe(ao), aSeq.contents[as[i]], bs[i], describe(bo), bSeq.contents[bs[i]])
			}
		}
	}
	pos := make([]int, n+b.NumQubits)
	for p, c := range bHold {
		pos[c] = p
	}
	for v := range n {
		if got := pos[aHold[v]]; got != final[v] {
			return fmt.Errorf("equiv: the source leaves its qubit %d holding content %d, which the compiled circuit leaves on physical qubit %d, not on final[%d] = %d",
				v, aHold[v], got, v, final[v])
		}
	}
	return nil
}

// seqs holds, per content (then per clbit), the indices of the ops that
// touch it, and per op the contents of its qubit arguments.
type seqs struct {
	wires    [][]int
	contents [][]int
}

// sequences walks c with hold (wire → content, updated in place by
// unconditioned SWAPs) over nContents contents.
func sequences(c *circuit.Circuit, hold []int, nContents int) seqs {
	s := seqs{wires: make([][]int, nContents+c.NumClbits), contents: make([][]int, len(c.Ops))}
	for i := range c.Ops {
		op := &c.Ops[i]
		if op.Kind == circuit.GateOp && op.Name == "swap" && op.Cond == nil && len(op.Qubits) == 2 {
			a, b := op.Qubits[0], op.Qubits[1]
			hold[a], hold[b] = hold[b], hold[a]
			continue
		}
		if op.Kind == circuit.Barrier {
			continue
		}
		cs := make([]int, len(op.Qubits))
		for j, q := range op.Qubits {
			cs[j] = hold[q]
			s.wires[cs[j]] = append(s.wires[cs[j]], i)
		}
		s.contents[i] = cs
		for _, b := range op.Clbits {
			s.wires[nContents+b] = append(s.wires[nContents+b], i)
		}
		if op.Cond != nil {
			reg := c.CRegs[op.Cond.CReg]
			for b := reg.Offset; b < reg.Offset+reg.Size; b++ {
				s.wires[nContents+b] = append(s.wires[nContents+b], i)
			}
		}
	}
	return s
}

// sameOp compares two ops with their qubits given as contents.
func sameOp(a *circuit.Op, ac []int, b *circuit.Op, bc []int) bool {
	x, y := *a, *b
	x.Qubits, y.Qubits = ac, bc
	return x.Equal(&y)
}
