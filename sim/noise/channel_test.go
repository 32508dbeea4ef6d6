package noise

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/qluster/qluster/gate"
)

// applyChannel returns Σ K ρ K† for a d×d row-major ρ.
func applyChannel(ch Channel, rho gate.Matrix) gate.Matrix {
	out := make(gate.Matrix, len(rho))
	for _, k := range ch.Kraus {
		for i, v := range gate.Mul(gate.Mul(k, rho), gate.Adjoint(k)) {
			out[i] += v
		}
	}
	return out
}

// mustChannel returns ch, panicking on err (a broken test table).
func mustChannel(ch Channel, err error) Channel {
	if err != nil {
		panic(err)
	}
	return ch
}

func TestChannelsAreCPTP(t *testing.T) {
	tr := func(t1, t2, dur, pe float64) func() (Channel, error) {
		return func() (Channel, error) { return ThermalRelaxation(t1, t2, dur, pe) }
	}
	dep := func(p float64, n int) func() (Channel, error) {
		return func() (Channel, error) { return Depolarizing(p, n) }
	}
	for _, tc := range []struct {
		name string
		mk   func() (Channel, error)
	}{
		{"thermal relaxation T2 < T1", tr(50, 30, 0.04, 0)},
		{"thermal relaxation T2 = 2·T1", tr(50, 100, 0.04, 0)},
		{"thermal relaxation with excited population", tr(50, 70, 3, 0.1)},
		{"thermal relaxation over a long time", tr(50, 70, 500, 0.05)},
		{"thermal relaxation with infinite T1", tr(math.Inf(1), 20, 1, 0)},
		{"thermal relaxation of zero duration", tr(50, 20, 0, 0)},
		{"amplitude damping", func() (Channel, error) { return AmplitudeDamping(0.3) }},
		{"full amplitude damping", func() (Channel, error) { return AmplitudeDamping(1) }},
		{"generalized amplitude damping", func() (Channel, error) { return GeneralizedAmplitudeDamping(0.2, 0.3) }},
		{"phase damping", func() (Channel, error) { return PhaseDamping(0.4) }},
		{"depolarizing 1 qubit", dep(0.1, 1)},
		{"depolarizing 2 qubits", dep(0.05, 2)},
		{"depolarizing 3 qubits at the maximum", dep(64.0/63, 3)},
		{"compose", func() (Channel, error) {
			a, _ := Depolarizing(0.1, 1)
			b, _ := ThermalRelaxation(40, 30, 1, 0)
			return Compose(a, b)
		}},
		{"tensor", func() (Channel, error) {
			a, _ := AmplitudeDamping(0.2)
			b, _ := PhaseDamping(0.7)
			return Tensor(a, b), nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := tc.mk()
			if err != nil {
				t.Fatal(err)
			}
			if err := ch.CheckCPTP(1e-12); err != nil {
				t.Errorf("got %v, want CPTP", err)
			}
		})
	}
}

func TestCheckCPTPRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		ch   Channel
	}{
		{"not trace preserving", Channel{Qubits: 1, Kraus: []gate.Matrix{{1, 0, 0, 0.5}}}},
		{"wrong size", Channel{Qubits: 2, Kraus: []gate.Matrix{{1, 0, 0, 1}}}},
		{"no operators", Channel{Qubits: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.ch.CheckCPTP(1e-12); err == nil {
				t.Errorf("got nil, want an error")
			}
		})
	}
}

func TestConstructorsRejectBadParameters(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"T2 above 2·T1", second(ThermalRelaxation(10, 25, 1, 0))},
		{"negative duration", second(ThermalRelaxation(10, 5, -1, 0))},
		{"excited population above 1", second(ThermalRelaxation(10, 5, 1, 1.5))},
		{"gamma above 1", second(AmplitudeDamping(1.1))},
		{"negative lambda", second(PhaseDamping(-0.1))},
		{"depolarizing above the maximum", second(Depolarizing(1.5, 1))},
		{"compose mismatched widths", second(Compose(Identity(1), Identity(2)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Errorf("got nil, want an error")
			}
		})
	}
}

func second(_ Channel, err error) error { return err }

// TestRelaxationPopulation checks p(|1⟩) after time t against
// p_e + (1 − p_e)·e^(−t/T1).
func TestRelaxationPopulation(t *testing.T) {
	for _, tc := range []struct {
		t1, t2, dur, pe float64
	}{
		{50, 30, 0.03, 0}, {50, 30, 10, 0}, {50, 100, 50, 0}, {20, 5, 200, 0}, {80, 60, 40, 0.07},
	} {
		ch := mustChannel(ThermalRelaxation(tc.t1, tc.t2, tc.dur, tc.pe))
		rho := applyChannel(ch, gate.Matrix{0, 0, 0, 1})
		want := tc.pe + (1-tc.pe)*math.Exp(-tc.dur/tc.t1)
		if got := real(rho[3]); math.Abs(got-want) > 1e-12 {
			t.Errorf("T1 %g, t %g, p_e %g: p(1) = %.15g, want %.15g", tc.t1, tc.dur, tc.pe, got, want)
		}
		if tr := real(rho[0] + rho[3]); math.Abs(tr-1) > 1e-12 {
			t.Errorf("trace %.15g, want 1", tr)
		}
	}
}

// TestRelaxationCoherence checks ⟨X⟩ of H|0⟩ after time t against
// e^(−t/T2).
func TestRelaxationCoherence(t *testing.T) {
	for _, tc := range []struct {
		t1, t2, dur, pe float64
	}{
		{50, 30, 0.03, 0}, {50, 30, 10, 0}, {50, 100, 50, 0}, {20, 5, 3, 0}, {80, 60, 40, 0.07}, {math.Inf(1), 25, 10, 0},
	} {
		ch := mustChannel(ThermalRelaxation(tc.t1, tc.t2, tc.dur, tc.pe))
		rho := applyChannel(ch, gate.Matrix{0.5, 0.5, 0.5, 0.5})
		x := 2 * real(rho[1])
		want := math.Exp(-tc.dur / tc.t2)
		if math.Abs(x-want) > 1e-12 || math.Abs(imag(rho[1])) > 1e-15 {
			t.Errorf("T1 %g, T2 %g, t %g: ⟨X⟩ = %.15g (ρ01 %v), want %.15g", tc.t1, tc.t2, tc.dur, x, rho[1], want)
		}
	}
}

func TestDepolarizingFidelity(t *testing.T) {
	for _, tc := range []struct {
		p float64
		n int
	}{{0, 1}, {0.01, 1}, {0.3, 1}, {4.0 / 3, 1}, {0.02, 2}, {0.5, 2}, {0.1, 3}} {
		ch := mustChannel(Depolarizing(tc.p, tc.n))
		d := float64(int(1) << tc.n)
		want := 1 - tc.p*(d-1)/d
		if got := ch.AverageGateFidelity(nil); math.Abs(got-want) > 1e-12 {
			t.Errorf("p %g on %d qubits: F_avg = %.15g, want 1 − p(d−1)/d = %.15g", tc.p, tc.n, got, want)
		}
		// ρ ↦ (1−p)ρ + p·I/d on a pure state |0…0⟩.
		rho := make(gate.Matrix, int(d*d))
		rho[0] = 1
		out := applyChannel(ch, rho)
		if got, want := real(out[0]), 1-tc.p+tc.p/d; math.Abs(got-want) > 1e-12 {
			t.Errorf("p %g on %d qubits: ⟨0|E(|0⟩⟨0|)|0⟩ = %.15g, want %.15g", tc.p, tc.n, got, want)
		}
	}
	if !mustChannel(Depolarizing(0.2, 2)).IsMixedUnitary(1e-12) {
		t.Errorf("depolarizing: IsMixedUnitary = false, want true")
	}
	if mustChannel(AmplitudeDamping(0.2)).IsMixedUnitary(1e-12) {
		t.Errorf("amplitude damping: IsMixedUnitary = true, want false")
	}
}

func TestTensorOrder(t *testing.T) {
	// X on argument 0 only: |00⟩ → |01⟩ (index 1).
	x := Unitary(gate.Matrix{0, 1, 1, 0}, 1)
	ch := Tensor(x, Identity(1))
	rho := make(gate.Matrix, 16)
	rho[0] = 1
	if got := applyChannel(ch, rho); cmplx.Abs(got[1*4+1]-1) > 1e-15 {
		t.Errorf("X ⊗ I on |00⟩: got ρ %v, want |01⟩⟨01| (index 1)", got)
	}
}

func TestReadoutError(t *testing.T) {
	r := ReadoutError{P10: 0.02, P01: 0.05}
	for _, tc := range []struct {
		read, actual int
		want         float64
	}{{0, 0, 0.98}, {1, 0, 0.02}, {0, 1, 0.05}, {1, 1, 0.95}} {
		if got := r.Prob(tc.read, tc.actual); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("p(read %d | %d) = %g, want %g", tc.read, tc.actual, got, tc.want)
		}
	}
	if (ReadoutError{P10: 1.2}).Check() == nil {
		t.Errorf("p(1|0) = 1.2: Check gave nil, want an error")
	}
}
