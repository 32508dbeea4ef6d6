package statevec

import "math/bits"

// Diagonal fusion inside cache blocks. A run of consecutive diagonal gates
// (controlled phases, rz, cz, rzz, …) becomes one kernel that multiplies
// every amplitude of the block by a phase looked up in a table over the
// run's qubits: one sweep of the block instead of one per gate, and no
// per-gate index arithmetic.

const (
	// maxDiagQubits bounds the qubits of a fused diagonal (its table has
	// 2^maxDiagQubits entries: 64 KiB in double precision).
	maxDiagQubits = 12
	// minDiagRun is the shortest run of diagonal gates worth fusing: two
	// gates that each touch a quarter of the amplitudes cost less than one
	// table sweep over all of them.
	minDiagRun = 3
	// maxTableWidth is the widest block a table kernel can index (three
	// byte tables).
	maxTableWidth = 24
)

// fuseDiagonals replaces runs of at least minDiagRun consecutive diagonal
// kernels in ks (on a block of w qubits) by table kernels.
func fuseDiagonals(ks []*kernel, w int) []*kernel {
	if w > maxTableWidth {
		return ks
	}
	var out, run []*kernel
	var mask int // qubits of the run
	end := func() {
		if len(run) >= minDiagRun {
			out = append(out, diagTable(run, mask))
		} else {
			out = append(out, run...)
		}
		run, mask = nil, 0
	}
	var signs []*kernel // sign flips met in the current run
	for _, k := range ks {
		if k.kind == kindDiag && isSignFlip(k) {
			// A negation of a quarter of the amplitudes (cz) is cheaper
			// than its share of a table sweep. Diagonal kernels commute,
			// so it may leave the run and follow the table.
			signs = append(signs, k)
			continue
		}
		if k.kind != kindDiag {
			end()
			out = append(out, signs...)
			signs = nil
			out = append(out, k)
			continue
		}
		m := 0
		for _, q := range k.sorted {
			m |= 1 << q
		}
		if bits.OnesCount(uint(mask|m)) > maxDiagQubits {
			end()
		}
		run = append(run, k)
		mask |= m
	}
	end()
	return append(out, signs...)
}

// isSignFlip reports whether diagonal kernel k only negates amplitudes.
func isSignFlip(k *kernel) bool {
	for _, d := range k.diagVals {
		if d != -1 {
			return false
		}
	}
	return true
}

// diagTable returns the table kernel equal to applying the diagonal kernels
// ks in turn; mask holds their qubits.
func diagTable(ks []*kernel, mask int) *kernel {
	var qs []int
	for q := 0; mask>>q != 0; q++ {
		if mask>>q&1 == 1 {
			qs = append(qs, q)
		}
	}
	t := &kernel{kind: kindDiagTable, sorted: qs, tab: make([]complex128, 1<<len(qs)), lut: new([3][256]int32)}
	// Controls common to every gate, above the lowest byte: chunks of 256
	// amplitudes where one of them is 0 keep their phases of 1.
	t.ctrl = -1 &^ 255
	for _, k := range ks {
		t.ctrl &= k.ctrl
	}
	for idx := range t.tab {
		i := 0 // the amplitude index with idx's bits on qs
		for j, q := range qs {
			i |= (idx >> j & 1) << q
		}
		ph := complex128(1)
		for _, k := range ks {
			if i&k.ctrl != k.ctrl {
				continue
			}
			tmask := 0
			for _, off := range k.offs {
				tmask |= off
			}
			for j, off := range k.diagOffs {
				if i&tmask == off {
					ph *= k.diagVals[j]
				}
			}
		}
		t.tab[idx] = ph
	}
	t.tab64 = make([]complex64, len(t.tab))
	for i, d := range t.tab {
		t.tab64[i] = complex64(d)
	}
	for b := range 3 {
		for x := range 256 {
			var e int32
			for j, q := range qs {
				if q >= 8*b && q < 8*b+8 && x>>(q-8*b)&1 == 1 {
					e |= 1 << j
				}
			}
			t.lut[b][x] = e
		}
	}
	return t
}
