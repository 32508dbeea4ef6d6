package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const ghz3 = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h q[0];
cx q[0],q[1];
cx q[1],q[2];
`

// writeFile writes text to a file in a temporary directory and returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// run parses args, runs the command and decodes its JSON report into out.
func run(t *testing.T, args []string, out any) {
	t.Helper()
	var buf bytes.Buffer
	m := &Main{Stdout: &buf}
	if err := m.ParseFlags(args); err != nil {
		t.Fatalf("ParseFlags(%q): %v", args, err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("Run(%q): %v", args, err)
	}
	if err := json.Unmarshal(buf.Bytes(), out); err != nil {
		t.Fatalf("report %q: %v", buf.String(), err)
	}
}

func TestParseFlagsRejects(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", nil, "exactly one FILE"},
		{"two files", []string{"a.qasm", "b.qasm"}, "exactly one FILE"},
		{"file with copybw", []string{"-copybw", "a.qasm"}, "take no FILE"},
		{"both bandwidth modes", []string{"-copybw", "-gatebw"}, "exclude each other"},
		{"zero repeats", []string{"-repeats", "0", "a.qasm"}, "at least 1"},
		{"negative shots", []string{"-shots", "-1", "a.qasm"}, "must not be negative"},
		{"huge n", []string{"-gatebw", "-n", "40"}, "between 1 and 34"},
		{"no timed gates", []string{"-gatebw", "-gates", "0"}, "-gates 0 must be at least 1"},
		{"tiny copy", []string{"-copybw", "-copy-bytes", "10"}, "at least 1 MiB"},
		{"unknown flag", []string{"-bogus", "a.qasm"}, "not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Main{Stdout: &bytes.Buffer{}, Stderr: io.Discard}
			err := m.ParseFlags(tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseFlags(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestTimingReport(t *testing.T) {
	path := writeFile(t, "ghz.qasm", ghz3)
	measured := writeFile(t, "ghzm.qasm", ghz3+"measure q -> c;\n")
	tests := []struct {
		name       string
		args       []string
		wantEngine string
		wantShots  int
	}{
		{"statevector evolves only", []string{"-repeats", "2", "-workers", "1", path}, "statevector", 0},
		{"stabilizer samples shots", []string{"-engine", "stabilizer", "-shots", "100", "-repeats", "2", measured}, "stabilizer", 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got timing
			run(t, tt.args, &got)
			if got.Engine != tt.wantEngine || got.N != 3 || got.Shots != tt.wantShots || len(got.Seconds) != 2 {
				t.Errorf("report = %+v, want engine %s, n 3, shots %d and 2 times", got, tt.wantEngine, tt.wantShots)
			}
			for _, s := range got.Seconds {
				if !(s > 0) {
					t.Errorf("time %v, want > 0", s)
				}
			}
		})
	}
}

func TestTimingStopsAtBudget(t *testing.T) {
	var got timing
	run(t, []string{"-repeats", "5", "-budget", "0", writeFile(t, "ghz.qasm", ghz3)}, &got)
	if len(got.Seconds) != 1 {
		t.Errorf("runs = %d, want 1 (budget 0 allows only the first)", len(got.Seconds))
	}
}

func TestStateFileHoldsAmplitudes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "state.bin")
	var rep stateReport
	run(t, []string{"-state", out, writeFile(t, "ghz.qasm", ghz3)}, &rep)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 16*8 {
		t.Fatalf("state file has %d bytes, want %d", len(b), 16*8)
	}
	h := 1 / math.Sqrt2
	for i := range 8 {
		re := math.Float64frombits(binary.LittleEndian.Uint64(b[16*i:]))
		im := math.Float64frombits(binary.LittleEndian.Uint64(b[16*i+8:]))
		want := 0.0
		if i == 0 || i == 7 {
			want = h
		}
		if math.Abs(re-want) > 1e-12 || math.Abs(im) > 1e-12 {
			t.Errorf("amplitude %d = %v%+vi, want %v", i, re, im, want)
		}
	}
}

func TestCopyBandwidth(t *testing.T) {
	var got copyReport
	run(t, []string{"-copybw", "-copy-bytes", "4194304", "-workers", "2"}, &got)
	if got.Bytes != 4<<20 || len(got.GBps) != copyRounds || !(got.BestGBps > 0) {
		t.Errorf("report = %+v, want 4 MiB, %d rounds and a positive best", got, copyRounds)
	}
}

func TestGateBandwidthCoversThreeQubits(t *testing.T) {
	var got gateReport
	run(t, []string{"-gatebw", "-n", "12", "-gates", "3", "-copy-gbps", "10", "-repeats", "1"}, &got)
	var qubits []int
	for _, g := range got.Gates {
		qubits = append(qubits, g.Qubit)
	}
	if want := []int{0, 6, 11}; !slices.Equal(qubits, want) || got.CopyGBps != 10 || got.Timed != 3 {
		t.Errorf("qubits = %v, copy = %v, timed gates = %d; want %v, 10, 3", qubits, got.CopyGBps, got.Timed, want)
	}
}

func TestSplitCoversRangeAligned(t *testing.T) {
	tests := []struct{ n, parts int }{{1000, 3}, {256, 4}, {1 << 20, 7}, {5, 1}}
	for _, tt := range tests {
		chunks := split(tt.n, tt.parts)
		next := 0
		for _, c := range chunks {
			if c[0] != next || c[1] <= c[0] || (c[1] != tt.n && c[1]%256 != 0) {
				t.Errorf("split(%d, %d) = %v: bad chunk %v", tt.n, tt.parts, chunks, c)
			}
			next = c[1]
		}
		if next != tt.n || len(chunks) > tt.parts {
			t.Errorf("split(%d, %d) = %v, want %d chunks at most covering [0, %d)", tt.n, tt.parts, chunks, tt.parts, tt.n)
		}
	}
}

func TestGateCircuitSeparatesGatesByBarriers(t *testing.T) {
	got := gateCircuit(4, 2, 3)
	if h, b := strings.Count(got, "h q[2];"), strings.Count(got, "barrier q;"); h != 3 || b != 2 {
		t.Errorf("gateCircuit(4, 2, 3) has %d gates and %d barriers, want 3 and 2:\n%s", h, b, got)
	}
}
