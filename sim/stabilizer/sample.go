package stabilizer

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"sync"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
)

// chunkShots is the number of shots drawn from one random stream when
// sampling a terminal distribution; chunks are spread over the workers.
const chunkShots = 256

// maxSamplerTable caps the memory of the sampler's lookup tables.
const maxSamplerTable = 32 << 20

// terminal runs a circuit whose measurements are all at the end: one
// evolution, then shots and probabilities from the final stabilizer
// state's Z-basis distribution.
func (r *run) terminal(res *sim.Result, measures [][2]int) error {
	t := newTableau(r.n)
	if err := r.evolve(t, 0, len(r.steps)); err != nil {
		return err
	}
	if r.opt.Shots == 0 && !r.opt.Probabilities {
		return nil
	}
	if len(measures) == 0 && r.opt.Shots > 0 { // every shot reads the clbits as zeros
		res.Counts[r.c.Key(circuit.NewBits(r.c.NumClbits))] = r.opt.Shots
		r.prog.shots(r.opt.Shots)
	}
	if len(measures) == 0 && !r.opt.Probabilities {
		return nil
	}
	if err := sim.CheckMemory(fmt.Sprintf("stabilizer tableau and row-major stabilizers of %d qubits", r.n),
		tableauBytes(r.n)+stabRowsBytes(r.n), r.limit); err != nil {
		return err
	}
	q := t.stabilizerRows().support()
	if len(measures) == 0 { // probabilities over the qubits
		res.Probabilities = map[string]float64{}
		return r.enumerate(q, 1, res.Probabilities, r.qubitKeys())
	}
	cl := q.project(clbitMap(r.c.NumClbits, measures))
	if r.opt.Shots > 0 {
		counts, err := r.sample(cl)
		if err != nil {
			return err
		}
		res.Counts = counts
	}
	if r.opt.Probabilities {
		res.Probabilities = map[string]float64{}
		return r.enumerate(cl, 1, res.Probabilities, r.clbitKey())
	}
	return nil
}

// clbitMap returns, for each of nc clbits, the qubit whose terminal
// measurement it finally holds, or -1.
func clbitMap(nc int, measures [][2]int) []int {
	clq := make([]int, nc)
	for i := range clq {
		clq[i] = -1
	}
	for _, m := range measures {
		clq[m[1]] = m[0]
	}
	return clq
}

// qubitKey renders an n-bit basis state with qubit 0 rightmost, as
// circuit.QubitKey does for n ≤ 64.
func qubitKey(v []uint64, n int) string {
	buf := make([]byte, n)
	for k := 0; k < n; k++ {
		buf[n-1-k] = '0' + byte(v[k>>6]>>(k&63)&1)
	}
	return string(buf)
}

// enumerate adds weight w·2^−d to out for each of the 2^d outcomes in the
// support of a, walking it in Gray-code order; d above MaxSupportDim is
// refused.
func (r *run) enumerate(a *affine, w float64, out map[string]float64, key func([]uint64) string) error {
	d := len(a.basis)
	if d > MaxSupportDim {
		return fmt.Errorf("%w: the outcome distribution is uniform over 2^%d outcomes; exact probabilities are listed up to 2^%d",
			sim.ErrTooManyBranches, d, MaxSupportDim)
	}
	keyLen := int64(r.c.NumClbits + len(r.c.CRegs))
	if r.c.NumClbits == 0 {
		keyLen = int64(r.n)
	}
	if err := sim.CheckMemory(fmt.Sprintf("probabilities of 2^%d outcomes", d), (keyLen+64)*(int64(len(out))+1<<d), r.limit); err != nil {
		return err
	}
	p := w * math.Ldexp(1, -d)
	cur := append([]uint64(nil), a.x0...)
	out[key(cur)] += p
	for i := 1; i < 1<<d; i++ {
		b := a.basis[bits.TrailingZeros(uint(i))]
		for w := range cur {
			cur[w] ^= b[w]
		}
		out[key(cur)] += p
	}
	return nil
}

// clbitKey returns a key function over clbit words (circuit.Key format).
func (r *run) clbitKey() func([]uint64) string {
	var buf []byte
	return func(v []uint64) string {
		buf = appendKey(buf[:0], r.c, v)
		return string(buf)
	}
}

// qubitKeys returns a key function over qubit words (circuit.QubitKey
// format).
func (r *run) qubitKeys() func([]uint64) string {
	return func(v []uint64) string { return qubitKey(v, r.n) }
}

// sampler draws uniform elements of an affine support: x0 XOR one table
// entry per group of gb basis vectors, chosen by gb random bits (the "four
// Russians" way to multiply by a random bit vector).
type sampler struct {
	a      *affine
	gb     int
	tables [][]uint64 // tables[g][v·wm:(v+1)·wm] = Σ_{b∈v} basis[g·gb+b]
}

func newSampler(a *affine) *sampler {
	d, wm := len(a.basis), a.wm
	gb := 8
	for gb > 1 && int64((d+gb-1)/gb)<<gb*int64(wm)*8 > maxSamplerTable {
		gb /= 2
	}
	s := &sampler{a: a, gb: gb}
	for g := 0; g*gb < d; g++ {
		tab := make([]uint64, (1<<gb)*wm)
		for v := 1; v < 1<<gb; v++ {
			low := bits.TrailingZeros(uint(v))
			prev := tab[(v&(v-1))*wm:][:wm]
			dst := tab[v*wm:][:wm]
			copy(dst, prev)
			if k := g*gb + low; k < d {
				for i, x := range a.basis[k] {
					dst[i] ^= x
				}
			}
		}
		s.tables = append(s.tables, tab)
	}
	return s
}

// samplerBytes is the memory newSampler will take for a.
func samplerBytes(a *affine) int64 {
	d, wm := int64(len(a.basis)), int64(a.wm)
	for gb := int64(8); ; gb /= 2 {
		if b := (d + gb - 1) / gb << gb * wm * 8; b <= maxSamplerTable || gb == 1 {
			return b
		}
	}
}

// draw writes one sample into out (wm words).
func (s *sampler) draw(out []uint64, rng *rand.Rand) {
	copy(out, s.a.x0)
	wm, gb := s.a.wm, uint(s.gb)
	var word uint64
	left := uint(0)
	for _, tab := range s.tables {
		if left == 0 {
			word, left = rng.Uint64(), 64
		}
		v := int(word & (1<<gb - 1))
		word >>= gb
		left -= gb
		if v == 0 {
			continue
		}
		e := tab[v*wm:][:len(out)]
		for i, x := range e {
			out[i] ^= x
		}
	}
}

// sample draws Options.Shots outcomes of a. Chunk i of chunkShots shots
// uses PCG stream sampleStream+i, so counts do not depend on the number of
// workers.
func (r *run) sample(a *affine) (map[string]int, error) {
	if err := sim.CheckMemory("shot sampler tables", tableauBytes(r.n)+stabRowsBytes(r.n)+samplerBytes(a), r.limit); err != nil {
		return nil, err
	}
	s := newSampler(a)
	shots := r.opt.Shots
	chunks := (shots + chunkShots - 1) / chunkShots
	workers := max(1, min(r.opt.WorkersOrDefault(), chunks))
	var (
		mu     sync.Mutex
		next   int
		counts = map[string]int{}
		errs   = make([]error, workers)
		wg     sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			raw := map[string]int{}
			narrow := map[uint64]int{} // keys of outcomes of at most 64 bits
			out := make([]uint64, a.wm)
			buf := make([]byte, 0, 8*a.wm)
			for {
				mu.Lock()
				chunk := next
				next++
				mu.Unlock()
				if chunk >= chunks {
					break
				}
				if err := r.ctx.Err(); err != nil {
					errs[w] = err
					break
				}
				rng := rand.New(rand.NewPCG(r.opt.Seed, sampleStream+uint64(chunk)))
				n := min(chunkShots, shots-chunk*chunkShots)
				for range n {
					s.draw(out, rng)
					if a.wm == 1 {
						narrow[out[0]]++
						continue
					}
					buf = buf[:0]
					for _, x := range out {
						buf = binary.LittleEndian.AppendUint64(buf, x)
					}
					raw[string(buf)]++
				}
				r.prog.shots(n)
			}
			for k, v := range narrow {
				buf = binary.LittleEndian.AppendUint64(buf[:0], k)
				raw[string(buf)] += v
			}
			local := r.keyCounts(raw, a.wm)
			mu.Lock()
			for k, v := range local {
				counts[k] += v
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// keyCounts converts counts keyed by packed clbit words into counts keyed
// by circuit.Key.
func (r *run) keyCounts(raw map[string]int, wm int) map[string]int {
	out := make(map[string]int, len(raw))
	b := make(circuit.Bits, wm)
	buf := make([]byte, 0, r.c.NumClbits+len(r.c.CRegs))
	for k, v := range raw {
		for i := range b {
			b[i] = binary.LittleEndian.Uint64([]byte(k[8*i : 8*i+8]))
		}
		buf = appendKey(buf[:0], r.c, b)
		out[string(buf)] += v
	}
	return out
}

// appendKey appends c.Key(b) to buf without the per-bit calls of the
// general version (keys of thousands of bits are built once per distinct
// outcome).
func appendKey(buf []byte, c *circuit.Circuit, b circuit.Bits) []byte {
	for r := len(c.CRegs) - 1; r >= 0; r-- {
		reg := c.CRegs[r]
		for i := reg.Offset + reg.Size - 1; i >= reg.Offset; i-- {
			buf = append(buf, '0'+byte(b[i>>6]>>(i&63)&1))
		}
		if r > 0 {
			buf = append(buf, ' ')
		}
	}
	return buf
}
