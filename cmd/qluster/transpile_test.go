package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/transpile/equiv"
	"github.com/qluster/qluster/transpile/preset"
)

func transpileJSONOutput(t *testing.T, args ...string) transpileJSON {
	t.Helper()
	out, errs, code := qluster(t, "", append([]string{"transpile", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("qluster transpile %v: exit %d, stderr %q", args, code, errs)
	}
	var res transpileJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	return res
}

func TestTranspileJSON(t *testing.T) {
	src, _, err := qasm.ParseFile(examplePath("qft4.qasm"), qasm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := device.Preset("dongling")
	if err != nil {
		t.Fatal(err)
	}
	for _, level := range []string{"0", "1", "2", "3"} {
		t.Run("O"+level, func(t *testing.T) {
			res := transpileJSONOutput(t, "--backend", "dongling", "-O", level, "--seed", "3", examplePath("qft4.qasm"))
			if res.Backend != "dongling" || res.Seed != 3 || res.OptimizationLevel != int(level[0]-'0') {
				t.Errorf("header = %s/%d/O%d, want dongling/3/O%s", res.Backend, res.Seed, res.OptimizationLevel, level)
			}
			c, _, err := qasm.Parse([]byte(res.QASM), qasm.Options{Name: "compiled"})
			if err != nil {
				t.Fatalf("compiled QASM does not parse: %v\n%s", err, res.QASM)
			}
			if err := preset.Check(c, d); err != nil {
				t.Errorf("compiled circuit is not native: %v", err)
			}
			if got := preset.TwoQubitGates(c); got != res.TwoQubitGates {
				t.Errorf("two_qubit_gates = %d, the QASM has %d", res.TwoQubitGates, got)
			}
			if got := preset.Depth(c); got != res.Depth {
				t.Errorf("depth = %d, the QASM has %d", res.Depth, got)
			}
			if err := equiv.Unitary(src, c, res.InitialLayout, res.FinalLayout); err != nil {
				t.Errorf("compiled circuit not equivalent: %v", err)
			}
			if len(res.Passes) == 0 || res.DurationMS <= 0 {
				t.Errorf("passes %v, duration %v ms: want timings", res.Passes, res.DurationMS)
			}
		})
	}
}

func TestTranspileQASMOutput(t *testing.T) {
	out, errs, code := qluster(t, "", "transpile", "--backend", "grid25", "-O", "1", examplePath("ghz.qasm"))
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.HasPrefix(out, "OPENQASM 2.0;") {
		t.Errorf("stdout starts %q, want OpenQASM 2.0", out[:min(len(out), 40)])
	}
	for _, want := range []string{"grid25", "two-qubit gates", "depth", "initial layout", "final layout"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr %q lacks %q", errs, want)
		}
	}
}

func TestTranspileDevicesDir(t *testing.T) {
	d, err := device.Preset("line20")
	if err != nil {
		t.Fatal(err)
	}
	d.Name = "myline"
	data, err := device.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "myline.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	res := transpileJSONOutput(t, "--devices", dir, "--backend", "myline", "-O", "2", examplePath("ghz.qasm"))
	if res.Backend != "myline" || res.TwoQubitGates == 0 {
		t.Errorf("got backend %q with %d two-qubit gates, want myline and some", res.Backend, res.TwoQubitGates)
	}
}

func TestTranspileDeterministic(t *testing.T) {
	a := transpileJSONOutput(t, "--backend", "dongling", "-O", "3", "--seed", "9", examplePath("qft4.qasm"))
	b := transpileJSONOutput(t, "--backend", "dongling", "-O", "3", "--seed", "9", examplePath("qft4.qasm"))
	if a.QASM != b.QASM || !slices.Equal(a.InitialLayout, b.InitialLayout) {
		t.Errorf("same seed gave different results:\n%s\n%s", a.QASM, b.QASM)
	}
}

func TestTranspileErrors(t *testing.T) {
	wide := filepath.Join(t.TempDir(), "wide.qasm")
	if err := os.WriteFile(wide, []byte("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[30];\nh q[0];\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no backend", []string{examplePath("ghz.qasm")}, 2, "--backend is required"},
		{"unknown backend", []string{"--backend", "nosuch", examplePath("ghz.qasm")}, 2, `unknown backend "nosuch"`},
		{"bad level", []string{"--backend", "dongling", "-O", "4", examplePath("ghz.qasm")}, 2, "--optimization-level must be 0 to 3"},
		{"bad output", []string{"--backend", "dongling", "-o", "xml", examplePath("ghz.qasm")}, 2, "--output must be qasm or json"},
		{"too wide", []string{"--backend", "grid25", wide}, 1, "circuit needs 30 qubits, device grid25 has 25 usable"},
		{"missing file", []string{"--backend", "dongling", "nosuch.qasm"}, 1, "nosuch.qasm"},
		{"two files", []string{"--backend", "dongling", "a.qasm", "b.qasm"}, 2, "exactly one FILE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := qluster(t, "", append([]string{"transpile"}, c.args...)...)
			if code != c.wantCode || !strings.Contains(errs, c.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, c.wantCode, c.wantErr)
			}
		})
	}
}

func TestTranspileStdin(t *testing.T) {
	src := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n"
	var out strings.Builder
	tc := newTranspileCommand(strings.NewReader(src), &out, &strings.Builder{})
	tc.Backend, tc.Output = "heavyhex27", "json"
	if err := tc.Run(context.Background(), "-"); err != nil {
		t.Fatalf("Run: %v", err)
	}
	var res transpileJSON
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatal(err)
	}
	if res.TwoQubitGates != 1 {
		t.Errorf("two_qubit_gates = %d, want 1 (a Bell pair on an edge)", res.TwoQubitGates)
	}
}
