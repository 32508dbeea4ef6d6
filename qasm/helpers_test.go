package qasm

import (
	"errors"
	"math"
	"math/cmplx"
	"strconv"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim/ref"
)

// header is prepended to most test programs.
const header = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"

// dumpOps renders ops compactly for comparisons: "h 0; rz(0.5) 1;
// measure 0->0; reset 1; barrier 0,1; if(c0==5) x 2", with flat indices.
func dumpOps(c *circuit.Circuit) string {
	var parts []string
	for i := range c.Ops {
		parts = append(parts, dumpOp(&c.Ops[i]))
	}
	return strings.Join(parts, "; ")
}

func dumpOp(op *circuit.Op) string {
	var b strings.Builder
	if op.Cond != nil {
		b.WriteString("if(c" + strconv.Itoa(op.Cond.CReg) + "==" + op.Cond.Value.String() + ") ")
	}
	ints := func(xs []int) string {
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = strconv.Itoa(x)
		}
		return strings.Join(s, ",")
	}
	switch op.Kind {
	case circuit.Measure:
		b.WriteString("measure " + ints(op.Qubits) + "->" + ints(op.Clbits))
	case circuit.Reset:
		b.WriteString("reset " + ints(op.Qubits))
	case circuit.Barrier:
		b.WriteString("barrier " + ints(op.Qubits))
	default:
		b.WriteString(op.Name)
		if len(op.Params) > 0 {
			ps := make([]string, len(op.Params))
			for i, p := range op.Params {
				v, _ := p.Value()
				ps[i] = strconv.FormatFloat(v, 'g', -1, 64)
			}
			b.WriteString("(" + strings.Join(ps, ",") + ")")
		}
		b.WriteString(" " + ints(op.Qubits))
	}
	return b.String()
}

func mustParse(t testing.TB, src string, opt Options) (*circuit.Circuit, []Warning) {
	t.Helper()
	c, w, err := Parse([]byte(src), opt)
	if err != nil {
		t.Fatalf("Parse: %v\nsource:\n%s", err, src)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("parsed circuit does not validate: %v", err)
	}
	return c, w
}

// parseErr returns the *Error of a failed parse, or nil.
func parseErr(t testing.TB, src string, opt Options) *Error {
	t.Helper()
	_, _, err := Parse([]byte(src), opt)
	if err == nil {
		return nil
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *Error", err, err)
	}
	return pe
}

// unitary returns the circuit's unitary, ignoring measurements (the tests
// use it only where they are final) and barriers.
func unitary(t testing.TB, c *circuit.Circuit) gate.Matrix {
	t.Helper()
	d := c.Clone()
	d.Ops = d.Ops[:0]
	for _, op := range c.Ops {
		if op.Kind != circuit.Measure {
			d.Ops = append(d.Ops, op)
		}
	}
	u, err := ref.Unitary(d)
	if err != nil {
		t.Fatalf("ref.Unitary: %v", err)
	}
	return u
}

// phaseDistance returns max |a - e^{iφ} b| for the global phase φ that
// aligns the largest entry of b with a.
func phaseDistance(a, b gate.Matrix) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	k := 0
	for i := range b {
		if cmplx.Abs(b[i]) > cmplx.Abs(b[k]) {
			k = i
		}
	}
	if cmplx.Abs(b[k]) == 0 || cmplx.Abs(a[k]) == 0 {
		return math.Inf(1)
	}
	ph := a[k] / b[k]
	ph /= complex(cmplx.Abs(ph), 0)
	d := 0.0
	for i := range a {
		d = math.Max(d, cmplx.Abs(a[i]-ph*b[i]))
	}
	return d
}
