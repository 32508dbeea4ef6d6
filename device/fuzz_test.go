package device

import (
	"os"
	"testing"
)

// FuzzParseQuafu checks that the Quafu loader never panics and that what
// it accepts is valid and survives a schema round trip.
func FuzzParseQuafu(f *testing.F) {
	for _, file := range []string{"data/chipexample.json"} {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"calibration_time": "2024-04-1 14:27:11", "basis_gates": "['cz', 'rx']",
		"qubits_info": {"Q0101": {"T1": 30, "T2echo": 20}, "Q0102": {"T1": 40, "T2echo": 90}},
		"topological_structure": {"Q0101_Q0102": {"CZ": {"fidelity": 0.98}}}, "priority_qubits": "[(0, 1)]"}`))
	f.Add([]byte(`{"calibration_time": "2024-04-1 14:27:11", "basis_gates": "['cz'", "qubits_info": {}, "topological_structure": {}}`))
	f.Add([]byte(`{"calibration_time": 1, "basis_gates": ["cx"], "qubits_info": {"Q1": {}}, "topological_structure": {"Q1_Q1": {}}}`))
	f.Add([]byte(`{"a": [`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseQuafu(data, "fuzz")
		if err != nil {
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("accepted an invalid device: %v", err)
		}
		b, err := Marshal(d)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if _, err := Parse(b); err != nil {
			t.Fatalf("Parse(Marshal(d)): %v", err)
		}
	})
}

// FuzzParse checks that the schema loader never panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimalSchema))
	f.Add([]byte(`{"schema": "qluster.device/v1", "name": "x", "basis": ["cz"], "qubits": [{"name": "a", "usable": false}], "couplers": [{"a": 0, "b": 0}]}`))
	f.Add([]byte(`{"schema": "qluster.device/v2"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		if _, err := Marshal(d); err != nil {
			t.Fatalf("Marshal of a parsed device: %v", err)
		}
	})
}

// FuzzPyLiteral checks that the Python literal parser never panics.
func FuzzPyLiteral(f *testing.F) {
	for _, s := range []string{`['cz', 'rx']`, `[(2, 3),(2,3,4)]`, `['\x41\u00e9']`, `[(2)]`, `((((`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parsePyLiteral(s)
		if err == nil {
			_, _ = pyStrings(v)
			_, _ = pyIntLists(v)
		}
	})
}
