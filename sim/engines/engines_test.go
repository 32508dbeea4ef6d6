package engines

import (
	"strings"
	"testing"

	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/sim"
)

func TestChoose(t *testing.T) {
	const clifford = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\nrz(pi/2) q[1];\n"
	const general = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0];\nt q[0];\n"
	tests := []struct {
		name, engine, src string
		opt               sim.Options
		want              string
	}{
		{"clifford goes to the tableau", Auto, clifford, sim.Options{}, "stabilizer"},
		{"empty name means auto", "", clifford, sim.Options{}, "stabilizer"},
		{"amplitudes need the state vector", Auto, clifford, sim.Options{Statevector: true}, "statevector"},
		{"non-Clifford goes to the state vector", Auto, general, sim.Options{}, "statevector"},
		{"explicit engine is honoured", "statevector", clifford, sim.Options{}, "statevector"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := qasm.Parse([]byte(tt.src), qasm.Options{})
			if err != nil {
				t.Fatal(err)
			}
			e, err := Choose(tt.engine, c, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if e.Name() != tt.want {
				t.Errorf("Choose = %s, want %s", e.Name(), tt.want)
			}
		})
	}
	if _, err := Choose("quantum-annealer", nil, sim.Options{}); err == nil || !strings.Contains(err.Error(), "valid: auto, stabilizer, statevector") {
		t.Errorf("unknown engine error = %v", err)
	}
}
