package device

import (
	"encoding/json"
	"math"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

func readData(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile("data/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParseQuafu(t testing.TB, file, name string) *Device {
	t.Helper()
	d, err := ParseQuafu(readData(t, file), name)
	if err != nil {
		t.Fatalf("ParseQuafu(%s): %v", file, err)
	}
	return d
}

func TestParseQuafuDongling(t *testing.T) {
	d := mustParseQuafu(t, "dongling.json", "dongling")
	q0103, _ := d.QubitByName("Q0103")
	q0104, _ := d.QubitByName("Q0104")
	e, _ := d.EdgeBetween(q0104.Index, q0103.Index)
	e2, _ := d.EdgeBetween(9, 10) // listed as "Q0111_Q0110"
	q0309, _ := d.QubitByName("Q0309")
	e3, _ := d.EdgeBetween(q0309.Index, q0309.Index+1)
	// Expected values are read off shared/data/devices/dongling.json.
	tests := []struct {
		name      string
		got, want any
	}{
		{"qubits listed", len(d.Qubits), 130},
		{"usable qubits", len(d.UsableQubits()), 106},
		{"usable CZ edges", len(d.Edges), 105},
		{"physical couplers", len(d.Couplers), 150},
		{"calibration time (UTC+8 read as UTC)", d.CalibrationTime, time.Date(2024, 4, 1, 6, 27, 11, 0, time.UTC)},
		{"basis", d.Basis, []string{"cz", "rx", "ry", "rz", "h"}},
		{"system id", d.SystemID, 7},
		{"first qubit name", d.Qubits[0].Name, "Q0101"},
		{"first qubit usable", d.Qubits[0].Usable, false},
		{"Q0103 index (row then column)", q0103.Index, 2},
		{"last qubit", d.Qubits[129].Name, "Q1013"},
		{"Q0103 T1", q0103.T1, 65.33},
		{"Q0103 T2 (echo)", q0103.T2, 27.79},
		{"Q0103 T2star", q0103.T2Star, 28.52},
		{"Q0103 frequency", q0103.Frequency, 4.459},
		{"Q0103 anharmonicity", q0103.Anharmonicity, 0.195},
		{"Q0103 readout frequency", q0103.ReadoutFrequency, 6.919},
		{"Q0103 1q duration", q0103.Gate1QDuration, 30.0},
		{"Q0104 T1", q0104.T1, 28.68},
		{"Q0103-Q0104 gate", e.Gate, "cz"},
		{"Q0103-Q0104 error", e.Error, 0.011},
		{"Q0103-Q0104 stored A<B", [2]int{e.A, e.B}, [2]int{2, 3}},
		{"Q0103-Q0104 undirected", e.Directed, false},
		{"Q0111_Q0110 error", e2.Error, 0.039},
		{"Q0309_Q0310 from topological_structure", e3.Error, 0.1},
		{"coupler site of Q0101_Q0102", d.Couplers[0], Coupler{A: 0, B: 1, Site: 0}},
		{"priority regions", len(d.PriorityRegions), 10},
		{"priority region 0", d.PriorityRegions[0], []int{2, 3}},
		{"priority region 9", d.PriorityRegions[9], []int{71, 72, 73, 86, 87, 88, 89, 90, 77, 76}},
		{"readout p10 default", q0103.ReadoutP10, DefaultReadoutP10},
		{"readout p01 default", q0103.ReadoutP01, DefaultReadoutP01},
		{"readout duration default", q0103.ReadoutDuration, DefaultReadoutDuration},
		{"1q error default", q0103.Gate1QError, DefaultGate1QError},
		{"cz duration default", e.Duration, DefaultCZDuration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

// TestParseQuafuMatchesFile reads dongling.json a second way (generic JSON)
// and checks every figure of every qubit and edge against the device.
func TestParseQuafuMatchesFile(t *testing.T) {
	for _, file := range []string{"dongling.json", "chipexample.json"} {
		t.Run(file, func(t *testing.T) {
			var raw struct {
				Qubits map[string]map[string]float64            `json:"qubits_info"`
				All    map[string]map[string]float64            `json:"all_qubits_info"`
				Topo   map[string]map[string]map[string]float64 `json:"topological_structure"`
			}
			data := readData(t, file)
			if err := json.Unmarshal(data, &raw); err != nil {
				t.Fatal(err)
			}
			d := mustParseQuafu(t, file, "x")
			names := make([]string, 0, len(raw.All))
			for n := range raw.All {
				names = append(names, n)
			}
			sort.Strings(names)
			for i, n := range names {
				if d.Qubits[i].Name != n {
					t.Fatalf("qubit %d: got %s, want %s", i, d.Qubits[i].Name, n)
				}
				_, usable := raw.Qubits[n]
				if d.Qubits[i].Usable != usable {
					t.Errorf("%s usable: got %v, want %v", n, d.Qubits[i].Usable, usable)
				}
			}
			for n, f := range raw.Qubits {
				q, ok := d.QubitByName(n)
				if !ok {
					t.Fatalf("qubit %s missing", n)
				}
				got := map[string]float64{"T1": q.T1, "T2echo": q.T2, "T2star": q.T2Star, "anharmonicity": q.Anharmonicity,
					"qubit_frequency": q.Frequency, "readout_frequency": q.ReadoutFrequency, "single_qubit_gate_duration": q.Gate1QDuration}
				if !reflect.DeepEqual(got, f) {
					t.Errorf("%s: got %v, want %v", n, got, f)
				}
			}
			n := 0
			for key, gates := range raw.Topo {
				ab := strings.Split(key, "_")
				qa, _ := d.QubitByName(ab[0])
				qb, _ := d.QubitByName(ab[1])
				for g, props := range gates {
					e, ok := d.EdgeBetween(qa.Index, qb.Index)
					want := 1 - props["fidelity"]
					if !ok || e.Gate != strings.ToLower(g) || math.Abs(e.Error-want) > 1e-12 {
						t.Errorf("%s: got %+v (found %v), want %s with error %g", key, e, ok, strings.ToLower(g), want)
					}
					n++
				}
			}
			if n != len(d.Edges) {
				t.Errorf("edges: got %d, want %d", len(d.Edges), n)
			}
		})
	}
}

func TestParseQuafuExample10(t *testing.T) {
	d := mustParseQuafu(t, "chipexample.json", "example10")
	e, ok := d.EdgeBetween(2, 1)
	tests := []struct {
		name      string
		got, want any
	}{
		{"qubits", len(d.Qubits), 10},
		{"usable", len(d.UsableQubits()), 10},
		{"edges (Q0101_Q0102 has fidelity 0)", len(d.Edges), 8},
		{"basis", d.Basis, []string{"cx", "rx", "ry", "rz", "h", "id"}},
		{"edge gate", e.Gate, "cx"},
		{"edge found both ways", ok && d.Coupled(1, 2), true},
		{"edge error", e.Error, 0.004},
		{"cx duration default", e.Duration, DefaultCXDuration},
		{"not coupled Q0101-Q0102", d.Coupled(0, 1), false},
		{"calibration time", d.CalibrationTime, time.Date(2024, 10, 1, 6, 27, 11, 0, time.UTC)},
		{"no priority regions", d.PriorityRegions == nil, true},
		{"couplers from all_topological_structure", len(d.Couplers), 9},
		{"components", componentSizes(d), []int{9, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestParseQuafuDefaultsRecorded(t *testing.T) {
	d := mustParseQuafu(t, "dongling.json", "dongling")
	fields := map[string]DefaultedFigure{}
	for _, f := range d.Defaults {
		fields[f.Field] = f
	}
	for _, want := range []struct {
		field string
		value float64
	}{
		{"calibration_time", 8},
		{"readout_p10", DefaultReadoutP10},
		{"readout_p01", DefaultReadoutP01},
		{"readout_duration_ns", DefaultReadoutDuration},
		{"gate_1q_error", DefaultGate1QError},
		{"gate_2q_duration_ns", DefaultCZDuration},
	} {
		t.Run(want.field, func(t *testing.T) {
			f, ok := fields[want.field]
			if !ok || f.Value != want.value || f.Reason == "" {
				t.Errorf("got %+v (present %v), want value %g with a reason", f, ok, want.value)
			}
		})
	}
	t.Run("coherence limit raises short-T2 qubits", func(t *testing.T) {
		// Q0304: T1 27.01 µs, T2 10.44 µs, 30 ns gates: the coherence limit
		// (2(1-e^(-0.03/10.44)) + (1-e^(-0.03/27.01)))/6 ≈ 1.14e-3 exceeds 1e-3.
		q, _ := d.QubitByName("Q0304")
		want := CoherenceLimitedError(30, 27.01, 10.44)
		if q.Gate1QError != want || want <= DefaultGate1QError {
			t.Errorf("got %g, want %g (> %g)", q.Gate1QError, want, DefaultGate1QError)
		}
		if !strings.Contains(fields["gate_1q_error"].Reason, "Q0304") {
			t.Errorf("reason %q does not name Q0304", fields["gate_1q_error"].Reason)
		}
	})
}

// quafuDoc is a small valid Quafu chip document that the error cases
// mutate.
func quafuDoc() map[string]any {
	fig := func(t1, t2 float64) map[string]any {
		return map[string]any{"T1": t1, "T2echo": t2, "T2star": t2 / 2, "anharmonicity": 0.2,
			"qubit_frequency": 4.5, "readout_frequency": 6.8, "single_qubit_gate_duration": 30.0}
	}
	return map[string]any{
		"calibration_time": "2024-04-1 14:27:11",
		"basis_gates":      "['cz', \"rx\", 'ry', 'rz']",
		"coupler":          map[string]any{"Q0101_Q0102": map[string]any{"site": 0}, "Q0102_Q0103": map[string]any{"site": 1}},
		"all_qubits_info":  map[string]any{"Q0101": map[string]any{}, "Q0102": map[string]any{}, "Q0103": map[string]any{}},
		"qubits_info":      map[string]any{"Q0101": fig(30, 20), "Q0102": fig(40, 35)},
		"all_topological_structure": map[string]any{
			"Q0101_Q0102": map[string]any{"CZ": map[string]any{"fidelity": 0.98}},
			"Q0102_Q0103": map[string]any{"CZ": map[string]any{"fidelity": 0}},
		},
		"topological_structure": map[string]any{"Q0101_Q0102": map[string]any{"CZ": map[string]any{"fidelity": 0.98}}},
		"priority_qubits":       "[(0, 1)]",
		"system_id":             3,
	}
}

func encode(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseQuafuMiniDoc(t *testing.T) {
	d, err := ParseQuafu(encode(t, quafuDoc()), "mini")
	if err != nil {
		t.Fatal(err)
	}
	want := []Coupler{{0, 1, 0}, {1, 2, 1}}
	if !reflect.DeepEqual(d.Couplers, want) || len(d.Edges) != 1 || d.SystemID != 3 ||
		!reflect.DeepEqual(d.PriorityRegions, [][]int{{0, 1}}) || d.Qubits[2].Usable {
		t.Errorf("got couplers %v, edges %v, system %d, regions %v, Q0103 usable %v",
			d.Couplers, d.Edges, d.SystemID, d.PriorityRegions, d.Qubits[2].Usable)
	}
}

func TestParseQuafuErrors(t *testing.T) {
	sub := func(m map[string]any, keys ...string) map[string]any {
		for _, k := range keys {
			m = m[k].(map[string]any)
		}
		return m
	}
	tests := []struct {
		name   string
		mutate func(m map[string]any)
		raw    string // used instead of the mutated document when set
		want   string
	}{
		{name: "missing qubits_info", mutate: func(m map[string]any) { delete(m, "qubits_info") },
			want: `quafu chip c: missing required field "qubits_info"`},
		{name: "missing calibration_time", mutate: func(m map[string]any) { delete(m, "calibration_time") },
			want: `missing required field "calibration_time"`},
		{name: "missing T1", mutate: func(m map[string]any) { delete(sub(m, "qubits_info", "Q0102"), "T1") },
			want: `qubits_info.Q0102: missing required field "T1"`},
		{name: "missing T2echo and T2star", mutate: func(m map[string]any) {
			delete(sub(m, "qubits_info", "Q0101"), "T2echo")
			delete(sub(m, "qubits_info", "Q0101"), "T2star")
		}, want: `qubits_info.Q0101: missing required field "T2echo" (or "T2star")`},
		{name: "non-numeric T1", mutate: func(m map[string]any) { sub(m, "qubits_info", "Q0101")["T1"] = "abc" },
			want: `qubits_info.Q0101.T1: want a number, got string "abc"`},
		{name: "null frequency", mutate: func(m map[string]any) { sub(m, "qubits_info", "Q0101")["qubit_frequency"] = nil },
			want: `qubits_info.Q0101.qubit_frequency: want a number, got null`},
		{name: "negative T1", mutate: func(m map[string]any) { sub(m, "qubits_info", "Q0101")["T1"] = -3 },
			want: `qubits_info.Q0101.T1: -3 is negative`},
		{name: "qubits_info not an object", mutate: func(m map[string]any) { m["qubits_info"] = []any{1} },
			want: `qubits_info: want an object, got an array`},
		{name: "unknown qubit in edge", mutate: func(m map[string]any) {
			sub(m, "topological_structure")["Q0101_Q0909"] = map[string]any{"CZ": map[string]any{"fidelity": 0.9}}
		}, want: `topological_structure.Q0101_Q0909: unknown qubit "Q0909"`},
		{name: "edge on unusable qubit", mutate: func(m map[string]any) {
			sub(m, "topological_structure")["Q0102_Q0103"] = map[string]any{"CZ": map[string]any{"fidelity": 0.9}}
		}, want: `topological_structure.Q0102_Q0103: qubit Q0103 has no figures in qubits_info (not usable)`},
		{name: "malformed edge key", mutate: func(m map[string]any) {
			sub(m, "topological_structure")["Q0101-Q0102"] = map[string]any{"CZ": map[string]any{"fidelity": 0.9}}
		}, want: `topological_structure.Q0101-Q0102: edge key must be two qubit names joined by '_' (as in Q0103_Q0104)`},
		{name: "malformed qubit name", mutate: func(m map[string]any) { sub(m, "all_qubits_info")["q7"] = map[string]any{} },
			want: `qubit name "q7": want "Q" followed by digits (row and column, as in Q0103)`},
		{name: "malformed name in edge", mutate: func(m map[string]any) {
			sub(m, "topological_structure")["Q0101_QX"] = map[string]any{"CZ": map[string]any{"fidelity": 0.9}}
		}, want: `topological_structure.Q0101_QX: qubit name "QX": want "Q" followed by digits`},
		{name: "qubit missing from all_qubits_info", mutate: func(m map[string]any) {
			sub(m, "qubits_info")["Q0205"] = sub(m, "qubits_info", "Q0101")
		}, want: `qubits_info.Q0205: qubit not listed in all_qubits_info`},
		{name: "same number twice", mutate: func(m map[string]any) { sub(m, "all_qubits_info")["Q00101"] = map[string]any{} },
			want: `qubit names "Q00101" and "Q0101" have the same number`},
		{name: "fidelity above 1", mutate: func(m map[string]any) {
			sub(m, "topological_structure", "Q0101_Q0102", "CZ")["fidelity"] = 1.5
		}, want: `topological_structure.Q0101_Q0102.CZ.fidelity: 1.5 is outside [0, 1]`},
		{name: "non-numeric fidelity", mutate: func(m map[string]any) {
			sub(m, "topological_structure", "Q0101_Q0102", "CZ")["fidelity"] = "0.9"
		}, want: `topological_structure.Q0101_Q0102.CZ.fidelity: want a number, got string "0.9"`},
		{name: "missing fidelity", mutate: func(m map[string]any) {
			sub(m, "topological_structure", "Q0101_Q0102")["CZ"] = map[string]any{"error": 0.1}
		}, want: `topological_structure.Q0101_Q0102.CZ: missing required field "fidelity"`},
		{name: "unknown edge gate", mutate: func(m map[string]any) {
			sub(m, "topological_structure")["Q0101_Q0102"] = map[string]any{"ISWAP": map[string]any{"fidelity": 0.9}}
		}, want: `topological_structure.Q0101_Q0102.ISWAP: unknown gate "ISWAP"`},
		{name: "edge gate not in basis", mutate: func(m map[string]any) {
			sub(m, "topological_structure")["Q0101_Q0102"] = map[string]any{"CX": map[string]any{"fidelity": 0.9}}
		}, want: `topological_structure.Q0101_Q0102: gate "cx" is not in basis_gates [cz rx ry rz]`},
		{name: "one-qubit gate on an edge", mutate: func(m map[string]any) {
			sub(m, "topological_structure")["Q0101_Q0102"] = map[string]any{"RX": map[string]any{"fidelity": 0.9}}
		}, want: `topological_structure.Q0101_Q0102.RX: gate "RX" acts on 1 qubits, want 2`},
		{name: "duplicate edge", mutate: func(m map[string]any) {
			sub(m, "topological_structure")["Q0102_Q0101"] = map[string]any{"CZ": map[string]any{"fidelity": 0.9}}
		}, want: `duplicate edge`},
		{name: "edge to itself", mutate: func(m map[string]any) {
			sub(m, "topological_structure")["Q0101_Q0101"] = map[string]any{"CZ": map[string]any{"fidelity": 0.9}}
		}, want: `topological_structure.Q0101_Q0101: joins qubit Q0101 to itself`},
		{name: "bad basis literal", mutate: func(m map[string]any) { m["basis_gates"] = "['cz', 'rx'" },
			want: `basis_gates: Python literal at offset 11: unexpected end, want ',' or ']'`},
		{name: "basis not strings", mutate: func(m map[string]any) { m["basis_gates"] = "['cz', 3]" },
			want: `basis_gates: item 1: want a string, got integer 3`},
		{name: "unknown basis gate", mutate: func(m map[string]any) { m["basis_gates"] = "['cz', 'foo']" },
			want: `basis_gates: unknown gate "foo"`},
		{name: "basis given as a number", mutate: func(m map[string]any) { m["basis_gates"] = 5 },
			want: `basis_gates: want a Python list literal in a string, got number 5`},
		{name: "bad priority literal", mutate: func(m map[string]any) { m["priority_qubits"] = "[(0, 1), (2, 'x')]" },
			want: `priority_qubits: item 1[1]: want an integer, got string "x"`},
		{name: "priority qubit out of range", mutate: func(m map[string]any) { m["priority_qubits"] = "[(0, 130)]" },
			want: `priority_qubits: region 0: qubit index 130 out of range [0, 3)`},
		{name: "bad calibration time", mutate: func(m map[string]any) { m["calibration_time"] = "2024-13-01 14:27:11" },
			want: `calibration_time: "2024-13-01 14:27:11" is not a time like "2024-04-01 14:27:11"`},
		{name: "calibration time not a string", mutate: func(m map[string]any) { m["calibration_time"] = 20240401 },
			want: `calibration_time: want a string, got number 20240401`},
		{name: "fractional system id", mutate: func(m map[string]any) { m["system_id"] = 1.5 },
			want: `system_id: want an integer, got 1.5`},
		{name: "bad coupler site", mutate: func(m map[string]any) { sub(m, "coupler", "Q0101_Q0102")["site"] = -2 },
			want: `coupler.Q0101_Q0102.site: want a non-negative integer, got -2`},
		{name: "truncated JSON", raw: "{\n  \"calibration_time\": \"2024-04-1 14:27:11\",\n  \"basis_gates\": [",
			want: `invalid JSON at line 3, column 19 (byte 64): unexpected end of JSON input`},
		{name: "syntax error", raw: "{\n  \"a\": 1,\n  \"b\": tru\n}",
			want: `invalid JSON at line 3, column 11 (byte 22): invalid character '\n' in literal true (expecting 'e')`},
		{name: "top level not an object", raw: `[1, 2]`,
			want: `top level: want an object, got JSON array`},
		{name: "bad device name", raw: `{}`, want: `device name "bad name": character ' ' not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var data []byte
			if tt.raw != "" {
				data = []byte(tt.raw)
			} else {
				m := quafuDoc()
				tt.mutate(m)
				data = encode(t, m)
			}
			name := "c"
			if strings.HasPrefix(tt.name, "bad device name") {
				name = "bad name"
			}
			_, err := ParseQuafu(data, name)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v\nwant one containing %q", err, tt.want)
			}
		})
	}
}

func TestParseQuafuT2Clipped(t *testing.T) {
	m := quafuDoc()
	q := m["qubits_info"].(map[string]any)["Q0101"].(map[string]any)
	q["T1"], q["T2echo"], q["T2star"] = 10.0, 25.0, 21.0
	d, err := ParseQuafu(encode(t, m), "clip")
	if err != nil {
		t.Fatal(err)
	}
	if d.Qubits[0].T2 != 20 || d.Qubits[0].T2Star != 20 {
		t.Errorf("T2, T2star: got %g, %g, want 20, 20", d.Qubits[0].T2, d.Qubits[0].T2Star)
	}
	var reasons []string
	for _, f := range d.Defaults {
		if f.Field == "t2_us" || f.Field == "t2_star_us" {
			reasons = append(reasons, f.Reason)
		}
	}
	if len(reasons) != 2 || !strings.Contains(reasons[0], "Q0101") {
		t.Errorf("got clip records %q, want two naming Q0101", reasons)
	}
}

func TestParseQuafuOptionalFields(t *testing.T) {
	m := quafuDoc()
	for _, k := range []string{"all_qubits_info", "all_topological_structure", "coupler", "priority_qubits", "system_id"} {
		delete(m, k)
	}
	m["basis_gates"] = []any{"CZ", "rx"} // a JSON array is accepted too
	m["calibration_time"] = "2024-04-01T14:27:11Z"
	delete(m["qubits_info"].(map[string]any)["Q0102"].(map[string]any), "single_qubit_gate_duration")
	m["qubits_info"].(map[string]any)["Q0101"].(map[string]any)["anharmonicity"] = -0.2 // physical sign accepted
	d, err := ParseQuafu(encode(t, m), "opt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"qubits from qubits_info", len(d.Qubits), 2},
		{"basis lower-cased", d.Basis, []string{"cz", "rx"}},
		{"RFC 3339 time kept", d.CalibrationTime, time.Date(2024, 4, 1, 14, 27, 11, 0, time.UTC)},
		{"no couplers", d.Couplers == nil, true},
		{"1q duration defaulted", d.Qubits[1].Gate1QDuration, DefaultGate1QDuration},
		{"negative anharmonicity kept", d.Qubits[0].Anharmonicity, -0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestLoadQuafuReader(t *testing.T) {
	d, err := LoadQuafu(strings.NewReader(string(readData(t, "chipexample.json"))), "ex")
	if err != nil || d.Name != "ex" {
		t.Fatalf("got %v, %v", d, err)
	}
}
