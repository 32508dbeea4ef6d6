package qasm

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// doubling returns gate definitions g0..gn where each gi calls g(i-1) twice,
// so that one call of gn expands to 2^n calls of g0's body.
func doubling(n int, body string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "gate g0 a { %s }\n", body)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "gate g%d a { g%d a; g%d a; }\n", i, i-1, i-1)
	}
	return b.String()
}

// chain returns gates g0..gn where gi calls g(i-1) once.
func chain(n int) string {
	var b strings.Builder
	b.WriteString("gate g0 a { x a; }\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "gate g%d a { g%d a; }\n", i, i-1)
	}
	return b.String()
}

// includeDir builds a directory of include files for the error tests.
func includeDir(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "inc")
	files := map[string]string{
		"a.inc":          "include \"b.inc\";\n",
		"b.inc":          "include \"a.inc\";\n",
		"bad.inc":        "gate ok a { x a; }\nfoo q;\n",
		"dup.inc":        "// redefines g\ngate g a { y a; }\n",
		"sub/x.inc":      "gate subx a { x a; }\n",
		"../outside.inc": "gate outside a { x a; }\n",
	}
	for i := 0; i <= maxIncludeDepth; i++ {
		files[fmt.Sprintf("d%d.inc", i)] = fmt.Sprintf("include \"d%d.inc\";\n", i+1)
	}
	files[fmt.Sprintf("d%d.inc", maxIncludeDepth+1)] = "\n"
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(root, "outside.inc"), filepath.Join(dir, "escape.inc")); err != nil {
		t.Logf("symlinks unavailable: %v", err)
	}
	return dir
}

// errorCase is a malformed or hostile program and its exact error.
type errorCase struct {
	name, src string
	opt       Options
	want      string
}

// errorCases returns the rejected inputs; dir is an include directory made
// by includeDir.
func errorCases(dir string) []errorCase {
	H := header // two lines; programs continue on line 3
	deepParens := strings.Repeat("(", 1_000_000) + "1" + strings.Repeat(")", 1_000_000)
	deepMinus := strings.Repeat("-", 1_000_000) + "1"
	longSum := "a" + strings.Repeat("+a", 2000)
	hugeValue := "1" + strings.Repeat("0", 20000)
	tests := []errorCase{
		// Syntax.
		{"missing semicolon before a new line", H + "qreg q[1]\nx q[0];", Options{}, "t.qasm:3:10: missing ';' at end of statement"},
		{"missing semicolon on the same line", H + "qreg q[1] x q[0];", Options{}, "t.qasm:3:11: expected ';', found identifier x"},
		{"missing semicolon at end of file", H + "qreg q[1]; x q[0]", Options{}, "t.qasm:3:18: missing ';' at end of statement"},
		{"statement starting with a number", H + "3;", Options{}, "t.qasm:3:1: expected a statement, found number 3"},
		{"missing arrow in measure", H + "qreg q[1]; creg c[1];\nmeasure q[0] c[0];", Options{}, "t.qasm:4:14: expected '->', found identifier c"},
		{"single equals sign", H + "qreg q[1]; creg c[1];\nif(c=1) x q[0];", Options{}, "t.qasm:4:5: unexpected '=' (comparison is '==')"},
		{"upper-case identifier", H + "qreg Q[1];", Options{}, "t.qasm:3:6: identifier Q must start with a lower-case letter (only U, CX and OPENQASM are upper-case)"},
		{"identifier starting with underscore", H + "qreg _q[1];", Options{}, "t.qasm:3:6: identifier _q must start with a lower-case letter (only U, CX and OPENQASM are upper-case)"},
		{"leading zeros", H + "qreg q[2];\nx q[01];", Options{}, "t.qasm:4:5: integer 01 has leading zeros"},
		{"negative index", H + "qreg q[2];\nx q[-1];", Options{}, "t.qasm:4:5: expected an index, found '-'"},
		{"real index", H + "qreg q[2];\nx q[1.5];", Options{}, "t.qasm:4:5: expected an index, found number 1.5"},
		{"malformed exponent", H + "qreg q[1];\nrz(1e+) q[0];", Options{}, "t.qasm:4:5: malformed exponent in number 1e+"},
		{"number run into a name", H + "qreg q[1];\nrz(2pi) q[0];", Options{}, "t.qasm:4:4: malformed number 2p"},
		{"unterminated string", H + "include \"qelib1.inc;\n", Options{}, "t.qasm:3:9: unterminated string"},
		{"unterminated block comment", H + "qreg q[1]; /* x\n\n", Options{}, "t.qasm:3:12: unterminated block comment"},
		{"unterminated gate body", H + "gate g a { x a;\n", Options{}, "t.qasm:3:10: unterminated body of gate g: missing '}'"},
		{"unterminated parameter list", H + "qreg q[1];\nrz(1 q[0];", Options{}, "t.qasm:4:6: expected ')' or ',', found identifier q"},
		{"non-ASCII character", H + "qreg q[1]; é", Options{}, "t.qasm:3:12: unexpected character U+00E9"},
		{"invalid UTF-8", H + "qreg q[1];\n\xff\xfe", Options{}, "t.qasm:4:1: invalid UTF-8 byte 0xff"},
		{"NUL byte", H + "qreg q[1];\x00", Options{}, "t.qasm:3:11: unexpected character U+0000"},
		{"stray punctuation", H + "qreg q[1]; @", Options{}, "t.qasm:3:12: unexpected character '@'"},

		// Header.
		{"empty input", "", Options{}, "t.qasm:1:1: empty program: expected \"OPENQASM 2.0;\""},
		{"only comments and space", "  // nothing here\n\t\r\n", Options{}, "t.qasm:1:1: empty program: expected \"OPENQASM 2.0;\""},
		{"version 3.0", "OPENQASM 3.0;\nqubit q;", Options{}, "t.qasm:1:10: unsupported OpenQASM version 3.0 (only 2.0 is supported)"},
		{"version 2.1", "OPENQASM 2.1;", Options{}, "t.qasm:1:10: unsupported OpenQASM version 2.1 (only 2.0 is supported)"},
		{"version missing", "OPENQASM;", Options{}, "t.qasm:1:9: expected a version number after OPENQASM, found ';'"},
		{"header not first", H + "OPENQASM 2.0;", Options{}, "t.qasm:3:1: OPENQASM header must be the first statement of a file"},

		// Names.
		{"undefined gate", H + "qreg q[1];\nfoo q[0];", Options{}, "t.qasm:4:1: undefined gate foo"},
		{"library gate without include", "OPENQASM 2.0;\nqreg q[1];\nh q[0];", Options{}, "t.qasm:3:1: undefined gate h (missing include \"qelib1.inc\"?)"},
		{"undefined register", H + "x q[0];", Options{}, "t.qasm:3:3: undefined quantum register q"},
		{"duplicate register", H + "qreg q[1];\ncreg q[1];", Options{}, "t.qasm:4:6: q is already defined (at 3:6)"},
		{"register named like a library gate", H + "qreg h[1];", Options{}, "t.qasm:3:6: h is already defined (by qelib1.inc)"},
		{"register used as a gate", H + "qreg q[1];\nq q[0];", Options{}, "t.qasm:4:1: q is a register, not a gate"},
		{"gate used as a register", H + "x x;", Options{}, "t.qasm:3:3: x is a gate, not a register"},
		{"classical register as a qubit", H + "creg c[1];\nx c[0];", Options{}, "t.qasm:4:3: c is a classical register; expected a quantum register"},
		{"measure into a quantum register", H + "qreg q[2];\nmeasure q[0] -> q[1];", Options{}, "t.qasm:4:17: q is a quantum register; expected a classical register"},
		{"identifier in a main-program expression", H + "qreg q[1];\nrz(theta) q[0];", Options{}, "t.qasm:4:4: undefined identifier theta in expression (the main program has no variables)"},
		{"qelib1.inc after a gate of the same name", "OPENQASM 2.0;\ngate x a { U(pi,0,pi) a; }\ninclude \"qelib1.inc\";", Options{},
			"t.qasm:3:1: qelib1.inc defines gate x, but x is already defined (at 2:6)"},

		// Calls.
		{"too few qubits", H + "qreg q[2];\ncx q[0];", Options{}, "t.qasm:4:1: gate cx takes 2 qubit arguments, got 1"},
		{"missing parameter", H + "qreg q[1];\nrz q[0];", Options{}, "t.qasm:4:1: gate rz takes 1 parameter, got 0"},
		{"too few parameters", H + "qreg q[1];\nu3(1,2) q[0];", Options{}, "t.qasm:4:1: gate u3 takes 3 parameters, got 2"},
		{"parameters to a fixed gate", H + "qreg q[1];\nh(1) q[0];", Options{}, "t.qasm:4:1: gate h takes 0 parameters, got 1"},
		{"U without parameters", "OPENQASM 2.0;\nqreg q[1];\nU q[0];", Options{}, "t.qasm:3:1: gate U takes 3 parameters, got 0"},
		{"opaque with wrong arity", H + "opaque o(a) x,y;\nqreg q[2];\no(1) q[0];", Options{}, "t.qasm:5:1: gate o takes 2 qubit arguments, got 1"},
		{"index out of range", H + "qreg q[2];\nx q[2];", Options{}, "t.qasm:4:3: index 2 out of range for register q of size 2"},
		{"huge index", H + "qreg q[2];\nx q[99999999999999999999999];", Options{}, "t.qasm:4:3: index 99999999999999999999999 out of range for register q of size 2"},
		{"broadcast size mismatch", H + "qreg a[2]; qreg b[3];\ncx a,b;", Options{}, "t.qasm:4:6: cannot broadcast cx over registers of different sizes: a has 2 qubits, b has 3"},
		{"duplicate qubit", H + "qreg q[2];\ncx q[1],q[1];", Options{}, "t.qasm:4:9: qubit q[1] appears twice in the arguments of cx"},
		{"duplicate qubit through broadcast", H + "qreg q[2];\ncx q,q[0];", Options{}, "t.qasm:4:6: qubit q[0] appears twice in the arguments of cx"},
		{"duplicate qubit in opaque call", H + "opaque o a,b;\nqreg q[1];\no q,q;", Options{}, "t.qasm:5:5: qubit q[0] appears twice in the arguments of o"},

		// measure, reset, barrier, if.
		{"measure size mismatch", H + "qreg q[2]; creg c[3];\nmeasure q -> c;", Options{}, "t.qasm:4:1: measure: register q has 2 qubits but c has 3 bits"},
		{"measure register into bit", H + "qreg q[2]; creg c[2];\nmeasure q -> c[0];", Options{}, "t.qasm:4:1: measure needs two registers or two single bits, not a mix"},
		{"reset on undeclared register", H + "reset r[0];", Options{}, "t.qasm:3:7: undefined quantum register r"},
		{"barrier without arguments", H + "qreg q[1];\nbarrier;", Options{}, "t.qasm:4:8: barrier needs at least one qubit argument"},
		{"if on undeclared register", H + "qreg q[1];\nif(c==1) x q[0];", Options{}, "t.qasm:4:4: undefined classical register c"},
		{"if on a quantum register", H + "qreg q[1];\nif(q==1) x q[0];", Options{}, "t.qasm:4:4: q is a quantum register; if needs a classical register"},
		{"if on a single bit", H + "qreg q[1]; creg c[2];\nif(c[0]==1) x q[0];", Options{}, "t.qasm:4:5: if compares a whole register; a single bit c[i] is not allowed in OpenQASM 2.0"},
		{"if with negative value", H + "qreg q[1]; creg c[2];\nif(c==-1) x q[0];", Options{}, "t.qasm:4:7: condition value must be a non-negative integer"},
		{"if on a barrier", H + "qreg q[1]; creg c[1];\nif(c==1) barrier q;", Options{}, "t.qasm:4:10: expected a gate call, measure or reset after if(...), found keyword 'barrier'"},
		{"nested if", H + "qreg q[1]; creg c[1];\nif(c==1) if(c==1) x q[0];", Options{}, "t.qasm:4:10: expected a gate call, measure or reset after if(...), found keyword 'if'"},
		{"huge condition value", H + "qreg q[1]; creg c[1];\nif(c==" + hugeValue + ") x q[0];", Options{},
			"t.qasm:4:7: condition value 1000000000000000000000000000000000000... has more than 19730 digits"},

		// Gate definitions.
		{"gate calling itself", H + "gate g a { g a; }", Options{}, "t.qasm:3:12: gate g cannot call itself (a gate must be defined before it is used)"},
		{"gate calling a later gate", H + "gate f a { g a; }\ngate g a { x a; }", Options{}, "t.qasm:3:12: undefined gate g"},
		{"body qubit not an argument", H + "gate g a { x b; }", Options{}, "t.qasm:3:14: b is not a qubit argument of gate g"},
		{"measure in a gate body", H + "gate g a { measure a -> c[0]; }", Options{}, "t.qasm:3:12: only gate calls and barrier may appear in a gate body, found keyword 'measure'"},
		{"reset in a gate body", H + "gate g a { reset a; }", Options{}, "t.qasm:3:12: only gate calls and barrier may appear in a gate body, found keyword 'reset'"},
		{"indexed argument in a gate body", H + "gate g a { x a[0]; }", Options{}, "t.qasm:3:15: qubit arguments cannot be indexed inside a gate body"},
		{"repeated argument in a body call", H + "gate g a,b { cx a,a; }", Options{}, "t.qasm:3:19: qubit a appears twice in the arguments of cx"},
		{"unknown parameter in a body", H + "gate g(t) a { rz(s) a; }", Options{}, "t.qasm:3:18: s is not a parameter of gate g"},
		{"redefined user gate", H + "gate g a { x a; }\ngate g a { y a; }", Options{}, "t.qasm:4:6: g is already defined (at 3:6)"},
		{"library gate with another signature", H + "gate h(t) a { }", Options{}, "t.qasm:3:6: gate h conflicts with its qelib1.inc definition, which takes 0 parameters and 1 qubit argument"},
		{"redefined built-in U", H + "gate U(a,b,c) q { }", Options{}, "t.qasm:3:6: U is already defined (built-in gate)"},
		{"gate named with a keyword", H + "gate measure a { }", Options{}, "t.qasm:3:6: expected gate name, found keyword 'measure'"},
		{"parameter declared twice", H + "gate g(a,a) x { }", Options{}, "t.qasm:3:10: a is declared twice in the signature of g"},
		{"argument named like a parameter", H + "gate g(a) a { }", Options{}, "t.qasm:3:11: a is declared twice in the signature of g"},
		{"gate without qubit arguments", H + "gate g(a) { }", Options{}, "t.qasm:3:11: expected a qubit argument name, found '{'"},
		{"opaque redefining a user gate", H + "gate g a { }\nopaque g a;", Options{}, "t.qasm:4:8: g is already defined (at 3:6)"},

		// Expressions.
		{"division by zero", H + "qreg q[1];\nrz(0/0) q[0];", Options{}, "t.qasm:4:5: division by zero"},
		{"ln of zero", H + "qreg q[1];\nrz(ln(0)) q[0];", Options{}, "t.qasm:4:4: ln of non-positive number 0"},
		{"sqrt of negative", H + "qreg q[1];\nrz(sqrt(-1)) q[0];", Options{}, "t.qasm:4:4: sqrt of negative number -1"},
		{"overflow", H + "qreg q[1];\nrz(10^400) q[0];", Options{}, "t.qasm:4:6: 10^400 is not a finite real number"},
		{"negative base to fractional power", H + "qreg q[1];\nrz((-8)^(1/3)) q[0];", Options{}, "t.qasm:4:8: (-8)^0.3333333333 is not a finite real number"},
		{"exp overflow", H + "qreg q[1];\nrz(exp(1000)) q[0];", Options{}, "t.qasm:4:4: exp(1000) is not a finite real number"},
		{"literal out of range", H + "qreg q[1];\nrz(1e999) q[0];", Options{}, "t.qasm:4:4: number 1e999 is out of range"},
		{"infinity times zero", H + "qreg q[1];\nrz(1e308*10*0) q[0];", Options{}, "t.qasm:4:9: result of '*' is not a finite real number"},
		{"division by zero at expansion", H + "gate g(a) x { rz(1/a) x; }\nqreg q[1];\ng(0) q[0];", Options{},
			"t.qasm:5:1: division by zero at t.qasm:3:19 in the body of gate g"},
		{"division by zero in a constant body expression", H + "gate g x { rz(1/0) x; }", Options{}, "t.qasm:3:16: division by zero"},
		{"missing operand", H + "qreg q[1];\nrz(1+) q[0];", Options{}, "t.qasm:4:6: expected an expression, found ')'"},
		{"function without parentheses", H + "qreg q[1];\nrz(sin 1) q[0];", Options{}, "t.qasm:4:8: expected '(' after 'sin', found number 1"},
		{"a million nested parentheses", H + "qreg q[1]; rz(" + deepParens + ") q[0];", Options{}, "t.qasm:3:1015: expression nested more than 1000 levels deep"},
		{"a million unary minus signs", H + "qreg q[1]; rz(" + deepMinus + ") q[0];", Options{}, "t.qasm:3:1015: expression nested more than 1000 levels deep"},
		{"deep right-associative power", H + "qreg q[1]; rz(1" + strings.Repeat("^1", 5000) + ") q[0];", Options{}, "t.qasm:3:2015: expression nested more than 1000 levels deep"},
		{"deep expression tree in a gate body", H + "gate g(a) x { rz(" + longSum + ") x; }", Options{}, "t.qasm:3:2017: expression nested more than 1000 levels deep"},

		// Limits.
		{"huge register", H + "qreg q[100000];", Options{}, "t.qasm:3:8: register q[100000] exceeds the limit of 65536 qubits in total"},
		{"register size with thirty digits", H + "qreg q[999999999999999999999999999999];", Options{}, "t.qasm:3:8: register q[999999999999999999999999999999] exceeds the limit of 65536 qubits in total"},
		{"qubits over the limit in total", H + "qreg a[40000]; qreg b[40000];", Options{}, "t.qasm:3:23: register b[40000] exceeds the limit of 65536 qubits in total"},
		{"huge classical register", H + "creg c[70000];", Options{}, "t.qasm:3:8: register c[70000] exceeds the limit of 65536 clbits in total"},
		{"limits beyond the ceilings", H + "qreg q[99999999999999999999];", Options{MaxOps: math.MaxInt, MaxDepth: math.MaxInt, MaxQubits: math.MaxInt, MaxClbits: math.MaxInt},
			"t.qasm:3:8: register q[99999999999999999999] exceeds the limit of 16777216 qubits in total"},
		{"custom qubit limit", H + "qreg q[6];", Options{MaxQubits: 5}, "t.qasm:3:8: register q[6] exceeds the limit of 5 qubits in total"},
		{"empty register", H + "qreg q[0];", Options{}, "t.qasm:3:8: register q must have at least one bit"},
		{"exponential gate expansion", H + doubling(40, "x a;") + "qreg q[1];\ng40 q[0];", Options{}, "t.qasm:45:1: program expands to more than 10000000 operations (limit MaxOps)"},
		{"exponential expansion of empty gates", H + doubling(60, "") + "qreg q[1];\ng60 q[0];", Options{}, "t.qasm:65:1: gate expansion needs more than 160000000 steps (limit 16×MaxOps)"},
		{"too many operations in total", H + "qreg q[4];\nh q; h q; h q;", Options{MaxOps: 10}, "t.qasm:4:11: program expands to more than 10 operations (limit MaxOps)"},
		{"wide barriers count", H + "qreg q[64];\nbarrier q; barrier q;", Options{MaxOps: 6}, "t.qasm:4:12: program expands to more than 6 operations (limit MaxOps)"},
		{"gate nesting too deep", H + chain(64) + "qreg q[1];\ng64 q[0];", Options{}, "t.qasm:69:1: gate g64 nests 65 levels of gate definitions, more than the limit of 64 (MaxDepth)"},
		{"custom nesting limit", H + chain(2) + "qreg q[1];\ng2 q[0];", Options{MaxDepth: 2}, "t.qasm:7:1: gate g2 nests 3 levels of gate definitions, more than the limit of 2 (MaxDepth)"},

		// Includes.
		{"include disabled", H + "include \"x.inc\";", Options{}, "t.qasm:3:9: cannot include \"x.inc\": only \"qelib1.inc\" may be included"},
		{"include traversal", H + "include \"../x.inc\";", Options{IncludeDir: dir}, "t.qasm:3:9: include path \"../x.inc\" must not contain '..'"},
		{"include traversal inside a path", H + "include \"sub/../../outside.inc\";", Options{IncludeDir: dir}, "t.qasm:3:9: include path \"sub/../../outside.inc\" must not contain '..'"},
		{"include traversal with backslashes", H + "include \"sub\\..\\..\\outside.inc\";", Options{IncludeDir: dir}, "t.qasm:3:9: include path \"sub\\\\..\\\\..\\\\outside.inc\" must not contain '..'"},
		{"absolute include", H + "include \"/etc/passwd\";", Options{IncludeDir: dir}, "t.qasm:3:9: include path \"/etc/passwd\" must be relative"},
		{"empty include path", H + "include \"\";", Options{IncludeDir: dir}, "t.qasm:3:9: empty include path"},
		{"include of a missing file", H + "include \"nope.inc\";", Options{IncludeDir: dir}, "t.qasm:3:9: cannot include \"nope.inc\": no such file"},
		{"include of a directory", H + "include \"sub\";", Options{IncludeDir: dir}, "t.qasm:3:9: cannot include \"sub\": not a regular file"},
		{"include cycle", H + "include \"a.inc\";", Options{IncludeDir: dir}, "b.inc:1:9: include cycle: \"a.inc\" -> \"b.inc\" -> \"a.inc\""},
		{"includes nested too deep", H + "include \"d0.inc\";", Options{IncludeDir: dir}, "d15.inc:1:9: includes nested more than 16 deep"},
		{"error inside an included file", H + "include \"bad.inc\";", Options{IncludeDir: dir}, "bad.inc:2:1: undefined gate foo"},
		{"gate redefined by an included file", H + "gate g a { x a; }\ninclude \"dup.inc\";", Options{IncludeDir: dir}, "dup.inc:2:6: g is already defined (at t.qasm:3:6)"},
		{"include without a string", H + "include qelib1;", Options{}, "t.qasm:3:9: expected a file name in double quotes, found identifier qelib1"},
	}
	if _, err := os.Lstat(filepath.Join(dir, "escape.inc")); dir != "" && err == nil {
		tests = append(tests, errorCase{"include through a symlink leaving the directory", H + "include \"escape.inc\";", Options{IncludeDir: dir},
			"t.qasm:3:9: cannot include \"escape.inc\": it resolves outside the include directory"})
	}
	return tests
}

func TestParseErrors(t *testing.T) {
	tests := errorCases(includeDir(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Name = "t.qasm"
			e := parseErr(t, tt.src, tt.opt)
			if e == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if got := e.Error(); got != tt.want {
				t.Errorf("\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	if len(tests) < 40 {
		t.Errorf("only %d hostile inputs", len(tests))
	}
}

func TestIncludeSizeLimit(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.inc"), []byte(strings.Repeat("// padding\n", 10)), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(n int64) { maxIncludeBytes = n }(maxIncludeBytes)
	maxIncludeBytes = 150 // two includes of 110 bytes exceed it
	e := parseErr(t, header+"include \"big.inc\";\ninclude \"big.inc\";", Options{Name: "t.qasm", IncludeDir: dir})
	if want := "t.qasm:4:9: cannot include \"big.inc\": included files exceed 0 MiB in total"; e == nil || e.Error() != want {
		t.Errorf("got %v, want %s", e, want)
	}
}

func TestLoadLibraryErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"syntax error", "gate g a { U(0,0,0) a; ", "lib.inc:1:10: unterminated body of gate g: missing '}'"},
		{"statements other than gates", "qreg q[1];", "lib.inc: contains statements other than gate definitions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib := loadLibrary([]byte(tt.src), "lib.inc")
			if lib.err == nil || lib.err.Error() != tt.want {
				t.Errorf("got %v, want %s", lib.err, tt.want)
			}
		})
	}
}

func TestParseErrorHasNoCircuit(t *testing.T) {
	c, _, err := Parse([]byte(header+"qreg q[1]; x q[0]; foo;"), Options{})
	if c != nil || err == nil {
		t.Errorf("got circuit %v and error %v, want nil and an error", c, err)
	}
}
