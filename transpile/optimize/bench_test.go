package optimize

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/basis"
	"github.com/qluster/qluster/transpile/synth/synthtest"
)

// BenchmarkPasses runs each pass on a translated 20-qubit circuit of 20000
// Clifford+T gates.
func BenchmarkPasses(b *testing.B) {
	r := rand.New(rand.NewPCG(51, 52))
	d := &device.Device{Basis: []string{"cz", "rz", "sx", "x"}}
	in := synthtest.RandomCircuit(r, 20, 20000, cliffordT())
	c, err := basis.Translate{}.Run(context.Background(), in, d, &transpile.PropertySet{})
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range passes {
		b.Run(p.Name(), func(b *testing.B) {
			for b.Loop() {
				if _, err := p.Run(context.Background(), c, d, &transpile.PropertySet{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
