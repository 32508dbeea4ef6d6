package stabilizer_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/stabilizer"
)

// splitMix64 is the SplitMix64 generator. The benchmark circuit is drawn
// from it because it is a few lines in any language: testdata/stim_bench.py
// builds the identical circuit for stim.
type splitMix64 struct{ s uint64 }

func (g *splitMix64) next() uint64 {
	g.s += 0x9e3779b97f4a7c15
	z := g.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// benchGate is one gate of the benchmark circuit.
type benchGate struct {
	name string
	qs   []int
}

// randomCliffordLayers draws depth layers on n qubits (n even) from seed:
// in each, a gate from {h, s, sdg, x, sx} on every qubit in order, then cx
// on the pairs (p[0],p[1]), (p[2],p[3]), … of a Fisher–Yates permutation p.
func randomCliffordLayers(n, depth int, seed uint64) []benchGate {
	g := &splitMix64{s: seed}
	oneQ := []string{"h", "s", "sdg", "x", "sx"}
	var out []benchGate
	perm := make([]int, n)
	for range depth {
		for q := range n {
			out = append(out, benchGate{oneQ[g.next()%5], []int{q}})
		}
		for i := range perm {
			perm[i] = i
		}
		for i := n - 1; i > 0; i-- {
			j := int(g.next() % uint64(i+1))
			perm[i], perm[j] = perm[j], perm[i]
		}
		for k := 0; k+1 < n; k += 2 {
			out = append(out, benchGate{"cx", []int{perm[k], perm[k+1]}})
		}
	}
	return out
}

// benchText renders gates one per line ("h 3", "cx 5 9"), the form whose
// SHA-256 stim_bench.py prints to show it simulates the same circuit.
func benchText(gates []benchGate) string {
	var b strings.Builder
	for _, g := range gates {
		b.WriteString(g.name)
		for _, q := range g.qs {
			fmt.Fprintf(&b, " %d", q)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func benchCircuit(t testing.TB, n, depth int, seed uint64) *circuit.Circuit {
	c := newCircuit(t, n, n)
	for _, g := range randomCliffordLayers(n, depth, seed) {
		add(t, c, g.name, nil, g.qs...)
	}
	for q := range n {
		measure(t, c, q, q)
	}
	return c
}

// TestBenchCircuitMatchesStim pins the benchmark circuit: the digest is
// what `python3 testdata/stim_bench.py --digest` prints for the same
// parameters, so the two benchmarks time the same gates.
func TestBenchCircuitMatchesStim(t *testing.T) {
	const want = "7bc199ee7f7d0e419fe8a2ecddc0ed3755d0937586009f5d69b63b85b0f45e6c"
	sum := sha256.Sum256([]byte(benchText(randomCliffordLayers(1000, 100, 1))))
	if got := fmt.Sprintf("%x", sum); got != want {
		t.Errorf("benchmark circuit digest got %s, want %s (from stim_bench.py --digest)", got, want)
	}
}

// BenchmarkRandomClifford1000 times 1000 qubits, 100 random Clifford
// layers, measure all, 1000 shots (compare testdata/stim_bench.py).
func BenchmarkRandomClifford1000(b *testing.B) {
	c := benchCircuit(b, 1000, 100, 1)
	e := stabilizer.New()
	for b.Loop() {
		res, err := e.Run(context.Background(), c, sim.Options{Shots: 1000, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Counts) == 0 {
			b.Fatal("no counts")
		}
	}
}

// BenchmarkBell1000 times the service's typical small job: a Bell pair,
// measured, 1000 shots.
func BenchmarkBell1000(b *testing.B) {
	c := newCircuit(b, 2, 2)
	add(b, c, "h", nil, 0)
	add(b, c, "cx", nil, 0, 1)
	measure(b, c, 0, 0)
	measure(b, c, 1, 1)
	e := stabilizer.New()
	for b.Loop() {
		res, err := e.Run(context.Background(), c, sim.Options{Shots: 1000, Seed: 1, Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Counts) != 2 {
			b.Fatalf("counts %v, want two outcomes", res.Counts)
		}
	}
}
