package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/cmplx"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// qluster runs the command tree in-process and returns stdout, stderr and
// the exit status main would use.
func qluster(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := newRootCommand(strings.NewReader(stdin), &out, &errb)
	cmd.SetArgs(args)
	code := exitCode(cmd.ExecuteContext(context.Background()), &errb)
	return out.String(), errb.String(), code
}

func runJSONOutput(t *testing.T, stdin string, args ...string) runJSON {
	t.Helper()
	out, errs, code := qluster(t, stdin, append([]string{"run", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("qluster run %v: exit %d, stderr %q", args, code, errs)
	}
	var res runJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	return res
}

func examplePath(name string) string { return filepath.Join("..", "..", "examples", name) }

func TestRunBell(t *testing.T) {
	res := runJSONOutput(t, "", "--seed", "42", "--shots", "4000", examplePath("bell.qasm"))
	if res.Shots != 4000 || res.Seed != 42 || res.NumQubits != 2 || res.NumClbits != 2 {
		t.Fatalf("header = %+v", res)
	}
	if len(res.Counts) != 2 || res.Counts["00"]+res.Counts["11"] != 4000 {
		t.Fatalf("counts = %v, want only 00 and 11 summing to 4000", res.Counts)
	}
	// Binomial(4000, 1/2): 5 standard deviations is ±158.
	if d := res.Counts["00"] - 2000; d < -158 || d > 158 {
		t.Errorf("counts[00] = %d, want 2000 ± 158", res.Counts["00"])
	}
	again := runJSONOutput(t, "", "--seed", "42", "--shots", "4000", examplePath("bell.qasm"))
	if again.Counts["00"] != res.Counts["00"] {
		t.Errorf("same seed gave %v then %v", res.Counts, again.Counts)
	}
}

func TestRunFromStdin(t *testing.T) {
	src := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nx q[0];\nmeasure q[0] -> c[0];\n"
	res := runJSONOutput(t, src, "--seed", "1", "--shots", "10", "-")
	if res.Counts["1"] != 10 {
		t.Errorf("counts = %v, want {1: 10}", res.Counts)
	}
}

func TestRunProbabilitiesWithMidCircuitMeasurement(t *testing.T) {
	res := runJSONOutput(t, "", "--shots", "0", "--probabilities", examplePath("teleport.qasm"))
	if len(res.Counts) != 0 {
		t.Errorf("--shots 0 sampled: %v", res.Counts)
	}
	// Keys are "c2 c1 c0"; teleportation makes c2 = 1 with probability
	// sin²(1.1/2) and c0, c1 uniform, independently.
	p1 := math.Pow(math.Sin(0.55), 2)
	for key, got := range res.Probabilities {
		want := 0.25 * (1 - p1)
		if key[0] == '1' {
			want = 0.25 * p1
		}
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("P(%s) = %.15f, want %.15f", key, got, want)
		}
	}
	if len(res.Probabilities) != 8 {
		t.Errorf("got %d outcomes, want 8: %v", len(res.Probabilities), res.Probabilities)
	}
}

func TestRunStatevectorQFT(t *testing.T) {
	res := runJSONOutput(t, "", "--shots", "0", "--statevector", "--probabilities", examplePath("qft4.qasm"))
	// QFT|x⟩ = Σ_k e^{2πi·x·k/16}|k⟩/4 with x = 0b0101 = 5.
	if len(res.Statevector) != 16 {
		t.Fatalf("statevector has %d amplitudes, want 16", len(res.Statevector))
	}
	for k, a := range res.Statevector {
		want := cmplx.Exp(complex(0, 2*math.Pi*5*float64(k)/16)) / 4
		if got := complex(a[0], a[1]); cmplx.Abs(got-want) > 1e-12 {
			t.Errorf("amplitude %d = %v, want %v", k, got, want)
		}
	}
	if len(res.Probabilities) != 16 {
		t.Errorf("probabilities over qubits: %d outcomes, want 16", len(res.Probabilities))
	}
}

func TestRunTextOutput(t *testing.T) {
	out, _, code := qluster(t, "", "run", "--seed", "3", examplePath("ghz.qasm"))
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"ghz.qasm: 5 qubits, 5 clbits, 1024 shots, seed 3", "00000", "11111", "█"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"parse error has line and column", "OPENQASM 2.0;\nqreg q[1];\nh q[0];\n", []string{"run", "-"}, 1, "<stdin>:3:1:"},
		{"missing file", "", []string{"run", "no/such.qasm"}, 1, "no such file"},
		{"no file argument", "", []string{"run"}, 2, "exactly one FILE"},
		{"negative shots", "", []string{"run", "--shots", "-1", "-"}, 2, "--shots"},
		{"bad output format", "", []string{"run", "-o", "xml", "-"}, 2, "--output"},
		{"unknown flag", "", []string{"run", "--frobnicate", "-"}, 2, "unknown flag"},
		{"opaque gate cannot run", "OPENQASM 2.0;\nopaque magic a;\nqreg q[1];\nmagic q[0];\n", []string{"run", "-"}, 1, "magic"},
		{"too wide for memory", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[60];\nt q[0];\n", []string{"run", "-"}, 1, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := qluster(t, tt.stdin, tt.args...)
			if code != tt.wantCode || !strings.Contains(errs, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.wantCode, tt.wantErr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	out, _, code := qluster(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "qluster ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// TestBinary builds the real binary and runs it as a user would.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "qluster")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "run", "--seed", "5", "-o", "json", examplePath("bell.qasm"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("qluster run: %v", err)
	}
	var res runJSON
	if err := json.Unmarshal(out, &res); err != nil || res.Counts["00"]+res.Counts["11"] != 1024 {
		t.Fatalf("output %s (err %v)", out, err)
	}
	bad := exec.Command(bin, "run", "-")
	bad.Stdin = strings.NewReader("OPENQASM 2.0;\nqreg q[2];\nfoo q;\n")
	var stderr bytes.Buffer
	bad.Stderr = &stderr
	err = bad.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "<stdin>:3:1:") {
		t.Errorf("bad input: err %v, stderr %q", err, stderr.String())
	}
	_ = os.Remove(bin)
}

func TestRunChipBackend(t *testing.T) {
	t.Run("text shows engine and compiled figures", func(t *testing.T) {
		out, errs, code := qluster(t, "", "run", "--backend", "example10", "--seed", "5", examplePath("bell.qasm"))
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
		for _, want := range []string{"engine density_matrix", "backend example10", "compiled at level 2: 1 two-qubit gates", "initial layout", "01"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("json carries the compiled circuit", func(t *testing.T) {
		out, errs, code := qluster(t, "", "run", "-o", "json", "--backend", "line20", "-O", "1", "--engine", "trajectory",
			"--seed", "5", "--shots", "300", examplePath("ghz.qasm"))
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
		var res chipRunJSON
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("bad JSON %q: %v", out, err)
		}
		if res.Backend != "line20" || res.Engine != "trajectory" || res.Shots != 300 || res.Compiled == nil ||
			res.Compiled.TwoQubitGates < 4 || !strings.Contains(res.Compiled.QASM, "cz ") {
			t.Errorf("result = %+v, compiled %+v; want line20, trajectory, 300 shots, a cz circuit", res.runJSON, res.Compiled)
		}
	})
	bellNative := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg c[2];\nh q[1];\ncx q[1],q[2];\nmeasure q[1] -> c[0];\nmeasure q[2] -> c[1];\n"
	t.Run("transpile off runs a native circuit", func(t *testing.T) {
		out, errs, code := qluster(t, bellNative, "run", "--backend", "example10", "--transpile=false", "-")
		if code != 0 || !strings.Contains(out, "not transpiled") {
			t.Errorf("exit %d, stderr %q, output:\n%s", code, errs, out)
		}
	})
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"unknown backend", serveBell, []string{"run", "--backend", "nope", "-"}, 2, `unknown backend "nope"`},
		{"transpile flag on sv", serveBell, []string{"run", "--transpile=false", "-"}, 2, "apply to chip backends"},
		{"bad precision", serveBell, []string{"run", "--precision", "half", "-"}, 2, "--precision"},
		{"non-native without transpile", serveBell, []string{"run", "--backend", "line20", "--transpile=false", "-"}, 1, "gate h is not in device line20's basis"},
		{"ideal engine on a chip", serveBell, []string{"run", "--backend", "line20", "--engine", "statevector", "-"}, 1, "noisy engines"},
		{"missing devices directory", serveBell, []string{"run", "--backend", "example10", "--devices", "no/such/dir", "-"}, 1, "--devices"},
		{"too wide for the chip", "OPENQASM 2.0;\nqreg q[11];\n", []string{"run", "--backend", "example10", "-"}, 1, "circuit has 11 qubits; example10 has 10 usable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := qluster(t, tt.stdin, tt.args...)
			if code != tt.wantCode || !strings.Contains(errs, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.wantCode, tt.wantErr)
			}
		})
	}
}
