package device

import (
	"reflect"
	"strings"
	"testing"
)

func TestParsePyLiteral(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{`['cz', 'rx', 'ry', 'rz', 'h']`, []any{"cz", "rx", "ry", "rz", "h"}},
		{`["cz", 'rx']`, []any{"cz", "rx"}},
		{`  [ 'a' , ]  `, []any{"a"}},
		{`[]`, []any{}},
		{`[(2, 3),(2,3,4), (113, 114, 115)]`, []any{[]any{pyInt(2), pyInt(3)}, []any{pyInt(2), pyInt(3), pyInt(4)}, []any{pyInt(113), pyInt(114), pyInt(115)}}},
		{`[(2,)]`, []any{[]any{pyInt(2)}}},
		{`[(2)]`, []any{pyInt(2)}},
		{`[()]`, []any{[]any{}}},
		{`[-1, +2]`, []any{pyInt(-1), pyInt(2)}},
		{`['it\'s', "say \"hi\"", '\x41\u00e9', 'a\\b']`, []any{"it's", `say "hi"`, "Aé", `a\b`}},
		{`'ü'`, "ü"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parsePyLiteral(tt.in)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, %v; want %#v", got, err, tt.want)
			}
		})
	}
}

func TestParsePyLiteralErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, "offset 0: unexpected end, want a value"},
		{`['cz', 'rx'`, "offset 11: unexpected end, want ',' or ']'"},
		{`['cz' 'rx']`, `offset 6: unexpected "'rx']", want ',' or ']'`},
		{`['cz]`, "offset 1: unterminated string"},
		{`[cz]`, `offset 1: unexpected "cz]", want a list, tuple, string or integer`},
		{`[1.5]`, `offset 1: "1.5]": only decimal integers are supported`},
		{`[0x10]`, `only decimal integers are supported`},
		{`[99999999999999999999]`, "integer 99999999999999999999 out of range"},
		{`['a\q']`, `unsupported escape \q`},
		{`['\x4']`, `bad escape \x4'`},
		{`[1] x`, `offset 4: unexpected "x" after the value`},
		{`[` + strings.Repeat("[", 40) + `]`, "nested deeper than 32 levels"},
		{`[1, 2)`, `want ',' or ']'`},
		{`__import__('os')`, `unexpected "__import__('…", want a list`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := parsePyLiteral(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestPyConversions(t *testing.T) {
	v, _ := parsePyLiteral(`[(1, 2), [3]]`)
	got, err := pyIntLists(v)
	if err != nil || !reflect.DeepEqual(got, [][]int{{1, 2}, {3}}) {
		t.Errorf("pyIntLists: got %v, %v", got, err)
	}
	if _, err := pyIntLists("x"); err == nil || !strings.Contains(err.Error(), `want a list of tuples of integers, got string "x"`) {
		t.Errorf("pyIntLists(string): got %v", err)
	}
	if _, err := pyIntLists([]any{pyInt(1)}); err == nil || !strings.Contains(err.Error(), "item 0: want a tuple or list of integers, got integer 1") {
		t.Errorf("pyIntLists(flat): got %v", err)
	}
	if _, err := pyStrings(pyInt(3)); err == nil || !strings.Contains(err.Error(), "want a list of strings, got integer 3") {
		t.Errorf("pyStrings(int): got %v", err)
	}
}
