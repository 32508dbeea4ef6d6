package statevec

import (
	"slices"

	"github.com/qluster/qluster/circuit"
)

// Cache blocking. A run of gates whose qubits, together, fit in a block of
// blockWidth qubits is applied one block at a time: the block's 2^blockWidth
// amplitudes are gathered into a buffer that stays in the core's cache, every
// gate of the run is applied to it, and the buffer is written back. The state
// then crosses the memory bus once for the whole run instead of once per
// gate. The low runQubits qubits always belong to the block, so the gather
// copies contiguous runs of at least 2^runQubits amplitudes.
var (
	// blockWidth128 is the block width for complex128 states: 2^16
	// amplitudes, 1 MiB, the L2 cache of one core of the development VM
	// (measured at n = 24 with one worker against 14 and 15: 1.01 s of CPU
	// for QFT against 1.13 and 1.29 s, and 12 passes for brickwork against
	// 17 and 23, the same CPU time).
	blockWidth128 = 16
	// blockWidth64 is the block width for complex64 states (same bytes).
	blockWidth64 = 17
	// runQubits is the number of low qubits every block contains: runs of
	// 64 amplitudes (1 KiB) in the gather.
	runQubits = 6
)

// pass is one sweep over the state: a single kernel applied directly, or a
// cache block of several.
type pass struct {
	last int     // index of the last step the pass covers (for progress)
	k    *kernel // direct pass
	blk  *block  // cache-blocked pass
}

// block is a run of gates applied block by block. Its local qubit i is the
// state's qubit qubits[i].
type block struct {
	qubits []int     // the block's qubits, ascending; len is the block width
	prefix int       // qubits[:prefix] are 0, 1, …, prefix-1
	offs   []int     // offset of each contiguous run of 2^prefix amplitudes
	ks     []*kernel // the gates, on local qubits
}

// program groups the gates among steps [from, to) into passes for an n-qubit
// state with cache blocks of width w. Barriers end a block (so that a
// circuit can ask for unfused gates); measurements, resets and conditions
// are ignored, as evolve ignores them.
func program(steps []step, from, to, n, w int) []pass {
	var out []pass
	if n < w+2 {
		// Too few blocks to share among workers: apply gates directly.
		for i := from; i < to; i++ {
			if s := &steps[i]; s.kind == circuit.GateOp && s.k.kind != kindNone {
				out = append(out, pass{last: i, k: s.k})
			}
		}
		return out
	}
	low := min(runQubits, w)
	var pending []int // gate steps of the current barrier-free segment
	flush := func() {
		for len(pending) > 0 {
			var (
				high    []int // qubits ≥ low in the block
				blocked = map[int]bool{}
				group   []int
				rest    []int
			)
			for _, i := range pending {
				qs := steps[i].op.Qubits
				free := true
				for _, q := range qs {
					if blocked[q] {
						free = false
					}
				}
				if free {
					grown := high
					for _, q := range qs {
						if q >= low && !slices.Contains(grown, q) {
							grown = append(slices.Clip(grown), q)
						}
					}
					if len(grown) <= w-low {
						high = grown
						group = append(group, i)
						continue
					}
				}
				for _, q := range qs {
					blocked[q] = true
				}
				rest = append(rest, i)
			}
			if len(group) == 0 { // cannot happen: the first gate always fits
				group, rest = rest[:1], rest[1:]
			}
			out = append(out, makePass(steps, group, high, n, w, low))
			pending = rest
		}
	}
	for i := from; i < to; i++ {
		s := &steps[i]
		switch {
		case s.kind == circuit.Barrier:
			flush()
		case s.kind == circuit.GateOp && s.k.kind != kindNone:
			pending = append(pending, i)
		}
	}
	flush()
	return out
}

// makePass returns the pass for the gate steps group, whose qubits at or
// above low are high.
func makePass(steps []step, group, high []int, n, w, low int) pass {
	last := slices.Max(group)
	if len(group) == 1 {
		return pass{last: last, k: steps[group[0]].k}
	}
	in := make([]bool, n)
	for q := range low {
		in[q] = true
	}
	for _, q := range high {
		in[q] = true
	}
	// Fill the block up with the lowest remaining qubits: longer contiguous
	// runs, fewer blocks.
	count := low + len(high)
	for q := 0; q < n && count < w; q++ {
		if !in[q] {
			in[q] = true
			count++
		}
	}
	b := &block{}
	local := make([]int, n)
	for q := range n {
		if in[q] {
			local[q] = len(b.qubits)
			b.qubits = append(b.qubits, q)
		}
	}
	for b.prefix < len(b.qubits) && b.qubits[b.prefix] == b.prefix {
		b.prefix++
	}
	rest := b.qubits[b.prefix:]
	b.offs = make([]int, 1<<len(rest))
	for h := range b.offs {
		for j, q := range rest {
			if h>>j&1 == 1 {
				b.offs[h] |= 1 << q
			}
		}
	}
	for _, i := range group {
		s := &steps[i]
		qs := make([]int, len(s.op.Qubits))
		for j, q := range s.op.Qubits {
			qs[j] = local[q]
		}
		b.ks = append(b.ks, newKernel(s.m, qs))
	}
	b.ks = schedule(b.ks, len(b.qubits))
	return pass{last: last, blk: b}
}

// base returns the state index of block t's first amplitude: t's bits spread
// over the qubits outside the block.
func (b *block) base(t int) int {
	for _, p := range b.qubits {
		low := t & (1<<p - 1)
		t = (t-low)<<1 | low
	}
	return t
}

// applyBlock runs the block's gates on the n-qubit state v, one cache block
// at a time, blocks shared among x's workers. Every block sees the same
// operations whatever the split.
func applyBlock[T amp](b *block, x *exec, v []T, n int) {
	w := len(b.qubits)
	inPlace := b.prefix == w
	x.parallelFor(1<<(n-w), func(lo, hi int) {
		var buf []T
		if !inPlace {
			buf = make([]T, 1<<w)
		}
		run := 1 << b.prefix
		for t := lo; t < hi; t++ {
			base := b.base(t)
			if inPlace {
				local := v[base : base+1<<w]
				for _, k := range b.ks {
					applyRange(k, local, 0, k.groups(w))
				}
				continue
			}
			for h, off := range b.offs {
				copy(buf[h*run:(h+1)*run], v[base+off:base+off+run])
			}
			for _, k := range b.ks {
				applyRange(k, buf, 0, k.groups(w))
			}
			for h, off := range b.offs {
				copy(v[base+off:base+off+run], buf[h*run:(h+1)*run])
			}
		}
	})
}

// applyPass runs one pass on v.
func applyPass[T amp](p *pass, x *exec, v []T, n int) {
	if p.k != nil {
		applyKernel(p.k, x, v, n)
		return
	}
	applyBlock(p.blk, x, v, n)
}
