package circuit

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/qluster/qluster/gate"
)

func mustGate(t *testing.T, name string) *gate.Gate {
	t.Helper()
	g, ok := gate.Lookup(name)
	if !ok {
		t.Fatalf("no gate %s", name)
	}
	return g
}

func twoRegs(t *testing.T) *Circuit {
	t.Helper()
	c := &Circuit{}
	for _, r := range []struct {
		name  string
		size  int
		quant bool
	}{{"q", 3, true}, {"a", 2, false}, {"b", 3, false}} {
		var err error
		if r.quant {
			_, err = c.AddQReg(r.name, r.size)
		} else {
			_, err = c.AddCReg(r.name, r.size)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestKeyUsesQiskitOrder(t *testing.T) {
	c := twoRegs(t) // a = clbits 0,1; b = clbits 2,3,4
	tests := []struct {
		set  []int
		want string
	}{
		{nil, "000 00"},
		{[]int{0}, "000 01"},
		{[]int{1}, "000 10"},
		{[]int{2}, "001 00"},
		{[]int{4}, "100 00"},
		{[]int{0, 4}, "100 01"},
	}
	for _, tt := range tests {
		b := NewBits(c.NumClbits)
		for _, i := range tt.set {
			b.Set(i, true)
		}
		if got := c.Key(b); got != tt.want {
			t.Errorf("Key(%v) = %q, want %q", tt.set, got, tt.want)
		}
	}
	if got := QubitKey(0b011, 4); got != "0011" {
		t.Errorf("QubitKey(3, 4) = %q, want 0011", got)
	}
}

func TestRegValueBeyond64Bits(t *testing.T) {
	c := &Circuit{}
	if _, err := c.AddCReg("wide", 100); err != nil {
		t.Fatal(err)
	}
	b := NewBits(100)
	b.Set(99, true)
	b.Set(0, true)
	want := new(big.Int).Lsh(big.NewInt(1), 99)
	want.SetBit(want, 0, 1)
	if got := c.RegValue(0, b); got.Cmp(want) != 0 {
		t.Errorf("RegValue = %v, want %v", got, want)
	}
	op := &Op{Cond: &Condition{CReg: 0, Value: want}}
	if !c.CondHolds(op, b) {
		t.Error("condition on 2^99+1 does not hold")
	}
	b.Set(0, false)
	if c.CondHolds(op, b) {
		t.Error("condition holds for a different value")
	}
}

func TestFormatFloatRoundTrips(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{math.Pi, "pi"},
		{-math.Pi, "-pi"},
		{math.Pi / 2, "pi/2"},
		{3 * math.Pi / 4, "3*pi/4"},
		{-math.Pi / 8, "-pi/8"},
		{0.5, "0.5"},
		{0, "0"},
		{1e-300, "1e-300"},
		{0.1, "0.1"},
	}
	for _, tt := range tests {
		if got := FormatFloat(tt.v); got != tt.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
	// Every output evaluates back to the same float64 (pi forms as
	// p*pi/q left to right).
	for i := -2000; i <= 2000; i++ {
		v := float64(i) * 0.0123456789
		if back := evalPiForm(t, FormatFloat(v)); back != v {
			t.Fatalf("FormatFloat(%v) = %q evaluates to %v", v, FormatFloat(v), back)
		}
	}
}

func evalPiForm(t *testing.T, s string) float64 {
	t.Helper()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if !strings.Contains(s, "pi") {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		if neg {
			v = -v
		}
		return v
	}
	v := math.Pi
	num, den, _ := strings.Cut(s, "/")
	if p, ok := strings.CutSuffix(num, "*pi"); ok {
		f, _ := strconv.ParseFloat(p, 64)
		v = f * math.Pi
	}
	if den != "" {
		q, _ := strconv.Atoi(den)
		v /= float64(q)
	}
	if neg {
		v = -v
	}
	return v
}

func TestValidateRejects(t *testing.T) {
	h, cx := mustGate(t, "h"), mustGate(t, "cx")
	tests := []struct {
		name string
		op   Op
		want string
	}{
		{"qubit out of range", Op{Kind: GateOp, Gate: h, Name: "h", Qubits: []int{3}}, "qubit 3 out of range"},
		{"wrong arity", Op{Kind: GateOp, Gate: cx, Name: "cx", Qubits: []int{0}}, "takes 0 parameters and 2 qubits"},
		{"repeated qubit", Op{Kind: GateOp, Gate: cx, Name: "cx", Qubits: []int{1, 1}}, "repeated qubit"},
		{"clbit out of range", Op{Kind: Measure, Qubits: []int{0}, Clbits: []int{9}}, "clbit 9 out of range"},
		{"unknown opaque", Op{Kind: GateOp, Name: "magic", Qubits: []int{0}}, "not declared opaque"},
		{"bad condition register", Op{Kind: GateOp, Gate: h, Name: "h", Qubits: []int{0}, Cond: &Condition{CReg: 5, Value: big.NewInt(1)}}, "condition register 5"},
		{"negative condition", Op{Kind: GateOp, Gate: h, Name: "h", Qubits: []int{0}, Cond: &Condition{CReg: 0, Value: big.NewInt(-1)}}, "non-negative"},
		{"reset with clbit", Op{Kind: Reset, Qubits: []int{0}, Clbits: []int{0}}, "reset takes one qubit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := twoRegs(t)
			err := c.Append(tt.op)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Append: got %v, want error containing %q", err, tt.want)
			}
		})
	}
	c := twoRegs(t)
	if _, err := c.AddQReg("a", 1); err == nil {
		t.Error("duplicate register name accepted")
	}
	if _, err := c.AddCReg("z", 0); err == nil {
		t.Error("empty register accepted")
	}
	wide := make([]int, 100)
	for i := range wide {
		wide[i] = i
	}
	wide[99] = 0
	if distinct(wide) {
		t.Error("distinct missed a repeat in a wide op")
	}
}

func TestInverseAndEqual(t *testing.T) {
	c := twoRegs(t)
	ops := []Op{
		{Kind: GateOp, Gate: mustGate(t, "h"), Name: "h", Qubits: []int{0}},
		{Kind: GateOp, Gate: mustGate(t, "rz"), Name: "rz", Params: []Param{Const(0.3)}, Qubits: []int{1}},
		{Kind: Barrier, Qubits: []int{0, 1, 2}},
		{Kind: GateOp, Gate: mustGate(t, "s"), Name: "s", Qubits: []int{2}},
	}
	for _, op := range ops {
		if err := c.Append(op); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := c.Inverse()
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, op := range inv.Ops {
		got = append(got, op.Kind.String()+":"+op.Name)
	}
	if want := "gate:sdg barrier: gate:rz gate:h"; strings.Join(got, " ") != want {
		t.Errorf("inverse ops = %v", got)
	}
	if v, _ := inv.Ops[2].Params[0].Value(); v != -0.3 {
		t.Errorf("inverse rz angle = %v, want -0.3", v)
	}
	twice, _ := inv.Inverse()
	if !twice.Equal(c) {
		t.Error("inverse of inverse differs from the circuit")
	}
	if c.Equal(inv) {
		t.Error("circuit equals its inverse")
	}
	c.Ops = append(c.Ops, Op{Kind: Measure, Qubits: []int{0}, Clbits: []int{0}})
	if _, err := c.Inverse(); err == nil {
		t.Error("inverse of a measurement succeeded")
	}
}

func TestTerminalMeasurements(t *testing.T) {
	h := mustGate(t, "h")
	gateOn := func(q int) Op { return Op{Kind: GateOp, Gate: h, Name: "h", Qubits: []int{q}} }
	measure := func(q, b int) Op { return Op{Kind: Measure, Qubits: []int{q}, Clbits: []int{b}} }
	tests := []struct {
		name string
		ops  []Op
		want bool
	}{
		{"no measurement", []Op{gateOn(0)}, true},
		{"measure at end", []Op{gateOn(0), measure(0, 0), measure(1, 1)}, true},
		{"gate on another qubit after measure", []Op{measure(0, 0), gateOn(1)}, true},
		{"gate after measure", []Op{measure(0, 0), gateOn(0)}, false},
		{"reset", []Op{{Kind: Reset, Qubits: []int{0}}}, false},
		{"condition", []Op{{Kind: GateOp, Gate: h, Name: "h", Qubits: []int{0}, Cond: &Condition{Value: big.NewInt(0)}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := twoRegs(t)
			c.Ops = tt.ops
			if got, _ := c.TerminalMeasurements(); got != tt.want {
				t.Errorf("TerminalMeasurements = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSymbolicParams(t *testing.T) {
	p := FromExpr(Binary{Op: '*', X: Num{V: 2}, Y: Sym{Name: "theta"}})
	if _, ok := p.Value(); ok {
		t.Fatal("unbound parameter has a value")
	}
	c := twoRegs(t)
	c.Ops = []Op{{Kind: GateOp, Gate: mustGate(t, "rz"), Name: "rz", Params: []Param{p}, Qubits: []int{0}}}
	if c.Bound() || strings.Join(c.Symbols(), ",") != "theta" {
		t.Fatalf("Bound = %v, Symbols = %v", c.Bound(), c.Symbols())
	}
	b := c.Bind(map[string]float64{"theta": 0.25})
	if v, ok := b.Ops[0].Params[0].Value(); !ok || v != 0.5 || !b.Bound() {
		t.Errorf("bound value = %v, %v", v, ok)
	}
	if !c.Ops[0].Params[0].Equal(p) || c.Bound() {
		t.Error("Bind changed the original circuit")
	}
	if got := p.String(); got != "(2*theta)" {
		t.Errorf("String = %q", got)
	}
	sq := FromExpr(Call{Fn: "sqrt", X: Num{V: 4}})
	if v, ok := sq.Value(); !ok || v != 2 {
		t.Errorf("sqrt(4) = %v", v)
	}
}
