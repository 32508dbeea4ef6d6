package densitymat

import (
	"context"
	"encoding/json"
	"math/cmplx"
	"os"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/noise"
)

// aerFixture is testdata/aer_density.json, written by
// testdata/gen_aer_fixture.py with Qiskit Aer's density_matrix method.
type aerFixture struct {
	QiskitAer string `json:"qiskit_aer"`
	Device    struct {
		Qubits []struct {
			T1          float64 `json:"t1_us"`
			T2          float64 `json:"t2_us"`
			Gate1QNs    float64 `json:"gate_1q_ns"`
			Gate1QError float64 `json:"gate_1q_error"`
		} `json:"qubits"`
		Edges []struct {
			A, B       int
			DurationNs float64 `json:"duration_ns"`
			Error      float64 `json:"error"`
		} `json:"edges"`
	} `json:"device"`
	Circuits []struct {
		Name      string `json:"name"`
		NumQubits int    `json:"num_qubits"`
		Ops       []struct {
			Name   string    `json:"name"`
			Qubits []int     `json:"qubits"`
			Params []float64 `json:"params"`
		} `json:"ops"`
		RhoRe [][]float64 `json:"rho_re"`
		RhoIm [][]float64 `json:"rho_im"`
	} `json:"circuits"`
}

// TestMatchesAer checks the noisy density matrix against Qiskit Aer's
// density_matrix method with the same channels (see the generator) to 1e-9.
func TestMatchesAer(t *testing.T) {
	b, err := os.ReadFile("testdata/aer_density.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx aerFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	d, err := device.Preset("line20")
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range fx.Device.Qubits {
		dq := &d.Qubits[i]
		dq.T1, dq.T2, dq.T2Star = q.T1, q.T2, 0
		dq.Gate1QDuration, dq.Gate1QError = q.Gate1QNs, q.Gate1QError
	}
	for _, e := range fx.Device.Edges {
		found := false
		for j := range d.Edges {
			if de := &d.Edges[j]; de.A == e.A && de.B == e.B {
				de.Duration, de.Error, found = e.DurationNs, e.Error, true
			}
		}
		if !found {
			t.Fatalf("line20 has no edge %d-%d", e.A, e.B)
		}
	}
	m, err := noise.FromDevice(d, noise.ModelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fc := range fx.Circuits {
		t.Run(fc.Name, func(t *testing.T) {
			c := &circuit.Circuit{Name: fc.Name}
			if _, err := c.AddQReg("q", fc.NumQubits); err != nil {
				t.Fatal(err)
			}
			for _, o := range fc.Ops {
				op := circuit.Op{Kind: circuit.Reset, Qubits: o.Qubits}
				if o.Name != "reset" {
					g, ok := gate.Lookup(o.Name)
					if !ok {
						t.Fatalf("fixture gate %s not in the gate table", o.Name)
					}
					op = circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: o.Qubits}
					for _, p := range o.Params {
						op.Params = append(op.Params, circuit.Const(p))
					}
				}
				if err := c.Append(op); err != nil {
					t.Fatal(err)
				}
			}
			phys := []int{0, 1, 2, 3}[:fc.NumQubits]
			rho, err := New(m, Options{PhysicalQubits: phys}).DensityMatrix(context.Background(), c, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			dim := 1 << fc.NumQubits
			var worst, purity float64
			for r := range dim {
				for col := range dim {
					want := complex(fc.RhoRe[r][col], fc.RhoIm[r][col])
					worst = max(worst, cmplx.Abs(rho[r*dim+col]-want))
					purity += real(rho[r*dim+col] * rho[col*dim+r])
				}
			}
			t.Logf("max |ρ − ρ_aer| = %.3g, Tr ρ² = %.4f", worst, purity)
			if worst > 1e-9 {
				t.Errorf("max |ρ − ρ_aer| = %.3g, want ≤ 1e-9 (Aer %s)", worst, fx.QiskitAer)
			}
			if purity > 1-1e-3 {
				t.Errorf("Tr ρ² = %g: the noise left the state nearly pure, so the comparison tests little", purity)
			}
		})
	}
}
