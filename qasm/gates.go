package qasm

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// gateDef is a gate known to the parser: a table gate (U, CX and the gates
// of the built-in qelib1.inc), an opaque gate, or a gate defined in OpenQASM
// whose body is expanded at each call. Definitions made by the built-in
// qelib1.inc are shared between parses and never modified.
type gateDef struct {
	name             string
	nparams, nqubits int
	table            *gate.Gate // non-nil: a table gate, not expanded
	opaque           bool
	body             []bodyOp
	// cost is the MaxOps units one call produces, work the expansion steps
	// it takes, depth the nesting of user definitions (0 for leaves). All
	// saturate instead of overflowing.
	cost, work int64
	depth      int
	file       string
	line, col  int
	// start and end delimit the definition's text in its source.
	start, end int
}

// leaf reports whether a call produces exactly one op.
func (d *gateDef) leaf() bool { return d.table != nil || d.opaque }

// bodyOp is one statement of a gate body: a call of callee (barrier if nil)
// with parameter expressions over the gate's parameters and qubit arguments
// given as indices into the gate's qubit list.
type bodyOp struct {
	callee *gateDef
	params []*expr
	args   []int
}

const satMax = math.MaxInt64 / 4

func satAdd(a, b int64) int64 { return min(a+b, satMax) }

func satMul(a, b int64) int64 {
	if a != 0 && b > satMax/a {
		return satMax
	}
	return min(a*b, satMax)
}

// measure computes cost, work and depth from the body.
func (d *gateDef) measure() {
	if d.leaf() {
		d.cost, d.work, d.depth = opCost(d.nqubits), 1, 0
		return
	}
	d.cost, d.work, d.depth = 0, 1, 1
	for _, b := range d.body {
		w := int64(1 + len(b.args))
		for _, e := range b.params {
			w += int64(e.size)
		}
		switch {
		case b.callee == nil:
			d.cost = satAdd(d.cost, opCost(len(b.args)))
		case b.callee.leaf():
			d.cost = satAdd(d.cost, b.callee.cost)
		default:
			d.cost = satAdd(d.cost, b.callee.cost)
			w = satAdd(w, b.callee.work)
			d.depth = max(d.depth, b.callee.depth+1)
		}
		d.work = satAdd(d.work, w)
	}
}

// apply produces the ops of one call of d on qubits with numeric params.
// t is the call site in the main program, for errors.
func (p *parser) apply(d *gateDef, params []float64, qubits []int, cond *condSpec, t token) {
	if d.leaf() {
		ps := make([]circuit.Param, len(params))
		for i, v := range params {
			ps[i] = circuit.Const(v)
		}
		name := d.name
		if d.table != nil {
			name = d.table.Name // canonical
		}
		p.emit(circuit.Op{Kind: circuit.GateOp, Gate: d.table, Name: name, Params: ps, Qubits: qubits, Cond: cond.make()})
		return
	}
	for i := range d.body {
		b := &d.body[i]
		var qs []int
		if b.callee == nil || b.callee.leaf() {
			qs = p.ints(len(b.args))
		} else {
			qs = make([]int, len(b.args))
		}
		for j, a := range b.args {
			qs[j] = qubits[a]
		}
		if b.callee == nil {
			// A barrier has no effect on the state, so it is kept even under
			// a condition, unconditioned (OpenQASM 2 cannot condition one).
			p.emit(circuit.Op{Kind: circuit.Barrier, Qubits: qs})
			continue
		}
		vals := make([]float64, len(b.params))
		for j, e := range b.params {
			v, bad, msg := e.eval(params)
			if bad != nil {
				p.failTok(t, "%s at %s:%d:%d in the body of gate %s", msg, d.file, bad.line, bad.col, d.name)
			}
			vals[j] = v
		}
		p.apply(b.callee, vals, qs, cond, t)
	}
}

// gateHeader parses "name [(params)] args" of a gate or opaque declaration.
func (p *parser) gateHeader(what string) (nameTok token, params, args []string) {
	p.next()
	nameTok = p.ident(what + " name")
	seen := map[string]bool{}
	idlist := func(kind string, close tokKind) []string {
		var out []string
		if p.tok.kind == close {
			return out
		}
		for {
			t := p.ident(kind)
			n := p.text(t)
			if seen[n] {
				p.failTok(t, "%s is declared twice in the signature of %s", n, p.text(nameTok))
			}
			seen[n] = true
			out = append(out, n)
			if p.tok.kind != tComma {
				return out
			}
			p.next()
		}
	}
	if p.tok.kind == tLParen {
		p.next()
		params = idlist("a parameter name", tRParen)
		p.expect(tRParen, "')' or ','")
	}
	if p.tok.kind != tIdent {
		p.failTok(p.tok, "expected a qubit argument name, found %s", p.describe(p.tok))
	}
	args = idlist("a qubit argument name", tEOF)
	return nameTok, params, args
}

// define enters d under its name, applying the redefinition rules. It
// returns false if the declaration is to be ignored.
func (p *parser) define(d *gateDef, t token) bool {
	s := p.checkRedefine(d, t)
	if s == nil {
		p.syms[d.name] = &symbol{kind: symGate, def: d, file: p.file, line: t.line, col: t.col}
		p.defs = append(p.defs, d)
		return true
	}
	if d.opaque {
		p.warn(t.line, t.col, "opaque declaration of qelib1.inc gate %s ignored; the built-in gate is used", d.name)
		return false
	}
	p.warn(t.line, t.col, "gate %s redefines the qelib1.inc gate; calls from here on expand this definition", d.name)
	p.syms[d.name] = &symbol{kind: symGate, def: d, file: p.file, line: t.line, col: t.col}
	p.defs = append(p.defs, d)
	return true
}

// checkRedefine fails unless d's name is free or names a qelib1.inc gate
// with the same signature, whose symbol it then returns.
func (p *parser) checkRedefine(d *gateDef, t token) *symbol {
	s := p.syms[d.name]
	if s == nil {
		return nil
	}
	if !s.qelib1 {
		p.failTok(t, "%s is already defined%s", d.name, s.where(p.file))
	}
	if old := s.def; old.nparams != d.nparams || old.nqubits != d.nqubits {
		p.failTok(t, "gate %s conflicts with its qelib1.inc definition, which takes %s and %s",
			d.name, plural(old.nparams, "parameter"), plural(old.nqubits, "qubit argument"))
	}
	return s
}

func (p *parser) opaqueDecl() {
	nameTok, params, args := p.gateHeader("opaque gate")
	p.expectSemi()
	d := &gateDef{name: p.text(nameTok), nparams: len(params), nqubits: len(args), opaque: true,
		file: p.file, line: nameTok.line, col: nameTok.col}
	d.measure()
	if p.define(d, nameTok) {
		p.c.Opaques = append(p.c.Opaques, circuit.Opaque{Name: d.name, Params: d.nparams, Qubits: d.nqubits})
	}
}

func (p *parser) gateDecl() {
	start := p.tok.start
	nameTok, params, args := p.gateHeader("gate")
	name := p.text(nameTok)
	d := &gateDef{name: name, nparams: len(params), nqubits: len(args), file: p.file, line: nameTok.line, col: nameTok.col,
		start: start}
	// Check the name before reading the body, so that errors come in
	// source order; enter it only afterwards (a gate cannot call itself).
	p.checkRedefine(d, nameTok)
	open := p.expect(tLBrace, "'{'")
	p.params, p.args, p.gateName = index(params), index(args), name
	p.argMark = make([]uint32, len(args))
	for p.tok.kind != tRBrace {
		switch p.tok.kind {
		case tEOF:
			p.failTok(open, "unterminated body of gate %s: missing '}'", name)
		case kBarrier:
			p.next()
			b := bodyOp{args: p.bodyArgs(nil)}
			p.expectSemi()
			d.body = append(d.body, b)
		case tIdent:
			t := p.tok
			p.next()
			callee := p.lookupGate(t)
			b := bodyOp{callee: callee, params: p.callParams(nil)}
			b.args = p.bodyArgs(callee)
			p.expectSemi()
			p.checkArity(callee, t, len(b.params), len(b.args))
			d.body = append(d.body, b)
		default:
			p.failTok(p.tok, "only gate calls and barrier may appear in a gate body, found %s", p.describe(p.tok))
		}
	}
	d.end = p.tok.end
	p.next()
	p.params, p.args, p.gateName = nil, nil, ""
	d.measure()
	p.define(d, nameTok)
}

// bodyArgs parses the qubit arguments of a statement in a gate body: names of
// the gate's qubit arguments, distinct within a call (callee nil: barrier).
func (p *parser) bodyArgs(callee *gateDef) []int {
	var out []int
	p.argStamp++
	if p.argStamp == 0 {
		clear(p.argMark)
		p.argStamp = 1
	}
	for {
		t := p.ident("a qubit argument")
		idx, ok := p.args[string(p.bytes(t))]
		if !ok {
			p.failTok(t, "%s is not a qubit argument of gate %s", p.text(t), p.gateName)
		}
		if p.tok.kind == tLBracket {
			p.failTok(p.tok, "qubit arguments cannot be indexed inside a gate body")
		}
		if p.argMark[idx] != p.argStamp {
			p.argMark[idx] = p.argStamp
			out = append(out, idx)
		} else if callee != nil {
			p.failTok(t, "qubit %s appears twice in the arguments of %s", p.text(t), callee.name)
		} // a barrier lists each qubit once
		if p.tok.kind != tComma {
			return out
		}
		p.next()
	}
}

// index maps each name to its position.
func index(names []string) map[string]int {
	m := make(map[string]int, len(names))
	for i, n := range names {
		m[n] = i
	}
	return m
}

// library is the built-in qelib1.inc, parsed once.
type library struct {
	defs   []*gateDef
	byName map[string]*gateDef
	// tables maps each table gate that the library declares to its
	// definition there.
	tables map[*gate.Gate]*gateDef
	src    []byte
	err    error
}

var (
	qelib1Once sync.Once
	qelib1Lib  *library
	extraOnce  sync.Once
	extraLib   *library
)

// qelib1 returns the built-in qelib1.inc (gate.Qelib1Inc). Each gate it
// defines maps to the table gate of the same name when the signatures agree;
// a gate the table lacks is kept as a definition and expanded.
func qelib1() *library {
	qelib1Once.Do(func() { qelib1Lib = loadLibrary([]byte(gate.Qelib1Inc), "qelib1.inc") })
	return qelib1Lib
}

// extra returns the definitions of gate.ExtraInc (table gates in neither
// standard library), which the writer prepends when it needs them. Its
// tables and defs hold only the gates ExtraInc defines.
func extra() *library {
	extraOnce.Do(func() {
		q := qelib1()
		extraLib = loadLibrary([]byte(gate.Qelib1Inc+"\n"+gate.ExtraInc), "extra.inc")
		if extraLib.err == nil && q.err == nil {
			extraLib.defs = extraLib.defs[len(q.defs):]
			for g, d := range extraLib.tables {
				if !slices.Contains(extraLib.defs, d) {
					delete(extraLib.tables, g)
				}
			}
		}
	})
	return extraLib
}

func loadLibrary(src []byte, name string) (lib *library) {
	lib = &library{byName: map[string]*gateDef{}, tables: map[*gate.Gate]*gateDef{}, src: src}
	p := newParser(Options{Name: name}.withDefaults())
	p.inInclude = 1
	func() {
		defer func() {
			if r := recover(); r != nil {
				b, ok := r.(bailout)
				if !ok {
					panic(r)
				}
				lib.err = b.err
			}
		}()
		p.parseFile(src, name, false)
	}()
	if lib.err != nil {
		return lib
	}
	if len(p.c.Ops) > 0 || len(p.c.QRegs) > 0 || len(p.c.CRegs) > 0 || len(p.c.Opaques) > 0 {
		lib.err = fmt.Errorf("%s: contains statements other than gate definitions", name)
		return lib
	}
	// Definitions in source order, so each callee is measured before its
	// callers.
	lib.defs = p.defs
	for _, d := range lib.defs {
		if g, ok := gate.Lookup(d.name); ok && g.Qubits == d.nqubits && len(g.Params) == d.nparams {
			d.table = g
			lib.tables[g] = d
		}
		d.measure()
		lib.byName[d.name] = d
	}
	return lib
}

// includeQelib1 declares the built-in qelib1.inc gates.
func (p *parser) includeQelib1(t token) {
	lib := qelib1()
	if lib.err != nil {
		p.failTok(t, "internal error: built-in qelib1.inc: %v", lib.err)
	}
	if p.qelib1 {
		p.warn(t.line, t.col, "qelib1.inc is already included; ignoring the second include")
		return
	}
	p.qelib1 = true
	for _, d := range lib.defs {
		if s, ok := p.syms[d.name]; ok {
			p.failTok(t, "qelib1.inc defines gate %s, but %s is already defined%s", d.name, d.name, s.where(p.file))
		}
		p.syms[d.name] = &symbol{kind: symGate, def: d, qelib1: true}
	}
}
