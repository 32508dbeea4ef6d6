package statevec

import (
	"math/cmplx"
	"slices"
)

// Diagonal gathering inside cache blocks. Random circuits such as the
// brickwork benchmark are layers of dense one-qubit gates between cz or cx
// layers; the dense 2×2 complex product on every qubit is most of their
// arithmetic. Every one-qubit unitary factors exactly as U = P·R·Q with P
// and Q diagonal and R = [[c, −s], [s, c]] real (c = |u00|, s = |u01|), and
// a real 2×2 product costs half a complex one (no imaginary terms, no lane
// swaps). The diagonals P and Q of a whole layer, together with the layer's
// cz gates, commute with one another, and through a permutation gate (cx) a
// diagonal stays diagonal (its entries permuted). The block's kernels are
// therefore reordered so that diagonals are gathered into one pending
// diagonal for as long as no other gate needs their qubits, and each
// gathered diagonal is applied as one phase sweep (phase.go): per layer,
// one real 2×2 sweep per qubit plus one phase sweep, instead of one complex
// 2×2 sweep per qubit and a cz sweep per pair.
//
// Measured on brickwork-24, complex64, 1 worker (AVX-512 VM): 2.68 s before
// (dense 2×2 47%, cz negation 19%, cx 10%), see doc.go for the figures after.

// maxConjQubits bounds the qubits of a diagonal factor built by moving
// diagonals through a permutation gate (its table has 2^maxConjQubits
// entries); beyond it the pending diagonal is applied first.
const maxConjQubits = 8

// schedule returns the block kernels ks (on a block of w qubits) reordered
// and fused as described above: dense uncontrolled one-qubit kernels split
// into diagonal, real and diagonal kernels, diagonals gathered and applied
// as phase kernels. Only gates that commute are exchanged (diagonals with
// diagonals and with gates on other qubits), and a diagonal is moved past a
// permutation gate only after conjugation by it, so the product of the
// returned kernels equals that of ks.
func schedule(ks []*kernel, w int) []*kernel {
	var in []*kernel
	var out []*kernel
	for _, k := range ks {
		if k.kind == kindNone {
			continue
		}
		if len(k.sorted) == 0 {
			// A global phase commutes with everything: apply it first.
			out = append(out, k)
			continue
		}
		if p, r, q := splitDense1(k); r != nil {
			// Applied in the order q, r, p.
			if q != nil {
				in = append(in, q)
			}
			in = append(in, r)
			if p != nil {
				in = append(in, p)
			}
			continue
		}
		in = append(in, k)
	}
	n := len(in)
	// Dependencies: a gate follows every earlier gate sharing a qubit,
	// except that diagonals do not depend on one another.
	succ := make([][]int, n)
	indeg := make([]int, n)
	lastOther := make([]int, w) // last non-diagonal gate on each qubit, or -1
	diagSince := make([][]int, w)
	for q := range lastOther {
		lastOther[q] = -1
	}
	edge := func(a, b int) {
		if a >= 0 && !slices.Contains(succ[a], b) {
			succ[a] = append(succ[a], b)
			indeg[b]++
		}
	}
	for b, k := range in {
		diag := k.kind == kindDiag
		for _, q := range k.sorted {
			edge(lastOther[q], b)
			if !diag {
				for _, a := range diagSince[q] {
					edge(a, b)
				}
			}
		}
		for _, q := range k.sorted {
			if diag {
				diagSince[q] = append(diagSince[q], b)
			} else {
				lastOther[q], diagSince[q] = b, nil
			}
		}
	}
	var (
		pending []*kernel // diagonal factors, in order, not yet applied
		done    = make([]bool, n)
	)
	finish := func(i int) {
		done[i] = true
		for _, j := range succ[i] {
			indeg[j]--
		}
	}
	scale := 1.0 // product of the factors of the E-form rotations emitted since the last flush
	flush := func() {
		if scale != 1 {
			pending = append(pending, diag1(0, complex(scale, 0), complex(scale, 0)))
			scale = 1
		}
		out = append(out, fuseFactors(pending, w)...)
		pending = nil
	}
	for {
		// Gather every diagonal that is ready.
		for again := true; again; {
			again = false
			for i, k := range in {
				if !done[i] && indeg[i] == 0 && k.kind == kindDiag {
					pending = append(pending, k)
					finish(i)
					again = true
				}
			}
		}
		next := -1
		for i := range in {
			if !done[i] && indeg[i] == 0 {
				next = i
				break
			}
		}
		if next < 0 {
			break
		}
		k := in[next]
		if touches(pending, k) {
			if k.kind != kindPerm || !conjugate(&pending, k) {
				flush()
			}
		}
		out = append(out, k)
		if k.eform {
			scale *= k.scale
		}
		finish(next)
	}
	flush()
	out = mergeLanes(absorbCX(pairReals(out)))
	prepareAll(out)
	return out
}

// laneQubits is the number of lowest qubits whose amplitudes share one
// 512-bit vector of complex64.
const laneQubits = 3

// mergeLanes merges runs of real one-qubit rotations and plain
// permutations on qubits below laneQubits into kindLanes kernels, applied
// in vector registers in one sweep of the block (these sweeps are bound by
// their stores). A lane kernel may join a run across kernels on other
// qubits, with which it commutes.
func mergeLanes(ks []*kernel) []*kernel {
	var out []*kernel
	open := -1 // index in out of the kindLanes kernel a lane kernel may join
	for _, k := range ks {
		if !laneOp(k) {
			out = append(out, k)
			if len(k.sorted) == 0 || k.sorted[0] < laneQubits || k.kind.perAmp() && k.kind != kindReal2 {
				open = -1 // k touches the lane qubits: nothing may pass it
			}
			continue
		}
		if open >= 0 {
			l := out[open]
			l.ops = append(l.ops, k)
			continue
		}
		out = append(out, &kernel{kind: kindLanes, sorted: []int{0, 1, 2}, ops: []*kernel{k}})
		open = len(out) - 1
	}
	for i, k := range out {
		if k.kind == kindLanes && len(k.ops) == 1 {
			out[i] = k.ops[0]
		}
	}
	return out
}

// laneOp reports whether k can be part of a kindLanes kernel: an
// uncontrolled real rotation or a plain permutation on lane qubits only.
func laneOp(k *kernel) bool {
	if len(k.sorted) == 0 || k.sorted[len(k.sorted)-1] >= laneQubits {
		return false
	}
	switch k.kind {
	case kindDense1:
		return k.real && k.ctrl == 0
	case kindPerm:
		for _, ph := range k.permPhase {
			if ph != 1 {
				return false
			}
		}
		return true
	}
	return false
}

// lanesRange applies the kernels of kindLanes kernel k to amplitudes
// [lo, hi) of v (multiples of 8), in vector registers where the build has
// the kernels, else one after another.
func lanesRange[T amp](k *kernel, v []T, lo, hi int) {
	if w, ok := any(v).([]complex64); ok && lanes64(k, w[lo:hi]) {
		return
	}
	for _, op := range k.ops {
		applyRange(op, v, lo>>len(op.sorted), hi>>len(op.sorted))
	}
}

// prepareAll prepares the vector forms of the kernels ks once, so that
// applying them to one cache block after another does not prepare them
// again.
func prepareAll(ks []*kernel) {
	for _, k := range ks {
		switch k.kind {
		case kindDense1:
			m := [4]complex128(k.m)
			p := prepare128(&m)
			k.p128 = &p
			m64 := [4]complex64{complex64(k.m[0]), complex64(k.m[1]), complex64(k.m[2]), complex64(k.m[3])}
			q := prepare64(&m64)
			k.p64 = &q
		case kindPerm:
			k.laneIdx = laneIndex(k)
		case kindLanes:
			prepareAll(k.ops)
			k.lanes = prepareLanes(k.ops)
		}
	}
}

// absorbCX folds each cx that follows a kindReal2 kernel on the same two
// qubits (with no kernel on them in between) into that kernel: cx·(Ra⊗Rb)
// is the pair's product with two outputs exchanged, so the cx costs no
// sweep of its own.
func absorbCX(ks []*kernel) []*kernel {
	var out []*kernel
	for _, k := range ks {
		if c, t, ok := isCX(k); ok {
			j := len(out) - 1
			for ; j >= 0; j-- {
				if slices.Contains(out[j].sorted, c) || slices.Contains(out[j].sorted, t) {
					break
				}
			}
			if j >= 0 {
				if r := out[j]; r.kind == kindReal2 && r.swapOut == 0 && slices.Contains(r.sorted, c) && slices.Contains(r.sorted, t) {
					merged := *r
					merged.swapOut = 1 // control on sorted[0]: outputs 1 and 3
					if c == r.sorted[1] {
						merged.swapOut = 2 // outputs 2 and 3
					}
					out[j] = &merged
					continue
				}
			}
		}
		out = append(out, k)
	}
	return out
}

// isCX reports whether k is a cx: a plain exchange of the target's two
// values where one control is 1. It returns the control and target.
func isCX(k *kernel) (c, t int, ok bool) {
	if k.kind != kindPerm || len(k.targets) != 1 || len(k.sorted) != 2 || len(k.permSrc) != 2 {
		return 0, 0, false
	}
	for _, ph := range k.permPhase {
		if ph != 1 {
			return 0, 0, false
		}
	}
	t = k.targets[0]
	c = k.sorted[0]
	if c == t {
		c = k.sorted[1]
	}
	return c, t, k.ctrl == 1<<c
}

// minPairQubit is the lowest qubit a paired real rotation may act on: its
// stride, 8 amplitudes, is a whole 512-bit vector of complex64.
const minPairQubit = 3

// pairReals merges consecutive real one-qubit kernels on distinct qubits
// from minPairQubit up into kindReal2 kernels. Both rotations then run in
// registers in one sweep of the block: the same arithmetic, half the
// traffic with the L2 cache (the real kernel is bound by it: 0.12 ns per
// amplitude and gate in complex64 at n = 24, one worker).
func pairReals(ks []*kernel) []*kernel {
	pairable := func(k *kernel) bool {
		return k.kind == kindDense1 && k.real && k.ctrl == 0 && len(k.sorted) == 1 && k.sorted[0] >= minPairQubit
	}
	var out []*kernel
	for i := 0; i < len(ks); i++ {
		a := ks[i]
		if i+1 < len(ks) && pairable(a) && pairable(ks[i+1]) && a.sorted[0] != ks[i+1].sorted[0] {
			b := ks[i+1]
			if b.sorted[0] < a.sorted[0] {
				a, b = b, a
			}
			out = append(out, &kernel{kind: kindReal2, sorted: []int{a.sorted[0], b.sorted[0]}, pair: [2]*kernel{a, b}})
			i++
			continue
		}
		out = append(out, ks[i])
	}
	return out
}

// real2Range applies both rotations of kindReal2 kernel k to amplitudes
// [lo, hi) of v, which must be whole blocks of 2^(sorted[1]+1) amplitudes.
func real2Range[T amp](k *kernel, v []T, lo, hi int) {
	v = v[lo:hi]
	a, b := k.pair[0], k.pair[1]
	switch w := any(v).(type) {
	case []complex128:
		if real2Run128(k, w) {
			return
		}
	case []complex64:
		if real2Run64(k, w) {
			return
		}
	}
	dense1Range(a, v, 0, len(v)/2)
	dense1Range(b, v, 0, len(v)/2)
	if k.swapOut != 0 {
		// Control sorted[k.swapOut-1], target the other qubit.
		c := 1 << k.sorted[k.swapOut-1]
		t := 1 << k.sorted[2-k.swapOut]
		for i := range v {
			if i&c != 0 && i&t == 0 {
				v[i], v[i|t] = v[i|t], v[i]
			}
		}
	}
}

// touches reports whether any factor in fs acts on a qubit of k.
func touches(fs []*kernel, k *kernel) bool {
	for _, f := range fs {
		for _, q := range f.sorted {
			if slices.Contains(k.sorted, q) {
				return true
			}
		}
	}
	return false
}

// splitDense1 factors an uncontrolled dense one-qubit kernel k with no zero
// entry as p·r·q (p, q diagonal, either nil when it is the identity; r real,
// with the real flag set). It returns r == nil for every other kernel, and
// for kernels whose matrix is real already.
func splitDense1(k *kernel) (p, r, q *kernel) {
	if k.kind != kindDense1 || k.ctrl != 0 || k.real {
		return nil, nil, nil
	}
	u := k.m
	for _, x := range u {
		if x == 0 {
			return nil, nil, nil
		}
	}
	c, s := cmplx.Abs(u[0]), cmplx.Abs(u[1])
	ph := func(z complex128) complex128 { return z / complex(cmplx.Abs(z), 0) }
	// U = diag(p0, p1)·[[c, −s], [s, c]]·diag(1, q1).
	p0, p1 := ph(u[0]), ph(u[2])
	var q1 complex128
	if c >= s {
		q1 = ph(u[3]) / p1
	} else {
		q1 = -ph(u[1]) / p0
	}
	t := k.targets[0]
	// R = c·E(−s/c) for c ≥ s, else diag(−1, 1)·X·s·E(c/s), where
	// E(τ) = [[1, τ], [−τ, 1]] costs one fused multiply-add per float
	// (|τ| ≤ 1). The factor c or s is global: schedule folds it into the
	// next phase table; the diag(−1, 1) joins p, and X exchanges the
	// outputs (the kernel's matrix is X·E(τ)).
	r = &kernel{kind: kindDense1, real: true, eform: true, targets: k.targets, sorted: k.sorted, offs: k.offs}
	if c >= s {
		r.tau, r.scale = -s/c, c
		r.m = []complex128{1, complex(r.tau, 0), complex(-r.tau, 0), 1}
	} else {
		r.tau, r.scale, r.eswap = c/s, s, true
		r.m = []complex128{complex(-r.tau, 0), 1, 1, complex(r.tau, 0)}
		p0 = -p0
	}
	return diag1(t, p0, p1), r, diag1(t, 1, q1)
}

// diag1 returns the diagonal kernel diag(d0, d1) on qubit t, or nil for the
// identity.
func diag1(t int, d0, d1 complex128) *kernel {
	return diagKernel([]int{t}, []complex128{d0, d1})
}

// diagKernel returns the uncontrolled diagonal kernel with entries vals
// (index bit j is qubit qs[j], qs ascending), or nil for the identity.
func diagKernel(qs []int, vals []complex128) *kernel {
	k := &kernel{kind: kindDiag, targets: qs, sorted: qs, offs: make([]int, len(vals))}
	for j := range vals {
		for b, q := range qs {
			if j>>b&1 == 1 {
				k.offs[j] |= 1 << q
			}
		}
	}
	k.m = make([]complex128, len(vals)*len(vals))
	for j, v := range vals {
		k.m[j*len(vals)+j] = v
		if v != 1 {
			k.diagOffs = append(k.diagOffs, k.offs[j])
			k.diagVals = append(k.diagVals, v)
		}
	}
	if len(k.diagOffs) == 0 {
		return nil
	}
	return k
}

// diagAt returns the entry of diagonal kernel k at block index i.
func diagAt(k *kernel, i int) complex128 {
	if i&k.ctrl != k.ctrl {
		return 1
	}
	tmask := 0
	for _, off := range k.offs {
		tmask |= off
	}
	for j, off := range k.diagOffs {
		if i&tmask == off {
			return k.diagVals[j]
		}
	}
	return 1
}

// permAt returns the index that permutation kernel k sends block index i to.
func permAt(k *kernel, i int) int {
	if i&k.ctrl != k.ctrl {
		return i
	}
	tmask := 0
	for _, off := range k.offs {
		tmask |= off
	}
	for j, src := range k.permSrc {
		if i&tmask == src {
			return i&^tmask | k.permDst[j]
		}
	}
	return i
}

// conjugate moves the pending diagonal factors past permutation kernel k:
// the factors that share a qubit with k become one diagonal D′ with
// D′(π(i)) = D(i), so that D then k equals k then D′ (k's phases cancel).
// It reports false, changing nothing, when D′ would exceed maxConjQubits.
func conjugate(pending *[]*kernel, k *kernel) bool {
	var hit, keep []*kernel
	qs := slices.Clone(k.sorted)
	for _, f := range *pending {
		if touches([]*kernel{f}, k) {
			hit = append(hit, f)
			for _, q := range f.sorted {
				if !slices.Contains(qs, q) {
					qs = append(qs, q)
				}
			}
		} else {
			keep = append(keep, f)
		}
	}
	if len(qs) > maxConjQubits {
		return false
	}
	slices.Sort(qs)
	vals := make([]complex128, 1<<len(qs))
	index := func(j int) int { // block index with j's bits on qs
		i := 0
		for b, q := range qs {
			i |= (j >> b & 1) << q
		}
		return i
	}
	local := func(i int) int { // inverse of index
		j := 0
		for b, q := range qs {
			j |= (i >> q & 1) << b
		}
		return j
	}
	for j := range vals {
		i := index(j)
		d := complex128(1)
		for _, f := range hit {
			d *= diagAt(f, i)
		}
		vals[local(permAt(k, i))] = d
	}
	if f := diagKernel(qs, vals); f != nil {
		keep = append(keep, f)
	}
	*pending = keep
	return true
}

// fuseFactors returns kernels applying the commuting diagonal factors fs on
// a block of w qubits: short runs as they are, longer ones as phase kernels
// (segmented tables, see phase.go) or, where their qubits do not split into
// segments, byte-indexed phase tables of at most maxDiagQubits qubits.
func fuseFactors(fs []*kernel, w int) []*kernel {
	var out, group []*kernel
	close := func() {
		switch {
		case len(group) == 0:
		case len(group) == 1 && len(group[0].sorted) > 1:
			// One controlled phase or cz touches a quarter of the
			// amplitudes: cheaper alone than a sweep of all of them.
			out = append(out, group...)
		case segmentable(group, w) && w >= minLowBits:
			out = append(out, phaseKernel(group, w))
		case len(group) < minDiagRun:
			out = append(out, group...)
		default:
			mask := 0
			for _, f := range group {
				for _, q := range f.sorted {
					mask |= 1 << q
				}
			}
			out = append(out, diagTable(group, mask))
		}
		group = nil
	}
	for _, f := range fs {
		grown := append(slices.Clip(group), f)
		if w <= maxTableWidth && ((w >= minLowBits && segmentable(grown, w)) || qubitCount(grown) <= maxDiagQubits) {
			group = grown
			continue
		}
		close()
		group = []*kernel{f}
	}
	close()
	return out
}

// qubitCount returns the number of distinct qubits of the factors fs.
func qubitCount(fs []*kernel) int {
	mask := 0
	for _, f := range fs {
		for _, q := range f.sorted {
			mask |= 1 << q
		}
	}
	n := 0
	for ; mask != 0; mask &= mask - 1 {
		n++
	}
	return n
}
