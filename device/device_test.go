package device

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// tiny is a 5-qubit device: 0–1 undirected cz, 1→2 directed cx, 2–3
// undirected cz, qubit 4 unusable.
func tiny() *Device {
	q := func(i int, name string, usable bool) Qubit {
		if !usable {
			return Qubit{Index: i, Name: name}
		}
		return Qubit{Index: i, Name: name, Usable: true, T1: 50, T2: 40, T2Star: 20, Frequency: 4.5,
			Gate1QDuration: 30, Gate1QError: 1e-3, ReadoutP10: 0.02, ReadoutP01: 0.04, ReadoutDuration: 1500}
	}
	return &Device{
		Name:   "tiny",
		Qubits: []Qubit{q(0, "a", true), q(1, "b", true), q(2, "c", true), q(3, "d", true), q(4, "e", false)},
		Edges: []Edge{
			{A: 0, B: 1, Gate: "cz", Error: 0.01, Duration: 40},
			{A: 1, B: 2, Gate: "cx", Error: 0.02, Duration: 100, Directed: true},
			{A: 2, B: 3, Gate: "cz", Error: 0.03, Duration: 40},
		},
		Basis: []string{"cz", "cx", "rz", "sx"},
	}
}

func TestDeviceQueries(t *testing.T) {
	d := tiny()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	e12, ok12 := d.EdgeBetween(1, 2)
	_, ok21 := d.EdgeBetween(2, 1)
	b, okB := d.QubitByName("b")
	_, okZ := d.QubitByName("z")
	tests := []struct {
		name      string
		got, want any
	}{
		{"usable qubits", d.UsableQubits(), []int{0, 1, 2, 3}},
		{"undirected coupled both ways", d.Coupled(0, 1) && d.Coupled(1, 0), true},
		{"directed coupled forward", d.Coupled(1, 2), true},
		{"directed not coupled backward", d.Coupled(2, 1), false},
		{"not coupled", d.Coupled(0, 3), false},
		{"edge between forward", ok12 && e12.Gate == "cx", true},
		{"no edge backward", ok21, false},
		{"neighbours of 1 ignore direction", d.Neighbors(1), []int{0, 2}},
		{"neighbours of 2", d.Neighbors(2), []int{1, 3}},
		{"neighbours of unusable 4", d.Neighbors(4), []int{}},
		{"qubit by name", [2]any{b.Index, okB}, [2]any{1, true}},
		{"unknown name", okZ, false},
		{"coupling map", d.CouplingMap(), [][2]int{{0, 1}, {1, 0}, {1, 2}, {2, 3}, {3, 2}}},
		{"components", d.ConnectedComponents(), [][]int{{0, 1, 2, 3}}},
		{"num qubits", d.NumQubits(), 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestEdgeBetweenPicksLowestError(t *testing.T) {
	d := tiny()
	d.Edges = append(d.Edges, Edge{A: 0, B: 1, Gate: "cx", Error: 0.005, Duration: 100})
	if e, _ := d.EdgeBetween(1, 0); e.Gate != "cx" {
		t.Errorf("got %+v, want the cx edge (error 0.005)", e)
	}
}

func TestConnectedComponentsSplit(t *testing.T) {
	d := tiny()
	d.Edges = d.Edges[:1] // keep 0–1 only
	got := d.ConnectedComponents()
	want := [][]int{{0, 1}, {2}, {3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSub(t *testing.T) {
	d := tiny()
	s, err := d.Sub([]int{2, 1, 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	wantEdges := []Edge{
		{A: 0, B: 2, Gate: "cz", Error: 0.03, Duration: 40},
		{A: 1, B: 0, Gate: "cx", Error: 0.02, Duration: 100, Directed: true},
	}
	names := []string{s.Qubits[0].Name, s.Qubits[1].Name, s.Qubits[2].Name}
	if !reflect.DeepEqual(s.Edges, wantEdges) || !reflect.DeepEqual(names, []string{"c", "b", "d"}) {
		t.Errorf("got edges %+v, names %v; want %+v, [c b d]", s.Edges, names, wantEdges)
	}
	for _, bad := range [][]int{{0, 0}, {9}, {-1}} {
		if _, err := d.Sub(bad); err == nil {
			t.Errorf("Sub(%v): got no error", bad)
		}
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(d *Device)
		want   string
	}{
		{"empty name", func(d *Device) { d.Name = "" }, "empty device name"},
		{"bad name", func(d *Device) { d.Name = "a/b" }, `device name "a/b": character '/' not allowed`},
		{"no basis", func(d *Device) { d.Basis = nil }, "basis: no gates"},
		{"unknown basis gate", func(d *Device) { d.Basis[2] = "foo" }, `basis: unknown gate "foo"`},
		{"upper-case basis gate", func(d *Device) { d.Basis[1] = "CX" }, `basis: gate "CX": use the lower-case canonical name "cx"`},
		{"alias basis gate", func(d *Device) { d.Basis[2] = "phase" }, `basis: gate "phase": use the lower-case canonical name "p"`},
		{"duplicate basis gate", func(d *Device) { d.Basis[3] = "cz" }, `basis: gate "cz" listed twice`},
		{"wrong index", func(d *Device) { d.Qubits[2].Index = 7 }, "qubits[2] (c): index is 7, want 2"},
		{"duplicate name", func(d *Device) { d.Qubits[3].Name = "a" }, `qubits[3]: name "a" already used by qubit 0`},
		{"T2 above 2·T1", func(d *Device) { d.Qubits[1].T2 = 101 }, "qubit 1 (b): t2_us 101 exceeds 2·t1_us = 100"},
		{"T2star above 2·T1", func(d *Device) { d.Qubits[1].T2Star = 101 }, "qubit 1 (b): t2_star_us 101 exceeds"},
		{"zero T1", func(d *Device) { d.Qubits[0].T1 = 0 }, "qubit 0 (a): usable qubit needs t1_us > 0"},
		{"NaN figure", func(d *Device) { d.Qubits[0].Frequency = math.NaN() }, "qubit 0 (a): frequency_ghz is NaN"},
		{"probability above 1", func(d *Device) { d.Qubits[0].ReadoutP01 = 1.2 }, "readout_p01 is 1.2, not a probability in [0, 1]"},
		{"negative error", func(d *Device) { d.Qubits[0].Gate1QError = -0.1 }, "gate_1q_error is negative"},
		{"no readout duration", func(d *Device) { d.Qubits[0].ReadoutDuration = 0 }, "needs readout_duration_ns > 0"},
		{"edge to unusable qubit", func(d *Device) { d.Edges[2].B = 4 }, "edges[2] (2, 4, cz): qubit 4 (e) is not usable"},
		{"edge out of range", func(d *Device) { d.Edges[0].B = 9 }, "edges[0] (0, 9, cz): qubit 9 out of range [0, 5)"},
		{"edge to itself", func(d *Device) { d.Edges[0].B = 0 }, "joins a qubit to itself"},
		{"undirected edge reversed", func(d *Device) { d.Edges[0].A, d.Edges[0].B = 1, 0 }, "an undirected edge is stored with A < B"},
		{"edge gate unknown", func(d *Device) { d.Edges[0].Gate = "iswap" }, `unknown gate "iswap"`},
		{"edge gate 1q", func(d *Device) { d.Edges[0].Gate = "rz" }, `gate "rz" acts on 1 qubits, want 2`},
		{"edge gate not in basis", func(d *Device) { d.Edges[0].Gate = "swap" }, `gate "swap" is not in the basis`},
		{"edge error above 1", func(d *Device) { d.Edges[0].Error = 2 }, "error 2 is not a probability"},
		{"edge zero duration", func(d *Device) { d.Edges[0].Duration = 0 }, "duration_ns 0 must be positive"},
		{"duplicate edge", func(d *Device) { d.Edges = append(d.Edges, Edge{A: 0, B: 1, Gate: "cz", Error: 0.1, Duration: 1}) }, "edges[3] (0, 1, cz): duplicates edges[0]"},
		{"directed duplicating undirected", func(d *Device) {
			d.Edges = append(d.Edges, Edge{A: 3, B: 2, Gate: "cz", Error: 0.1, Duration: 1, Directed: true})
		}, "duplicates edges[2]"},
		{"bad coupler", func(d *Device) { d.Couplers = []Coupler{{A: 1, B: 0}} }, "couplers[0]: qubits (1, 0) must exist"},
		{"bad priority region", func(d *Device) { d.PriorityRegions = [][]int{{0, 5}} }, "priority_regions[0]: qubit 5 out of range"},
		{"empty priority region", func(d *Device) { d.PriorityRegions = [][]int{{}} }, "priority_regions[0]: empty region"},
		{"unnamed default", func(d *Device) { d.Defaults = []DefaultedFigure{{Value: 1}} }, "defaults[0]: empty field name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tiny()
			tt.mutate(d)
			err := d.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestValidateAllowsDirectedPairBothWays(t *testing.T) {
	d := tiny()
	d.Edges = append(d.Edges, Edge{A: 2, B: 1, Gate: "cx", Error: 0.02, Duration: 100, Directed: true})
	if err := d.Validate(); err != nil {
		t.Errorf("got %v, want nil", err)
	}
}

func TestCoherenceLimitedError(t *testing.T) {
	tests := []struct {
		name            string
		dur, t1, t2     float64
		want, tolerance float64
	}{
		// Small-t expansion: t/(6·T1) + t/(3·T2).
		{"first order", 30, 65.33, 27.79, 0.03/(6*65.33) + 0.03/(3*27.79), 1e-6},
		{"exact formula at t = T1 = T2/2", 1000, 1, 2,
			(2*(1-math.Exp(-0.5)) + (1 - math.Exp(-1))) / 6, 1e-15},
		{"zero duration", 0, 10, 10, 0, 0},
		{"infinite coherence", 30, 0, 0, 0, 0},
		{"fully decayed", 1e12, 1, 1, 0.5, 1e-15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CoherenceLimitedError(tt.dur, tt.t1, tt.t2)
			if math.Abs(got-tt.want) > tt.tolerance {
				t.Errorf("got %.10g, want %.10g", got, tt.want)
			}
		})
	}
}

func TestDefaultGate2QDuration(t *testing.T) {
	for gate, want := range map[string]float64{"cx": DefaultCXDuration, "cz": DefaultCZDuration, "swap": DefaultCZDuration} {
		if got := DefaultGate2QDuration(gate); got != want {
			t.Errorf("%s: got %g, want %g", gate, got, want)
		}
	}
}
