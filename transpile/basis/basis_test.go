package basis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/synth/synthtest"
)

var bases = [][]string{
	{"cz", "rx", "ry", "rz", "h"},
	{"cx", "u3"},
	{"cz", "sx", "rz"},
	{"cx", "rz", "sx", "x"},
	{"cz", "rz", "sx", "x"},
	{"cx", "u1", "u2", "u3"},
	{"cz", "rx", "rz"},
}

func translate(t *testing.T, c *circuit.Circuit, basis []string) *circuit.Circuit {
	t.Helper()
	out, err := Translate{}.Run(context.Background(), c, &device.Device{Basis: basis}, &transpile.PropertySet{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTranslateRandomCircuits(t *testing.T) {
	gates := synthtest.Gates(5)
	for _, basis := range bases {
		t.Run(fmt.Sprint(basis), func(t *testing.T) {
			r := rand.New(rand.NewPCG(31, 32))
			for i := 0; i < 25; i++ {
				in := synthtest.RandomCircuit(r, 1+r.IntN(6), 20, gates)
				out := translate(t, in, basis)
				if err := synthtest.InBasis(out, basis); err != nil {
					t.Fatalf("circuit %d: %v", i, err)
				}
				synthtest.Equivalent(t, in, out)
			}
		})
	}
}

func TestTranslateKnownCounts(t *testing.T) {
	cases := []struct {
		gate  string
		basis []string
		want  int
	}{
		{"cx", []string{"cz", "rz", "sx"}, 1},
		{"cz", []string{"cx", "u3"}, 1},
		{"swap", []string{"cx", "u3"}, 3},
		{"swap", []string{"cz", "rz", "sx"}, 3},
		{"cy", []string{"cz", "rz", "sx"}, 1},
		{"ch", []string{"cx", "u3"}, 1},
		{"crz", []string{"cx", "u3"}, 2},
		{"ccx", []string{"cx", "u3"}, 6},
	}
	for _, c := range cases {
		t.Run(c.gate+" into "+fmt.Sprint(c.basis), func(t *testing.T) {
			in := single(mustGate(c.gate))
			out := translate(t, in, c.basis)
			if got := synthtest.Count(out, 2); got != c.want {
				t.Errorf("got %d two-qubit gates, want %d", got, c.want)
			}
			synthtest.Equivalent(t, in, out)
		})
	}
}

func mustGate(name string) *gate.Gate {
	g, ok := gate.Lookup(name)
	if !ok {
		panic("no gate " + name)
	}
	return g
}

// single is a circuit holding one g on qubits 0…n−1 with parameters 0.3, 0.5, ….
func single(g *gate.Gate) *circuit.Circuit {
	c := &circuit.Circuit{}
	c.AddQReg("q", g.Qubits)
	qs := make([]int, g.Qubits)
	for i := range qs {
		qs[i] = i
	}
	ps := make([]circuit.Param, len(g.Params))
	for i := range ps {
		ps[i] = circuit.Const(0.3 + 0.2*float64(i))
	}
	c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Params: ps, Qubits: qs})
	return c
}

func TestNativeCircuitUnchanged(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	basis := []string{"cx", "rz", "sx", "x"}
	var native []*circuit.Circuit
	gates := synthtest.Gates(2)
	var keep = gates[:0:0]
	for _, g := range gates {
		for _, b := range basis {
			if g.Name == b {
				keep = append(keep, g)
			}
		}
	}
	native = append(native, &circuit.Circuit{}, synthtest.RandomCircuit(r, 4, 40, keep))
	sym := synthtest.RandomCircuit(r, 2, 0, keep)
	sym.Ops = append(sym.Ops, circuit.Op{Kind: circuit.GateOp, Gate: mustGate("rz"), Name: "rz",
		Params: []circuit.Param{circuit.Symbol("theta")}, Qubits: []int{0}})
	native = append(native, sym)
	for i, in := range native {
		if out := translate(t, in, basis); !out.Equal(in) {
			t.Errorf("circuit %d: got a changed circuit, want it unchanged", i)
		}
	}
}

func TestConditionsAndMeasuresPreserved(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 36))
	gates := synthtest.Gates(3)
	for i := 0; i < 15; i++ {
		in := synthtest.WithClassical(r, synthtest.RandomCircuit(r, 3, 12, gates))
		out := translate(t, in, []string{"cz", "rz", "sx", "x"})
		synthtest.SameDistribution(t, in, out)
		if err := synthtest.InBasis(out, []string{"cz", "rz", "sx", "x"}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTranslateFails(t *testing.T) {
	r := rand.New(rand.NewPCG(37, 38))
	in := synthtest.RandomCircuit(r, 2, 0, synthtest.Gates(2))
	in.Ops = append(in.Ops, circuit.Op{Kind: circuit.GateOp, Gate: mustGate("crx"), Name: "crx",
		Params: []circuit.Param{circuit.Const(0.3)}, Qubits: []int{0, 1}})
	cases := []struct {
		name   string
		target *device.Device
	}{
		{"nil target", nil},
		{"no entangler", &device.Device{Basis: []string{"rz", "sx"}}},
		{"one-qubit basis too small", &device.Device{Basis: []string{"cx", "h", "s"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := (Translate{}).Run(context.Background(), in, c.target, &transpile.PropertySet{}); err == nil {
				t.Error("got no error, want one")
			}
		})
	}
}
