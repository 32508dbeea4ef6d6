package device

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The Quafu files hold some values as Python literals inside JSON strings
// ("['cz', 'rx']", "[(2, 3), (2, 3, 4)]"). parsePyLiteral reads the small
// subset those need, without evaluating anything: lists and tuples, strings
// in single or double quotes with the common backslash escapes, and
// integers. A parenthesised single value without a comma is the value
// itself, as in Python ("(2)" is 2, "(2,)" a tuple).

// maxPyDepth bounds nesting so that hostile input cannot recurse deeply.
const maxPyDepth = 32

type pyParser struct {
	s     string
	pos   int
	depth int
}

// pyInt is an integer literal.
type pyInt int64

// parsePyLiteral parses one literal that must fill s (surrounding space
// allowed). The result is a string, a pyInt or a []any for a list or tuple.
func parsePyLiteral(s string) (any, error) {
	p := &pyParser{s: s}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.s) {
		return nil, p.errorf("unexpected %q after the value", p.rest())
	}
	return v, nil
}

func (p *pyParser) errorf(format string, args ...any) error {
	return fmt.Errorf("Python literal at offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

// rest returns a short excerpt of the input from the current position.
func (p *pyParser) rest() string {
	r := p.s[p.pos:]
	if len(r) > 12 {
		r = r[:12] + "…"
	}
	return r
}

func (p *pyParser) space() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *pyParser) value() (any, error) {
	p.space()
	if p.pos >= len(p.s) {
		return nil, p.errorf("unexpected end, want a value")
	}
	switch c := p.s[p.pos]; {
	case c == '[':
		return p.sequence('[', ']')
	case c == '(':
		return p.sequence('(', ')')
	case c == '\'' || c == '"':
		return p.str()
	case c == '-' || c == '+' || c >= '0' && c <= '9':
		return p.integer()
	default:
		return nil, p.errorf("unexpected %q, want a list, tuple, string or integer", p.rest())
	}
}

// sequence parses a list or tuple; it returns the bare element for a
// parenthesised value without a comma.
func (p *pyParser) sequence(open, close byte) (any, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxPyDepth {
		return nil, p.errorf("nested deeper than %d levels", maxPyDepth)
	}
	p.pos++ // open
	items := []any{}
	sawComma := false
	for {
		p.space()
		if p.pos >= len(p.s) {
			return nil, p.errorf("unexpected end, want %q", close)
		}
		if p.s[p.pos] == close {
			p.pos++
			break
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		p.space()
		if p.pos >= len(p.s) {
			return nil, p.errorf("unexpected end, want ',' or %q", close)
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
			sawComma = true
		case close:
		default:
			return nil, p.errorf("unexpected %q, want ',' or %q", p.rest(), close)
		}
	}
	if open == '(' && len(items) == 1 && !sawComma {
		return items[0], nil
	}
	return items, nil
}

func (p *pyParser) integer() (any, error) {
	start := p.pos
	if c := p.s[p.pos]; c == '-' || c == '+' {
		p.pos++
	}
	digits := p.pos
	for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == digits {
		p.pos = start
		return nil, p.errorf("unexpected %q, want an integer", p.rest())
	}
	if p.pos < len(p.s) && strings.IndexByte(".eEjJxXoObB_", p.s[p.pos]) >= 0 {
		p.pos = start
		return nil, p.errorf("%q: only decimal integers are supported", p.rest())
	}
	n, err := strconv.ParseInt(p.s[start:p.pos], 10, 64)
	if err != nil {
		text := p.s[start:p.pos]
		p.pos = start
		return nil, p.errorf("integer %s out of range", text)
	}
	return pyInt(n), nil
}

func (p *pyParser) str() (any, error) {
	quote := p.s[p.pos]
	start := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.pos >= len(p.s) {
			p.pos = start
			return nil, p.errorf("unterminated string")
		}
		c := p.s[p.pos]
		switch {
		case c == quote:
			p.pos++
			return b.String(), nil
		case c == '\n':
			return nil, p.errorf("newline inside a string")
		case c == '\\':
			if err := p.escape(&b); err != nil {
				return nil, err
			}
		default:
			r, size := utf8.DecodeRuneInString(p.s[p.pos:])
			b.WriteRune(r)
			p.pos += size
		}
	}
}

// escape reads one backslash escape and writes what it stands for.
func (p *pyParser) escape(b *strings.Builder) error {
	if p.pos+1 >= len(p.s) {
		return p.errorf("unterminated escape")
	}
	c := p.s[p.pos+1]
	simple := map[byte]byte{'\\': '\\', '\'': '\'', '"': '"', 'n': '\n', 't': '\t', 'r': '\r', '0': 0}
	if r, ok := simple[c]; ok {
		b.WriteByte(r)
		p.pos += 2
		return nil
	}
	width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
	if width == 0 {
		return p.errorf("unsupported escape \\%c", c)
	}
	hex := p.s[p.pos+2 : min(len(p.s), p.pos+2+width)]
	n, err := strconv.ParseUint(hex, 16, 32)
	if len(hex) != width || err != nil || n > utf8.MaxRune {
		return p.errorf("bad escape \\%c%s", c, hex)
	}
	b.WriteRune(rune(n))
	p.pos += 2 + width
	return nil
}

// pyStrings converts a parsed literal to a list of strings.
func pyStrings(v any) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of strings, got %s", pyKind(v))
	}
	out := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("item %d: want a string, got %s", i, pyKind(it))
		}
		out[i] = s
	}
	return out, nil
}

// pyIntLists converts a parsed literal to a list of lists of integers.
func pyIntLists(v any) ([][]int, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of tuples of integers, got %s", pyKind(v))
	}
	out := make([][]int, len(items))
	for i, it := range items {
		inner, ok := it.([]any)
		if !ok {
			return nil, fmt.Errorf("item %d: want a tuple or list of integers, got %s", i, pyKind(it))
		}
		out[i] = make([]int, len(inner))
		for j, x := range inner {
			n, ok := x.(pyInt)
			if !ok {
				return nil, fmt.Errorf("item %d[%d]: want an integer, got %s", i, j, pyKind(x))
			}
			out[i][j] = int(n)
		}
	}
	return out, nil
}

func pyKind(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("string %q", v)
	case pyInt:
		return fmt.Sprintf("integer %d", v)
	case []any:
		return "a list or tuple"
	default:
		return fmt.Sprintf("%T", v)
	}
}
