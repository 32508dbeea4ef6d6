package optimize

import (
	"context"
	"fmt"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/basis"
	"github.com/qluster/qluster/transpile/synth"
)

// Resynth2Q is the transformation pass that collects maximal blocks of
// plain gates acting only on one pair of qubits (two-qubit gates on the
// pair and one-qubit gates on either qubit), computes each block's 4×4
// unitary, and replaces the block by its KAK synthesis (synth.TwoQubit)
// into the Target's entangler (cx or cz, see basis.Entangler) and
// one-qubit basis when that needs fewer two-qubit gates than the block
// holds. A synthesis that would run a CX against a directed coupling edge
// is not used. Blocks stay as they are when the basis has no entangler or
// cannot express the one-qubit gates. It fails without a Target.
type Resynth2Q struct{}

var _ transpile.Pass = Resynth2Q{}

// Name returns "resynth-2q".
func (Resynth2Q) Name() string { return "resynth-2q" }

type block struct {
	a, b int   // the qubit pair (a < b)
	ops  []int // op indices in order
	twoQ int
}

// Run returns c with its two-qubit blocks re-synthesised where that helps.
func (Resynth2Q) Run(ctx context.Context, c *circuit.Circuit, t *device.Device, _ *transpile.PropertySet) (*circuit.Circuit, error) {
	if t == nil {
		return nil, fmt.Errorf("resynth-2q: no target")
	}
	ent := basis.Entangler(t.Basis)
	if ent == "" {
		return c.Clone(), nil
	}
	blocks := collectBlocks(c)
	replace := map[int][]circuit.Op{}
	drop := make([]bool, len(c.Ops))
	for bi, blk := range blocks {
		if bi%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if blk.twoQ < 2 {
			continue
		}
		space := []int{blk.a, blk.b}
		u := gate.Identity(2)
		old := make([]circuit.Op, len(blk.ops))
		for k, i := range blk.ops {
			m, _ := plain(&c.Ops[i])
			u = gate.Mul(embed(m, c.Ops[i].Qubits, space), u)
			old[k] = c.Ops[i]
		}
		allowed := func(ctl, tgt int) bool { return edgeAllowed(t, space[ctl], space[tgt], ent) }
		seq, _, err := synth.TwoQubitDirected(u, ent, t.Basis, allowed)
		if err != nil {
			continue
		}
		last := blk.ops[len(blk.ops)-1]
		repl := synthOps(seq, space, &c.Ops[last])
		if !costOf(repl).less(costOf(old)) || !directionsAllowed(repl, t) {
			continue
		}
		for _, i := range blk.ops {
			drop[i] = true
		}
		// The block is contiguous on both its wires from its first
		// two-qubit gate on; its leading one-qubit gates only have ops on
		// other qubits after them, so the last op's place is safe.
		replace[last] = repl
	}
	var ops []circuit.Op
	for i := range c.Ops {
		if !drop[i] {
			ops = append(ops, cloneOp(&c.Ops[i]))
		}
		if r, ok := replace[i]; ok {
			ops = append(ops, r...)
		}
	}
	return rebuild(c, ops), nil
}

// collectBlocks returns the maximal two-qubit blocks of c in order of
// their first op. One-qubit gates before a block's first two-qubit gate
// join it when nothing else touched their qubit in between.
func collectBlocks(c *circuit.Circuit) []block {
	var blocks []block
	open := make([]int, c.NumQubits) // block index open on a qubit, or −1
	pending := make([][]int, c.NumQubits)
	for q := range open {
		open[q] = -1
	}
	closeQ := func(q int) {
		if bi := open[q]; bi >= 0 {
			open[blocks[bi].a], open[blocks[bi].b] = -1, -1
		}
		pending[q] = nil
	}
	for i := range c.Ops {
		op := &c.Ops[i]
		_, ok := plain(op)
		switch {
		case ok && len(op.Qubits) == 1:
			q := op.Qubits[0]
			if bi := open[q]; bi >= 0 {
				blocks[bi].ops = append(blocks[bi].ops, i)
			} else {
				pending[q] = append(pending[q], i)
			}
		case ok && len(op.Qubits) == 2:
			a, b := min(op.Qubits[0], op.Qubits[1]), max(op.Qubits[0], op.Qubits[1])
			if bi := open[a]; bi >= 0 && open[b] == bi {
				blocks[bi].ops = append(blocks[bi].ops, i)
				blocks[bi].twoQ++
				continue
			}
			pa, pb := pending[a], pending[b]
			closeQ(a)
			closeQ(b)
			blk := block{a: a, b: b, twoQ: 1}
			blk.ops = mergeSorted(pa, pb)
			blk.ops = append(blk.ops, i)
			blocks = append(blocks, blk)
			open[a], open[b] = len(blocks)-1, len(blocks)-1
		default:
			for _, q := range op.Qubits {
				closeQ(q)
			}
		}
	}
	return blocks
}

func mergeSorted(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || (i < len(a) && a[i] < b[j]) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

// directionsAllowed reports whether every two-qubit op runs along a
// coupling edge direction the Target allows (see edgeAllowed).
func directionsAllowed(ops []circuit.Op, t *device.Device) bool {
	for i := range ops {
		if len(ops[i].Qubits) == 2 && !edgeAllowed(t, ops[i].Qubits[0], ops[i].Qubits[1], ops[i].Name) {
			return false
		}
	}
	return true
}

// edgeAllowed reports whether gate name may run as name(x, y): a pair whose
// edges for that gate are all directed allows only their directions; a
// pair without such edges is not checked (the circuit may not be routed
// yet).
func edgeAllowed(t *device.Device, x, y int, name string) bool {
	listed := false
	for _, e := range t.Edges {
		if !((e.A == x && e.B == y) || (e.A == y && e.B == x)) || e.Gate != name {
			continue
		}
		listed = true
		if !e.Directed || (e.A == x && e.B == y) {
			return true
		}
	}
	return !listed
}
