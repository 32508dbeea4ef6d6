package qasm

import (
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// roundTrip writes c, parses the text back and checks that the result is
// Equal to c and writes the same text again.
func roundTrip(t *testing.T, c *circuit.Circuit) string {
	t.Helper()
	text, err := String(c)
	if err != nil {
		t.Fatalf("String: %v", err)
	}
	d, w, err := Parse([]byte(text), Options{Name: "written"})
	if err != nil {
		t.Fatalf("re-parse: %v\ntext:\n%s", err, text)
	}
	if len(w) != 0 {
		t.Errorf("re-parse warnings: %v", w)
	}
	if !c.Equal(d) {
		t.Fatalf("round trip changed the circuit\nbefore: %s\nafter:  %s\ntext:\n%s", dumpOps(c), dumpOps(d), text)
	}
	again, err := String(d)
	if err != nil || again != text {
		t.Errorf("second write differs (err %v):\n%s\nvs\n%s", err, again, text)
	}
	return text
}

func TestQiskitFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/qiskit/*.qasm")
	if err != nil || len(files) < 10 {
		t.Fatalf("fixtures: %v (%d files); run testdata/gen_qiskit.py", err, len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".qasm")
		t.Run(name, func(t *testing.T) {
			c, w, err := ParseFile(f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(w) != 0 {
				t.Errorf("warnings: %v", w)
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			roundTrip(t, c)
			data, err := os.ReadFile(strings.TrimSuffix(f, ".qasm") + ".unitary.json")
			if os.IsNotExist(err) {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var u struct {
				N      int
				Re, Im []float64
			}
			if err := json.Unmarshal(data, &u); err != nil {
				t.Fatal(err)
			}
			want := make(gate.Matrix, len(u.Re))
			for i := range want {
				want[i] = complex(u.Re[i], u.Im[i])
			}
			if d := phaseDistance(want, unitary(t, c)); d > 1e-9 {
				t.Errorf("unitary differs from Qiskit's Operator by %.3g (up to global phase)", d)
			}
		})
	}
}

func TestQiskitFixtureFacts(t *testing.T) {
	c, _, err := ParseFile("testdata/qiskit/registers_conditions.qasm", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := new(big.Int).SetString("36893488147419103235", 10) // 2^65 + 3
	found := false
	for _, op := range c.Ops {
		if op.Cond != nil && c.CRegs[op.Cond.CReg].Name == "wide" {
			found = op.Cond.Value.Cmp(want) == 0 && op.Name == "h"
		}
	}
	if !found || c.NumClbits != 73 {
		t.Errorf("wide condition: found %v, %d clbits; want h conditioned on wide == 2^65+3 and 73 clbits", found, c.NumClbits)
	}
}

func TestWriteFormat(t *testing.T) {
	src := header + "opaque magic(a) x,y;\nqreg q[3];\nqreg r[1];\ncreg c[2];\n" +
		"U(pi/2,0,-3*pi/4) q[0];\nCX q[0],q[1];\nrz(0.1) q;\nmagic(1e-7) q[0],r[0];\nmeasure q[0] -> c[1];\n" +
		"if(c==3) x r[0];\nif(c==1) measure r[0] -> c[0];\nreset q[2];\nbarrier q, r[0];\nbarrier q[1], q[0];\n"
	c, _ := mustParse(t, src, Options{})
	want := `OPENQASM 2.0;
include "qelib1.inc";
opaque magic(p0) q0,q1;
qreg q[3];
qreg r[1];
creg c[2];
U(pi/2,0,-3*pi/4) q[0];
CX q[0],q[1];
rz(0.1) q[0];
rz(0.1) q[1];
rz(0.1) q[2];
magic(1e-07) q[0],r[0];
measure q[0] -> c[1];
if(c==3) x r[0];
if(c==1) measure r[0] -> c[0];
reset q[2];
barrier q,r;
barrier q[1],q[0];
`
	if got := roundTrip(t, c); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteWithoutLibraryGates(t *testing.T) {
	// No library gate is used, so qelib1.inc is not included and a register
	// may share a name with a library gate.
	c, _ := mustParse(t, "OPENQASM 2.0;\nqreg h[2];\nU(1,2,3) h[0];\nCX h[0],h[1];", Options{})
	if got := roundTrip(t, c); strings.Contains(got, "include") {
		t.Errorf("got an include in:\n%s", got)
	}
}

func TestWriteExtraGates(t *testing.T) {
	c := &circuit.Circuit{}
	c.AddQReg("q", 4)
	for _, name := range []string{"rc3xdg", "c3sqrtxdg", "x"} {
		g, _ := gate.Lookup(name)
		qs := []int{0, 1, 2, 3}[:g.Qubits]
		if err := c.Append(circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: qs}); err != nil {
			t.Fatal(err)
		}
	}
	text, err := String(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "gate rc3xdg ") || !strings.Contains(text, "gate c3sqrtxdg ") {
		t.Fatalf("definitions missing:\n%s", text)
	}
	d, _ := mustParse(t, text, Options{})
	if dist := phaseDistance(unitary(t, c), unitary(t, d)); dist > 1e-10 {
		t.Errorf("written definitions differ from the table by %.3g", dist)
	}
}

func TestWriteErrors(t *testing.T) {
	h, _ := gate.Lookup("h")
	rz, _ := gate.Lookup("rz")
	tests := []struct {
		name  string
		build func(c *circuit.Circuit)
		want  string
	}{
		{"unbound parameter", func(c *circuit.Circuit) {
			c.Ops = append(c.Ops, circuit.Op{Gate: rz, Name: "rz", Params: []circuit.Param{circuit.Symbol("theta")}, Qubits: []int{0}})
		}, "qasm: write: op 0: parameter theta is not bound to a number"},
		{"NaN parameter", func(c *circuit.Circuit) {
			c.Ops = append(c.Ops, circuit.Op{Gate: rz, Name: "rz", Params: []circuit.Param{circuit.Const(math.NaN())}, Qubits: []int{0}})
		}, "qasm: write: op 0: parameter NaN is not a finite number"},
		{"conditioned barrier", func(c *circuit.Circuit) {
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.Barrier, Qubits: []int{0}, Cond: &circuit.Condition{CReg: 0, Value: big.NewInt(1)}})
		}, "qasm: write: op 0: a barrier cannot be conditioned in OpenQASM 2"},
		{"register name not an identifier", func(c *circuit.Circuit) { c.QRegs[0].Name = "Q" },
			`qasm: write: quantum register "Q": not an OpenQASM 2 identifier (must start with a lower-case letter)`},
		{"register name is a keyword", func(c *circuit.Circuit) { c.QRegs[0].Name = "gate" },
			`qasm: write: quantum register "gate": is a keyword`},
		{"register clashes with a used library gate", func(c *circuit.Circuit) {
			c.QRegs[0].Name = "cx"
			c.Ops = append(c.Ops, circuit.Op{Gate: h, Name: "h", Qubits: []int{0}})
		}, `qasm: write: quantum register "cx" clashes with the qelib1.inc gate of that name`},
		{"duplicate register names", func(c *circuit.Circuit) { c.CRegs[0].Name = "q" },
			`qasm: write: classical register "q": name already used by quantum register`},
		{"undeclared opaque gate", func(c *circuit.Circuit) {
			c.Ops = append(c.Ops, circuit.Op{Name: "mystery", Qubits: []int{0}})
		}, `qasm: write: op 0: gate "mystery" is neither a table gate nor declared opaque`},
		{"qubit outside the registers", func(c *circuit.Circuit) { c.NumQubits = 3 },
			"qasm: write: registers cover 2 of 3 qubits"},
		{"qubit index out of range", func(c *circuit.Circuit) {
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.Reset, Qubits: []int{7}})
		}, "qasm: write: op 0: qubit 7 out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &circuit.Circuit{}
			c.AddQReg("q", 2)
			c.AddCReg("c", 1)
			tt.build(c)
			_, err := String(c)
			if err == nil || err.Error() != tt.want {
				t.Errorf("\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

// randomParam returns values that stress the number format: multiples of pi,
// tiny, huge, negative zero and arbitrary doubles.
func randomParam(rng *rand.Rand) float64 {
	switch rng.IntN(8) {
	case 0:
		return float64(rng.IntN(33)-16) * math.Pi / float64(1+rng.IntN(64))
	case 1:
		return math.Copysign(0, -1)
	case 2:
		return math.Float64frombits(rng.Uint64()&^(0x7ff<<52) | uint64(rng.IntN(2000)+24)<<52)
	case 3:
		return (rng.Float64() - 0.5) * 1e-300
	case 4:
		return float64(rng.IntN(1000) - 500)
	default:
		return (rng.Float64() - 0.5) * 20
	}
}

// randomCircuit builds a circuit directly from the gate table's QASM 2 gates,
// with measures, resets, barriers, conditions and opaque gates.
func randomCircuit(rng *rand.Rand) *circuit.Circuit {
	var gates []*gate.Gate
	for _, g := range gate.All() {
		if g.QASM2 {
			gates = append(gates, g)
		}
	}
	c := &circuit.Circuit{}
	for i, n := 0, 1+rng.IntN(3); i < n; i++ {
		c.AddQReg("q"+strconv.Itoa(i), 1+rng.IntN(4))
	}
	for i, n := 0, rng.IntN(3); i < n; i++ {
		size := 1 + rng.IntN(3)
		if rng.IntN(4) == 0 {
			size = 65 + rng.IntN(70)
		}
		c.AddCReg("c"+strconv.Itoa(i), size)
	}
	if rng.IntN(2) == 0 {
		c.Opaques = append(c.Opaques, circuit.Opaque{Name: "oq", Params: rng.IntN(3), Qubits: 1 + rng.IntN(min(2, c.NumQubits))})
	}
	perm := func(k int) []int { return rng.Perm(c.NumQubits)[:k] }
	for i, n := 0, rng.IntN(40); i < n; i++ {
		var op circuit.Op
		switch r := rng.IntN(10); {
		case r == 0 && c.NumClbits > 0:
			op = circuit.Op{Kind: circuit.Measure, Qubits: perm(1), Clbits: []int{rng.IntN(c.NumClbits)}}
		case r == 1:
			op = circuit.Op{Kind: circuit.Reset, Qubits: perm(1)}
		case r == 2:
			op = circuit.Op{Kind: circuit.Barrier, Qubits: perm(1 + rng.IntN(c.NumQubits))}
		case r == 3 && len(c.Opaques) > 0:
			o := c.Opaques[0]
			op = circuit.Op{Name: o.Name, Qubits: perm(o.Qubits)}
			for j := 0; j < o.Params; j++ {
				op.Params = append(op.Params, circuit.Const(randomParam(rng)))
			}
		default:
			g := gates[rng.IntN(len(gates))]
			if g.Qubits > c.NumQubits {
				continue
			}
			op = circuit.Op{Gate: g, Name: g.Name, Qubits: perm(g.Qubits)}
			for range g.Params {
				op.Params = append(op.Params, circuit.Const(randomParam(rng)))
			}
		}
		if op.Kind != circuit.Barrier && len(c.CRegs) > 0 && rng.IntN(4) == 0 {
			r := rng.IntN(len(c.CRegs))
			v := new(big.Int)
			for b := 0; b < c.CRegs[r].Size; b++ {
				v.SetBit(v, b, uint(rng.IntN(2)))
			}
			op.Cond = &circuit.Condition{CReg: r, Value: v}
		}
		c.Ops = append(c.Ops, op)
	}
	return c
}

func TestRoundTripRandomCircuits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 300; i++ {
		c := randomCircuit(rng)
		if err := c.Validate(); err != nil {
			t.Fatalf("circuit %d: invalid test circuit: %v", i, err)
		}
		roundTrip(t, c)
	}
}
