package densitymat

import (
	"sort"
	"sync"

	"github.com/qluster/qluster/gate"
)

// parallelMin is the number of amplitude groups under which a kernel runs
// on the calling goroutine.
const parallelMin = 1 << 12

// kernel applies a dense 2^k × 2^k matrix to k bit positions of a vector:
// the density matrix read as a vector of 2n qubits (row bits 0…n−1, column
// bits n…2n−1). Zero matrix entries are skipped.
type kernel struct {
	dim    int
	offs   []int // offs[j]: the index offset of local basis state j
	sorted []int // positions, ascending, for inserting zero bits
	rows   [][]entry
}

// entry is a non-zero matrix element in row-sparse form.
type entry struct {
	col int
	v   complex128
}

// newKernel prepares m for positions pos (matrix argument i is bit pos[i]).
func newKernel(m gate.Matrix, pos []int) *kernel {
	k := len(pos)
	d := 1 << k
	kn := &kernel{dim: d, offs: make([]int, d), sorted: append([]int(nil), pos...), rows: make([][]entry, d)}
	sort.Ints(kn.sorted)
	for j := range d {
		for i, p := range pos {
			if j>>i&1 == 1 {
				kn.offs[j] |= 1 << p
			}
		}
	}
	for r := range d {
		for c := range d {
			if v := m[r*d+c]; v != 0 {
				kn.rows[r] = append(kn.rows[r], entry{c, v})
			}
		}
	}
	return kn
}

// apply multiplies v by the kernel's matrix, with up to workers goroutines.
// The result does not depend on workers.
func (kn *kernel) apply(v []complex128, workers int) {
	groups := len(v) / kn.dim
	parallelFor(groups, workers, func(lo, hi int) {
		buf := make([]complex128, kn.dim)
		base := lo
		for _, p := range kn.sorted {
			base = base>>p<<(p+1) | base&(1<<p-1)
		}
		mask := kn.offs[kn.dim-1]
		for g := lo; g < hi; g, base = g+1, ((base|mask)+1)&^mask {
			for j, o := range kn.offs {
				buf[j] = v[base+o]
			}
			for r, row := range kn.rows {
				var s complex128
				for _, e := range row {
					s += e.v * buf[e.col]
				}
				v[base+kn.offs[r]] = s
			}
		}
	})
}

// parallelFor runs fn over [0, n) in contiguous chunks on up to workers
// goroutines.
func parallelFor(n, workers int, fn func(lo, hi int)) {
	if workers <= 1 || n < parallelMin {
		fn(0, n)
		return
	}
	chunks := min(workers*4, n/(parallelMin/4))
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for c := range chunks {
		lo, hi := n*c/chunks, n*(c+1)/chunks
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
			<-sem
		}()
	}
	wg.Wait()
}

// superop returns the matrix of ρ ↦ Σ K ρ K† on the local index
// r | c<<k (row bits low, column bits high), for Kraus operators of k
// qubits: S[(r|c<<k), (r'|c'<<k)] = Σ K[r][r']·conj(K[c][c']).
func superop(kraus []gate.Matrix, k int) gate.Matrix {
	d := 1 << k
	D := d * d
	s := make(gate.Matrix, D*D)
	for _, K := range kraus {
		for r := range d {
			for c := range d {
				row := (r | c<<k) * D
				for r2 := range d {
					a := K[r*d+r2]
					if a == 0 {
						continue
					}
					for c2 := range d {
						b := K[c*d+c2]
						if b == 0 {
							continue
						}
						s[row+(r2|c2<<k)] += a * complex(real(b), -imag(b))
					}
				}
			}
		}
	}
	return s
}

// conj returns the entry-wise complex conjugate of m.
func conj(m gate.Matrix) gate.Matrix {
	out := make(gate.Matrix, len(m))
	for i, v := range m {
		out[i] = complex(real(v), -imag(v))
	}
	return out
}
