package gate

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// qiskitFixture is testdata/qiskit_matrices.json, written by
// testdata/gen_qiskit_matrices.py from qiskit.quantum_info.Operator.
type qiskitFixture struct {
	QiskitVersion string `json:"qiskit_version"`
	Cases         []struct {
		Name   string    `json:"name"`
		Params []float64 `json:"params"`
		Re     []float64 `json:"re"`
		Im     []float64 `json:"im"`
	} `json:"cases"`
}

func TestMatchesQiskit(t *testing.T) {
	data, err := os.ReadFile("testdata/qiskit_matrices.json")
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	var fx qiskitFixture
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatalf("decode fixture: %v", err)
	}
	covered := map[string]bool{}
	for _, c := range fx.Cases {
		t.Run(fmt.Sprintf("%s%v", c.Name, c.Params), func(t *testing.T) {
			g, ok := Lookup(c.Name)
			if !ok {
				t.Fatalf("Lookup(%q) failed, want a gate", c.Name)
			}
			covered[c.Name] = true
			want := make(Matrix, len(c.Re))
			for i := range c.Re {
				want[i] = complex(c.Re[i], c.Im[i])
			}
			if got := g.Matrix(c.Params); !approxEqual(got, want, eps) {
				t.Errorf("Matrix(%v) = %v, want Qiskit %s's %v", c.Params, got, fx.QiskitVersion, want)
			}
		})
	}
	for _, g := range All() {
		if !covered[g.Name] {
			t.Errorf("fixture has no case for %s, want every gate (rerun gen_qiskit_matrices.py)", g.Name)
		}
	}
}
