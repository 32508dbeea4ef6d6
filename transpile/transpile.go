// Package transpile compiles a circuit for a device: it unrolls to one- and
// two-qubit gates, chooses a layout, routes with SWAPs onto the coupling
// map, translates to the device's basis and optimises.
//
// The design follows Qiskit's transpiler: an analysis pass reads the circuit
// and writes typed fields of a PropertySet; a transformation pass returns a
// new circuit (and may update the PropertySet, e.g. the layout). The device
// enters only as the Target (a *device.Device). Presets (package
// transpile/preset) are plain functions that chain passes.
package transpile

import (
	"context"
	"fmt"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
)

// Layout maps virtual (circuit) qubits to physical (device) qubits:
// Layout[v] = p.
type Layout []int

// Inverse returns the physical→virtual map over n physical qubits, with -1
// for physical qubits that hold no virtual qubit.
func (l Layout) Inverse(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = -1
	}
	for v, p := range l {
		out[p] = v
	}
	return out
}

// PropertySet holds what analysis passes found and what later passes need.
// Fields are typed; there is no string-keyed bag.
type PropertySet struct {
	// InitialLayout is where each virtual qubit starts (set by a layout pass).
	InitialLayout Layout
	// FinalLayout is where each virtual qubit ends after routing's SWAPs
	// (FinalLayout[v] = physical qubit holding v at the end).
	FinalLayout Layout
	// Seed drives every randomised pass (layout trials, routing trials).
	Seed uint64
	// Stats, filled at the end: two-qubit gate count and depth.
	TwoQubitGates int
	Depth         int
}

// Pass is one compiler step. Run returns the transformed circuit (an
// analysis pass returns its input unchanged) and may write props.
type Pass interface {
	Name() string
	Run(ctx context.Context, c *circuit.Circuit, t *device.Device, props *PropertySet) (*circuit.Circuit, error)
}

// Pipeline runs passes in order, stopping at the first error, which it
// wraps with the pass name.
func Pipeline(ctx context.Context, c *circuit.Circuit, t *device.Device, props *PropertySet, passes ...Pass) (*circuit.Circuit, error) {
	for _, p := range passes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out, err := p.Run(ctx, c, t, props)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name(), err)
		}
		c = out
	}
	return c, nil
}
