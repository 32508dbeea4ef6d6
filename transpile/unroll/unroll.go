// Package unroll rewrites every gate on three or more qubits into one- and
// two-qubit table gates, exactly (equal up to global phase). It is the
// first transformation of a compilation: layout and routing only handle
// one- and two-qubit gates.
//
// A gate's expansion is its body in the gate library (gate.Qelib1Inc, or
// gate.ExtraInc for the inverses no library gate expresses), parsed with
// package qasm and expanded again until every gate is on at most two
// qubits; a gate with no body is expanded as the inverse of its inverse's
// expansion. The library bodies are the short known constructions (ccx
// with 6 CX, cswap 8, rccx 3, rc3x 6). Multi-controlled X and √X gates
// (c3x, c4x, c3sqrtx and its inverse) use a shorter phase-polynomial
// construction instead (14, 30, 14 and 14 CX).
package unroll

import (
	"context"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/transpile"
)

// Pass is the transformation pass that unrolls gates on three or more
// qubits. Barriers, measurements, resets and smaller gates pass through; a
// conditioned gate's replacements all carry its condition. It fails on an
// opaque gate on three or more qubits, which has no definition.
type Pass struct{}

var _ transpile.Pass = Pass{}

// Name returns "unroll".
func (Pass) Name() string { return "unroll" }

// Run returns c with every gate on three or more qubits expanded.
func (Pass) Run(ctx context.Context, c *circuit.Circuit, _ *device.Device, _ *transpile.PropertySet) (*circuit.Circuit, error) {
	out := c.Clone()
	out.Ops = make([]circuit.Op, 0, len(c.Ops))
	for i := range c.Ops {
		op := c.Ops[i]
		if op.Kind != circuit.GateOp || len(op.Qubits) < 3 {
			out.Ops = append(out.Ops, cloneOp(op))
			continue
		}
		if op.Gate == nil {
			return nil, fmt.Errorf("op %d: opaque gate %s on %d qubits has no definition to unroll", i, op.Name, len(op.Qubits))
		}
		body, err := Expand(op.Gate)
		if err != nil {
			return nil, fmt.Errorf("op %d: %w", i, err)
		}
		for _, b := range body {
			n := cloneOp(b)
			for k, q := range n.Qubits {
				n.Qubits[k] = op.Qubits[q]
			}
			n.Cond = cloneCond(op.Cond)
			n.Line, n.Col = op.Line, op.Col
			out.Ops = append(out.Ops, n)
		}
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func cloneCond(c *circuit.Condition) *circuit.Condition {
	if c == nil {
		return nil
	}
	return &circuit.Condition{CReg: c.CReg, Value: new(big.Int).Set(c.Value)}
}

func cloneOp(op circuit.Op) circuit.Op {
	op.Params = append([]circuit.Param(nil), op.Params...)
	op.Qubits = append([]int(nil), op.Qubits...)
	op.Clbits = append([]int(nil), op.Clbits...)
	op.Cond = cloneCond(op.Cond)
	return op
}

var (
	cacheMu sync.Mutex
	cache   = map[string][]circuit.Op{}
)

// Expand returns the expansion of the parameterless gate g into gates on at
// most two qubits, as ops on local qubits 0…g.Qubits−1 (argument k of g is
// local qubit k). The result is shared: callers must copy before changing
// it. It fails for a parameterised gate on three or more qubits or a gate
// without a library definition.
func Expand(g *gate.Gate) ([]circuit.Op, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	return expand(g, 0)
}

func expand(g *gate.Gate, depth int) ([]circuit.Op, error) {
	if ops, ok := cache[g.Name]; ok {
		return ops, nil
	}
	if depth > 8 {
		return nil, fmt.Errorf("unroll %s: definitions nest too deeply", g.Name)
	}
	if len(g.Params) != 0 {
		return nil, fmt.Errorf("unroll %s: parameterised gates on %d qubits are not supported", g.Name, g.Qubits)
	}
	var ops []circuit.Op
	if b, ok := builtins[g.Name]; ok {
		ops = b()
	} else {
		body, err := libraryBody(g)
		if err != nil {
			return nil, err
		}
		ops = body.Ops
	}
	var out []circuit.Op
	for _, op := range ops {
		if len(op.Qubits) < 3 {
			out = append(out, op)
			continue
		}
		sub, err := expand(op.Gate, depth+1)
		if err != nil {
			return nil, fmt.Errorf("unroll %s: %w", g.Name, err)
		}
		for _, s := range sub {
			n := cloneOp(s)
			for k, q := range n.Qubits {
				n.Qubits[k] = op.Qubits[q]
			}
			out = append(out, n)
		}
	}
	for i := range out {
		out[i].Line, out[i].Col = 0, 0
	}
	cache[g.Name] = out
	return out, nil
}

// libraryBody parses g's definition from the gate libraries into a circuit
// on g.Qubits qubits. A gate without a definition whose inverse has one is
// the inverse of that body.
func libraryBody(g *gate.Gate) (*circuit.Circuit, error) {
	args, body, ok := findDefinition(gate.Qelib1Inc, g.Name)
	if !ok {
		args, body, ok = findDefinition(gate.ExtraInc, g.Name)
	}
	if !ok {
		inv, _ := g.Inverse(nil)
		if inv.Name == g.Name {
			return nil, fmt.Errorf("unroll %s: no library definition", g.Name)
		}
		c, err := libraryBody(inv)
		if err != nil {
			return nil, fmt.Errorf("unroll %s via its inverse %s: %w", g.Name, inv.Name, err)
		}
		return c.Inverse()
	}
	qs := make([]string, g.Qubits)
	for i := range qs {
		qs[i] = fmt.Sprintf("q[%d]", i)
	}
	src := fmt.Sprintf("OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate qluster_unroll_body %s {%s}\nqreg q[%d];\nqluster_unroll_body %s;\n",
		args, body, g.Qubits, strings.Join(qs, ","))
	c, _, err := qasm.Parse([]byte(src), qasm.Options{Name: g.Name + " definition"})
	if err != nil {
		return nil, fmt.Errorf("unroll %s: parse library body: %w", g.Name, err)
	}
	return c, nil
}

// findDefinition returns the argument list and body of "gate name args {
// body }" in the library text lib.
func findDefinition(lib, name string) (args, body string, ok bool) {
	re := regexp.MustCompile(`(?m)^gate\s+` + regexp.QuoteMeta(name) + `\s+([A-Za-z0-9_,\s]+?)\s*\{([^}]*)\}`)
	m := re.FindStringSubmatch(lib)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}
