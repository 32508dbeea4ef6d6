package statevec

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
)

// benchKernel applies m on qs to an n-qubit state b.N times, reporting
// bytes/s for one read and one write of the whole state per application.
func benchKernel(b *testing.B, n int, m gate.Matrix, qs []int) {
	v := make([]complex128, 1<<n)
	for i := range v { // touch every page before timing
		v[i] = complex(1/math.Sqrt(float64(len(v))), 0)
	}
	k := newKernel(m, qs)
	x := newExec(n, runtime.GOMAXPROCS(0))
	b.SetBytes(16 << n * 2)
	b.ResetTimer()
	for b.Loop() {
		k.apply(x, v, n)
	}
}

func lookup(b *testing.B, name string, params ...float64) gate.Matrix {
	g, ok := gate.Lookup(name)
	if !ok {
		b.Fatalf("no gate %s", name)
	}
	return g.Matrix(params)
}

func BenchmarkGate1Q(b *testing.B) {
	for _, n := range []int{20, 24} {
		for _, q := range []int{0, n / 2, n - 1} {
			b.Run(fmt.Sprintf("n=%d/q=%d", n, q), func(b *testing.B) { benchKernel(b, n, lookup(b, "h"), []int{q}) })
		}
	}
}

func BenchmarkGate2Q(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{20, 24} {
		qs := []int{n/2 - 1, n/2 + 2}
		b.Run(fmt.Sprintf("cx/n=%d", n), func(b *testing.B) { benchKernel(b, n, lookup(b, "cx"), qs) })
		b.Run(fmt.Sprintf("unitary/n=%d", n), func(b *testing.B) { benchKernel(b, n, randomUnitary(rng, 4), qs) })
	}
}

// BenchmarkQFT20 runs a 20-qubit QFT (h, cp, swap) through Engine.Run,
// state allocation included.
func BenchmarkQFT20(b *testing.B) {
	const n = 20
	c := &circuit.Circuit{}
	if _, err := c.AddQReg("q", n); err != nil {
		b.Fatal(err)
	}
	add := func(name string, params []float64, qs ...int) {
		g, ok := gate.Lookup(name)
		if !ok {
			b.Fatalf("no gate %s", name)
		}
		op := circuit.Op{Kind: circuit.GateOp, Gate: g, Name: name, Qubits: qs}
		for _, p := range params {
			op.Params = append(op.Params, circuit.Const(p))
		}
		if err := c.Append(op); err != nil {
			b.Fatal(err)
		}
	}
	for j := n - 1; j >= 0; j-- {
		add("h", nil, j)
		for k := j - 1; k >= 0; k-- {
			add("cp", []float64{math.Pi / float64(int(1)<<(j-k))}, k, j)
		}
	}
	for i := range n / 2 {
		add("swap", nil, i, n-1-i)
	}
	e := New()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Run(context.Background(), c, sim.Options{Statevector: true}); err != nil {
			b.Fatal(err)
		}
	}
}
