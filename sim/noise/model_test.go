package noise

import (
	"math"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
)

func preset(t *testing.T, name string) *device.Device {
	t.Helper()
	d, err := device.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func model(t *testing.T, d *device.Device, opt ModelOptions) *Model {
	t.Helper()
	m, err := FromDevice(d, opt)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func gateOp(t *testing.T, name string, params []float64, qubits ...int) *circuit.Op {
	t.Helper()
	g, ok := gate.Lookup(name)
	if !ok {
		t.Fatalf("no gate %s", name)
	}
	op := &circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: qubits}
	for _, p := range params {
		op.Params = append(op.Params, circuit.Const(p))
	}
	return op
}

// composite returns the Kraus operators of the whole noisy gate: the
// channels of chs applied after the unitary u.
func composite(t *testing.T, u gate.Matrix, n int, chs []Channel) Channel {
	t.Helper()
	total := Unitary(u, n)
	for _, ch := range chs {
		if err := ch.CheckCPTP(1e-12); err != nil {
			t.Fatalf("channel: %v", err)
		}
		var err error
		if total, err = Compose(total, ch); err != nil {
			t.Fatal(err)
		}
	}
	return total
}

// TestGateFidelityMatchesCalibration checks, for every usable qubit and
// every edge of each preset, that the noisy gate's average gate fidelity
// against the ideal gate, F_avg = (Σ|Tr(U†K)|² + d)/(d² + d) over the
// Kraus operators K of the whole noisy gate, is 1 − the calibrated error.
func TestGateFidelityMatchesCalibration(t *testing.T) {
	for _, name := range []string{"dongling", "example10", "grid25", "heavyhex27", "line20"} {
		t.Run(name, func(t *testing.T) {
			d := preset(t, name)
			m := model(t, d, ModelOptions{})
			rx := gateOp(t, "rx", []float64{0.7}, 0)
			u1 := rx.Gate.Matrix([]float64{0.7})
			for _, q := range d.UsableQubits() {
				chs, err := m.OpNoise(rx, []int{q})
				if err != nil {
					t.Fatal(err)
				}
				got := composite(t, u1, 1, chs).AverageGateFidelity(u1)
				want := wantFidelity(t, d.Qubits[q].Gate1QError, chs)
				if math.Abs(got-want) > 1e-12 {
					t.Errorf("qubit %s: F_avg = %.15g, want 1 − %g", d.Qubits[q].Name, got, d.Qubits[q].Gate1QError)
				}
			}
			for _, e := range d.Edges {
				op := gateOp(t, e.Gate, nil, 0, 1)
				u2 := op.Gate.Matrix(nil)
				chs, err := m.OpNoise(op, []int{e.A, e.B})
				if err != nil {
					t.Fatal(err)
				}
				got := composite(t, u2, 2, chs).AverageGateFidelity(u2)
				if want := wantFidelity(t, e.Error, chs); math.Abs(got-want) > 1e-12 {
					t.Errorf("edge %d-%d: F_avg = %.15g, want 1 − %g", e.A, e.B, got, e.Error)
				}
			}
		})
	}
}

// wantFidelity returns 1 − gateErr, or the relaxation's own fidelity where
// that is lower (the model then adds no depolarizing channel: Aer's clamp).
func wantFidelity(t *testing.T, gateErr float64, chs []Channel) float64 {
	t.Helper()
	relax := chs[len(chs)-1]
	if relax.Qubits == 2 { // relaxation ⊗ I, then I ⊗ relaxation
		var err error
		if relax, err = Compose(chs[len(chs)-2], relax); err != nil {
			t.Fatal(err)
		}
		chs = chs[:len(chs)-1]
	}
	fr := relax.AverageGateFidelity(nil)
	if fr < 1-gateErr {
		if len(chs) != 1 {
			t.Errorf("relaxation infidelity %g exceeds the gate error %g, yet a depolarizing channel was added", 1-fr, gateErr)
		}
		return fr
	}
	return 1 - gateErr
}

func TestDepolarizingParam(t *testing.T) {
	relax, err := ThermalRelaxation(10, 8, 0.5, 0)
	if err != nil {
		t.Fatal(err)
	}
	fr := relax.AverageGateFidelity(nil)
	for _, tc := range []struct {
		name    string
		gateErr float64
		zero    bool
	}{
		{"error above the relaxation's", 0.05, false},
		{"error below the relaxation's clamps to zero", (1 - fr) / 2, true},
		{"error beyond the maximum is capped", 0.9, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DepolarizingParam(tc.gateErr, fr, 1)
			if tc.zero {
				if p != 0 {
					t.Errorf("got p = %g, want 0", p)
				}
				return
			}
			dep, err := Depolarizing(p, 1)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := Compose(dep, relax)
			want := 1 - min(tc.gateErr, 2.0/3)
			if p == 4.0/3 {
				return // capped: the target is unreachable
			}
			if got := c.AverageGateFidelity(nil); math.Abs(got-want) > 1e-12 {
				t.Errorf("F_avg = %.15g, want %.15g (p = %g)", got, want, p)
			}
		})
	}
}

func TestOpNoise(t *testing.T) {
	d := preset(t, "dongling")
	m := model(t, d, ModelOptions{})
	e := d.Edges[0]
	far := d.UsableQubits()[len(d.UsableQubits())-1]
	unusable := -1
	for i, q := range d.Qubits {
		if !q.Usable {
			unusable = i
			break
		}
	}
	for _, tc := range []struct {
		name     string
		op       *circuit.Op
		physical []int
		channels int
		err      string
	}{
		{"rz is virtual", gateOp(t, "rz", []float64{0.3}, 0), []int{e.A}, 0, ""},
		{"rx gets depolarizing then relaxation", gateOp(t, "rx", []float64{0.3}, 0), []int{e.A}, 2, ""},
		{"cz on an edge", gateOp(t, "cz", nil, 0, 1), []int{e.A, e.B}, 3, ""},
		{"cz on an edge, reversed", gateOp(t, "cz", nil, 0, 1), []int{e.B, e.A}, 3, ""},
		{"barrier", &circuit.Op{Kind: circuit.Barrier, Qubits: []int{0}}, []int{e.A}, 0, ""},
		{"cz off the coupling map", gateOp(t, "cz", nil, 0, 1), []int{e.A, far}, 0, "no such edge"},
		{"three-qubit gate", gateOp(t, "ccx", nil, 0, 1, 2), []int{e.A, e.B, far}, 0, "transpile"},
		{"unusable qubit", gateOp(t, "h", nil, 0), []int{unusable}, 0, "not usable"},
		{"qubit off the device", gateOp(t, "h", nil, 0), []int{500}, 0, "not on device"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chs, err := m.OpNoise(tc.op, tc.physical)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got error %v, want one mentioning %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(chs) != tc.channels {
				t.Errorf("got %d channels, want %d", len(chs), tc.channels)
			}
			for _, ch := range chs {
				if ch.Qubits != len(tc.op.Qubits) {
					t.Errorf("channel on %d qubits, want %d", ch.Qubits, len(tc.op.Qubits))
				}
			}
		})
	}
	var ideal *Model
	if chs, err := ideal.OpNoise(gateOp(t, "h", nil, 0), []int{0}); err != nil || chs != nil {
		t.Errorf("ideal model: got %v, %v; want no channels", chs, err)
	}
	if got := m.Readout(e.A); got != (ReadoutError{P10: d.Qubits[e.A].ReadoutP10, P01: d.Qubits[e.A].ReadoutP01}) {
		t.Errorf("Readout(%d) = %+v, want the qubit's figures", e.A, got)
	}
}

func TestPlanIdleNoise(t *testing.T) {
	d := preset(t, "line20")
	m := model(t, d, ModelOptions{IdleNoise: true})
	c := &circuit.Circuit{}
	if _, err := c.AddQReg("q", 3); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddCReg("c", 1); err != nil {
		t.Fatal(err)
	}
	for _, op := range []*circuit.Op{
		gateOp(t, "sx", nil, 0),
		gateOp(t, "cz", nil, 1, 2),
		gateOp(t, "cz", nil, 0, 1),
		{Kind: circuit.Measure, Qubits: []int{2}, Clbits: []int{0}},
	} {
		if err := c.Append(*op); err != nil {
			t.Fatal(err)
		}
	}
	phys := []int{5, 6, 7}
	steps, err := m.Plan(c, phys)
	if err != nil {
		t.Fatal(err)
	}
	sx := d.Qubits[5].Gate1QDuration
	e12, _ := d.EdgeBetween(6, 7)
	e01, _ := d.EdgeBetween(5, 6)
	// q0 waits from the end of sx until cz(q1, q2) ends; q2 waits for the
	// measurement, which starts after the last gate.
	type idle struct {
		q   int
		dur float64
	}
	want := []idle{{0, e12.Duration - sx}, {2, e01.Duration}}
	var got []idle
	ops := 0
	for _, s := range steps {
		if s.Op != nil {
			ops++
			if s.Op.Kind == circuit.Measure && s.Readout != m.Readout(7) {
				t.Errorf("measure step readout %+v, want qubit 7's", s.Readout)
			}
			continue
		}
		q := s.Qubits[0]
		for _, w := range want {
			if w.q != q {
				continue
			}
			ch, err := m.Idle(phys[q], w.dur)
			if err != nil {
				t.Fatal(err)
			}
			if !sameChannel(ch, s.Noise[0]) {
				t.Errorf("idle on q%d: channel differs from Idle(%d, %g)", q, phys[q], w.dur)
			}
		}
		got = append(got, idle{q: q})
	}
	if ops != 4 || len(got) != len(want) || got[0].q != 0 || got[1].q != 2 {
		t.Errorf("got %d op steps and idle steps on %v; want 4 and idles on q0 then q2", ops, got)
	}
	if _, err := m.Plan(c, []int{5, 6, 12}); err == nil || !strings.Contains(err.Error(), "no such edge") {
		t.Errorf("layout off the coupling map: got %v, want a no-such-edge error", err)
	}
	if _, err := m.Plan(c, []int{5, 5, 6}); err == nil {
		t.Errorf("repeated device qubit: got nil error")
	}
	if _, err := m.Plan(c, []int{5, 6}); err == nil {
		t.Errorf("short layout: got nil error")
	}
}

func sameChannel(a, b Channel) bool {
	if a.Qubits != b.Qubits || len(a.Kraus) != len(b.Kraus) {
		return false
	}
	for i := range a.Kraus {
		for j := range a.Kraus[i] {
			if a.Kraus[i][j] != b.Kraus[i][j] {
				return false
			}
		}
	}
	return true
}

func TestChooseEngine(t *testing.T) {
	for _, tc := range []struct {
		n     int
		limit int64
		want  string
	}{
		{5, 0, EngineDensityMatrix},
		{12, 0, EngineDensityMatrix},
		{12, 24 << 30, EngineDensityMatrix},
		{12, 512 << 20, EngineTrajectory},
		{13, 0, EngineTrajectory},
		{20, 24 << 30, EngineTrajectory},
	} {
		if got := ChooseEngine(tc.n, tc.limit); got != tc.want {
			t.Errorf("ChooseEngine(%d, %d) = %s, want %s", tc.n, tc.limit, got, tc.want)
		}
	}
}
