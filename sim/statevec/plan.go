package statevec

import (
	"fmt"
	"slices"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
)

// kernelKind names the kernel chosen for a gate's target block.
type kernelKind uint8

const (
	kindNone      kernelKind = iota // the identity: nothing to do
	kindDiag                        // diagonal: multiply selected amplitudes by phases
	kindPerm                        // monomial: permute amplitudes with phases
	kindDense1                      // dense 2×2
	kindDense2                      // dense 4×4
	kindDenseK                      // dense 2^k×2^k
	kindDiagTable                   // fused diagonal: a phase table indexed through byte tables
	kindPhase                       // fused diagonal: a segmented phase table (phase.go)
	kindReal2                       // two real 2×2 rotations on two qubits in one sweep (sched.go)
	kindLanes                       // real rotations and permutations of qubits 0–2 in one sweep (sched.go)
)

func (k kernelKind) String() string {
	return [...]string{"none", "diag", "perm", "dense1", "dense2", "denseK", "diagtable", "phase", "real2", "lanes"}[k]
}

// kernel is a gate prepared for application: the target block m acts on
// targets (argument order, target 0 least significant) on the amplitudes
// whose ctrl qubits are all 1.
type kernel struct {
	kind    kernelKind
	targets []int
	ctrl    int   // mask of control qubits (must be 1)
	sorted  []int // every qubit the gate touches (targets and controls), ascending
	m       []complex128
	// offs[j] is the amplitude offset of target-block index j.
	offs []int
	// Diagonal: multiply amplitude at offset diagOffs[i] by diagVals[i]
	// (entries equal to 1 are left out).
	diagOffs []int
	diagVals []complex128
	// Permutation: new[dst[i]] = phase[i]·old[src[i]] (fixed points with
	// phase 1 are left out).
	permSrc, permDst []int
	permPhase        []complex128
	// Fused diagonal (a cache block's kernel, acting on every amplitude):
	// amplitude i is multiplied by tab[lut[0][i&255] | lut[1][i>>8&255] |
	// lut[2][i>>16&255]].
	tab   []complex128
	tab64 []complex64 // tab rounded for complex64 states
	lut   *[3][256]int32
	// real reports that a dense 2×2 block has real entries (a real
	// rotation of a split one-qubit gate, h, ry, …): its vector kernels
	// skip the imaginary terms.
	real bool
	// eform marks a real rotation split from a dense one-qubit gate in
	// the form m = E(tau) = [[1, tau], [−tau, 1]], or X·E(tau) with eswap,
	// to be multiplied by scale (which schedule applies elsewhere).
	eform      bool
	eswap      bool
	tau, scale float64
	// ph is the table of a segmented phase kernel.
	ph *phaseTab
	// pair holds the two real dense one-qubit kernels of a kindReal2
	// kernel, on sorted[0] and sorted[1].
	pair [2]*kernel
	// swapOut, for a kindReal2 kernel, exchanges the outputs of pair
	// indices (1, 3) or (2, 3) (index bit 0 is sorted[0]): a cx after
	// the rotations, controlled by sorted[0] or by sorted[1]; 0 for none.
	swapOut uint8
	// ops are the kernels of a kindLanes kernel, applied in turn to each
	// vector of 8 amplitudes.
	ops []*kernel
	// Prepared once for the kernels of a cache block (see prepareAll):
	// the vector forms of a dense 2×2 block and the lane permutation of
	// a permutation kernel.
	p64     *prep64
	p128    *prep128
	laneIdx *[16]uint32
	lanes   *lanePrep // a kindLanes kernel's vector form
}

// newKernel prepares matrix m acting on qubits qs (argument order), with
// control detection and the cheapest exact kernel for the target block.
func newKernel(m gate.Matrix, qs []int) *kernel { return buildKernel(m, qs, true) }

// buildKernel prepares m on qs. With fast false it treats every argument as
// a target and uses the general dense kernel: the slow path tests compare
// every fast path against.
func buildKernel(m gate.Matrix, qs []int, fast bool) *kernel {
	k := &kernel{sorted: slices.Sorted(slices.Values(qs))}
	d := m.Dim()
	var ctrlArgs, targetArgs []int
	for a := range qs {
		if fast && isControl(m, a) {
			ctrlArgs = append(ctrlArgs, a)
			k.ctrl |= 1 << qs[a]
		} else {
			targetArgs = append(targetArgs, a)
			k.targets = append(k.targets, qs[a])
		}
	}
	// Argument-index of the all-controls-one corner.
	ctrlBits := 0
	for _, a := range ctrlArgs {
		ctrlBits |= 1 << a
	}
	dt := 1 << len(targetArgs)
	full := make([]int, dt) // target-block index → gate-matrix index
	k.offs = make([]int, dt)
	for j := range dt {
		full[j] = ctrlBits
		for t, a := range targetArgs {
			if j>>t&1 == 1 {
				full[j] |= 1 << a
				k.offs[j] |= 1 << qs[a]
			}
		}
	}
	k.m = make([]complex128, dt*dt)
	for r := range dt {
		for c := range dt {
			k.m[r*dt+c] = m[full[r]*d+full[c]]
		}
	}
	if fast {
		k.classify()
	} else {
		k.forceDense()
	}
	return k
}

// isControl reports whether argument a of m acts as a control: m is the
// identity on every row and column where bit a is 0.
func isControl(m gate.Matrix, a int) bool {
	d := m.Dim()
	for r := range d {
		for c := range d {
			if r>>a&1 == 1 && c>>a&1 == 1 {
				continue
			}
			want := complex128(0)
			if r == c {
				want = 1
			}
			if m[r*d+c] != want {
				return false
			}
		}
	}
	return true
}

// classify picks the cheapest exact kernel for the target block k.m. Only
// exact zeros and ones count, so a fast path computes the same values as the
// dense product up to rounding.
func (k *kernel) classify() {
	dt := len(k.offs)
	diag, mono := true, true
	for r := range dt {
		nz := 0
		for c := range dt {
			if v := k.m[r*dt+c]; v != 0 {
				nz++
				if r != c {
					diag = false
				}
			}
		}
		if nz != 1 {
			mono = false
		}
	}
	// A monomial matrix also needs exactly one non-zero per column.
	if mono {
		for c := range dt {
			nz := 0
			for r := range dt {
				if k.m[r*dt+c] != 0 {
					nz++
				}
			}
			if nz != 1 {
				mono = false
			}
		}
	}
	switch {
	case diag:
		k.kind = kindDiag
		for j := range dt {
			if v := k.m[j*dt+j]; v != 1 {
				k.diagOffs = append(k.diagOffs, k.offs[j])
				k.diagVals = append(k.diagVals, v)
			}
		}
		if len(k.diagOffs) == 0 {
			k.kind = kindNone
		}
	case mono:
		k.kind = kindPerm
		for c := range dt {
			for r := range dt {
				if v := k.m[r*dt+c]; v != 0 && (r != c || v != 1) {
					k.permSrc = append(k.permSrc, k.offs[c])
					k.permDst = append(k.permDst, k.offs[r])
					k.permPhase = append(k.permPhase, v)
				}
			}
		}
	case dt == 2:
		k.kind = kindDense1
		k.real = imag(k.m[0]) == 0 && imag(k.m[1]) == 0 && imag(k.m[2]) == 0 && imag(k.m[3]) == 0
	case dt == 4:
		k.kind = kindDense2
	default:
		k.kind = kindDenseK
	}
}

// forceDense turns k into the general dense kernel for its target block
// (used by tests to check each fast path against it).
func (k *kernel) forceDense() {
	if len(k.offs) == 1 {
		// A 0-target block (global or fully controlled phase) has no dense
		// form other than a 1×1 product; the diagonal kernel is that.
		k.kind = kindDiag
		k.diagOffs, k.diagVals = []int{0}, []complex128{k.m[0]}
		return
	}
	k.kind = kindDenseK
}

// perAmp reports whether kernels of kind k count one group per amplitude.
func (k kernelKind) perAmp() bool {
	return k == kindDiagTable || k == kindPhase || k == kindReal2 || k == kindLanes
}

// groups is the number of index groups the kernel visits in an n-qubit
// state: one per assignment of the qubits it does not touch.
func (k *kernel) groups(n int) int {
	if k.kind.perAmp() {
		return 1 << n // one group per amplitude
	}
	return 1 << (n - len(k.sorted))
}

// base returns the index of group t: t's bits spread over the untouched
// qubits, zeros at the touched ones, then the control bits set.
func (k *kernel) base(t int) int {
	for _, p := range k.sorted {
		low := t & (1<<p - 1)
		t = (t-low)<<1 | low
	}
	return t | k.ctrl
}

// step is one prepared operation of a run.
type step struct {
	op   *circuit.Op
	kind circuit.OpKind
	k    *kernel     // GateOp
	m    gate.Matrix // GateOp: the gate's matrix, for kernels on other qubits
	cond *cond       // nil if unconditioned
}

// cond is a prepared classical condition: register bits [off, off+size)
// must equal want.
type cond struct {
	off, size int
	want      []bool
	never     bool // the value does not fit the register
}

func (c *cond) holds(b circuit.Bits) bool {
	if c == nil {
		return true
	}
	if c.never {
		return false
	}
	for i, w := range c.want {
		if b.Get(c.off+i) != w {
			return false
		}
	}
	return true
}

// plan prepares every op of c, failing with an error wrapping
// sim.ErrUnsupported for opaque gates and unbound parameters.
func plan(c *circuit.Circuit) ([]step, error) {
	steps := make([]step, 0, len(c.Ops))
	for i := range c.Ops {
		op := &c.Ops[i]
		s := step{op: op, kind: op.Kind}
		switch op.Kind {
		case circuit.GateOp:
			if op.Gate == nil {
				return nil, fmt.Errorf("%w: opaque gate %s%s cannot be simulated", sim.ErrUnsupported, op.Name, at(op))
			}
			vals, err := circuit.Values(op.Params)
			if err != nil {
				return nil, fmt.Errorf("%w: gate %s%s: %v", sim.ErrUnsupported, op.Name, at(op), err)
			}
			s.m = op.Gate.Matrix(vals)
			s.k = newKernel(s.m, op.Qubits)
		case circuit.Measure, circuit.Reset, circuit.Barrier:
		default:
			return nil, fmt.Errorf("%w: operation %s%s", sim.ErrUnsupported, op.Kind, at(op))
		}
		if op.Cond != nil {
			if op.Cond.CReg < 0 || op.Cond.CReg >= len(c.CRegs) || op.Cond.Value == nil {
				return nil, fmt.Errorf("%s%s: invalid condition", op.Kind, at(op))
			}
			reg := c.CRegs[op.Cond.CReg]
			cd := &cond{off: reg.Offset, size: reg.Size, never: op.Cond.Value.Sign() < 0 || op.Cond.Value.BitLen() > reg.Size}
			for b := range reg.Size {
				cd.want = append(cd.want, op.Cond.Value.Bit(b) == 1)
			}
			s.cond = cd
		}
		steps = append(steps, s)
	}
	return steps, nil
}

func at(op *circuit.Op) string {
	if op.Line > 0 {
		return fmt.Sprintf(" at line %d", op.Line)
	}
	return ""
}
