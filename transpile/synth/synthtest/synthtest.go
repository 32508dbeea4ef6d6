// Package synthtest holds helpers shared by the tests of the transpiler's
// synthesis and optimisation passes: seeded random circuits over the whole
// gate table, and a unitary-equivalence check against sim/ref.
package synthtest

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim/ref"
)

// Gates returns the table gates on at most maxQubits qubits, sorted by
// name, without the spec built-ins U and CX (they duplicate u and cx).
func Gates(maxQubits int) []*gate.Gate {
	var out []*gate.Gate
	for _, g := range gate.All() {
		if g.Qubits <= maxQubits && g.Name != "U" && g.Name != "CX" {
			out = append(out, g)
		}
	}
	return out
}

// RandomCircuit returns a circuit of nq qubits (one register q) with nops
// gates drawn uniformly from gates (those wider than nq are skipped), with
// random qubits and angles in (−2π, 2π).
func RandomCircuit(r *rand.Rand, nq, nops int, gates []*gate.Gate) *circuit.Circuit {
	c := &circuit.Circuit{}
	if _, err := c.AddQReg("q", nq); err != nil {
		panic(err)
	}
	for len(c.Ops) < nops {
		g := gates[r.IntN(len(gates))]
		if g.Qubits > nq {
			continue
		}
		qs := r.Perm(nq)[:g.Qubits]
		ps := make([]circuit.Param, len(g.Params))
		for i := range ps {
			ps[i] = circuit.Const((r.Float64()*2 - 1) * 2 * math.Pi)
		}
		if err := c.Append(circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Params: ps, Qubits: qs}); err != nil {
			panic(err)
		}
	}
	return c
}

// Equivalent fails t unless a and b have equal unitaries up to global
// phase (tolerance 1e-9), computed with sim/ref.
func Equivalent(t testing.TB, a, b *circuit.Circuit) {
	t.Helper()
	ua, err := ref.Unitary(a)
	if err != nil {
		t.Fatalf("unitary of input: %v", err)
	}
	ub, err := ref.Unitary(b)
	if err != nil {
		t.Fatalf("unitary of output: %v", err)
	}
	if !gate.EqualUpToPhase(ub, ua, 1e-9) {
		t.Fatalf("output unitary differs from input (%d ops in, %d out)", len(a.Ops), len(b.Ops))
	}
}

// Count returns how many ops of c act on exactly n qubits (gates only).
func Count(c *circuit.Circuit, n int) int {
	k := 0
	for _, op := range c.Ops {
		if op.Kind == circuit.GateOp && len(op.Qubits) == n {
			k++
		}
	}
	return k
}

// InBasis returns an error naming the first gate of c outside basis.
func InBasis(c *circuit.Circuit, basis []string) error {
	for i, op := range c.Ops {
		if op.Kind != circuit.GateOp {
			continue
		}
		ok := false
		for _, b := range basis {
			ok = ok || op.Name == b
		}
		if !ok {
			return fmt.Errorf("op %d: gate %s not in basis %v", i, op.Name, basis)
		}
	}
	return nil
}

// WithClassical returns a copy of c with a 2-bit register m and, after
// every op, with probability 1/8 each: a measurement of a random qubit, a
// reset, or (on the next gate) a condition m == 1; then a measurement of
// every qubit into a final register f.
func WithClassical(r *rand.Rand, c *circuit.Circuit) *circuit.Circuit {
	out := c.Clone()
	if _, err := out.AddCReg("m", 2); err != nil {
		panic(err)
	}
	f, err := out.AddCReg("f", c.NumQubits)
	if err != nil {
		panic(err)
	}
	out.Ops = out.Ops[:0]
	for _, op := range c.Clone().Ops {
		switch r.IntN(8) {
		case 0:
			out.Ops = append(out.Ops, circuit.Op{Kind: circuit.Measure, Qubits: []int{r.IntN(c.NumQubits)}, Clbits: []int{r.IntN(2)}})
		case 1:
			out.Ops = append(out.Ops, circuit.Op{Kind: circuit.Reset, Qubits: []int{r.IntN(c.NumQubits)}})
		case 2:
			op.Cond = &circuit.Condition{CReg: 0, Value: big.NewInt(1)}
		}
		out.Ops = append(out.Ops, op)
	}
	for q := 0; q < c.NumQubits; q++ {
		out.Ops = append(out.Ops, circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{f.Offset + q}})
	}
	return out
}

// SameDistribution fails t unless a and b give the same outcome
// distribution (tolerance 1e-9 per outcome) under sim/ref.
func SameDistribution(t testing.TB, a, b *circuit.Circuit) {
	t.Helper()
	da, err := ref.Distribution(a)
	if err != nil {
		t.Fatalf("distribution of input: %v", err)
	}
	db, err := ref.Distribution(b)
	if err != nil {
		t.Fatalf("distribution of output: %v", err)
	}
	for k, p := range da {
		if math.Abs(p-db[k]) > 1e-9 {
			t.Fatalf("outcome %s: output probability %g, input %g", k, db[k], p)
		}
	}
	for k, p := range db {
		if _, ok := da[k]; !ok && p > 1e-9 {
			t.Fatalf("outcome %s: output probability %g, input 0", k, p)
		}
	}
}
