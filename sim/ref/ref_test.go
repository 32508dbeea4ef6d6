package ref_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"math/cmplx"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/ref"
	"github.com/qluster/qluster/sim/simtest"
)

// opSpec describes one op for build.
type opSpec struct {
	kind   circuit.OpKind
	name   string
	qubits []int
	clbits []int
	params []float64
	cond   int // condition c == cond-1 when > 0
}

// build makes a circuit of nq qubits (register q) and nc clbits (register c)
// from ops.
func build(t *testing.T, nq, nc int, ops ...opSpec) *circuit.Circuit {
	t.Helper()
	c := &circuit.Circuit{}
	if _, err := c.AddQReg("q", nq); err != nil {
		t.Fatal(err)
	}
	if nc > 0 {
		if _, err := c.AddCReg("c", nc); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range ops {
		op := circuit.Op{Kind: s.kind, Name: s.name, Qubits: s.qubits, Clbits: s.clbits}
		if s.kind == circuit.GateOp {
			g, ok := gate.Lookup(s.name)
			if !ok {
				t.Fatalf("no gate %s", s.name)
			}
			op.Gate = g
			for _, p := range s.params {
				op.Params = append(op.Params, circuit.Const(p))
			}
		}
		if s.cond > 0 {
			op.Cond = &circuit.Condition{CReg: 0, Value: bigInt(s.cond - 1)}
		}
		if err := c.Append(op); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func g(name string, qubits ...int) opSpec {
	return opSpec{kind: circuit.GateOp, name: name, qubits: qubits}
}
func measure(q, b int) opSpec {
	return opSpec{kind: circuit.Measure, qubits: []int{q}, clbits: []int{b}}
}
func reset(q int) opSpec { return opSpec{kind: circuit.Reset, qubits: []int{q}} }

func TestUnitaryOfCX(t *testing.T) {
	// Qiskit's Operator(CXGate()) with control q0: |01⟩ ↔ |11⟩ in
	// little-endian labels, i.e. basis indices 1 and 3 swap.
	want := gate.Matrix{
		1, 0, 0, 0,
		0, 0, 0, 1,
		0, 0, 1, 0,
		0, 1, 0, 0,
	}
	for _, tc := range []struct {
		name string
		c    *circuit.Circuit
		want gate.Matrix
	}{
		{"cx q0,q1", build(t, 2, 0, g("cx", 0, 1)), want},
		// Reversed arguments: control q1, so indices 2 and 3 swap.
		{"cx q1,q0", build(t, 2, 0, g("cx", 1, 0)), gate.Matrix{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0}},
		// x on q1 of 2 qubits is I⊗… : X acting on bit 1.
		{"x q1", build(t, 2, 0, g("x", 1)), gate.Matrix{0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ref.Unitary(tc.c)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestStateMatchesUnitaryColumn(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 40 {
		n := 1 + rng.IntN(5)
		c := simtest.RandomCircuit(rng, n, 1+rng.IntN(15), simtest.RandomOptions{Barrier: 0.1})
		u, err := ref.Unitary(c)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ref.State(c)
		if err != nil {
			t.Fatal(err)
		}
		d := 1 << n
		for r := range d {
			if cmplx.Abs(u[r*d]-s[r]) > 1e-12 {
				t.Fatalf("circuit %d: amplitude %d: State %v, Unitary column 0 %v", i, r, s[r], u[r*d])
			}
		}
		// Unitarity: U†U = I.
		for a := range d {
			for b := range d {
				var dot complex128
				for r := range d {
					dot += cmplx.Conj(u[r*d+a]) * u[r*d+b]
				}
				want := complex128(0)
				if a == b {
					want = 1
				}
				if cmplx.Abs(dot-want) > 1e-12 {
					t.Fatalf("circuit %d: (U†U)[%d,%d] = %v, want %v", i, a, b, dot, want)
				}
			}
		}
		// Without measurements, Distribution is |State|² over the qubits.
		dist, err := ref.Distribution(c)
		if err != nil {
			t.Fatal(err)
		}
		for r, a := range s {
			p := real(a)*real(a) + imag(a)*imag(a)
			if math.Abs(dist[circuit.QubitKey(uint64(r), n)]-p) > 1e-12 {
				t.Fatalf("circuit %d: P(%d) = %v, want %v", i, r, dist[circuit.QubitKey(uint64(r), n)], p)
			}
		}
	}
}

func TestStateMatchesQiskit(t *testing.T) {
	b, err := os.ReadFile("testdata/qiskit_states.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Qubits int
		Ops    []struct {
			Name   string
			Qubits []int
			Params []float64
		}
		State [][2]float64
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for i, tc := range cases {
		var ops []opSpec
		for _, o := range tc.Ops {
			s := g(o.Name, o.Qubits...)
			s.params = o.Params
			ops = append(ops, s)
		}
		got, err := ref.State(build(t, tc.Qubits, 0, ops...))
		if err != nil {
			t.Fatal(err)
		}
		for r, w := range tc.State {
			if cmplx.Abs(got[r]-complex(w[0], w[1])) > 1e-12 {
				t.Errorf("case %d (%d qubits): amplitude %d: got %v, Qiskit %v", i, tc.Qubits, r, got[r], complex(w[0], w[1]))
				break
			}
		}
	}
}

func TestDistribution(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *circuit.Circuit
		want map[string]float64
	}{
		{"measured plus state", build(t, 1, 1, g("h", 0), measure(0, 0)), map[string]float64{"0": 0.5, "1": 0.5}},
		{"conditional copy", build(t, 2, 2, g("h", 0), measure(0, 0),
			opSpec{kind: circuit.GateOp, name: "x", qubits: []int{1}, cond: 2}, measure(1, 1)),
			map[string]float64{"00": 0.5, "11": 0.5}},
		{"reset after x", build(t, 1, 1, g("x", 0), reset(0), measure(0, 0)), map[string]float64{"0": 1}},
		{"measure, reset, measure", build(t, 1, 2, g("h", 0), measure(0, 0), reset(0), measure(0, 1)),
			map[string]float64{"00": 0.5, "01": 0.5}},
		{"mid-circuit measure collapses", build(t, 1, 2, g("h", 0), measure(0, 0), g("h", 0), measure(0, 1)),
			map[string]float64{"00": 0.25, "01": 0.25, "10": 0.25, "11": 0.25}},
		{"reset without measure over qubits", build(t, 2, 0, g("x", 0), g("x", 1), reset(1)),
			map[string]float64{"01": 1}},
		{"unmeasured clbits stay 0", build(t, 2, 3, g("x", 1), measure(1, 1)), map[string]float64{"010": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ref.Distribution(tc.c)
			if err != nil {
				t.Fatal(err)
			}
			for k, p := range got {
				if math.Abs(p-tc.want[k]) > 1e-12 {
					t.Errorf("got %v, want %v", got, tc.want)
					return
				}
			}
			for k, p := range tc.want {
				if math.Abs(p-got[k]) > 1e-12 {
					t.Errorf("got %v, want %v", got, tc.want)
					return
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	opaque := build(t, 1, 0)
	opaque.Opaques = []circuit.Opaque{{Name: "magic", Qubits: 1}}
	if err := opaque.Append(circuit.Op{Kind: circuit.GateOp, Name: "magic", Qubits: []int{0}}); err != nil {
		t.Fatal(err)
	}
	wide := build(t, ref.MaxQubits+1, 0)
	measured := build(t, 1, 1, measure(0, 0))
	for _, tc := range []struct {
		name string
		fn   func() error
		want error
	}{
		{"opaque gate in State", func() error { _, err := ref.State(opaque); return err }, sim.ErrUnsupported},
		{"opaque gate in Distribution", func() error { _, err := ref.Distribution(opaque); return err }, sim.ErrUnsupported},
		{"too wide", func() error { _, err := ref.Unitary(wide); return err }, sim.ErrTooLarge},
		{"measure in Unitary", func() error { _, err := ref.Unitary(measured); return err }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.fn()
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("got %v, want an error wrapping %v", err, tc.want)
			}
		})
	}
}

func bigInt(v int) *big.Int { return big.NewInt(int64(v)) }
