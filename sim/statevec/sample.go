package statevec

import (
	"math/rand/v2"
	"slices"
	"sort"
)

// sampleState draws shots basis-state indices from |v|² and returns how
// often each index came up. It needs no table of 2^n entries: it sorts the
// shots' uniform draws and sweeps the state once, block by block, so the
// result depends only on rng's stream (never on the worker count).
func (x *exec) sampleState(v []complex128, shots int, rng *rand.Rand) map[int]int {
	return sampleState(x, v, shots, rng)
}

// sampleState is exec.sampleState for either precision.
func sampleState[T amp](x *exec, v []T, shots int, rng *rand.Rand) map[int]int {
	blocks := blockNorms(x, v)
	prefix := make([]float64, len(blocks)+1)
	for b, s := range blocks {
		prefix[b+1] = prefix[b] + s
	}
	total := prefix[len(blocks)]
	us := make([]float64, shots)
	for i := range us {
		us[i] = rng.Float64() * total
	}
	slices.Sort(us)
	// Shots whose draw falls in block b: us[first[b]:first[b+1]].
	first := make([]int, len(blocks)+1)
	for b := range blocks {
		first[b+1] = sort.SearchFloat64s(us, prefix[b+1])
	}
	first[len(blocks)] = shots // draws rounded up to total go to the last block
	hits := make([]int, shots) // index drawn by each sorted shot
	x.parallelFor(len(blocks), func(lo, hi int) {
		for b := lo; b < hi; b++ {
			sampleBlock(v, b, blocks, prefix[b], us[first[b]:first[b+1]], hits[first[b]:first[b+1]])
		}
	})
	out := map[int]int{}
	for _, i := range hits {
		out[i]++
	}
	return out
}

// sampleBlock assigns each sorted draw u (offset by start) to the index of
// block b whose cumulative weight first exceeds it. Draws falling past the
// block's end by rounding go to the block's last non-zero amplitude, and a
// draw that lands in an empty block (possible only at the very end, by
// rounding) goes to the last non-zero amplitude of the whole state.
func sampleBlock[T amp](v []T, b int, blocks []float64, start float64, us []float64, hits []int) {
	if len(us) == 0 {
		return
	}
	if blocks[b] == 0 {
		last := lastNonZero(v, len(v))
		for j := range hits {
			hits[j] = last
		}
		return
	}
	lo, hi := b*blockSize, min((b+1)*blockSize, len(v))
	i, acc := lo, 0.0
	j := 0
	for ; i < hi && j < len(us); i++ {
		acc += norm2(v[i])
		for j < len(us) && us[j]-start < acc {
			hits[j] = i
			j++
		}
	}
	if j < len(us) {
		last := lastNonZero(v, hi)
		for ; j < len(us); j++ {
			hits[j] = last
		}
	}
}

// lastNonZero returns the largest index below end with a non-zero
// amplitude (0 if there is none).
func lastNonZero[T amp](v []T, end int) int {
	for i := end - 1; i > 0; i-- {
		if v[i] != 0 {
			return i
		}
	}
	return 0
}

// sampleDist draws shots outcomes from a distribution given as keys and
// probabilities (keys sorted, so the draw depends only on rng's stream).
func sampleDist(keys []string, probs []float64, shots int, rng *rand.Rand) map[string]int {
	cum := make([]float64, len(probs))
	var s float64
	for i, p := range probs {
		s += p
		cum[i] = s
	}
	out := map[string]int{}
	for range shots {
		u := rng.Float64() * s
		i := sort.Search(len(cum), func(i int) bool { return cum[i] > u })
		if i == len(cum) {
			i = len(cum) - 1
		}
		for probs[i] == 0 && i > 0 { // never land on an empty outcome
			i--
		}
		out[keys[i]]++
	}
	return out
}
