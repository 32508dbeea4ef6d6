// Package circgen builds the benchmark and test circuits the compiler's
// tests share: QFT, GHZ and seeded random circuits of one- and two-qubit
// table gates, over one quantum register "q" (and a classical register "c"
// when measured).
package circgen

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// builder appends ops to a circuit, panicking on a programming error (the
// generators only build valid ops).
type builder struct{ c *circuit.Circuit }

func newBuilder(name string, n int, measure bool) builder {
	c := &circuit.Circuit{Name: name}
	if n > 0 {
		if _, err := c.AddQReg("q", n); err != nil {
			panic(err)
		}
		if measure {
			if _, err := c.AddCReg("c", n); err != nil {
				panic(err)
			}
		}
	}
	return builder{c}
}

func (b builder) gate(name string, params []float64, qs ...int) {
	g, ok := gate.Lookup(name)
	if !ok {
		panic("circgen: unknown gate " + name)
	}
	ps := make([]circuit.Param, len(params))
	for i, v := range params {
		ps[i] = circuit.Const(v)
	}
	if err := b.c.Append(circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Params: ps, Qubits: qs}); err != nil {
		panic(fmt.Sprintf("circgen: %v", err))
	}
}

func (b builder) measureAll() {
	for q := range b.c.NumQubits {
		if err := b.c.Append(circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{q}}); err != nil {
			panic(err)
		}
	}
}

// QFT returns the n-qubit quantum Fourier transform as textbooks draw it: on
// each qubit from the highest, H then controlled phases cp(π/2^k) from the
// lower qubits, followed by the SWAPs that reverse the qubit order; then, if
// measure is set, a measurement of qubit i into clbit i.
func QFT(n int, measure bool) *circuit.Circuit {
	b := newBuilder(fmt.Sprintf("qft%d", n), n, measure)
	for j := n - 1; j >= 0; j-- {
		b.gate("h", nil, j)
		for k := j - 1; k >= 0; k-- {
			b.gate("cp", []float64{math.Pi / float64(int(1)<<min(j-k, 62))}, k, j)
		}
	}
	for i := range n / 2 {
		b.gate("swap", nil, i, n-1-i)
	}
	if measure {
		b.measureAll()
	}
	return b.c
}

// GHZ returns the n-qubit GHZ preparation: H on qubit 0, then a chain of
// CX from qubit i to i+1; then, if measure is set, measurements.
func GHZ(n int, measure bool) *circuit.Circuit {
	b := newBuilder(fmt.Sprintf("ghz%d", n), n, measure)
	if n > 0 {
		b.gate("h", nil, 0)
	}
	for i := 0; i+1 < n; i++ {
		b.gate("cx", nil, i, i+1)
	}
	if measure {
		b.measureAll()
	}
	return b.c
}

// oneQ and twoQ are the gates Random draws from, with their parameter
// counts.
var (
	oneQ = []struct {
		name string
		np   int
	}{{"h", 0}, {"x", 0}, {"s", 0}, {"t", 0}, {"sx", 0}, {"rx", 1}, {"ry", 1}, {"rz", 1}, {"u", 3}}
	twoQ = []struct {
		name string
		np   int
	}{{"cx", 0}, {"cz", 0}, {"cp", 1}, {"rzz", 1}, {"swap", 0}, {"cry", 1}}
)

// Random returns a seeded random circuit on n qubits with the given number
// of layers; in each layer the qubits are shuffled and paired, each pair
// getting a random two-qubit gate with probability twoQFraction (else a
// random single-qubit gate on each). Measurements follow if measure is set.
func Random(n, layers int, twoQFraction float64, seed uint64, measure bool) *circuit.Circuit {
	rng := rand.New(rand.NewPCG(seed, 0xc1bc))
	b := newBuilder(fmt.Sprintf("random%d_%d_s%d", n, layers, seed), n, measure)
	params := func(k int) []float64 {
		p := make([]float64, k)
		for i := range p {
			p[i] = (2*rng.Float64() - 1) * math.Pi
		}
		return p
	}
	perm := make([]int, n)
	for range layers {
		for i := range perm {
			perm[i] = i
		}
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for i := 0; i < n; i += 2 {
			if i+1 < n && rng.Float64() < twoQFraction {
				g := twoQ[rng.IntN(len(twoQ))]
				b.gate(g.name, params(g.np), perm[i], perm[i+1])
				continue
			}
			for _, q := range perm[i:min(i+2, n)] {
				g := oneQ[rng.IntN(len(oneQ))]
				b.gate(g.name, params(g.np), q)
			}
		}
	}
	if measure {
		b.measureAll()
	}
	return b.c
}
