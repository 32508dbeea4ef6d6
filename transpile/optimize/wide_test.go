package optimize

import (
	"context"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/basis"
	"github.com/qluster/qluster/transpile/synth/synthtest"
	"github.com/qluster/qluster/transpile/unroll"
)

// TestWideGatesCompile unrolls, translates and optimises each wide gate
// into {cx, u3} and checks the CX count against a ceiling: Qiskit 2.x at
// optimization_level 3 gives ccx 6, c3x 14, c4x 36, c3sqrtx 20, rc3x 6.
func TestWideGatesCompile(t *testing.T) {
	ceiling := map[string]int{"ccx": 6, "cswap": 8, "rccx": 3, "rc3x": 6, "c3x": 14, "c3sqrtx": 14, "c4x": 30}
	d := &device.Device{Basis: []string{"cx", "u3"}}
	for name, want := range ceiling {
		t.Run(name, func(t *testing.T) {
			g := mustGate(name)
			in := &circuit.Circuit{}
			in.AddQReg("q", g.Qubits)
			qs := make([]int, g.Qubits)
			for i := range qs {
				qs[i] = i
			}
			in.Ops = append(in.Ops, circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: qs})
			c, err := transpile.Pipeline(context.Background(), in, d, &transpile.PropertySet{},
				unroll.Pass{}, basis.Translate{}, Resynth2Q{}, CommutationCancel{}, CancelInverses{}, Merge1Q{})
			if err != nil {
				t.Fatal(err)
			}
			synthtest.Equivalent(t, in, c)
			got := synthtest.Count(c, 2)
			t.Logf("%s: %d cx, %d ops", name, got, len(c.Ops))
			if got > want {
				t.Errorf("got %d cx, want at most %d", got, want)
			}
		})
	}
}
