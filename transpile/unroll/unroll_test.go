package unroll

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/synth/synthtest"
)

func run(t *testing.T, c *circuit.Circuit) *circuit.Circuit {
	t.Helper()
	out, err := Pass{}.Run(context.Background(), c, nil, &transpile.PropertySet{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func single(g *gate.Gate) *circuit.Circuit {
	c := &circuit.Circuit{}
	c.AddQReg("q", g.Qubits)
	qs := make([]int, g.Qubits)
	for i := range qs {
		qs[i] = i
	}
	c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: qs})
	return c
}

func TestEveryWideGateExpandsExactly(t *testing.T) {
	wantCX := map[string]int{"ccx": 6, "cswap": 8, "rccx": 3, "rc3x": 6, "rc3xdg": 6,
		"c3x": 14, "c4x": 30, "c3sqrtx": 14, "c3sqrtxdg": 14}
	for _, g := range gate.All() {
		if g.Qubits < 3 {
			continue
		}
		t.Run(g.Name, func(t *testing.T) {
			in := single(g)
			out := run(t, in)
			for _, op := range out.Ops {
				if len(op.Qubits) > 2 {
					t.Fatalf("got %s on %d qubits in the output", op.Name, len(op.Qubits))
				}
			}
			synthtest.Equivalent(t, in, out)
			if w, ok := wantCX[g.Name]; ok {
				if got := synthtest.Count(out, 2); got != w {
					t.Errorf("got %d two-qubit gates, want %d", got, w)
				}
			}
			t.Logf("%s: %d two-qubit gates", g.Name, synthtest.Count(out, 2))
		})
	}
}

func TestRandomCircuitsKeepTheirUnitary(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	gates := synthtest.Gates(5)
	for i := 0; i < 40; i++ {
		in := synthtest.RandomCircuit(r, 2+r.IntN(5), 25, gates)
		out := run(t, in)
		synthtest.Equivalent(t, in, out)
		for _, op := range out.Ops {
			if len(op.Qubits) > 2 && op.Kind == circuit.GateOp {
				t.Fatalf("circuit %d: %s left on %d qubits", i, op.Name, len(op.Qubits))
			}
		}
	}
}

func TestConditionsAndMeasuresPreserved(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	gates := synthtest.Gates(4)
	for i := 0; i < 15; i++ {
		in := synthtest.WithClassical(r, synthtest.RandomCircuit(r, 4, 12, gates))
		out := run(t, in)
		synthtest.SameDistribution(t, in, out)
	}
}

func TestSmallCircuitsUnchanged(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	cases := map[string]*circuit.Circuit{
		"empty":          {},
		"two-qubit only": synthtest.RandomCircuit(r, 3, 30, synthtest.Gates(2)),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if out := run(t, in); !out.Equal(in) {
				t.Errorf("got %v, want the input unchanged (%v)", out, in)
			}
		})
	}
}

func TestOpaqueWideGateFails(t *testing.T) {
	c := &circuit.Circuit{Opaques: []circuit.Opaque{{Name: "mystery", Qubits: 3}}}
	c.AddQReg("q", 3)
	c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Name: "mystery", Qubits: []int{0, 1, 2}})
	if _, err := (Pass{}).Run(context.Background(), c, nil, &transpile.PropertySet{}); err == nil {
		t.Error("got no error for an opaque three-qubit gate, want one")
	}
}
