package qasm

import (
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

func TestParseGrammar(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"library gate on one qubit", "qreg q[2]; h q[1];", "h 1"},
		{"built-in U and CX", "qreg q[2]; U(1,2,3) q[0]; CX q[0],q[1];", "U(1,2,3) 0; CX 0,1"},
		{"parameters", "qreg q[1]; u3(0.5,-1,2) q[0]; rz(pi) q[0];", "u3(0.5,-1,2) 0; rz(3.141592653589793) 0"},
		{"empty parentheses", "qreg q[1]; x() q[0];", "x 0"},
		{"broadcast one register", "qreg q[3]; h q;", "h 0; h 1; h 2"},
		{"broadcast two registers", "qreg a[2]; qreg b[2]; cx a,b;", "cx 0,2; cx 1,3"},
		{"broadcast register with qubit", "qreg a[2]; qreg b[3]; cx a[1],b;", "cx 1,2; cx 1,3; cx 1,4"},
		{"broadcast qubit after register", "qreg a[2]; qreg b[1]; cx a,b[0];", "cx 0,2; cx 1,2"},
		{"register of size one as a whole", "qreg a[1]; qreg b[2]; cx a,b[1];", "cx 0,2"},
		{"measure bits", "qreg q[2]; creg c[2]; measure q[1] -> c[0];", "measure 1->0"},
		{"measure registers", "qreg q[2]; creg c[2]; measure q -> c;", "measure 0->0; measure 1->1"},
		{"measure into second register", "qreg q[1]; creg a[1]; creg b[2]; measure q[0] -> b[1];", "measure 0->2"},
		{"reset qubit and register", "qreg q[2]; reset q[1]; reset q;", "reset 1; reset 0; reset 1"},
		{"barrier mixed arguments", "qreg a[2]; qreg b[2]; barrier a, b[1];", "barrier 0,1,3"},
		{"barrier drops repeated qubits", "qreg a[2]; barrier a[1], a, a[0];", "barrier 1,0"},
		{"if on a gate", "qreg q[1]; creg c[2]; if(c==3) x q[0];", "if(c0==3) x 0"},
		{"if with spaces as Qiskit writes", "qreg q[1]; creg c[2]; if (c == 3) x q[0];", "if(c0==3) x 0"},
		{"if broadcasts", "qreg q[2]; creg c[1]; if(c==1) h q;", "if(c0==1) h 0; if(c0==1) h 1"},
		{"if on measure and reset", "qreg q[1]; creg c[1]; creg d[1]; if(d==0) measure q[0] -> c[0]; if(c==1) reset q[0];",
			"if(c1==0) measure 0->0; if(c0==1) reset 0"},
		{"opaque gate", "qreg q[2]; opaque magic(a,b) x,y; magic(1,2) q[1],q[0];", "magic(1,2) 1,0"},
		{"opaque broadcast", "qreg q[2]; opaque o x; o q;", "o 0; o 1"},
		{"user gate expands with parameters",
			"gate g(theta,phi) a,b { U(theta/2, phi+theta, -theta) a; CX a,b; rz(phi) b; }\nqreg q[2]; g(1,2) q[1],q[0];",
			"U(0.5,3,-1) 1; CX 1,0; rz(2) 0"},
		{"nested user gates",
			"gate inner(x) a { rx(2*x) a; }\ngate outer(y) a,b { inner(y+1) b; cx a,b; inner(-y) a; }\nqreg q[2]; outer(0.5) q[0],q[1];",
			"rx(3) 1; cx 0,1; rx(-1) 0"},
		{"user gate with barrier", "gate g a,b { h a; barrier a,b; h b; }\nqreg q[2]; g q[0],q[1];", "h 0; barrier 0,1; h 1"},
		{"user gate with empty parameter list", "gate g() a { x a; }\nqreg q[1]; g() q[0]; g q[0];", "x 0; x 0"},
		{"user gate with empty body", "gate nop a { }\nqreg q[1]; nop q[0]; x q[0];", "x 0"},
		{"user gate broadcast", "gate g a,b { cx a,b; }\nqreg q[2]; qreg r[2]; g q,r;", "cx 0,2; cx 1,3"},
		{"if on a user gate conditions every op and keeps barriers unconditioned",
			"gate g a,b { h a; barrier a,b; cx a,b; }\nqreg q[2]; creg c[1]; if(c==1) g q[0],q[1];",
			"if(c0==1) h 0; barrier 0,1; if(c0==1) cx 0,1"},
		{"user gate calling opaque", "opaque o(t) a;\ngate g(x) a { o(x*2) a; }\nqreg q[1]; g(1) q[0];", "o(2) 0"},
		{"gate argument names shadow global names", "gate g(h) x, q { rz(h) q; cx x, q; }\nqreg q[2]; g(1) q[0], q[1];", "rz(1) 1; cx 0,1"},
		{"gate defined before registers and used after", "gate g a { x a; }\nqreg q[1]; creg c[1]; g q[0];", "x 0"},
		{"several statements on one line", "qreg q[1]; x q[0]; y q[0];z q[0];", "x 0; y 0; z 0"},
		{"whitespace inside arguments", "qreg q [ 2 ] ; cx q [ 0 ] , q [ 1 ] ;", "cx 0,1"},
		{"block comment", "qreg q[1]; /* a\n comment */ x q[0]; /**/", "x 0"},
		{"line comment at end without newline", "qreg q[1]; x q[0]; // done", "x 0"},
		{"no operations", "qreg q[3]; creg c[3];", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := mustParse(t, header+tt.src, Options{})
			if got := dumpOps(c); got != tt.want {
				t.Errorf("ops:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestParseExpressions(t *testing.T) {
	pi := math.Pi
	tenth := 0.1 // a variable, so that 0.1+0.2 is computed in float64
	tests := []struct {
		expr string
		want float64
	}{
		{"0", 0}, {"42", 42}, {"1.5", 1.5}, {".5", 0.5}, {"5.", 5}, {"1e-3", 1e-3}, {"1E3", 1000},
		{"2.5e+2", 250}, {"1.e1", 10}, {"pi", pi}, {"-pi", -pi},
		{"-pi^2", -(pi * pi)}, {"-2^2", -4}, {"2^-1", 0.5}, {"2^3^2", 512}, {"(2^3)^2", 64},
		{"2*3^2", 18}, {"-1^0.5", -1}, {"+1", 1}, {"--1", 1}, {"2*-1", -2}, {"1+-1", 0},
		{"1-2-3", -4}, {"8/2/2", 2}, {"1+2*3", 7}, {"(1+2)*3", 9}, {"-(1+2)", -3}, {"2*pi/3", 2 * pi / 3},
		{"-3*pi/4", -3 * pi / 4}, {"sin(pi/2)", 1}, {"cos(0)", 1}, {"tan(0)", 0}, {"exp(1)", math.E},
		{"ln(exp(2))", 2}, {"sqrt(16)", 4}, {"sqrt(2)^2", math.Pow(math.Sqrt2, 2)}, {"ln(1e-300)", math.Log(1e-300)},
		{"1e-400", 0}, {"((((1))))", 1}, {"0.1+0.2", tenth + 2*tenth}, {"-0", math.Copysign(0, -1)},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			c, _ := mustParse(t, header+"qreg q[1]; rz("+tt.expr+") q[0];", Options{})
			got, _ := c.Ops[0].Params[0].Value()
			if got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
				t.Errorf("rz(%s): got %v, want %v", tt.expr, got, tt.want)
			}
		})
		t.Run(tt.expr+" in gate body", func(t *testing.T) {
			src := header + "gate g(a) x { rz(a*(" + tt.expr + ")) x; }\nqreg q[1]; g(1) q[0];"
			c, _ := mustParse(t, src, Options{})
			got, _ := c.Ops[0].Params[0].Value()
			if got != tt.want {
				t.Errorf("body rz(1*(%s)): got %v, want %v", tt.expr, got, tt.want)
			}
		})
	}
}

func TestParseTableGates(t *testing.T) {
	c, _ := mustParse(t, header+"qreg q[3]; h q[0]; U(1,2,3) q[1]; CX q[0],q[1]; cu3(1,2,3) q[0],q[2]; rz(1) q[2];", Options{})
	for _, op := range c.Ops {
		g, ok := gate.Lookup(op.Name)
		if !ok || op.Gate != g || op.Name != g.Name {
			t.Errorf("op %s: Gate %v, want table gate %v", op.Name, op.Gate, g)
		}
	}
}

func TestParseOpaqueDeclarations(t *testing.T) {
	c, _ := mustParse(t, header+"opaque a q; opaque b(x,y) p,q,r; opaque c() q; qreg q[3]; b(1,2) q[0],q[1],q[2];", Options{})
	want := []circuit.Opaque{{Name: "a", Params: 0, Qubits: 1}, {Name: "b", Params: 2, Qubits: 3}, {Name: "c", Params: 0, Qubits: 1}}
	if len(c.Opaques) != len(want) {
		t.Fatalf("Opaques: got %v, want %v", c.Opaques, want)
	}
	for i := range want {
		if c.Opaques[i] != want[i] {
			t.Errorf("Opaques[%d]: got %v, want %v", i, c.Opaques[i], want[i])
		}
	}
	if op := c.Ops[0]; op.Gate != nil || op.Name != "b" {
		t.Errorf("opaque call: got Gate %v Name %q, want nil and \"b\"", op.Gate, op.Name)
	}
}

func TestParseRegisters(t *testing.T) {
	c, _ := mustParse(t, "OPENQASM 2.0;\nqreg a[2]; creg x[3]; qreg b[1]; creg y[100];", Options{})
	wantQ := []circuit.Register{{Name: "a", Offset: 0, Size: 2}, {Name: "b", Offset: 2, Size: 1}}
	wantC := []circuit.Register{{Name: "x", Offset: 0, Size: 3}, {Name: "y", Offset: 3, Size: 100}}
	if c.NumQubits != 3 || c.NumClbits != 103 {
		t.Errorf("sizes: got %d qubits %d clbits, want 3 and 103", c.NumQubits, c.NumClbits)
	}
	for i, r := range wantQ {
		if c.QRegs[i] != r {
			t.Errorf("QRegs[%d]: got %v, want %v", i, c.QRegs[i], r)
		}
	}
	for i, r := range wantC {
		if c.CRegs[i] != r {
			t.Errorf("CRegs[%d]: got %v, want %v", i, c.CRegs[i], r)
		}
	}
}

func TestParseWideCondition(t *testing.T) {
	v := "1267650600228229401496703205375" // 2^100 - 1
	c, w := mustParse(t, header+"qreg q[1]; creg c[100]; if(c=="+v+") x q[0];", Options{})
	want, _ := new(big.Int).SetString(v, 10)
	if got := c.Ops[0].Cond; got == nil || got.CReg != 0 || got.Value.Cmp(want) != 0 {
		t.Errorf("condition: got %v, want c0 == %s", got, v)
	}
	if len(w) != 0 {
		t.Errorf("warnings: got %v, want none", w)
	}
}

func TestParsePositions(t *testing.T) {
	src := "OPENQASM 2.0;\r\ninclude \"qelib1.inc\";\r\ngate g a { h a; x a; }\r\nqreg q[2];\r\n\th q[0];  cx q[0],q[1];\r\n  g q;\r\n"
	c, _ := mustParse(t, src, Options{})
	type pos struct{ line, col int }
	want := []pos{{5, 2}, {5, 11}, {6, 3}, {6, 3}, {6, 3}, {6, 3}}
	if len(c.Ops) != len(want) {
		t.Fatalf("got %d ops, want %d", len(c.Ops), len(want))
	}
	for i, w := range want {
		if got := (pos{c.Ops[i].Line, c.Ops[i].Col}); got != w {
			t.Errorf("op %d (%s): got %d:%d, want %d:%d", i, dumpOp(&c.Ops[i]), got.line, got.col, w.line, w.col)
		}
	}
}

func TestParseByteOrderMark(t *testing.T) {
	c, w := mustParse(t, "\xef\xbb\xbfOPENQASM 2.0;\nqreg q[1];\nU(0,0,0) q[0];", Options{})
	if len(c.Ops) != 1 || c.Ops[0].Line != 3 || c.Ops[0].Col != 1 || len(w) != 0 {
		t.Errorf("got ops %s at %d:%d, warnings %v", dumpOps(c), c.Ops[0].Line, c.Ops[0].Col, w)
	}
	e := parseErr(t, "\xef\xbb\xbfOPENQASM 3.0;", Options{})
	if e == nil || e.Line != 1 || e.Col != 10 {
		t.Errorf("error after BOM: got %v, want column 10 counted from after the BOM", e)
	}
}

func TestParseWarnings(t *testing.T) {
	tests := []struct {
		name, src, ops string
		warnings       []string
	}{
		{"missing header", "qreg q[1]; U(0,0,0) q[0];", "U(0,0,0) 0",
			[]string{`<input>:1:1: warning: missing "OPENQASM 2.0;" header; assuming version 2.0`}},
		{"version written as integer", "OPENQASM 2;\nqreg q[1];", "", nil},
		{"condition never holds", header + "qreg q[1]; creg c[2];\nif(c==4) x q[0]; if(c==3) x q[0];", "if(c0==4) x 0; if(c0==3) x 0",
			[]string{"<input>:4:7: warning: condition c == 4 can never hold: register c has 2 bits"}},
		{"redefined library gate is expanded", header + "qreg q[1];\ngate h a { U(pi/2,0,pi) a; }\nh q[0];", "U(1.5707963267948966,0,3.141592653589793) 0",
			[]string{"<input>:4:6: warning: gate h redefines the qelib1.inc gate; calls from here on expand this definition"}},
		{"library gate before redefinition stays a table gate", header + "qreg q[1];\nh q[0];\ngate h a { x a; }\nh q[0];", "h 0; x 0",
			[]string{"<input>:5:6: warning: gate h redefines the qelib1.inc gate; calls from here on expand this definition"}},
		{"opaque declaration of a library gate is ignored", header + "opaque rz(t) a;\nqreg q[1]; rz(1) q[0];", "rz(1) 0",
			[]string{"<input>:3:8: warning: opaque declaration of qelib1.inc gate rz ignored; the built-in gate is used"}},
		{"second include of qelib1.inc", header + "include \"qelib1.inc\";\nqreg q[1]; x q[0];", "x 0",
			[]string{"<input>:3:1: warning: qelib1.inc is already included; ignoring the second include"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, w := mustParse(t, tt.src, Options{})
			if got := dumpOps(c); got != tt.ops {
				t.Errorf("ops:\n got %s\nwant %s", got, tt.ops)
			}
			var got []string
			for _, x := range w {
				got = append(got, x.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.warnings, "\n") {
				t.Errorf("warnings:\n got %q\nwant %q", got, tt.warnings)
			}
		})
	}
}

func TestParseWarningsAreCapped(t *testing.T) {
	src := header + "qreg q[1]; creg c[1];\n" + strings.Repeat("if(c==2) x q[0];\n", 500)
	c, w := mustParse(t, src, Options{})
	if len(c.Ops) != 500 || len(w) != maxWarnings+1 || w[maxWarnings].Msg != "further warnings suppressed" {
		t.Errorf("got %d ops and %d warnings (last %v), want 500 and %d", len(c.Ops), len(w), w[len(w)-1], maxWarnings+1)
	}
}

func TestParseHeaderOnly(t *testing.T) {
	c, w := mustParse(t, "OPENQASM 2.0;", Options{})
	if c.NumQubits != 0 || len(c.Ops) != 0 || len(w) != 0 {
		t.Errorf("got %v with warnings %v, want an empty circuit", c, w)
	}
}

func TestParseInclude(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lib/gates.inc", "// my gates\ngate bell a,b { h a; cx a,b; }\ninclude \"lib/more.inc\";\n")
	write("lib/more.inc", "OPENQASM 2.0;\ngate flip a { x a; }\nqreg anc[1];\nflip anc[0];\n")
	src := header + "include \"lib/gates.inc\";\nqreg q[2];\nbell q[0],q[1];\nflip q[1];\n"
	c, _ := mustParse(t, src, Options{IncludeDir: dir})
	if got, want := dumpOps(c), "x 0; h 1; cx 1,2; x 2"; got != want {
		t.Errorf("ops:\n got %s\nwant %s", got, want)
	}
	if c.QRegs[0].Name != "anc" {
		t.Errorf("registers: got %v, want anc declared first (by the include)", c.QRegs)
	}
	if op := c.Ops[0]; op.Line != 3 || op.Col != 1 {
		t.Errorf("op from included file: got position %d:%d, want the include statement's 3:1", op.Line, op.Col)
	}

	t.Run("symbolic link inside the directory", func(t *testing.T) {
		if err := os.Symlink(filepath.Join(dir, "lib", "gates.inc"), filepath.Join(dir, "alias.inc")); err != nil {
			t.Skip("symlinks unavailable:", err)
		}
		if _, _, err := Parse([]byte(header+"include \"alias.inc\";"), Options{IncludeDir: dir}); err != nil {
			t.Errorf("got %v, want success", err)
		}
	})
}

func TestParseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bell.qasm")
	if err := os.WriteFile(path, []byte(header+"qreg q[2]; h q[0]; cx q[0],q[1]; foo q[0];"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := ParseFile(path, Options{})
	if got, want := err.Error(), path+":3:34: undefined gate foo"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	_, _, err = ParseFile(path, Options{Name: "x.qasm"})
	if got, want := err.Error(), "x.qasm:3:34: undefined gate foo"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, _, err := ParseFile(filepath.Join(t.TempDir(), "missing.qasm"), Options{}); err == nil || !os.IsNotExist(errorsUnwrapAll(err)) {
		t.Errorf("missing file: got %v, want a not-exist error", err)
	}
}

func errorsUnwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func TestParseIsSafeForConcurrentUse(t *testing.T) {
	src := []byte(header + "gate g(a) x { rz(a) x; h x; }\nqreg q[4]; g(1) q; cx q[0],q[1];")
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func() {
			c, _, err := Parse(src, Options{})
			if err != nil {
				done <- err.Error()
				return
			}
			done <- dumpOps(c)
		}()
	}
	first := <-done
	for i := 1; i < 8; i++ {
		if got := <-done; got != first {
			t.Errorf("concurrent parses differ: %s vs %s", got, first)
		}
	}
}
