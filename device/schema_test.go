package device

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSchemaRoundTrip(t *testing.T) {
	devices := map[string]*Device{"tiny (directed edge, unusable qubit)": tiny()}
	for _, name := range Presets() {
		d, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		devices[name] = d
	}
	d := tiny()
	d.CalibrationTime = time.Date(2024, 4, 1, 6, 27, 11, 123456789, time.UTC)
	d.Couplers = []Coupler{{0, 1, 3}, {1, 4, -1}}
	d.PriorityRegions = [][]int{{0, 1}, {2}}
	d.SystemID = 9
	d.Defaults = []DefaultedFigure{{Field: "readout_p10", Value: 0.02, Reason: "because"}}
	d.Qubits[4].Frequency = 4.1 // a figure on an unusable qubit
	devices["tiny with every field"] = d
	for name, d := range devices {
		t.Run(name, func(t *testing.T) {
			b, err := Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Load(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("Load(Marshal(d)): %v\n%s", err, b)
			}
			if !reflect.DeepEqual(got, d) {
				t.Errorf("round trip differs:\ngot  %+v\nwant %+v", got, d)
			}
			b2, _ := Marshal(got)
			if !bytes.Equal(b, b2) {
				t.Errorf("Marshal not stable across a round trip")
			}
		})
	}
}

func TestMarshalRejectsInvalid(t *testing.T) {
	d := tiny()
	d.Qubits[0].T2 = 500
	if _, err := Marshal(d); err == nil || !strings.Contains(err.Error(), "exceeds 2·t1_us") {
		t.Errorf("got %v, want a T2 error", err)
	}
}

const minimalSchema = `{
  "schema": "qluster.device/v1",
  "name": "mini",
  "basis": ["cz", "rz", "sx"],
  "qubits": [
    {"name": "q0", "t1_us": 50, "t2_us": 40},
    {"name": "q1", "t1_us": 60, "t2_us": 30, "readout_p10": 0.01},
    {"name": "q2", "usable": false}
  ],
  "edges": [{"a": 1, "b": 0, "gate": "cz", "error": 0.01}]
}`

func TestParseFillsDefaults(t *testing.T) {
	d, err := Parse([]byte(minimalSchema))
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]DefaultedFigure{}
	for _, f := range d.Defaults {
		fields[f.Field] = f
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"usable by default", d.Qubits[0].Usable, true},
		{"unusable kept", d.Qubits[2].Usable, false},
		{"readout p10 given", d.Qubits[1].ReadoutP10, 0.01},
		{"readout p10 defaulted", d.Qubits[0].ReadoutP10, DefaultReadoutP10},
		{"readout p10 record", fields["readout_p10"].Reason, "DefaultReadoutP10: left out of the device file for 1 entries"},
		{"readout p01 record", fields["readout_p01"].Reason, "DefaultReadoutP01: left out of the device file for 2 entries"},
		{"1q duration", d.Qubits[0].Gate1QDuration, DefaultGate1QDuration},
		{"1q error floor", d.Qubits[0].Gate1QError, DefaultGate1QError},
		{"readout duration", d.Qubits[1].ReadoutDuration, DefaultReadoutDuration},
		{"edge normalised to A<B", [2]int{d.Edges[0].A, d.Edges[0].B}, [2]int{0, 1}},
		{"cz duration defaulted", d.Edges[0].Duration, DefaultCZDuration},
		{"cz duration record", fields["gate_2q_duration_ns"].Value, DefaultCZDuration},
		{"no calibration time", d.CalibrationTime.IsZero(), true},
		{"records", len(d.Defaults), 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		replace [2]string // applied to minimalSchema
		raw     string
		want    string
	}{
		{name: "unknown schema version", replace: [2]string{"device/v1", "device/v2"},
			want: `device file: unsupported schema "qluster.device/v2" (this version reads "qluster.device/v1")`},
		{name: "missing schema", raw: `{"name": "x"}`, want: `missing field "schema" (want "qluster.device/v1")`},
		{name: "schema not a string", raw: `{"schema": 1}`, want: `schema: want a string, got number 1`},
		{name: "unknown top-level field", replace: [2]string{`"name": "mini",`, `"name": "mini", "colour": "red",`},
			want: `device file: unknown field "colour"`},
		{name: "unknown qubit field", replace: [2]string{`"t1_us": 60,`, `"t1_us": 60, "t3_us": 1,`},
			want: `qubits[1]: unknown field "t3_us"`},
		{name: "unknown edge field", replace: [2]string{`"error": 0.01`, `"error": 0.01, "fidelity": 0.99`},
			want: `edges[0]: unknown field "fidelity"`},
		{name: "non-numeric T1", replace: [2]string{`"t1_us": 60`, `"t1_us": "60"`},
			want: `qubits[1].t1_us: want a number, got JSON string`},
		{name: "basis not a list", replace: [2]string{`["cz", "rz", "sx"]`, `"cz rz sx"`},
			want: `basis: want an array, got JSON string`},
		{name: "missing t1", replace: [2]string{`"t1_us": 50, `, ``}, want: `qubits[0] (q0): missing required field "t1_us"`},
		{name: "missing t2", replace: [2]string{`, "t2_us": 40`, ``}, want: `qubits[0] (q0): missing required field "t2_us"`},
		{name: "missing edge error", replace: [2]string{`, "error": 0.01`, ``}, want: `edges[0]: missing required field "error"`},
		{name: "missing edge b", replace: [2]string{`"b": 0, `, ``}, want: `edges[0]: missing required field "b"`},
		{name: "missing name", replace: [2]string{`"name": "mini",`, ``}, want: `missing required field "name"`},
		{name: "wrong index", replace: [2]string{`{"name": "q2"`, `{"index": 5, "name": "q2"`},
			want: `qubits[2]: index is 5, want its position 2`},
		{name: "bad time", replace: [2]string{`"name": "mini",`, `"name": "mini", "calibration_time": "yesterday",`},
			want: `calibration_time: "yesterday" is not an RFC 3339 time`},
		{name: "invalid device", replace: [2]string{`"t2_us": 40`, `"t2_us": 400`},
			want: `device mini: qubit 0 (q0): t2_us 400 exceeds 2·t1_us = 100`},
		{name: "edge on unusable qubit", replace: [2]string{`"a": 1`, `"a": 2`},
			want: `device mini: edges[0] (0, 2, cz): qubit 2 (q2) is not usable`},
		{name: "unknown basis gate", replace: [2]string{`"sx"]`, `"sqrtx"]`}, want: `device mini: basis: unknown gate "sqrtx"`},
		{name: "trailing garbage", raw: minimalSchema + "x", want: `invalid JSON at line 11, column 2 (byte 312): invalid character 'x' after top-level value`},
		{name: "truncated", raw: minimalSchema[:60], want: `invalid JSON at line 4, column`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.raw
			if data == "" {
				if !strings.Contains(minimalSchema, tt.replace[0]) {
					t.Fatalf("test bug: %q not in the document", tt.replace[0])
				}
				data = strings.Replace(minimalSchema, tt.replace[0], tt.replace[1], 1)
			}
			_, err := Parse([]byte(data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant an error containing %q", err, tt.want)
			}
		})
	}
}

// TestSchemaDocExample parses the example of SCHEMA.md, so the document
// stays true.
func TestSchemaDocExample(t *testing.T) {
	doc, err := os.ReadFile("SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```json\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("SCHEMA.md has no json example")
	}
	d, err := Parse([]byte(example))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(d.Defaults); got != 5 {
		t.Errorf("defaults recorded: got %d (%v), want 5 (qubit 1's figures)", got, d.Defaults)
	}
}
