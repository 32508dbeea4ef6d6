package backend

import (
	"math/rand/v2"
	"slices"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
)

// MaxMemoryBytes bounds per-shot memory (RunOptions.Memory): a job is
// refused with ETOOLARGE when shots × the width of one outcome key
// (classical bits plus the spaces between registers, or qubits for a
// circuit without measurements) exceeds it. 32 MiB of outcome strings is
// about 40 MB of JSON.
const MaxMemoryBytes = 32 << 20

// MaxCountsBytes bounds the counts of one circuit: a job is refused with
// ETOOLARGE when the most distinct outcomes it can produce (the shots, or
// 2^m for m measured bits when fewer) times the size of one entry (key
// width + 16) exceeds it. It matters for wide circuits only, such as
// Clifford circuits of thousands of qubits on the stabilizer engine: 30
// measured bits and 1,000,000 shots need 46 MB.
const MaxCountsBytes = 128 << 20

// memoryStream separates the shuffle's random stream from the engines'
// (which seed PCG streams with small integers); it spells "memory".
const memoryStream = 0x6d656d6f7279

// keyWidth returns the length of c's outcome keys: circuit.Key's when c
// measures, else circuit.QubitKey's over its qubits.
func keyWidth(c *circuit.Circuit) int {
	if !c.HasMeasure() {
		return c.NumQubits
	}
	return c.NumClbits + max(len(c.CRegs)-1, 0)
}

// measuredBits returns how many classical bits c's measurements write, or
// its qubits when it does not measure: the bits its outcomes vary in.
func measuredBits(c *circuit.Circuit) int {
	if !c.HasMeasure() {
		return c.NumQubits
	}
	seen := make([]bool, c.NumClbits)
	n := 0
	for i := range c.Ops {
		if c.Ops[i].Kind != circuit.Measure {
			continue
		}
		for _, b := range c.Ops[i].Clbits {
			if !seen[b] {
				seen[b] = true
				n++
			}
		}
	}
	return n
}

// checkOutput refuses counts that could exceed MaxCountsBytes and per-shot
// memory larger than MaxMemoryBytes.
func checkOutput(backend string, c *circuit.Circuit, opt RunOptions) error {
	width := max(keyWidth(c), 1)
	distinct := int64(opt.Shots)
	if m := measuredBits(c); m < 40 {
		distinct = min(distinct, int64(1)<<m)
	}
	if distinct*int64(width+16) > MaxCountsBytes {
		return qluster.Errorf(qluster.ETOOLARGE,
			"backend %s: counts of %d shots over %d measured bits (outcomes of %d characters) could exceed the limit of %d MiB (ask for fewer shots)",
			backend, opt.Shots, measuredBits(c), width, MaxCountsBytes>>20)
	}
	if !opt.Memory {
		return nil
	}
	if int64(opt.Shots)*int64(width) > MaxMemoryBytes {
		return qluster.Errorf(qluster.ETOOLARGE,
			"backend %s: per-shot memory of %d shots × %d characters exceeds the limit of %d MiB (ask for fewer shots or use counts)",
			backend, opt.Shots, width, MaxMemoryBytes>>20)
	}
	return nil
}

// shotMemory returns one outcome per shot: every key of counts repeated
// its count times, in a uniformly random order drawn from seed. Shots of
// an engine are independent and identically distributed, so this order
// has exactly the distribution of the per-shot outcomes themselves. The
// same counts and seed give the same list. Shots with the same outcome
// share one string.
func shotMemory(counts map[string]int, seed uint64) []string {
	keys := make([]string, 0, len(counts))
	total := 0
	for k, n := range counts {
		keys = append(keys, k)
		total += n
	}
	slices.Sort(keys)
	mem := make([]string, 0, total)
	for _, k := range keys {
		for range counts[k] {
			mem = append(mem, k)
		}
	}
	rng := rand.New(rand.NewPCG(seed, memoryStream))
	rng.Shuffle(len(mem), func(i, j int) { mem[i], mem[j] = mem[j], mem[i] })
	return mem
}

// addMemory fills in res.Memory from its counts and seed when opt asks for
// it.
func addMemory(res *qluster.CircuitResult, opt RunOptions) {
	if opt.Memory {
		res.Memory = shotMemory(res.Counts, res.Seed)
	}
}
