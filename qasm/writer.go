package qasm

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// String returns the circuit as OpenQASM 2.0 text; see Write.
func String(c *circuit.Circuit) (string, error) {
	var b strings.Builder
	if err := Write(&b, c); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Write writes the circuit as an OpenQASM 2.0 program: the header, include
// "qelib1.inc" when a library gate is used, definitions of table gates that
// are in no library (from gate.ExtraInc), opaque declarations, registers,
// then one statement per op with canonical gate names and parameters that
// parse back to the same float64. Parsing the output of a parsed circuit
// gives an Equal circuit.
//
// Write checks the whole circuit before writing anything. It fails on
// names that are not OpenQASM 2 identifiers or clash, registers that do not
// tile the qubits and clbits in declaration order, indices out of range,
// unbound or non-finite parameters, conditioned barriers, undeclared opaque
// gates and table gates with no OpenQASM 2 form.
func Write(w io.Writer, c *circuit.Circuit) error {
	wr, err := newWriter(c)
	if err != nil {
		return fmt.Errorf("qasm: write: %w", err)
	}
	bw := bufio.NewWriter(w)
	wr.emit(bw)
	return bw.Flush()
}

type writer struct {
	c        *circuit.Circuit
	lib      *library
	needLib  bool
	extras   []*gateDef // definitions to prepend, in library order
	qname    []string   // register name of each qubit
	qidx     []int      // index of each qubit in its register
	cname    []string
	cidx     []int
	opaques  map[string]circuit.Opaque
	gateName map[*gate.Gate]string
	mark     []int // repeated-qubit detection: mark[q] == stamp
	stamp    int
}

func newWriter(c *circuit.Circuit) (*writer, error) {
	lib, ext := qelib1(), extra()
	if lib.err != nil {
		return nil, fmt.Errorf("built-in qelib1.inc: %w", lib.err)
	}
	if ext.err != nil {
		return nil, fmt.Errorf("built-in extra.inc: %w", ext.err)
	}
	if c.NumQubits < 0 || c.NumClbits < 0 {
		return nil, fmt.Errorf("negative qubit or clbit count")
	}
	w := &writer{c: c, lib: lib, opaques: map[string]circuit.Opaque{}, gateName: map[*gate.Gate]string{}}
	names := map[string]string{"U": "a built-in gate", "CX": "a built-in gate"}
	claim := func(name, what string) error {
		if err := checkIdent(name); err != nil {
			return fmt.Errorf("%s %q: %w", what, name, err)
		}
		if other, ok := names[name]; ok {
			return fmt.Errorf("%s %q: name already used by %s", what, name, other)
		}
		names[name] = what
		return nil
	}
	var err error
	if w.qname, w.qidx, err = tile(c.QRegs, c.NumQubits, "qubits", "quantum register", claim); err != nil {
		return nil, err
	}
	if w.cname, w.cidx, err = tile(c.CRegs, c.NumClbits, "clbits", "classical register", claim); err != nil {
		return nil, err
	}
	for _, o := range c.Opaques {
		if err := claim(o.Name, "opaque gate"); err != nil {
			return nil, err
		}
		if o.Qubits < 1 || o.Params < 0 {
			return nil, fmt.Errorf("opaque gate %s: needs at least one qubit", o.Name)
		}
		w.opaques[o.Name] = o
	}
	w.mark = make([]int, c.NumQubits)
	needExtra := map[*gateDef]bool{}
	for i := range c.Ops {
		if err := w.check(&c.Ops[i], needExtra); err != nil {
			return nil, fmt.Errorf("op %d: %w", i, err)
		}
	}
	// Library gates share the name space with registers and opaque gates.
	if w.needLib {
		for _, d := range lib.defs {
			if other, ok := names[d.name]; ok {
				return nil, fmt.Errorf("%s %q clashes with the qelib1.inc gate of that name", other, d.name)
			}
		}
	}
	for i := len(ext.defs) - 1; i >= 0; i-- { // pull in extra gates used by needed ones
		if d := ext.defs[i]; needExtra[d] {
			for _, b := range d.body {
				if b.callee != nil && slices.Contains(ext.defs, b.callee) {
					needExtra[b.callee] = true
				}
			}
		}
	}
	for _, d := range ext.defs {
		if needExtra[d] {
			if other, ok := names[d.name]; ok {
				return nil, fmt.Errorf("%s %q clashes with the definition of gate %s", other, d.name, d.name)
			}
			w.extras = append(w.extras, d)
		}
	}
	return w, nil
}

// tile checks that registers cover [0, n) in declaration order and returns
// each bit's register name and index.
func tile(regs []circuit.Register, n int, unit, what string, claim func(string, string) error) ([]string, []int, error) {
	names, idx := make([]string, n), make([]int, n)
	off := 0
	for _, r := range regs {
		if err := claim(r.Name, what); err != nil {
			return nil, nil, err
		}
		if r.Offset != off || r.Size < 1 || r.Size > n-off {
			return nil, nil, fmt.Errorf("%s %s: registers must cover the %d %s contiguously in declaration order",
				what, r.Name, n, unit)
		}
		for i := 0; i < r.Size; i++ {
			names[off+i], idx[off+i] = r.Name, i
		}
		off += r.Size
	}
	if off != n {
		return nil, nil, fmt.Errorf("registers cover %d of %d %s", off, n, unit)
	}
	return names, idx, nil
}

// checkIdent reports whether s is an OpenQASM 2 identifier.
func checkIdent(s string) error {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return fmt.Errorf("not an OpenQASM 2 identifier (must start with a lower-case letter)")
	}
	for i := 1; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return fmt.Errorf("not an OpenQASM 2 identifier (letters, digits and '_' only)")
		}
	}
	if keyword([]byte(s)) != tIdent {
		return fmt.Errorf("is a keyword")
	}
	return nil
}

func (w *writer) check(op *circuit.Op, needExtra map[*gateDef]bool) error {
	for _, q := range op.Qubits {
		if q < 0 || q >= w.c.NumQubits {
			return fmt.Errorf("qubit %d out of range", q)
		}
	}
	for _, b := range op.Clbits {
		if b < 0 || b >= w.c.NumClbits {
			return fmt.Errorf("clbit %d out of range", b)
		}
	}
	if op.Cond != nil {
		if op.Cond.CReg < 0 || op.Cond.CReg >= len(w.c.CRegs) || op.Cond.Value == nil || op.Cond.Value.Sign() < 0 {
			return fmt.Errorf("invalid condition")
		}
		if op.Kind == circuit.Barrier {
			return fmt.Errorf("a barrier cannot be conditioned in OpenQASM 2")
		}
	}
	for _, p := range op.Params {
		v, ok := p.Value()
		if !ok {
			return fmt.Errorf("parameter %s is not bound to a number", p)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("parameter %v is not a finite number", v)
		}
	}
	switch op.Kind {
	case circuit.Measure:
		if len(op.Qubits) != 1 || len(op.Clbits) != 1 {
			return fmt.Errorf("measure takes one qubit and one clbit")
		}
	case circuit.Reset:
		if len(op.Qubits) != 1 {
			return fmt.Errorf("reset takes one qubit")
		}
	case circuit.Barrier:
		if len(op.Qubits) == 0 {
			return fmt.Errorf("barrier on no qubits")
		}
	case circuit.GateOp:
		nq, np := 0, 0
		switch g := op.Gate; {
		case g == nil:
			o, ok := w.opaques[op.Name]
			if !ok {
				return fmt.Errorf("gate %q is neither a table gate nor declared opaque", op.Name)
			}
			nq, np = o.Qubits, o.Params
		case g.Name == "U" || g.Name == "CX":
			w.gateName[g] = g.Name
			nq, np = g.Qubits, len(g.Params)
		case w.lib.tables[g] != nil:
			w.needLib = true
			w.gateName[g] = w.lib.tables[g].name
			nq, np = g.Qubits, len(g.Params)
		case extra().tables[g] != nil:
			w.needLib = true
			d := extra().tables[g]
			needExtra[d] = true
			w.gateName[g] = d.name
			nq, np = g.Qubits, len(g.Params)
		default:
			return fmt.Errorf("gate %s has no OpenQASM 2 form (not in qelib1.inc)", g.Name)
		}
		if len(op.Qubits) != nq || len(op.Params) != np {
			return fmt.Errorf("gate %s takes %d parameters and %d qubits, got %d and %d", op.Name, np, nq, len(op.Params), len(op.Qubits))
		}
		w.stamp++
		for _, q := range op.Qubits {
			if w.mark[q] == w.stamp {
				return fmt.Errorf("gate %s: repeated qubit argument", op.Name)
			}
			w.mark[q] = w.stamp
		}
	default:
		return fmt.Errorf("unknown op kind %v", op.Kind)
	}
	return nil
}

func (w *writer) emit(b *bufio.Writer) {
	c := w.c
	b.WriteString("OPENQASM 2.0;\n")
	if w.needLib {
		b.WriteString("include \"qelib1.inc\";\n")
	}
	ext := extra()
	for _, d := range w.extras {
		b.Write(ext.src[d.start:d.end])
		b.WriteByte('\n')
	}
	for _, o := range c.Opaques {
		b.WriteString("opaque ")
		b.WriteString(o.Name)
		if o.Params > 0 {
			b.WriteByte('(')
			for i := 0; i < o.Params; i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString("p" + strconv.Itoa(i))
			}
			b.WriteByte(')')
		}
		for i := 0; i < o.Qubits; i++ {
			if i == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteByte(',')
			}
			b.WriteString("q" + strconv.Itoa(i))
		}
		b.WriteString(";\n")
	}
	for _, r := range c.QRegs {
		fmt.Fprintf(b, "qreg %s[%d];\n", r.Name, r.Size)
	}
	for _, r := range c.CRegs {
		fmt.Fprintf(b, "creg %s[%d];\n", r.Name, r.Size)
	}
	for i := range c.Ops {
		w.op(b, &c.Ops[i])
	}
}

func (w *writer) qubit(b *bufio.Writer, q int) {
	b.WriteString(w.qname[q])
	b.WriteByte('[')
	b.WriteString(strconv.Itoa(w.qidx[q]))
	b.WriteByte(']')
}

func (w *writer) op(b *bufio.Writer, op *circuit.Op) {
	if op.Cond != nil {
		b.WriteString("if(")
		b.WriteString(w.c.CRegs[op.Cond.CReg].Name)
		b.WriteString("==")
		b.WriteString(op.Cond.Value.String())
		b.WriteString(") ")
	}
	switch op.Kind {
	case circuit.Measure:
		b.WriteString("measure ")
		w.qubit(b, op.Qubits[0])
		b.WriteString(" -> ")
		k := op.Clbits[0]
		b.WriteString(w.cname[k])
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(w.cidx[k]))
		b.WriteByte(']')
	case circuit.Reset:
		b.WriteString("reset ")
		w.qubit(b, op.Qubits[0])
	case circuit.Barrier:
		b.WriteString("barrier ")
		qs := op.Qubits
		for i := 0; i < len(qs); {
			if i > 0 {
				b.WriteByte(',')
			}
			if n := w.wholeRegister(qs[i:]); n > 0 {
				b.WriteString(w.qname[qs[i]])
				i += n
				continue
			}
			w.qubit(b, qs[i])
			i++
		}
	case circuit.GateOp:
		if op.Gate != nil {
			b.WriteString(w.gateName[op.Gate])
		} else {
			b.WriteString(op.Name)
		}
		if len(op.Params) > 0 {
			b.WriteByte('(')
			for i, p := range op.Params {
				if i > 0 {
					b.WriteByte(',')
				}
				v, _ := p.Value()
				b.WriteString(circuit.FormatFloat(v))
			}
			b.WriteByte(')')
		}
		for i, q := range op.Qubits {
			if i == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteByte(',')
			}
			w.qubit(b, q)
		}
	}
	b.WriteString(";\n")
}

// wholeRegister returns the register size if qs starts with all of a
// register's qubits in order, else 0.
func (w *writer) wholeRegister(qs []int) int {
	q := qs[0]
	if w.qidx[q] != 0 {
		return 0
	}
	name := w.qname[q]
	n := 0
	for n < len(qs) && qs[n] == q+n && w.qname[qs[n]] == name {
		n++
	}
	if q+n < len(w.qname) && w.qname[q+n] == name {
		return 0 // the register continues beyond this run
	}
	return n
}
