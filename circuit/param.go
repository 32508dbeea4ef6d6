package circuit

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Param is a gate parameter: a number, or an expression over named symbols
// that stays symbolic until bound (Bind). The zero Param is the number 0.
type Param struct{ e Expr }

// Expr is a real-valued expression tree. Implementations are Num, Sym,
// Unary, Binary and Call; they are immutable.
type Expr interface {
	// Eval returns the expression's value with symbols taken from env; it
	// fails on an unbound symbol.
	Eval(env map[string]float64) (float64, error)
	// String renders the expression in OpenQASM syntax.
	String() string
}

// Num is a numeric constant. Pi marks the constant as the symbol pi for
// printing.
type Num struct {
	V  float64
	Pi bool
}

// Sym is a free symbol (a parameter not yet bound).
type Sym struct{ Name string }

// Unary is a negation: Op is '-'.
type Unary struct {
	Op rune
	X  Expr
}

// Binary is X Op Y with Op one of + - * / ^.
type Binary struct {
	Op   rune
	X, Y Expr
}

// Call is a built-in function applied to one argument: sin cos tan exp ln sqrt
// (plus the OpenQASM 3 names asin acos atan).
type Call struct {
	Fn string
	X  Expr
}

// Funcs holds the functions Call accepts.
var Funcs = map[string]func(float64) float64{
	"sin": math.Sin, "cos": math.Cos, "tan": math.Tan, "exp": math.Exp,
	"ln": math.Log, "sqrt": math.Sqrt, "asin": math.Asin, "acos": math.Acos, "atan": math.Atan,
}

// Eval returns the constant.
func (n Num) Eval(map[string]float64) (float64, error) { return n.V, nil }

// Eval looks the symbol up in env.
func (s Sym) Eval(env map[string]float64) (float64, error) {
	if v, ok := env[s.Name]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("unbound parameter %s", s.Name)
}

// Eval negates X.
func (u Unary) Eval(env map[string]float64) (float64, error) {
	x, err := u.X.Eval(env)
	return -x, err
}

// Eval applies the operator.
func (b Binary) Eval(env map[string]float64) (float64, error) {
	x, err := b.X.Eval(env)
	if err != nil {
		return 0, err
	}
	y, err := b.Y.Eval(env)
	if err != nil {
		return 0, err
	}
	return ApplyBinary(b.Op, x, y), nil
}

// ApplyBinary evaluates x op y for op in + - * / ^.
func ApplyBinary(op rune, x, y float64) float64 {
	switch op {
	case '+':
		return x + y
	case '-':
		return x - y
	case '*':
		return x * y
	case '/':
		return x / y
	case '^':
		return math.Pow(x, y)
	}
	return math.NaN()
}

// Eval applies the function.
func (c Call) Eval(env map[string]float64) (float64, error) {
	x, err := c.X.Eval(env)
	if err != nil {
		return 0, err
	}
	f, ok := Funcs[c.Fn]
	if !ok {
		return 0, fmt.Errorf("unknown function %s", c.Fn)
	}
	return f(x), nil
}

// String renders the number; pi as "pi", other values so that they parse
// back to exactly the same float64.
func (n Num) String() string {
	if n.Pi {
		return "pi"
	}
	return FormatFloat(n.V)
}

// String returns the symbol name.
func (s Sym) String() string { return s.Name }

// String renders -(x).
func (u Unary) String() string { return "-(" + u.X.String() + ")" }

// String renders (x op y).
func (b Binary) String() string { return "(" + b.X.String() + string(b.Op) + b.Y.String() + ")" }

// String renders fn(x).
func (c Call) String() string { return c.Fn + "(" + c.X.String() + ")" }

// FormatFloat renders v as a short decimal that parses back to exactly v,
// using a multiple of pi ("pi/2", "-3*pi/4") when that form is also exact.
func FormatFloat(v float64) string {
	if s, ok := piForm(v); ok {
		return s
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// piForm finds p*pi/q with small q that evaluates (as a parser would:
// p*pi/q left to right) to exactly v. Values are compared before any text
// is built, so the search costs a few float operations per candidate.
func piForm(v float64) (string, bool) {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return "", false
	}
	for q := 1; q <= 64; q++ {
		p := math.Round(math.Abs(v) / math.Pi * float64(q))
		if p == 0 || p > 1024 {
			continue
		}
		val := math.Pi
		if p != 1 {
			val = p * math.Pi
		}
		if q != 1 {
			val /= float64(q)
		}
		if v < 0 {
			val = -val
		}
		if val != v {
			continue
		}
		s := "pi"
		if p != 1 {
			s = strconv.FormatFloat(p, 'f', -1, 64) + "*pi"
		}
		if q != 1 {
			s += "/" + strconv.Itoa(q)
		}
		if v < 0 {
			s = "-" + s
		}
		return s, true
	}
	return "", false
}

// Const returns a numeric parameter.
func Const(v float64) Param { return Param{Num{V: v}} }

// Symbol returns a free parameter named name.
func Symbol(name string) Param { return Param{Sym{Name: name}} }

// FromExpr wraps an expression; constant sub-expressions are kept as
// written (use Simplify to fold).
func FromExpr(e Expr) Param { return Param{e} }

// Expr returns the parameter's expression tree.
func (p Param) Expr() Expr {
	if p.e == nil {
		return Num{}
	}
	return p.e
}

// Value returns the numeric value and true if the parameter has no free
// symbols.
func (p Param) Value() (float64, bool) {
	v, err := p.Expr().Eval(nil)
	return v, err == nil
}

// Bind substitutes the symbols in env; a fully bound parameter becomes a
// number.
func (p Param) Bind(env map[string]float64) Param {
	e := substitute(p.Expr(), env)
	if v, err := e.Eval(nil); err == nil {
		return Const(v)
	}
	return Param{e}
}

// Equal reports whether two parameters are the same number (bit for bit,
// NaN equal to NaN) or, if symbolic, the same expression text.
func (p Param) Equal(q Param) bool {
	a, aok := p.Value()
	b, bok := q.Value()
	if aok && bok {
		return a == b || (math.IsNaN(a) && math.IsNaN(b))
	}
	return aok == bok && p.String() == q.String()
}

// String renders the parameter in OpenQASM syntax.
func (p Param) String() string {
	if v, ok := p.Value(); ok {
		return FormatFloat(v)
	}
	return p.Expr().String()
}

func (p Param) symbols(seen map[string]bool) { collectSymbols(p.Expr(), seen) }

func collectSymbols(e Expr, seen map[string]bool) {
	switch e := e.(type) {
	case Sym:
		seen[e.Name] = true
	case Unary:
		collectSymbols(e.X, seen)
	case Binary:
		collectSymbols(e.X, seen)
		collectSymbols(e.Y, seen)
	case Call:
		collectSymbols(e.X, seen)
	}
}

func substitute(e Expr, env map[string]float64) Expr {
	switch e := e.(type) {
	case Sym:
		if v, ok := env[e.Name]; ok {
			return Num{V: v}
		}
		return e
	case Unary:
		return Unary{Op: e.Op, X: substitute(e.X, env)}
	case Binary:
		return Binary{Op: e.Op, X: substitute(e.X, env), Y: substitute(e.Y, env)}
	case Call:
		return Call{Fn: e.Fn, X: substitute(e.X, env)}
	}
	return e
}

// Values returns the numeric values of ps; it fails if any is unbound.
func Values(ps []Param) ([]float64, error) {
	out := make([]float64, len(ps))
	for i, p := range ps {
		v, err := p.Expr().Eval(nil)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
