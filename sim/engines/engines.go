// Package engines picks the simulator for a circuit. It is the only place
// that knows every engine: callers (the CLI, the workers) ask for a name or
// for "auto" and get a sim.Engine.
//
// Automatic choice: a circuit whose gates are all Clifford (for their bound
// parameters) runs on the stabilizer tableau, unless amplitudes are wanted;
// everything else runs on the state vector.
package engines

import (
	"fmt"
	"sort"
	"strings"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/stabilizer"
	"github.com/qluster/qluster/sim/statevec"
)

// Auto is the name that asks for automatic choice.
const Auto = "auto"

var byName = map[string]func() sim.Engine{
	"statevector": func() sim.Engine { return statevec.New() },
	"stabilizer":  func() sim.Engine { return stabilizer.New() },
}

// Names returns the engines that can be asked for by name, plus "auto".
func Names() []string {
	out := []string{Auto}
	for n := range byName {
		out = append(out, n)
	}
	sort.Strings(out[1:])
	return out
}

// Choose returns the engine called name, or for "auto" (or "") the best
// engine for c under opt. An unknown name is an error listing the valid
// ones.
func Choose(name string, c *circuit.Circuit, opt sim.Options) (sim.Engine, error) {
	if name == "" || name == Auto {
		if !opt.Statevector && c.NumQubits > 0 && stabilizer.Supports(c) == nil {
			return stabilizer.New(), nil
		}
		return statevec.New(), nil
	}
	mk, ok := byName[name]
	if !ok {
		return nil, fmt.Errorf("unknown engine %q (valid: %s)", name, strings.Join(Names(), ", "))
	}
	return mk(), nil
}
