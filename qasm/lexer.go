package qasm

import (
	"fmt"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF tokKind = iota
	tIdent
	tInt
	tReal
	tString
	tSemi
	tComma
	tLParen
	tRParen
	tLBracket
	tRBracket
	tLBrace
	tRBrace
	tArrow
	tEqEq
	tPlus
	tMinus
	tStar
	tSlash
	tCaret
	// Keywords.
	kOPENQASM
	kInclude
	kQreg
	kCreg
	kGate
	kOpaque
	kMeasure
	kReset
	kBarrier
	kIf
	kPi
	kSin
	kCos
	kTan
	kExp
	kLn
	kSqrt
)

var tokNames = [...]string{
	tEOF: "end of file", tIdent: "identifier", tInt: "integer", tReal: "real number", tString: "string",
	tSemi: "';'", tComma: "','", tLParen: "'('", tRParen: "')'", tLBracket: "'['", tRBracket: "']'",
	tLBrace: "'{'", tRBrace: "'}'", tArrow: "'->'", tEqEq: "'=='", tPlus: "'+'", tMinus: "'-'",
	tStar: "'*'", tSlash: "'/'", tCaret: "'^'",
	kOPENQASM: "'OPENQASM'", kInclude: "'include'", kQreg: "'qreg'", kCreg: "'creg'", kGate: "'gate'",
	kOpaque: "'opaque'", kMeasure: "'measure'", kReset: "'reset'", kBarrier: "'barrier'", kIf: "'if'",
	kPi: "'pi'", kSin: "'sin'", kCos: "'cos'", kTan: "'tan'", kExp: "'exp'", kLn: "'ln'", kSqrt: "'sqrt'",
}

func (k tokKind) String() string { return tokNames[k] }

func keyword(b []byte) tokKind {
	switch string(b) {
	case "OPENQASM":
		return kOPENQASM
	case "include":
		return kInclude
	case "qreg":
		return kQreg
	case "creg":
		return kCreg
	case "gate":
		return kGate
	case "opaque":
		return kOpaque
	case "measure":
		return kMeasure
	case "reset":
		return kReset
	case "barrier":
		return kBarrier
	case "if":
		return kIf
	case "pi":
		return kPi
	case "sin":
		return kSin
	case "cos":
		return kCos
	case "tan":
		return kTan
	case "exp":
		return kExp
	case "ln":
		return kLn
	case "sqrt":
		return kSqrt
	}
	return tIdent
}

// token is one lexical token; its text is src[start:end] of its lexer.
type token struct {
	kind       tokKind
	start, end int
	line, col  int
}

// lexer splits a source file into tokens. It works on the bytes directly and
// allocates nothing per token. Errors are raised with the owning parser's
// fail, through errf.
type lexer struct {
	src       []byte
	off       int
	line      int
	lineStart int
	errf      func(line, col int, msg string)
}

func newLexer(src []byte, errf func(line, col int, msg string)) *lexer {
	// A UTF-8 byte order mark is skipped; columns count from after it.
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		src = src[3:]
	}
	return &lexer{src: src, line: 1, errf: errf}
}

func (l *lexer) fail(off int, format string, args ...any) {
	l.errf(l.line, off-l.lineStart+1, fmt.Sprintf(format, args...))
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isIdentChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '_'
}

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == '\n':
			l.off++
			l.line++
			l.lineStart = l.off
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			l.off++
		case c == '/' && l.off+1 < len(l.src) && l.src[l.off+1] == '/':
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.off++
			}
		case c == '/' && l.off+1 < len(l.src) && l.src[l.off+1] == '*':
			startLine, startCol := l.line, l.off-l.lineStart+1
			l.off += 2
			for {
				if l.off+1 >= len(l.src) {
					l.errf(startLine, startCol, "unterminated block comment")
				}
				if l.src[l.off] == '*' && l.src[l.off+1] == '/' {
					l.off += 2
					break
				}
				if l.src[l.off] == '\n' {
					l.line++
					l.lineStart = l.off + 1
				}
				l.off++
			}
		default:
			return
		}
	}
}

// next returns the next token.
func (l *lexer) next() token {
	l.skipSpace()
	t := token{start: l.off, line: l.line, col: l.off - l.lineStart + 1}
	if l.off >= len(l.src) {
		t.kind = tEOF
		t.end = l.off
		return t
	}
	c := l.src[l.off]
	single := tEOF
	switch c {
	case ';':
		single = tSemi
	case ',':
		single = tComma
	case '(':
		single = tLParen
	case ')':
		single = tRParen
	case '[':
		single = tLBracket
	case ']':
		single = tRBracket
	case '{':
		single = tLBrace
	case '}':
		single = tRBrace
	case '+':
		single = tPlus
	case '*':
		single = tStar
	case '/':
		single = tSlash
	case '^':
		single = tCaret
	case '-':
		if l.off+1 < len(l.src) && l.src[l.off+1] == '>' {
			l.off += 2
			t.kind, t.end = tArrow, l.off
			return t
		}
		single = tMinus
	case '=':
		if l.off+1 < len(l.src) && l.src[l.off+1] == '=' {
			l.off += 2
			t.kind, t.end = tEqEq, l.off
			return t
		}
		l.fail(l.off, "unexpected '=' (comparison is '==')")
	case '"':
		l.off++
		for l.off < len(l.src) && l.src[l.off] != '"' {
			if l.src[l.off] == '\n' {
				break
			}
			l.off++
		}
		if l.off >= len(l.src) || l.src[l.off] != '"' {
			l.fail(t.start, "unterminated string")
		}
		l.off++
		t.kind, t.end = tString, l.off
		return t
	}
	if single != tEOF {
		l.off++
		t.kind, t.end = single, l.off
		return t
	}
	switch {
	case isDigit(c) || c == '.' && l.off+1 < len(l.src) && isDigit(l.src[l.off+1]):
		l.number(&t)
	case 'a' <= c && c <= 'z':
		for l.off < len(l.src) && isIdentChar(l.src[l.off]) {
			l.off++
		}
		t.end = l.off
		t.kind = keyword(l.src[t.start:t.end])
	case 'A' <= c && c <= 'Z' || c == '_':
		for l.off < len(l.src) && isIdentChar(l.src[l.off]) {
			l.off++
		}
		t.end = l.off
		switch w := l.src[t.start:t.end]; string(w) {
		case "OPENQASM":
			t.kind = kOPENQASM
		case "U", "CX":
			t.kind = tIdent
		default:
			l.fail(t.start, "identifier %s must start with a lower-case letter (only U, CX and OPENQASM are upper-case)", w)
		}
	default:
		r, size := utf8.DecodeRune(l.src[l.off:])
		switch {
		case r == utf8.RuneError && size <= 1:
			l.fail(l.off, "invalid UTF-8 byte 0x%02x", c)
		case r < 0x80 && r > ' ' && r < 0x7f:
			l.fail(l.off, "unexpected character '%c'", r)
		default:
			l.fail(l.off, "unexpected character %U", r)
		}
	}
	return t
}

// number scans an integer or real literal: digits, an optional fraction and
// an optional exponent ("5", "5.", ".5", "1.5e-3", "1e3").
func (l *lexer) number(t *token) {
	src := l.src
	t.kind = tInt
	for l.off < len(src) && isDigit(src[l.off]) {
		l.off++
	}
	if l.off < len(src) && src[l.off] == '.' {
		t.kind = tReal
		l.off++
		for l.off < len(src) && isDigit(src[l.off]) {
			l.off++
		}
	}
	if l.off < len(src) && (src[l.off] == 'e' || src[l.off] == 'E') {
		t.kind = tReal
		e := l.off
		l.off++
		if l.off < len(src) && (src[l.off] == '+' || src[l.off] == '-') {
			l.off++
		}
		if l.off >= len(src) || !isDigit(src[l.off]) {
			l.fail(e, "malformed exponent in number %s", src[t.start:l.off])
		}
		for l.off < len(src) && isDigit(src[l.off]) {
			l.off++
		}
	}
	t.end = l.off
	if t.kind == tInt && src[t.start] == '0' && t.end-t.start > 1 {
		l.fail(t.start, "integer %s has leading zeros", src[t.start:t.end])
	}
	if l.off < len(src) && (isIdentChar(src[l.off]) || src[l.off] == '.') {
		l.fail(t.start, "malformed number %s", src[t.start:l.off+1])
	}
}
