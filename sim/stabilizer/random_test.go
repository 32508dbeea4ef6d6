package stabilizer_test

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// cliffordOptions control randomClifford.
type cliffordOptions struct {
	// Measure, Reset, Barrier and Condition are the probabilities that an op
	// is a mid-circuit measurement, a reset, a barrier, or is conditioned.
	Measure, Reset, Barrier, Condition float64
	// MeasureAll appends a terminal measurement of every qubit.
	MeasureAll bool
	// MeasureRandom appends nq terminal measurements of random qubits into
	// random clbits (some qubits unmeasured, some clbits written twice).
	MeasureRandom bool
}

// cliffordGates returns the table gates of at most nq qubits that are
// Clifford for some parameters: every gate flagged Clifford, and every
// parameterised gate that is Clifford for some multiples of π/2.
func cliffordGates(nq int) []*gate.Gate {
	var out []*gate.Gate
	for _, g := range gate.All() {
		if g.Qubits > nq {
			continue
		}
		if g.Clifford || (len(g.Params) > 0 && g.IsClifford(make([]float64, len(g.Params)))) {
			out = append(out, g)
		}
	}
	return out
}

// randomClifford returns a random Clifford circuit of nq qubits and nops
// ops: table gates (parameterised ones at random multiples of π/2 in
// [−2π, 2π], redrawn until Clifford), with measurements, resets, barriers
// and conditions as opts asks, and two classical registers when anything
// needs clbits.
func randomClifford(t testing.TB, rng *rand.Rand, nq, nops int, opts cliffordOptions) *circuit.Circuit {
	t.Helper()
	gates := cliffordGates(nq)
	c := &circuit.Circuit{Name: "random clifford"}
	check(t, errOf(c.AddQReg("q", nq)))
	if opts.Measure > 0 || opts.Condition > 0 || opts.MeasureAll || opts.MeasureRandom {
		check(t, errOf(c.AddCReg("c0", max(1, nq/2))))
		if nq >= 2 {
			check(t, errOf(c.AddCReg("c1", nq-nq/2)))
		}
	}
	for range nops {
		var op circuit.Op
		u := rng.Float64()
		switch {
		case u < opts.Measure && c.NumClbits > 0:
			op = circuit.Op{Kind: circuit.Measure, Qubits: []int{rng.IntN(nq)}, Clbits: []int{rng.IntN(c.NumClbits)}}
		case u < opts.Measure+opts.Reset:
			op = circuit.Op{Kind: circuit.Reset, Qubits: []int{rng.IntN(nq)}}
		case u < opts.Measure+opts.Reset+opts.Barrier:
			op = circuit.Op{Kind: circuit.Barrier, Qubits: rng.Perm(nq)[:1+rng.IntN(nq)]}
		default:
			op = randomCliffordGate(rng, gates, nq)
		}
		if op.Kind != circuit.Barrier && len(c.CRegs) > 0 && rng.Float64() < opts.Condition {
			r := rng.IntN(len(c.CRegs))
			op.Cond = &circuit.Condition{CReg: r, Value: big.NewInt(rng.Int64N(1 << c.CRegs[r].Size))}
		}
		if err := c.Append(op); err != nil {
			t.Fatalf("append %v: %v", op, err)
		}
	}
	if opts.MeasureAll {
		for q := range nq {
			if err := c.Append(circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{q % c.NumClbits}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if opts.MeasureRandom {
		for range nq {
			if err := c.Append(circuit.Op{Kind: circuit.Measure, Qubits: []int{rng.IntN(nq)}, Clbits: []int{rng.IntN(c.NumClbits)}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return c
}

func randomCliffordGate(rng *rand.Rand, gates []*gate.Gate, nq int) circuit.Op {
	for {
		g := gates[rng.IntN(len(gates))]
		vals := make([]float64, len(g.Params))
		for i := range vals {
			vals[i] = float64(rng.IntN(9)-4) * math.Pi / 2
		}
		if !g.IsClifford(vals) {
			continue
		}
		op := circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: rng.Perm(nq)[:g.Qubits]}
		for _, v := range vals {
			op.Params = append(op.Params, circuit.Const(v))
		}
		return op
	}
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// errOf returns the error of a (value, error) pair.
func errOf[T any](_ T, err error) error { return err }

// newCircuit returns a circuit with register q[nq] and, if nc > 0, c[nc].
func newCircuit(t testing.TB, nq, nc int) *circuit.Circuit {
	t.Helper()
	c := &circuit.Circuit{}
	check(t, errOf(c.AddQReg("q", nq)))
	if nc > 0 {
		check(t, errOf(c.AddCReg("c", nc)))
	}
	return c
}

// add appends table gate name with constant params on qubits.
func add(t testing.TB, c *circuit.Circuit, name string, params []float64, qubits ...int) {
	t.Helper()
	g, ok := gate.Lookup(name)
	if !ok {
		t.Fatalf("no gate %s", name)
	}
	op := circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: qubits}
	for _, p := range params {
		op.Params = append(op.Params, circuit.Const(p))
	}
	if err := c.Append(op); err != nil {
		t.Fatal(err)
	}
}

func measure(t testing.TB, c *circuit.Circuit, q, b int) {
	t.Helper()
	if err := c.Append(circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{b}}); err != nil {
		t.Fatal(err)
	}
}

// describe lists a circuit's ops for failure messages.
func describe(c *circuit.Circuit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "circuit (%v):\n", c)
	for _, op := range c.Ops {
		fmt.Fprintf(&b, "  %s %s%v q%v c%v", op.Kind, op.Name, op.Params, op.Qubits, op.Clbits)
		if op.Cond != nil {
			fmt.Fprintf(&b, " if c%d==%v", op.Cond.CReg, op.Cond.Value)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
