package qasm

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestHostileInputsAreBounded runs inputs built to hit quadratic or
// exponential paths and requires each to finish (accepted or rejected) and,
// when accepted, to be written back, within a generous time.
func TestHostileInputsAreBounded(t *testing.T) {
	list := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, ",")
	}
	const wide = 50_000
	args := list(wide, func(i int) string { return fmt.Sprintf("a%d", i) })
	qubits := list(wide, func(i int) string { return fmt.Sprintf("q[%d]", i) })
	params := list(999, func(i int) string { return fmt.Sprintf("p%d", i) })
	tests := []struct {
		name, src string
		ok        bool
		opt       Options
	}{
		{"gate with 50000 arguments and a wide barrier",
			header + "gate g " + args + " { barrier " + args + "; }\nqreg q[" + fmt.Sprint(wide) + "];\ng " + qubits + ";", true, Options{}},
		{"opaque gate with 50000 qubits",
			header + "opaque o " + args + ";\nqreg q[" + fmt.Sprint(wide) + "];\no " + qubits + ";", true, Options{}},
		{"expression over 999 parameters",
			header + "gate g(" + params + ") a { rz(" + strings.ReplaceAll(params, ",", "+") + ") a; }\nqreg q[1];\ng(" +
				strings.TrimSuffix(strings.Repeat("1,", 999), ",") + ") q[0];", true, Options{}},
		{"a million statements", header + "qreg q[2];\n" + strings.Repeat("cx q[0],q[1];\n", 1_000_000), true, Options{}},
		{"65536 one-qubit registers", header + strings.Repeat("", 0) + func() string {
			var b strings.Builder
			for i := 0; i < 65536; i++ {
				fmt.Fprintf(&b, "qreg r%d[1];\n", i)
			}
			return b.String()
		}() + "barrier r0, r65535;", true, Options{}},
		{"one-megabyte identifier", header + "qreg " + "a" + strings.Repeat("b", 1<<20) + "[1];", true, Options{}},
		{"one-megabyte number", header + "qreg q[1]; rz(1." + strings.Repeat("1", 1<<20) + ") q[0];", true, Options{}},
		{"one-megabyte undefined name", header + "qreg q[1]; " + strings.Repeat("z", 1<<20) + " q[0];", false, Options{}},
		{"one-megabyte upper-case name", header + "qreg " + strings.Repeat("Z", 1<<20) + "[1];", false, Options{}},
		{"one-megabyte exponent", header + "qreg q[1]; rz(1e" + strings.Repeat("9", 1<<20) + ") q[0];", false, Options{}},
		{"one-megabyte index", header + "qreg q[1]; x q[" + strings.Repeat("9", 1<<20) + "];", false, Options{}},
		{"barrier over the whole register, repeatedly", header + "qreg q[65536];\n" + strings.Repeat("barrier q;\n", 100_000), false,
			Options{MaxOps: 1_000_000}}, // 16 qubits count as one op: about 16M qubit slots
		{"doubling chain with wide bodies", header + doubling(30, "barrier a; x a; y a;") + "qreg q[1]; g30 q[0];", false, Options{}},
		{"many conditions that never hold", header + "qreg q[1]; creg c[1];\n" + strings.Repeat("if(c==7) x q[0];\n", 100_000), true, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			c, _, err := Parse([]byte(tt.src), tt.opt)
			if (err == nil) != tt.ok {
				t.Fatalf("got error %v, want ok=%v", err, tt.ok)
			}
			if err == nil {
				if _, err := String(c); err != nil {
					t.Fatalf("String: %v", err)
				}
			}
			if err != nil && len(err.Error()) > 300 {
				t.Errorf("error message of %d bytes: %.100s...", len(err.Error()), err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
