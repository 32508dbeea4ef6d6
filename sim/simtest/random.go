package simtest

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// RandomOptions control RandomCircuit. The zero value gives a unitary
// circuit of table gates with no classical bits.
type RandomOptions struct {
	// Gates, if set, keeps only the gates it returns true for; otherwise
	// every table gate with at most nq qubits can be drawn.
	Gates func(*gate.Gate) bool
	// Measure, Reset and Barrier are the probabilities that an op is a
	// (mid-circuit) measurement of a random qubit into a random clbit, a
	// reset, or a barrier over a random set of qubits; the rest are gates.
	Measure, Reset, Barrier float64
	// Condition is the probability that a gate, measurement or reset is
	// conditioned on a random classical register holding a random value.
	Condition float64
	// MeasureAll appends a terminal measurement of qubit k into clbit
	// k mod NumClbits for every qubit.
	MeasureAll bool
	// CRegs are the classical register sizes. If empty and anything above
	// needs clbits, RandomCircuit declares two registers of nq/2 and
	// nq − nq/2 bits (one of 1 bit when nq is 1), named c0 and c1, so that
	// multi-register keys are exercised.
	CRegs []int
}

// needsClbits reports whether the options call for classical bits.
func (o RandomOptions) needsClbits() bool {
	return o.Measure > 0 || o.Condition > 0 || o.MeasureAll || len(o.CRegs) > 0
}

// RandomCircuit returns a circuit of nq qubits (in one register q) and nops
// random operations drawn with rng: table gates on distinct random qubits
// with random parameters (uniform in [−2π, 2π), or a multiple of π/4 one
// time in four so that special angles are covered), and measurements,
// resets, barriers and conditions as opts asks. It panics if no gate fits,
// or on invalid options (a programming error in a test).
func RandomCircuit(rng *rand.Rand, nq, nops int, opts RandomOptions) *circuit.Circuit {
	var gates []*gate.Gate
	for _, g := range gate.All() {
		if g.Qubits <= nq && (opts.Gates == nil || opts.Gates(g)) {
			gates = append(gates, g)
		}
	}
	if len(gates) == 0 {
		panic(fmt.Sprintf("simtest: no gate fits %d qubits", nq))
	}
	c := &circuit.Circuit{Name: "random"}
	must(c.AddQReg("q", nq))
	if opts.needsClbits() {
		sizes := opts.CRegs
		if len(sizes) == 0 {
			sizes = []int{max(1, nq/2)}
			if nq >= 2 {
				sizes = append(sizes, nq-nq/2)
			}
		}
		for i, s := range sizes {
			must(c.AddCReg(fmt.Sprintf("c%d", i), s))
		}
	}
	for range nops {
		op := circuit.Op{Kind: circuit.GateOp}
		u := rng.Float64()
		switch {
		case u < opts.Measure && c.NumClbits > 0:
			op = circuit.Op{Kind: circuit.Measure, Qubits: []int{rng.IntN(nq)}, Clbits: []int{rng.IntN(c.NumClbits)}}
		case u < opts.Measure+opts.Reset:
			op = circuit.Op{Kind: circuit.Reset, Qubits: []int{rng.IntN(nq)}}
		case u < opts.Measure+opts.Reset+opts.Barrier:
			op = circuit.Op{Kind: circuit.Barrier, Qubits: rng.Perm(nq)[:1+rng.IntN(nq)]}
		default:
			g := gates[rng.IntN(len(gates))]
			op = circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: rng.Perm(nq)[:g.Qubits]}
			for range g.Params {
				op.Params = append(op.Params, circuit.Const(randomAngle(rng)))
			}
		}
		if op.Kind != circuit.Barrier && len(c.CRegs) > 0 && rng.Float64() < opts.Condition {
			r := rng.IntN(len(c.CRegs))
			size := min(c.CRegs[r].Size, 62)
			op.Cond = &circuit.Condition{CReg: r, Value: big.NewInt(rng.Int64N(1 << size))}
		}
		must0(c.Append(op))
	}
	if opts.MeasureAll {
		for q := range nq {
			must0(c.Append(circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{q % c.NumClbits}}))
		}
	}
	return c
}

func randomAngle(rng *rand.Rand) float64 {
	if rng.IntN(4) == 0 {
		return float64(rng.IntN(16)-8) * math.Pi / 4
	}
	return (rng.Float64()*2 - 1) * 2 * math.Pi
}

func must[T any](v T, err error) T {
	if err != nil {
		panic("simtest: " + err.Error())
	}
	return v
}

func must0(err error) {
	if err != nil {
		panic("simtest: " + err.Error())
	}
}
