package gate

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// declared is one `gate name(params) args {` line of an include file.
type declared struct {
	name   string
	params []string
	args   int
}

var (
	lineComment = regexp.MustCompile(`//[^\n]*`)
	gateDecl    = regexp.MustCompile(`(?m)^\s*gate\s+(\w+)\s*(?:\(([^)]*)\))?\s*([^{]+)\{`)
)

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func scanDecls(t *testing.T, text string) []declared {
	t.Helper()
	var out []declared
	for _, m := range gateDecl.FindAllStringSubmatch(lineComment.ReplaceAllString(text, ""), -1) {
		out = append(out, declared{name: m[1], params: splitList(m[2]), args: len(splitList(m[3]))})
	}
	return out
}

func TestIncludeFiles(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		want       []string // names that must be declared, each exactly once
		paramNames bool     // parameter names must equal the table's
	}{
		{"qelib1.inc", Qelib1Inc, slices.DeleteFunc(slices.Clone(qasm2Names),
			func(n string) bool { return n == "U" || n == "CX" }), true},
		{"stdgates.inc", StdgatesInc, append(slices.DeleteFunc(slices.Clone(qasm3Names),
			func(n string) bool { return n == "U" }), "phase", "cphase"), false},
		{"extra.inc", ExtraInc, extraNames, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.text, "opaque") {
				t.Errorf("%s contains opaque, want none", tt.name)
			}
			decls := scanDecls(t, tt.text)
			var got []string
			for _, d := range decls {
				got = append(got, d.name)
				g, ok := Lookup(d.name)
				if !ok {
					t.Errorf("%s declares %s, not in the table", tt.name, d.name)
					continue
				}
				if d.args != g.Qubits || len(d.params) != len(g.Params) {
					t.Errorf("%s: %s has %d params and %d args, want %d and %d",
						tt.name, d.name, len(d.params), d.args, len(g.Params), g.Qubits)
				}
				if tt.paramNames && !slices.Equal(d.params, g.Params) {
					t.Errorf("%s: %s params = %v, want %v", tt.name, d.name, d.params, g.Params)
				}
			}
			want := slices.Clone(tt.want)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s declares %v, want %v", tt.name, got, want)
			}
		})
	}
}

// TestIncludeOrder checks that every gate a body uses is a built-in or
// declared above it.
func TestIncludeOrder(t *testing.T) {
	call := regexp.MustCompile(`(?:^|;|\{|@)\s*(\w+)\s*[( \t]`)
	tests := []struct {
		name     string
		text     string
		builtins []string
	}{
		{"qelib1.inc", Qelib1Inc, []string{"U", "CX"}},
		{"stdgates.inc", StdgatesInc, []string{"U", "gphase", "ctrl"}},
		{"extra.inc", Qelib1Inc + ExtraInc, []string{"U", "CX"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			known := map[string]bool{}
			for _, b := range tt.builtins {
				known[b] = true
			}
			text := lineComment.ReplaceAllString(tt.text, "")
			for _, m := range regexp.MustCompile(`(?s)gate\s+(\w+)[^{]*\{([^}]*)\}`).FindAllStringSubmatch(text, -1) {
				for _, c := range call.FindAllStringSubmatch(m[2], -1) {
					if !known[c[1]] {
						t.Errorf("%s: gate %s uses %s before it is defined", tt.name, m[1], c[1])
					}
				}
				known[m[1]] = true
			}
		})
	}
}
