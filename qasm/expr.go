package qasm

import (
	"errors"
	"math"
	"strconv"
)

// exprOp is the operation of an expression node.
type exprOp uint8

const (
	eConst exprOp = iota
	eParam
	eNeg
	eAdd
	eSub
	eMul
	eDiv
	ePow
	eSin
	eCos
	eTan
	eExp
	eLn
	eSqrt
)

var opText = [...]string{eNeg: "-", eAdd: "+", eSub: "-", eMul: "*", eDiv: "/", ePow: "^",
	eSin: "sin", eCos: "cos", eTan: "tan", eExp: "exp", eLn: "ln", eSqrt: "sqrt"}

// expr is a real expression in a gate body: constants are folded while
// parsing, so a tree only remains where a gate parameter is involved. In the
// main program every expression folds to a single eConst node.
type expr struct {
	op   exprOp
	val  float64 // eConst
	idx  int     // eParam: index into the gate's parameters
	x, y *expr
	// size is the number of nodes (evaluation cost); depth the tree height.
	size, depth int
	line, col   int // position of the operator, for evaluation errors
}

// maxExprDepth bounds expression nesting, both while parsing (recursion) and
// in the resulting tree (evaluation recursion).
const maxExprDepth = 1000

// apply evaluates one operation on finite operands. It returns a non-empty
// message instead of a non-finite result.
func apply(op exprOp, x, y float64) (float64, string) {
	var v float64
	switch op {
	case eNeg:
		v = -x
	case eAdd:
		v = x + y
	case eSub:
		v = x - y
	case eMul:
		v = x * y
	case eDiv:
		if y == 0 {
			return 0, "division by zero"
		}
		v = x / y
	case ePow:
		v = math.Pow(x, y)
	case eSin:
		v = math.Sin(x)
	case eCos:
		v = math.Cos(x)
	case eTan:
		v = math.Tan(x)
	case eExp:
		v = math.Exp(x)
	case eLn:
		if x <= 0 {
			return 0, "ln of non-positive number " + fmtNum(x)
		}
		v = math.Log(x)
	case eSqrt:
		if x < 0 {
			return 0, "sqrt of negative number " + fmtNum(x)
		}
		v = math.Sqrt(x)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		switch {
		case op == ePow:
			base := fmtNum(x)
			if x < 0 {
				base = "(" + base + ")"
			}
			return 0, base + "^" + fmtNum(y) + " is not a finite real number"
		case op >= eSin:
			return 0, opText[op] + "(" + fmtNum(x) + ") is not a finite real number"
		default:
			return 0, "result of '" + opText[op] + "' is not a finite real number"
		}
	}
	return v, ""
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', 10, 64) }

// eval evaluates e with gate parameters env. On failure it returns the node
// whose operation failed and a message.
func (e *expr) eval(env []float64) (float64, *expr, string) {
	switch e.op {
	case eConst:
		return e.val, nil, ""
	case eParam:
		return env[e.idx], nil, ""
	}
	x, bad, msg := e.x.eval(env)
	if bad != nil {
		return 0, bad, msg
	}
	var y float64
	if e.y != nil {
		if y, bad, msg = e.y.eval(env); bad != nil {
			return 0, bad, msg
		}
	}
	v, msg := apply(e.op, x, y)
	if msg != "" {
		return 0, e, msg
	}
	return v, nil, ""
}

// binPower returns the left and right binding powers of a binary operator
// token (l < 0 if it is not one). ^ is right-associative and binds tighter
// than unary minus (prefixPower), as in Qiskit: -pi^2 == -(pi^2).
func binPower(k tokKind) (l, r int, op exprOp) {
	switch k {
	case tPlus:
		return 1, 2, eAdd
	case tMinus:
		return 1, 2, eSub
	case tStar:
		return 3, 4, eMul
	case tSlash:
		return 3, 4, eDiv
	case tCaret:
		return 6, 5, ePow
	}
	return -1, -1, 0
}

const prefixPower = 5

// expr parses an expression. Identifiers resolve to the parameters of the
// gate being defined (p.params); in the main program there are none.
func (p *parser) expr() *expr { return p.binary(0) }

func (p *parser) binary(min int) *expr {
	p.exprDepth++
	if p.exprDepth > maxExprDepth {
		p.failTok(p.tok, "expression nested more than %d levels deep", maxExprDepth)
	}
	x := p.unary()
	for {
		l, r, op := binPower(p.tok.kind)
		if l < min {
			break
		}
		t := p.tok
		p.next()
		y := p.binary(r)
		x = p.combine(op, x, y, t)
	}
	p.exprDepth--
	return x
}

func (p *parser) unary() *expr {
	t := p.tok
	switch t.kind {
	case tMinus, tPlus:
		p.next()
		x := p.binary(prefixPower)
		if t.kind == tPlus {
			return x
		}
		return p.combine(eNeg, x, nil, t)
	case tInt, tReal:
		p.next()
		if v, ok := fastNumber(p.bytes(t)); ok {
			return p.constExpr(v)
		}
		text := p.text(t)
		v, err := strconv.ParseFloat(text, 64)
		if math.IsInf(v, 0) {
			p.failTok(t, "number %s is out of range", clip(text))
		} else if err != nil && !errors.Is(err, strconv.ErrRange) {
			p.failTok(t, "malformed number %s", clip(text))
		}
		return p.constExpr(v)
	case kPi:
		p.next()
		return p.constExpr(math.Pi)
	case tIdent:
		p.next()
		if i, ok := p.params[string(p.bytes(t))]; ok {
			return &expr{op: eParam, idx: i, size: 1, depth: 1, line: t.line, col: t.col}
		}
		if p.gateName != "" {
			p.failTok(t, "%s is not a parameter of gate %s", p.text(t), p.gateName)
		}
		p.failTok(t, "undefined identifier %s in expression (the main program has no variables)", p.text(t))
	case tLParen:
		p.next()
		x := p.binary(0)
		p.expect(tRParen, "')'")
		return x
	case kSin, kCos, kTan, kExp, kLn, kSqrt:
		p.next()
		p.expect(tLParen, "'(' after "+t.kind.String())
		x := p.binary(0)
		p.expect(tRParen, "')'")
		return p.combine(eSin+exprOp(t.kind-kSin), x, nil, t)
	}
	p.failTok(t, "expected an expression, found %s", p.describe(t))
	return nil
}

// constExpr returns a constant node. Outside gate bodies, nodes live only
// until the statement's values are taken, so they come from a pool that is
// reset at every statement.
func (p *parser) constExpr(v float64) *expr {
	if p.gateName != "" {
		return &expr{op: eConst, val: v, size: 1, depth: 1}
	}
	if p.poolUsed == len(p.pool) {
		p.pool = append(p.pool, make([]*expr, 64)...)
		for i := p.poolUsed; i < len(p.pool); i++ {
			p.pool[i] = new(expr)
		}
	}
	e := p.pool[p.poolUsed]
	p.poolUsed++
	*e = expr{op: eConst, val: v, size: 1, depth: 1}
	return e
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastNumber converts a plain decimal literal ("42", "0.125", "3.") without
// allocating when the result is exact by construction: a mantissa below 2^53
// and a power of ten up to 1e22 are both exact, so one division or
// multiplication rounds correctly (the classic exact fast path). Other
// literals report false and go to strconv.ParseFloat.
func fastNumber(b []byte) (float64, bool) {
	var m uint64
	digits, frac, dot := 0, 0, false
	for _, c := range b {
		switch {
		case c == '.':
			dot = true
		case isDigit(c):
			if m == 0 && c == '0' {
				if dot {
					frac++
				}
				continue
			}
			digits++
			if digits > 15 {
				return 0, false
			}
			m = m*10 + uint64(c-'0')
			if dot {
				frac++
			}
		default:
			return 0, false // exponent
		}
	}
	if frac >= len(pow10) {
		return 0, false
	}
	return float64(m) / pow10[frac], true
}

// combine builds op(x, y) (y nil for unary operations), folding constants.
func (p *parser) combine(op exprOp, x, y *expr, t token) *expr {
	if x.op == eConst && (y == nil || y.op == eConst) {
		var yv float64
		if y != nil {
			yv = y.val
		}
		v, msg := apply(op, x.val, yv)
		if msg != "" {
			p.failTok(t, "%s", msg)
		}
		x.val = v
		return x
	}
	e := &expr{op: op, x: x, y: y, size: 1 + x.size, depth: 1 + x.depth, line: t.line, col: t.col}
	if y != nil {
		e.size += y.size
		e.depth = 1 + max(x.depth, y.depth)
	}
	if e.depth > maxExprDepth {
		p.failTok(t, "expression nested more than %d levels deep", maxExprDepth)
	}
	return e
}

// clip shortens text quoted in a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}
