package statevec

// Segmented phase kernels. A diagonal gathered from a layer of gates (see
// sched.go) spans every qubit of a cache block, too many for one table,
// but each of its factors acts on one qubit or a few neighbouring ones. The
// block's index bits then split into segments that no factor straddles,
// and the phase of amplitude i is the product of one table entry per
// segment. The lowest segment (at least 3 bits, a vector of amplitudes)
// varies along a run and is applied by a vector product with its table;
// the higher segments are constant along a run and multiply it by one
// scalar: two complex products per amplitude in one sweep of the block.

const (
	// maxLowBits bounds the lowest segment: its table, prepared for the
	// vector kernels (two floats per float of the state), takes 16 KiB in
	// single precision and 32 KiB in double, within a core's L1 cache.
	maxLowBits = 10
	// maxSegBits bounds every other segment (tables of 4096 entries).
	maxSegBits = 12
	// minLowBits is the least width of the lowest segment: a run of 8
	// amplitudes, one 512-bit vector of complex64.
	minLowBits = 3
)

// phaseTab is a segmented phase table: the phase of block index i is
// Π_s segs[s].tab[i>>segs[s].shift & (1<<segs[s].bits − 1)].
type phaseTab struct {
	segs    []phaseSeg
	lowOne  bool // the lowest segment's table is all ones
	highOne bool // every higher segment's table is all ones
	prep    phasePrep
}

// phaseSeg is one segment of a phaseTab.
type phaseSeg struct {
	shift, bits int
	tab         []complex128
	tab64       []complex64
}

// segmentBounds returns the segment boundaries 0 = b0 < b1 < … for the
// diagonal factors fs on a block of w qubits, or nil where no such split
// exists (a factor straddling every admissible boundary).
func segmentBounds(fs []*kernel, w int) []int {
	hi := 0
	for _, f := range fs {
		hi = max(hi, f.sorted[len(f.sorted)-1]+1)
	}
	free := func(b int) bool { // no factor has qubits on both sides of b
		for _, f := range fs {
			if f.sorted[0] < b && f.sorted[len(f.sorted)-1] >= b {
				return false
			}
		}
		return true
	}
	low := min(minLowBits, w)
	bounds := []int{0}
	for start := 0; start < max(hi, low); {
		limit, least := maxSegBits, start+1
		if start == 0 {
			limit, least = maxLowBits, low
		}
		end := -1
		if target := max(hi, least); target-start <= limit {
			end = target
		} else {
			for b := start + limit; b >= least; b-- {
				if free(b) {
					end = b
					break
				}
			}
		}
		if end < 0 {
			return nil
		}
		bounds = append(bounds, end)
		start = end
	}
	return bounds
}

// segmentable reports whether the factors fs split into segments.
func segmentable(fs []*kernel, w int) bool { return segmentBounds(fs, w) != nil }

// phaseKernel returns the segmented phase kernel equal to applying the
// diagonal factors fs (segmentable on a block of w qubits).
func phaseKernel(fs []*kernel, w int) *kernel {
	bounds := segmentBounds(fs, w)
	t := &phaseTab{lowOne: true, highOne: true}
	var qs []int
	for s := 0; s+1 < len(bounds); s++ {
		seg := phaseSeg{shift: bounds[s], bits: bounds[s+1] - bounds[s]}
		seg.tab = make([]complex128, 1<<seg.bits)
		for j := range seg.tab {
			i := j << seg.shift
			ph := complex128(1)
			for _, f := range fs {
				if f.sorted[0] >= seg.shift && f.sorted[0] < seg.shift+seg.bits {
					ph *= diagAt(f, i)
				}
			}
			seg.tab[j] = ph
			if ph != 1 {
				if s == 0 {
					t.lowOne = false
				} else {
					t.highOne = false
				}
			}
		}
		seg.tab64 = make([]complex64, len(seg.tab))
		for j, d := range seg.tab {
			seg.tab64[j] = complex64(d)
		}
		t.segs = append(t.segs, seg)
		for q := seg.shift; q < seg.shift+seg.bits; q++ {
			qs = append(qs, q)
		}
	}
	t.prep = preparePhase(t.segs[0].tab)
	return &kernel{kind: kindPhase, sorted: qs, ph: t}
}

// high returns the product of the higher segments' entries at index i
// (constant along a run of the lowest segment).
func (t *phaseTab) high(i int) complex128 {
	h := complex128(1)
	for _, s := range t.segs[1:] {
		h *= s.tab[i>>s.shift&(1<<s.bits-1)]
	}
	return h
}

// high64 is high for complex64 states, in float32 arithmetic.
func (t *phaseTab) high64(i int) complex64 {
	h := complex64(1)
	for _, s := range t.segs[1:] {
		h = mul64(h, s.tab64[i>>s.shift&(1<<s.bits-1)])
	}
	return h
}

// phaseRange multiplies amplitudes [lo, hi) of v by their phases, run by
// run of the lowest segment.
func phaseRange[T amp](k *kernel, v []T, lo, hi int) {
	t := k.ph
	run := 1 << t.segs[0].bits
	switch w := any(v).(type) {
	case []complex128:
		low := t.segs[0].tab
		for i := lo; i < hi; {
			end := min(hi, (i|(run-1))+1)
			j0 := i & (run - 1)
			h := t.high(i)
			seg := w[i:end]
			if phaseRun128(&t.prep, seg, j0, h, t.lowOne, t.highOne) {
				i = end
				continue
			}
			if !t.lowOne {
				for j := range seg {
					seg[j] *= low[j0+j]
				}
			}
			if !t.highOne {
				for j := range seg {
					seg[j] *= h
				}
			}
			i = end
		}
	case []complex64:
		low := t.segs[0].tab64
		for i := lo; i < hi; {
			end := min(hi, (i|(run-1))+1)
			j0 := i & (run - 1)
			h := t.high64(i)
			seg := w[i:end]
			if phaseRun64(&t.prep, seg, j0, h, t.lowOne, t.highOne) {
				i = end
				continue
			}
			if !t.lowOne {
				for j := range seg {
					seg[j] = mul64(seg[j], low[j0+j])
				}
			}
			if !t.highOne {
				for j := range seg {
					seg[j] = mul64(seg[j], h)
				}
			}
			i = end
		}
	}
}
