package qasm

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"strconv"
	"strings"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// Default limits applied where an Options field is zero.
const (
	// DefaultMaxOps is the default Options.MaxOps.
	DefaultMaxOps = 10_000_000
	// DefaultMaxDepth is the default Options.MaxDepth.
	DefaultMaxDepth = 64
	// DefaultMaxQubits is the default Options.MaxQubits.
	DefaultMaxQubits = 1 << 16
	// DefaultMaxClbits is the default Options.MaxClbits.
	DefaultMaxClbits = 1 << 16
)

// maxIncludeBytes bounds the total size of the files one parse includes; a
// variable so that tests can lower it.
var maxIncludeBytes int64 = 64 << 20

const (
	maxIncludeDepth = 16
	// workPerOp scales MaxOps into the bound on expansion work (gate-body
	// statements visited, arguments mapped and expression nodes evaluated),
	// which also bounds expansions that produce few or no operations.
	workPerOp = 16
	// qubitsPerOp: an operation counts as one towards MaxOps, plus one for
	// every qubitsPerOp qubits it acts on, so that wide barriers are paid for.
	qubitsPerOp = 16
)

// Options controls parsing. The zero value is the safe server default:
// only the built-in qelib1.inc may be included, with the default limits.
// Limits above fixed ceilings (MaxOps 2^40, MaxDepth 10000, MaxQubits and
// MaxClbits 2^24) are lowered to them.
type Options struct {
	// Name is the file name used in errors and warnings; default "<input>".
	Name string
	// IncludeDir is the directory from which includes other than
	// qelib1.inc may be read. Empty (the default) allows only the built-in
	// qelib1.inc. Include paths must be relative, must not contain "..",
	// and must resolve (after symbolic links) inside IncludeDir.
	IncludeDir string
	// MaxOps caps the operations the program produces after gate expansion
	// (default DefaultMaxOps). An operation counts one, plus one per 16
	// qubits it acts on.
	MaxOps int
	// MaxDepth caps the nesting depth of user gate definitions used by a
	// call (default DefaultMaxDepth).
	MaxDepth int
	// MaxQubits caps the total number of qubits declared (default
	// DefaultMaxQubits).
	MaxQubits int
	// MaxClbits caps the total number of clbits declared (default
	// DefaultMaxClbits).
	MaxClbits int
}

func (o Options) withDefaults() Options {
	if o.Name == "" {
		o.Name = "<input>"
	}
	if o.MaxOps <= 0 {
		o.MaxOps = DefaultMaxOps
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxQubits <= 0 {
		o.MaxQubits = DefaultMaxQubits
	}
	if o.MaxClbits <= 0 {
		o.MaxClbits = DefaultMaxClbits
	}
	o.MaxOps = min(o.MaxOps, ceilingOps)
	o.MaxDepth = min(o.MaxDepth, ceilingDepth)
	o.MaxQubits = min(o.MaxQubits, ceilingBits)
	o.MaxClbits = min(o.MaxClbits, ceilingBits)
	return o
}

// Hard ceilings on the limits, whatever Options asks for: they keep the
// parser's own bookkeeping (a mark per qubit, recursion per nesting level,
// counters scaled from MaxOps) bounded and free of overflow.
const (
	ceilingOps   = 1 << 40
	ceilingDepth = 10_000
	ceilingBits  = 1 << 24
)

// Parse reads an OpenQASM 2.0 program. It returns the circuit, the warnings
// (at most 100, then one saying that more were suppressed; on failure those
// found before the error), and on failure a nil circuit and an *Error
// locating the first problem.
// Gates of the built-in qelib1.inc become table gates; gates defined in the
// program are expanded into table gates; opaque gates become ops with a nil
// Gate. Each op records the line and column of the main-program statement
// that produced it.
func Parse(src []byte, opt Options) (c *circuit.Circuit, warnings []Warning, err error) {
	p := newParser(opt.withDefaults())
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			c, warnings, err = nil, p.warns, b.err
		}
	}()
	p.parseFile(src, p.opt.Name, true)
	return p.c, p.warns, nil
}

// ParseFile reads and parses the file at path. Options.Name defaults to
// path; IncludeDir is not set implicitly. A read failure is returned as a
// wrapped *fs.PathError, a parse failure as an *Error.
func ParseFile(path string, opt Options) (*circuit.Circuit, []Warning, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("qasm: %w", err)
	}
	if opt.Name == "" {
		opt.Name = path
	}
	return Parse(src, opt)
}

type symKind uint8

const (
	symQReg symKind = iota
	symCReg
	symGate
)

// symbol is a global name: a register or a gate.
type symbol struct {
	kind symKind
	reg  int // index into QRegs or CRegs
	def  *gateDef
	// qelib1 marks a gate declared by the built-in qelib1.inc that the
	// program may still replace once with an identical signature.
	qelib1    bool
	file      string
	line, col int
}

// parser holds the state of one Parse call.
type parser struct {
	opt   Options
	c     *circuit.Circuit
	warns []Warning
	syms  map[string]*symbol

	// The file being read.
	lx   *lexer
	tok  token
	prev token
	file string

	// opLine and opCol are stamped on ops: the current main-program statement.
	opLine, opCol int
	inInclude     int
	includeStack  []includeFrame
	includeBytes  int64
	includeRoot   string // IncludeDir after resolving symbolic links
	qelib1        bool

	used, work int64 // MaxOps units and expansion work spent
	workLimit  int64
	exprDepth  int
	// params and args index the formal parameters and qubits of the gate
	// being defined; argMark detects repeated arguments in its body.
	params, args map[string]int
	argMark      []uint32
	argStamp     uint32
	gateName     string
	defs         []*gateDef // gate definitions in source order
	// Buffers reused by every main-program gate call.
	exprBuf        []*expr
	paramBuf       []float64
	argBuf         []argRef
	pool           []*expr // constant nodes of the current main-program statement
	poolUsed       int
	mark           []uint32 // duplicate detection, indexed by qubit
	stamp          uint32
	slab           []int
	slabSize       int // size of the last slab allocated
	maxValueDigits int
}

type includeFrame struct{ path, name string }

func newParser(opt Options) *parser {
	p := &parser{opt: opt, c: &circuit.Circuit{}, syms: make(map[string]*symbol)}
	p.workLimit = int64(opt.MaxOps) * workPerOp
	// A condition value needs at most as many digits as 2^MaxClbits.
	p.maxValueDigits = int(float64(opt.MaxClbits)*math.Log10(2)) + 2
	for _, name := range []string{"U", "CX"} {
		g, _ := gate.Lookup(name)
		p.syms[name] = &symbol{kind: symGate, def: &gateDef{name: name, nparams: len(g.Params), nqubits: g.Qubits, table: g}}
	}
	return p
}

func (p *parser) fail(line, col int, msg string) {
	panic(bailout{&Error{File: p.file, Line: line, Col: col, Msg: clipWords(msg)}})
}

// clipWords shortens every run of more than 64 identifier or digit
// characters in a message, so that names and numbers from hostile input
// cannot make messages arbitrarily long.
func clipWords(msg string) string {
	if len(msg) < 200 {
		return msg
	}
	var b strings.Builder
	for i := 0; i < len(msg); {
		j := i
		for j < len(msg) && isIdentChar(msg[j]) {
			j++
		}
		switch {
		case j-i > 64:
			b.WriteString(msg[i : i+61])
			b.WriteString("...")
		case j > i:
			b.WriteString(msg[i:j])
		default:
			b.WriteByte(msg[i])
			j++
		}
		i = j
	}
	return b.String()
}

func (p *parser) failTok(t token, format string, args ...any) {
	p.fail(t.line, t.col, fmt.Sprintf(format, args...))
}

func (p *parser) warn(line, col int, format string, args ...any) {
	switch {
	case len(p.warns) < maxWarnings:
		p.warns = append(p.warns, Warning{File: p.file, Line: line, Col: col, Msg: clipWords(fmt.Sprintf(format, args...))})
	case len(p.warns) == maxWarnings:
		p.warns = append(p.warns, Warning{File: p.file, Line: line, Col: col, Msg: "further warnings suppressed"})
	}
}

func (p *parser) next() {
	p.prev = p.tok
	p.tok = p.lx.next()
}

func (p *parser) text(t token) string { return string(p.lx.src[t.start:t.end]) }

// bytes returns a token's text without copying; map lookups with
// string(p.bytes(t)) do not allocate.
func (p *parser) bytes(t token) []byte { return p.lx.src[t.start:t.end] }

// describe names a token for "found …" messages.
func (p *parser) describe(t token) string {
	switch t.kind {
	case tIdent:
		return "identifier " + clip(p.text(t))
	case tInt, tReal:
		return "number " + clip(p.text(t))
	case tString:
		return "string " + strconv.Quote(clip(p.text(t)))
	case tEOF:
		return "end of file"
	}
	if t.kind >= kOPENQASM {
		return "keyword " + t.kind.String()
	}
	return t.kind.String()
}

func (p *parser) expect(k tokKind, what string) token {
	if p.tok.kind != k {
		p.failTok(p.tok, "expected %s, found %s", what, p.describe(p.tok))
	}
	t := p.tok
	p.next()
	return t
}

// expectSemi ends a statement. A missing ';' before a new line is reported
// just after the previous token.
func (p *parser) expectSemi() {
	if p.tok.kind == tSemi {
		p.next()
		return
	}
	if p.tok.line > p.prev.line || p.tok.kind == tEOF {
		p.fail(p.prev.line, p.prev.col+(p.prev.end-p.prev.start), "missing ';' at end of statement")
	}
	p.failTok(p.tok, "expected ';', found %s", p.describe(p.tok))
}

func (p *parser) ident(what string) token {
	if p.tok.kind != tIdent {
		p.failTok(p.tok, "expected %s, found %s", what, p.describe(p.tok))
	}
	return p.expect(tIdent, what)
}

// parseFile reads one source file to the end: the main program (main) or an
// included file.
func (p *parser) parseFile(src []byte, name string, main bool) {
	p.lx = newLexer(src, p.fail)
	p.file = name
	p.next()
	if p.tok.kind == kOPENQASM {
		p.next()
		v := p.tok
		if v.kind != tInt && v.kind != tReal {
			p.failTok(v, "expected a version number after OPENQASM, found %s", p.describe(v))
		}
		if f, err := strconv.ParseFloat(p.text(v), 64); err != nil || f != 2 {
			p.failTok(v, "unsupported OpenQASM version %s (only 2.0 is supported)", clip(p.text(v)))
		}
		p.next()
		p.expectSemi()
	} else if main {
		if p.tok.kind == tEOF {
			p.fail(1, 1, "empty program: expected \"OPENQASM 2.0;\"")
		}
		p.warn(1, 1, "missing \"OPENQASM 2.0;\" header; assuming version 2.0")
	}
	for p.tok.kind != tEOF {
		p.statement()
	}
}

func (p *parser) statement() {
	t := p.tok
	if p.inInclude == 0 {
		p.opLine, p.opCol = t.line, t.col
	}
	p.poolUsed = 0
	switch t.kind {
	case kOPENQASM:
		p.failTok(t, "OPENQASM header must be the first statement of a file")
	case kInclude:
		p.include()
	case kQreg, kCreg:
		p.regDecl()
	case kGate:
		p.gateDecl()
	case kOpaque:
		p.opaqueDecl()
	case kIf:
		p.ifStmt()
	case kBarrier:
		p.barrier()
	case kMeasure, kReset, tIdent:
		p.qop(nil)
	default:
		p.failTok(t, "expected a statement, found %s", p.describe(t))
	}
}

// intValue parses an integer token, saturating at limit+1.
func (p *parser) intValue(t token, limit int) int {
	v := 0
	for _, c := range p.lx.src[t.start:t.end] {
		v = v*10 + int(c-'0')
		if v > limit {
			return limit + 1
		}
	}
	return v
}

func (p *parser) regDecl() {
	kw := p.tok
	p.next()
	nameTok := p.ident("register name")
	name := p.text(nameTok)
	p.expect(tLBracket, "'['")
	sizeTok := p.expect(tInt, "register size")
	p.expect(tRBracket, "']'")
	p.expectSemi()
	p.declare(name, nameTok)
	limit, total, unit := p.opt.MaxQubits, p.c.NumQubits, "qubits"
	if kw.kind == kCreg {
		limit, total, unit = p.opt.MaxClbits, p.c.NumClbits, "clbits"
	}
	size := p.intValue(sizeTok, limit)
	if size == 0 {
		p.failTok(sizeTok, "register %s must have at least one bit", name)
	}
	if size > limit-total {
		p.failTok(sizeTok, "register %s[%s] exceeds the limit of %d %s in total", name, clip(p.text(sizeTok)), limit, unit)
	}
	sym := &symbol{file: p.file, line: nameTok.line, col: nameTok.col}
	r := circuit.Register{Name: name, Size: size}
	if kw.kind == kQreg {
		r.Offset = p.c.NumQubits
		sym.kind, sym.reg = symQReg, len(p.c.QRegs)
		p.c.QRegs = append(p.c.QRegs, r)
		p.c.NumQubits += size
	} else {
		r.Offset = p.c.NumClbits
		sym.kind, sym.reg = symCReg, len(p.c.CRegs)
		p.c.CRegs = append(p.c.CRegs, r)
		p.c.NumClbits += size
	}
	p.syms[name] = sym
}

// declare checks that a new register name is free.
func (p *parser) declare(name string, t token) {
	if s, ok := p.syms[name]; ok {
		p.failTok(t, "%s is already defined%s", name, s.where(p.file))
	}
}

// where describes a symbol's definition site for "already defined" messages.
func (s *symbol) where(file string) string {
	switch {
	case s.qelib1:
		return " (by qelib1.inc)"
	case s.line == 0:
		return " (built-in gate)"
	case s.file != file:
		return fmt.Sprintf(" (at %s:%d:%d)", s.file, s.line, s.col)
	}
	return fmt.Sprintf(" (at %d:%d)", s.line, s.col)
}

// argRef is a quantum or classical argument: a whole register (idx < 0) or
// one bit of it.
type argRef struct {
	reg circuit.Register
	idx int
	tok token
}

func (a argRef) size() int {
	if a.idx < 0 {
		return a.reg.Size
	}
	return 1
}

func (a argRef) bit(i int) int {
	if a.idx < 0 {
		return a.reg.Offset + i
	}
	return a.reg.Offset + a.idx
}

// argument parses id or id[int] naming a register of the given kind.
func (p *parser) argument(kind symKind) argRef {
	what := "a qubit argument"
	if kind == symCReg {
		what = "a classical argument"
	}
	t := p.ident(what)
	s := p.syms[string(p.bytes(t))]
	name := ""
	if s == nil || s.kind != kind {
		name = p.text(t)
	}
	var a argRef
	a.tok = t
	switch {
	case s == nil:
		if kind == symQReg {
			p.failTok(t, "undefined quantum register %s", name)
		}
		p.failTok(t, "undefined classical register %s", name)
	case s.kind == symGate:
		p.failTok(t, "%s is a gate, not a register", name)
	case s.kind != kind && kind == symQReg:
		p.failTok(t, "%s is a classical register; expected a quantum register", name)
	case s.kind != kind:
		p.failTok(t, "%s is a quantum register; expected a classical register", name)
	case kind == symQReg:
		a.reg = p.c.QRegs[s.reg]
	default:
		a.reg = p.c.CRegs[s.reg]
	}
	a.idx = -1
	if p.tok.kind == tLBracket {
		p.next()
		it := p.expect(tInt, "an index")
		p.expect(tRBracket, "']'")
		a.idx = p.intValue(it, a.reg.Size)
		if a.idx >= a.reg.Size {
			p.failTok(t, "index %s out of range for register %s of size %d", clip(p.text(it)), a.reg.Name, a.reg.Size)
		}
	}
	return a
}

// ints returns a zeroed slice of n ints carved from a shared slab, so that
// the qubit lists of many small ops cost few allocations.
func (p *parser) ints(n int) []int {
	if n > 256 {
		return make([]int, n)
	}
	if len(p.slab) < n {
		// Slabs start small (most circuits are small) and double up to
		// 4096 ints.
		p.slabSize = min(max(2*p.slabSize, 64), 4096)
		p.slab = make([]int, max(p.slabSize, n))
	}
	s := p.slab[:n:n]
	p.slab = p.slab[n:]
	return s
}

// nextStamp starts a duplicate check over the qubits.
func (p *parser) nextStamp() uint32 {
	if len(p.mark) < p.c.NumQubits {
		p.mark = append(p.mark, make([]uint32, p.c.NumQubits-len(p.mark))...)
	}
	p.stamp++
	if p.stamp == 0 {
		clear(p.mark)
		p.stamp = 1
	}
	return p.stamp
}

// reserve accounts for ops MaxOps units and work expansion steps before
// they are produced.
func (p *parser) reserve(ops, work int64, t token) {
	if ops > int64(p.opt.MaxOps)-p.used {
		p.failTok(t, "program expands to more than %d operations (limit MaxOps)", p.opt.MaxOps)
	}
	if work > p.workLimit-p.work {
		p.failTok(t, "gate expansion needs more than %d steps (limit %d×MaxOps)", p.workLimit, workPerOp)
	}
	p.used += ops
	p.work += work
}

func opCost(nqubits int) int64 { return 1 + int64(nqubits/qubitsPerOp) }

// condSpec is a parsed if(creg == value).
type condSpec struct {
	creg  int
	value *big.Int
}

func (c *condSpec) make() *circuit.Condition {
	if c == nil {
		return nil
	}
	return &circuit.Condition{CReg: c.creg, Value: new(big.Int).Set(c.value)}
}

func (p *parser) ifStmt() {
	p.next()
	p.expect(tLParen, "'(' after if")
	t := p.ident("a classical register")
	name := p.text(t)
	s := p.syms[name]
	switch {
	case s == nil:
		p.failTok(t, "undefined classical register %s", name)
	case s.kind == symQReg:
		p.failTok(t, "%s is a quantum register; if needs a classical register", name)
	case s.kind == symGate:
		p.failTok(t, "%s is a gate, not a register", name)
	}
	if p.tok.kind == tLBracket {
		p.failTok(p.tok, "if compares a whole register; a single bit c[i] is not allowed in OpenQASM 2.0")
	}
	p.expect(tEqEq, "'=='")
	vt := p.tok
	if vt.kind == tMinus {
		p.failTok(vt, "condition value must be a non-negative integer")
	}
	p.expect(tInt, "an integer")
	p.expect(tRParen, "')'")
	if vt.end-vt.start > p.maxValueDigits {
		p.failTok(vt, "condition value %s has more than %d digits", clip(p.text(vt)), p.maxValueDigits)
	}
	v, _ := new(big.Int).SetString(p.text(vt), 10)
	reg := p.c.CRegs[s.reg]
	if v.BitLen() > reg.Size {
		p.warn(vt.line, vt.col, "condition %s == %s can never hold: register %s has %d bits", name, clip(p.text(vt)), name, reg.Size)
	}
	switch p.tok.kind {
	case kMeasure, kReset, tIdent:
		p.qop(&condSpec{creg: s.reg, value: v})
	default:
		p.failTok(p.tok, "expected a gate call, measure or reset after if(...), found %s", p.describe(p.tok))
	}
}

// qop parses a gate call, measure or reset, optionally conditioned.
func (p *parser) qop(cond *condSpec) {
	switch p.tok.kind {
	case kMeasure:
		p.measure(cond)
	case kReset:
		kw := p.tok
		p.next()
		a := p.argument(symQReg)
		p.expectSemi()
		n := a.size()
		p.reserve(int64(n), int64(n), kw)
		for i := 0; i < n; i++ {
			q := p.ints(1)
			q[0] = a.bit(i)
			p.emit(circuit.Op{Kind: circuit.Reset, Qubits: q, Cond: cond.make()})
		}
	default:
		p.gateCall(cond)
	}
}

func (p *parser) measure(cond *condSpec) {
	kw := p.tok
	p.next()
	q := p.argument(symQReg)
	p.expect(tArrow, "'->'")
	c := p.argument(symCReg)
	p.expectSemi()
	if (q.idx < 0) != (c.idx < 0) {
		p.failTok(kw, "measure needs two registers or two single bits, not a mix")
	}
	if q.size() != c.size() {
		p.failTok(kw, "measure: register %s has %d qubits but %s has %d bits", q.reg.Name, q.size(), c.reg.Name, c.size())
	}
	n := q.size()
	p.reserve(int64(n), int64(n), kw)
	for i := 0; i < n; i++ {
		qs, cs := p.ints(1), p.ints(1)
		qs[0], cs[0] = q.bit(i), c.bit(i)
		p.emit(circuit.Op{Kind: circuit.Measure, Qubits: qs, Clbits: cs, Cond: cond.make()})
	}
}

func (p *parser) barrier() {
	kw := p.tok
	p.next()
	if p.tok.kind == tSemi {
		p.failTok(p.tok, "barrier needs at least one qubit argument")
	}
	args := p.argBuf[:0]
	total := 0
	for {
		a := p.argument(symQReg)
		args = append(args, a)
		total += a.size()
		if p.tok.kind != tComma {
			break
		}
		p.next()
	}
	p.argBuf = args
	p.expectSemi()
	stamp := p.nextStamp()
	qs := make([]int, 0, total)
	for _, a := range args {
		for i := 0; i < a.size(); i++ {
			if q := a.bit(i); p.mark[q] != stamp {
				p.mark[q] = stamp
				qs = append(qs, q)
			}
		}
	}
	qs = qs[:len(qs):len(qs)]
	p.reserve(opCost(len(qs)), int64(len(qs)), kw)
	p.emit(circuit.Op{Kind: circuit.Barrier, Qubits: qs})
}

func (p *parser) emit(op circuit.Op) {
	op.Line, op.Col = p.opLine, p.opCol
	if len(p.c.Ops) == cap(p.c.Ops) {
		p.growOps()
	}
	p.c.Ops = append(p.c.Ops, op)
}

// growOps enlarges the op slice to the size projected from the share of the
// main program read so far (never beyond MaxOps), so that a large file
// reallocates a few times instead of many.
func (p *parser) growOps() {
	n := len(p.c.Ops)
	want := n + n/2 + 16
	if n == 0 {
		// A first guess from the source's size: about one op per 16
		// bytes, so that a large file rarely grows the slice twice.
		want = max(want, len(p.lx.src)/16)
	}
	if p.inInclude == 0 && p.lx.off > 0 {
		want = max(want, int(float64(n)*float64(len(p.lx.src))/float64(p.lx.off)*1.05)+16)
	}
	want = min(want, p.opt.MaxOps)
	ops := make([]circuit.Op, n, max(want, n+1))
	copy(ops, p.c.Ops)
	p.c.Ops = ops
}

// lookupGate resolves a gate name at a call.
func (p *parser) lookupGate(t token) *gateDef {
	s := p.syms[string(p.bytes(t))]
	if s == nil || s.kind != symGate {
		p.undefinedGate(t, s)
	}
	return s.def
}

func (p *parser) undefinedGate(t token, s *symbol) {
	name := p.text(t)
	if s == nil {
		if name == p.gateName {
			p.failTok(t, "gate %s cannot call itself (a gate must be defined before it is used)", name)
		}
		if !p.qelib1 {
			if lib := qelib1(); lib.err == nil && lib.byName[name] != nil {
				p.failTok(t, "undefined gate %s (missing include \"qelib1.inc\"?)", name)
			}
		}
		p.failTok(t, "undefined gate %s", name)
	}
	p.failTok(t, "%s is a register, not a gate", name)
}

// callParams parses an optional parenthesised expression list, appending
// to out.
func (p *parser) callParams(out []*expr) []*expr {
	if p.tok.kind != tLParen {
		return out
	}
	p.next()
	if p.tok.kind != tRParen {
		for {
			out = append(out, p.expr())
			if p.tok.kind != tComma {
				break
			}
			p.next()
		}
	}
	p.expect(tRParen, "')' or ','")
	return out
}

func (p *parser) checkArity(d *gateDef, t token, nparams, nqubits int) {
	if nparams != d.nparams {
		p.failTok(t, "gate %s takes %s, got %d", d.name, plural(d.nparams, "parameter"), nparams)
	}
	if nqubits != d.nqubits {
		p.failTok(t, "gate %s takes %s, got %d", d.name, plural(d.nqubits, "qubit argument"), nqubits)
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func (p *parser) gateCall(cond *condSpec) {
	nameTok := p.ident("a gate name")
	d := p.lookupGate(nameTok)
	p.exprBuf = p.callParams(p.exprBuf[:0])
	params := p.paramBuf[:0]
	for _, e := range p.exprBuf {
		params = append(params, e.val) // main-program expressions are constant
	}
	p.paramBuf = params
	args := p.argBuf[:0]
	for {
		args = append(args, p.argument(symQReg))
		if p.tok.kind != tComma {
			break
		}
		p.next()
	}
	p.argBuf = args
	p.expectSemi()
	p.checkArity(d, nameTok, len(params), len(args))
	if d.depth > p.opt.MaxDepth {
		p.failTok(nameTok, "gate %s nests %d levels of gate definitions, more than the limit of %d (MaxDepth)", d.name, d.depth, p.opt.MaxDepth)
	}
	// Broadcast: every whole-register argument must have the same size.
	n, first := 1, -1
	for i, a := range args {
		if a.idx >= 0 {
			continue
		}
		if first < 0 {
			n, first = a.reg.Size, i
		} else if a.reg.Size != n {
			p.failTok(a.tok, "cannot broadcast %s over registers of different sizes: %s has %d qubits, %s has %d",
				d.name, args[first].reg.Name, n, a.reg.Name, a.reg.Size)
		}
	}
	p.reserve(satMul(d.cost, int64(n)), satMul(d.work, int64(n)), nameTok)
	for i := 0; i < n; i++ {
		stamp := p.nextStamp()
		var qs []int
		if d.leaf() {
			qs = p.ints(len(args)) // kept by the op
		} else {
			qs = make([]int, len(args))
		}
		for j, a := range args {
			q := a.bit(i)
			if p.mark[q] == stamp {
				p.failTok(a.tok, "qubit %s[%d] appears twice in the arguments of %s", a.reg.Name, q-a.reg.Offset, d.name)
			}
			p.mark[q] = stamp
			qs[j] = q
		}
		p.apply(d, params, qs, cond, nameTok)
	}
}
