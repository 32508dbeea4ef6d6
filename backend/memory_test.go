package backend_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/backend"
)

// twoRegs measures a Bell pair into two one-bit registers, so keys carry a
// space ("1 1").
const twoRegs = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg a[1];
creg b[1];
h q[0];
cx q[0],q[1];
measure q[0] -> a[0];
measure q[1] -> b[0];
`

// histogram counts the outcomes of mem.
func histogram(mem []string) map[string]int {
	h := map[string]int{}
	for _, k := range mem {
		h[k]++
	}
	return h
}

// measured returns a circuit of one qubit measured into registers of the
// given sizes.
func measured(sizes ...int) string {
	src := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nh q[0];\n"
	for i, n := range sizes {
		src += fmt.Sprintf("creg c%d[%d];\n", i, n)
	}
	return src + "measure q[0] -> c0[0];\n"
}

func TestMemory(t *testing.T) {
	sv := backend.NewStateVector(backend.StateVectorOptions{MemoryLimit: 1 << 20})
	ex := newChip(t, "example10")
	ctx := context.Background()
	tests := []struct {
		name string
		b    backend.Backend
		src  string
		keys []string
	}{
		{"sv bell", sv, bell, []string{"00", "11"}},
		{"sv two registers", sv, twoRegs, []string{"0 0", "1 1"}},
		{"chip bell", ex, bell, []string{"00", "01", "10", "11"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := parse(t, tt.src)
			run := func(seed uint64) *qluster.CircuitResult {
				t.Helper()
				res, err := tt.b.Run(ctx, c, backend.RunOptions{Shots: 2000, Seed: seed, Memory: true})
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			res := run(7)
			if len(res.Memory) != 2000 {
				t.Fatalf("len(memory) = %d, want 2000 (shots)", len(res.Memory))
			}
			if got := histogram(res.Memory); !maps.Equal(got, res.Counts) {
				t.Errorf("histogram of memory = %v, want counts %v", got, res.Counts)
			}
			for k := range res.Counts {
				if !slices.Contains(tt.keys, k) {
					t.Errorf("outcome %q, want one of %v", k, tt.keys)
				}
			}
			if again := run(7); !slices.Equal(again.Memory, res.Memory) {
				t.Errorf("same seed: memory differs (first outcomes %v, want %v)", again.Memory[:8], res.Memory[:8])
			}
			other := run(8)
			if slices.Equal(other.Memory, res.Memory) {
				t.Errorf("seeds 7 and 8 gave the same memory, want different orders")
			}
			sorted := slices.Sorted(slices.Values(res.Memory))
			if slices.Equal(sorted, res.Memory) {
				t.Errorf("memory is sorted, want a random order")
			}
			if none := run(0); len(none.Memory) != 2000 {
				t.Errorf("seed 0: len(memory) = %d, want 2000", len(none.Memory))
			}
			res, err := tt.b.Run(ctx, c, backend.RunOptions{Shots: 10, Seed: 7})
			if err != nil || res.Memory != nil {
				t.Errorf("without Memory: memory %v (%v), want none", res.Memory, err)
			}
		})
	}
}

func TestMemoryLimit(t *testing.T) {
	sv := backend.NewStateVector(backend.StateVectorOptions{MemoryLimit: 1 << 20})
	d := newChip(t, "example10").Device()
	ch, err := backend.NewChip(backend.ChipOptions{Device: d, MaxShots: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	// 1,000,000 shots × 33 characters fits in 32 MiB (33,554,432 bytes);
	// × 34 does not.
	tests := []struct {
		name  string
		src   string
		shots int
		code  string
	}{
		{"accepts 33 bits", measured(33), 1_000_000, ""},
		{"accepts 32 bits in two registers", measured(16, 16), 1_000_000, ""},
		{"rejects 34 bits", measured(34), 1_000_000, qluster.ETOOLARGE},
		{"counts the spaces between registers", measured(16, 17), 1_000_000, qluster.ETOOLARGE},
		{"accepts wide keys with few shots", measured(3000), 10_000, ""},
	}
	for _, b := range []backend.Backend{sv, ch} {
		for _, tt := range tests {
			t.Run(b.Info().Name+" "+tt.name, func(t *testing.T) {
				spec := qluster.JobSpec{Shots: tt.shots, Options: qluster.JobOptions{Memory: true}}
				err := b.Validate(parse(t, tt.src), spec)
				if got := qluster.ErrorCode(err); got != tt.code {
					t.Errorf("Validate: %v (code %q), want code %q", err, got, tt.code)
				}
				if err != nil && !strings.Contains(err.Error(), "32 MiB") {
					t.Errorf("Validate: %v, want the limit named", err)
				}
				spec.Options.Memory = false
				if err := b.Validate(parse(t, tt.src), spec); err != nil {
					t.Errorf("Validate without memory: %v, want nil", err)
				}
			})
		}
	}
}

func TestCountsLimit(t *testing.T) {
	sv := backend.NewStateVector(backend.StateVectorOptions{MemoryLimit: 1 << 30})
	// randomWide puts every qubit in superposition and measures it: 2^n
	// outcomes, a Clifford circuit the stabilizer runs at any width.
	randomWide := func(n int) string {
		return fmt.Sprintf("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[%d];\ncreg c[%d];\nh q;\nmeasure q -> c;\n", n, n)
	}
	tests := []struct {
		name  string
		src   string
		shots int
		code  string
	}{
		{"30 qubits, a million shots", randomWide(30), 1_000_000, ""},
		{"1000 qubits, 100,000 shots", randomWide(1000), 100_000, ""},
		{"10,000 qubits, 10,000 shots", randomWide(10000), 10_000, ""},
		{"10,000 qubits, 20,000 shots", randomWide(10000), 20_000, qluster.ETOOLARGE},
		{"one measured bit of 3000", measured(3000), 1_000_000, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sv.Validate(parse(t, tt.src), qluster.JobSpec{Shots: tt.shots})
			if got := qluster.ErrorCode(err); got != tt.code {
				t.Errorf("Validate: %v (code %q), want code %q", err, got, tt.code)
			}
			if err != nil && !strings.Contains(err.Error(), "128 MiB") {
				t.Errorf("Validate: %v, want the limit named", err)
			}
		})
	}
}
