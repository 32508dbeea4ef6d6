package qasm

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// TestLibraryBodiesMatchTable checks every gate of the built-in qelib1.inc
// (and of gate.ExtraInc) against its table matrix: the library text is
// renamed so that each gate g becomes a user gate ref_g, which the parser
// expands down to U and CX; the unitary of that expansion must equal
// g.Matrix up to a global phase.
func TestLibraryBodiesMatchTable(t *testing.T) {
	text := gate.Qelib1Inc + "\n" + gate.ExtraInc
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s*gate\s+([a-z][A-Za-z0-9_]*)`).FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	if len(names) < 40 {
		t.Fatalf("found only %d gate definitions in qelib1.inc and extra.inc", len(names))
	}
	renamed := regexp.MustCompile(`\b(`+strings.Join(names, "|")+`)\b`).ReplaceAllString(text, "ref_$1")
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range names {
		g, ok := gate.Lookup(name)
		if !ok {
			t.Errorf("qelib1.inc gate %s is not in the gate table", name)
			continue
		}
		for trial := 0; trial < 3; trial++ {
			params := make([]float64, len(g.Params))
			ps := make([]string, len(params))
			for i := range params {
				params[i] = (rng.Float64()*2 - 1) * 7
				ps[i] = circuit.FormatFloat(params[i])
			}
			args := make([]string, g.Qubits)
			for i := range args {
				args[i] = fmt.Sprintf("q[%d]", i)
			}
			call := "ref_" + name
			if len(ps) > 0 {
				call += "(" + strings.Join(ps, ",") + ")"
			}
			src := "OPENQASM 2.0;\n" + renamed + fmt.Sprintf("\nqreg q[%d];\n%s %s;\n", g.Qubits, call, strings.Join(args, ","))
			c, _ := mustParse(t, src, Options{})
			if len(c.Ops) == 0 {
				t.Fatalf("%s expanded to nothing", name)
			}
			for _, op := range c.Ops {
				if op.Name != "U" && op.Name != "CX" {
					t.Fatalf("%s expanded to %s, want only U and CX", name, op.Name)
				}
			}
			if d := phaseDistance(g.Matrix(params), unitary(t, c)); d > 1e-10 {
				t.Errorf("%s%v: body differs from the table matrix by %.3g (up to global phase)", name, params, d)
			}
		}
	}
}

// TestLibraryGatesMapToTable checks that every gate qelib1.inc declares is a
// table gate after include "qelib1.inc", not an expansion.
func TestLibraryGatesMapToTable(t *testing.T) {
	lib := qelib1()
	if lib.err != nil {
		t.Fatal(lib.err)
	}
	for _, d := range lib.defs {
		g, ok := gate.Lookup(d.name)
		if !ok || d.table != g {
			t.Errorf("qelib1.inc gate %s: table gate %v, want %v", d.name, d.table, g)
		}
		if ok && !g.QASM2 {
			t.Errorf("qelib1.inc gate %s: table gate has QASM2 false", d.name)
		}
	}
	for _, g := range gate.All() {
		if g.QASM2 && g.Name != "U" && g.Name != "CX" && lib.tables[g] == nil {
			t.Errorf("table gate %s has QASM2 set but qelib1.inc does not define it", g.Name)
		}
	}
	if ext := extra(); ext.err != nil || len(ext.defs) == 0 {
		t.Errorf("extra.inc: %d definitions, error %v", len(ext.defs), ext.err)
	}
}
