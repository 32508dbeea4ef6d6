package statevec

// Byte-indexed phase tables. Diagonal gates gathered inside a cache block
// (sched.go) whose qubits do not split into segments for a phase kernel
// (phase.go), such as a QFT's ladder of controlled phases from one qubit,
// become one kernel that multiplies every amplitude of the block by a
// phase looked up in a table over their qubits: one sweep of the block
// instead of one per gate, and no per-gate index arithmetic.

const (
	// maxDiagQubits bounds the qubits of a fused diagonal (its table has
	// 2^maxDiagQubits entries: 64 KiB in double precision).
	maxDiagQubits = 12
	// minDiagRun is the fewest diagonal gates worth a byte-indexed table:
	// two gates that each touch a quarter of the amplitudes cost less
	// than one table sweep over all of them.
	minDiagRun = 3
	// maxTableWidth is the widest block a table kernel can index (three
	// byte tables).
	maxTableWidth = 24
)

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
