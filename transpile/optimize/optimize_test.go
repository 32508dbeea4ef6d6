package optimize

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/basis"
	"github.com/qluster/qluster/transpile/synth/synthtest"
)

var passes = []transpile.Pass{CancelInverses{}, Merge1Q{}, CommutationCancel{}, Resynth2Q{}}

var targets = []*device.Device{
	{Basis: []string{"cz", "rx", "ry", "rz", "h"}},
	{Basis: []string{"cx", "u3"}},
	{Basis: []string{"cz", "sx", "rz"}},
	{Basis: []string{"cx", "rz", "sx", "x"}},
}

func mustGate(name string) *gate.Gate {
	g, ok := gate.Lookup(name)
	if !ok {
		panic("no gate " + name)
	}
	return g
}

// cliffordT is a gate set dense in cancellation opportunities.
func cliffordT() []*gate.Gate {
	var out []*gate.Gate
	for _, n := range []string{"h", "x", "z", "s", "sdg", "t", "tdg", "sx", "rz", "rx", "cx", "cz", "swap", "cp"} {
		out = append(out, mustGate(n))
	}
	return out
}

func runPass(t *testing.T, p transpile.Pass, c *circuit.Circuit, d *device.Device) *circuit.Circuit {
	t.Helper()
	out, err := p.Run(context.Background(), c, d, &transpile.PropertySet{})
	if err != nil {
		t.Fatalf("%s: %v", p.Name(), err)
	}
	return out
}

func TestPassesKeepTheUnitary(t *testing.T) {
	for _, p := range passes {
		for _, d := range targets {
			t.Run(fmt.Sprintf("%s %v", p.Name(), d.Basis), func(t *testing.T) {
				r := rand.New(rand.NewPCG(41, 42))
				for i := 0; i < 30; i++ {
					gates := synthtest.Gates(5)
					if i%2 == 0 {
						gates = cliffordT()
					}
					in := synthtest.RandomCircuit(r, 1+r.IntN(6), 40, gates)
					out := runPass(t, p, in, d)
					synthtest.Equivalent(t, in, out)
					if again := runPass(t, p, in, d); !again.Equal(out) {
						t.Fatalf("circuit %d: two runs differ", i)
					}
				}
			})
		}
	}
}

func TestPassesOnTranslatedCircuitsStayInBasis(t *testing.T) {
	for _, d := range targets {
		t.Run(fmt.Sprint(d.Basis), func(t *testing.T) {
			r := rand.New(rand.NewPCG(43, 44))
			for i := 0; i < 15; i++ {
				in := synthtest.RandomCircuit(r, 2+r.IntN(4), 30, cliffordT())
				c, err := basis.Translate{}.Run(context.Background(), in, d, &transpile.PropertySet{})
				if err != nil {
					t.Fatal(err)
				}
				before := synthtest.Count(c, 2)
				for _, p := range passes {
					c = runPass(t, p, c, d)
				}
				if err := synthtest.InBasis(c, d.Basis); err != nil {
					t.Fatalf("circuit %d: %v", i, err)
				}
				if after := synthtest.Count(c, 2); after > before {
					t.Fatalf("circuit %d: two-qubit gates grew from %d to %d", i, before, after)
				}
				synthtest.Equivalent(t, in, c)
			}
		})
	}
}

func TestPassesKeepClassicalOps(t *testing.T) {
	for _, p := range passes {
		t.Run(p.Name(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(45, 46))
			for i := 0; i < 12; i++ {
				in := synthtest.WithClassical(r, synthtest.RandomCircuit(r, 3, 16, cliffordT()))
				out := runPass(t, p, in, targets[2])
				synthtest.SameDistribution(t, in, out)
				if got, want := classical(out), classical(in); got != want {
					t.Fatalf("circuit %d: got %d measure/reset/conditioned ops, want %d", i, got, want)
				}
			}
		})
	}
}

func classical(c *circuit.Circuit) int {
	n := 0
	for _, op := range c.Ops {
		if op.Kind != circuit.GateOp || op.Cond != nil {
			n++
		}
	}
	return n
}

// build makes a circuit from "name q…" or "name(angle) q…" specs.
func build(nq int, specs ...string) *circuit.Circuit {
	c := &circuit.Circuit{}
	c.AddQReg("q", nq)
	for _, s := range specs {
		var name string
		var qs []int
		var ps []circuit.Param
		var a, b int
		var angle float64
		switch {
		case s == "barrier":
			qs := make([]int, nq)
			for i := range qs {
				qs[i] = i
			}
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.Barrier, Qubits: qs})
			continue
		case scan(s, "%s %d %d", &name, &a, &b):
			qs = []int{a, b}
		case scan(s, "%s %d", &name, &a):
			qs = []int{a}
		}
		if n, err := fmt.Sscanf(name, "rz(%g)", &angle); n == 1 && err == nil {
			name, ps = "rz", []circuit.Param{circuit.Const(angle)}
		}
		g := mustGate(name)
		c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Params: ps, Qubits: qs})
	}
	return c
}

func scan(s, format string, args ...any) bool {
	n, err := fmt.Sscanf(s, format, args...)
	return err == nil && n == len(args)
}

func TestKnownReductions(t *testing.T) {
	d := &device.Device{Basis: []string{"cx", "rz", "sx", "x"}}
	cases := []struct {
		name string
		pass transpile.Pass
		in   *circuit.Circuit
		want int // ops left
	}{
		{"h h cancels", CancelInverses{}, build(1, "h 0", "h 0"), 0},
		{"nested pairs cancel", CancelInverses{}, build(2, "h 0", "cx 0 1", "cx 0 1", "h 0"), 0},
		{"s sdg cancels", CancelInverses{}, build(1, "s 0", "sdg 0"), 0},
		{"swap cancels reversed", CancelInverses{}, build(2, "swap 0 1", "swap 1 0"), 0},
		{"cx reversed does not cancel", CancelInverses{}, build(2, "cx 0 1", "cx 1 0"), 2},
		{"barrier blocks", CancelInverses{}, build(1, "h 0", "barrier", "h 0"), 3},
		{"rz run merges", Merge1Q{}, build(1, "rz(0.25) 0", "rz(0.5) 0", "t 0"), 1},
		{"identity run vanishes", Merge1Q{}, build(1, "h 0", "s 0", "s 0", "h 0", "x 0"), 0},
		{"native single gate kept", Merge1Q{}, build(1, "sx 0"), 1},
		{"rz through cx control", CommutationCancel{}, build(2, "rz(0.3) 0", "cx 0 1", "rz(-0.3) 0"), 1},
		{"x through cx target", CommutationCancel{}, build(2, "x 1", "cx 0 1", "x 1"), 1},
		{"cx cx around control rz", CommutationCancel{}, build(2, "cx 0 1", "rz(0.7) 0", "cx 0 1"), 1},
		{"no cancel through target rz", CommutationCancel{}, build(2, "rz(0.3) 1", "cx 0 1", "rz(-0.3) 1"), 3},
		{"cz diagonal merge", CommutationCancel{}, build(2, "t 1", "cz 0 1", "t 1"), 2},
		{"four cx block to at most three", Resynth2Q{}, build(2, "cx 0 1", "h 0", "cx 1 0", "t 1", "cx 0 1", "s 0", "cx 1 0"), -3},
		{"cx pair with 1q to fewer", Resynth2Q{}, build(2, "cx 0 1", "rz(0.4) 0", "cx 0 1"), -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := runPass(t, c.pass, c.in, d)
			synthtest.Equivalent(t, c.in, out)
			if c.want >= 0 && len(out.Ops) != c.want {
				t.Errorf("got %d ops, want %d", len(out.Ops), c.want)
			}
			if c.want < 0 && synthtest.Count(out, 2) > -c.want {
				t.Errorf("got %d two-qubit gates, want at most %d", synthtest.Count(out, 2), -c.want)
			}
		})
	}
}

func TestEmptyCircuit(t *testing.T) {
	for _, p := range passes {
		out := runPass(t, p, &circuit.Circuit{}, targets[0])
		if len(out.Ops) != 0 {
			t.Errorf("%s: got %d ops, want 0", p.Name(), len(out.Ops))
		}
	}
}

func TestNoTargetFails(t *testing.T) {
	for _, p := range []transpile.Pass{Merge1Q{}, CommutationCancel{}, Resynth2Q{}} {
		if _, err := p.Run(context.Background(), &circuit.Circuit{}, nil, &transpile.PropertySet{}); err == nil {
			t.Errorf("%s: got no error without a target", p.Name())
		}
	}
}

func TestResynthRespectsDirectedEdges(t *testing.T) {
	d := &device.Device{Basis: []string{"cx", "u3"}, Edges: []device.Edge{{A: 0, B: 1, Gate: "cx", Directed: true}}}
	in := build(2, "cx 0 1", "h 0", "cx 0 1", "t 1", "cx 0 1", "s 0", "cx 0 1", "h 1", "cx 0 1")
	out := runPass(t, Resynth2Q{}, in, d)
	synthtest.Equivalent(t, in, out)
	if n := synthtest.Count(out, 2); n > 3 {
		t.Errorf("got %d cx, want at most 3", n)
	}
	for _, op := range out.Ops {
		if op.Name == "cx" && op.Qubits[0] != 0 {
			t.Fatalf("got cx %v against the directed edge 0→1", op.Qubits)
		}
	}
}
