package device

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestPresets(t *testing.T) {
	tests := []struct {
		name       string
		qubits     int
		usable     int
		edges      int
		gate       string
		basis      []string
		components []int // sizes of the usable region's connected components
	}{
		{"dongling", 130, 106, 105, "cz", []string{"cz", "rx", "ry", "rz", "h"}, []int{106}},
		{"example10", 10, 10, 8, "cx", []string{"cx", "rx", "ry", "rz", "h", "id"}, []int{9, 1}},
		{"grid25", 25, 25, 40, "cz", []string{"cz", "rx", "ry", "rz"}, []int{25}},
		{"heavyhex27", 27, 27, 28, "cx", []string{"cx", "rz", "sx", "x"}, []int{27}},
		{"line20", 20, 20, 19, "cz", []string{"cz", "rz", "sx", "x"}, []int{20}},
	}
	var names []string
	for _, tt := range tests {
		names = append(names, tt.name)
		t.Run(tt.name, func(t *testing.T) {
			d, err := Preset(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
			got := []any{d.Name, len(d.Qubits), len(d.UsableQubits()), len(d.Edges), d.Basis, componentSizes(d)}
			want := []any{tt.name, tt.qubits, tt.usable, tt.edges, tt.basis, tt.components}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("name, qubits, usable, edges, basis, components:\ngot  %v\nwant %v", got, want)
			}
			for _, e := range d.Edges {
				if e.Gate != tt.gate || e.Directed {
					t.Fatalf("edge %+v: want undirected %s", e, tt.gate)
				}
			}
			if d.Description == "" || d.Source == "" || d.CalibrationTime.IsZero() {
				t.Errorf("description %q, source %q, time %v: want all set", d.Description, d.Source, d.CalibrationTime)
			}
			again, _ := Preset(tt.name)
			if !reflect.DeepEqual(d, again) {
				t.Errorf("two calls differ")
			}
			d.Qubits[0].T1 = 1e9
			if again, _ := Preset(tt.name); again.Qubits[0].T1 == 1e9 {
				t.Errorf("Preset returned shared state")
			}
		})
	}
	if got := Presets(); !reflect.DeepEqual(got, names) {
		t.Errorf("Presets(): got %v, want %v", got, names)
	}
}

func TestGeneratedPresetsPlausible(t *testing.T) {
	for _, name := range []string{"line20", "grid25", "heavyhex27"} {
		t.Run(name, func(t *testing.T) {
			d, _ := Preset(name)
			if len(d.Defaults) != 0 {
				t.Errorf("generated preset records defaults %v: every figure is generated", d.Defaults)
			}
			for _, q := range d.Qubits {
				ok := q.T1 >= 10 && q.T1 <= 500 && q.T2 <= 2*q.T1 && q.T2Star <= q.T2 &&
					q.Gate1QError >= CoherenceLimitedError(q.Gate1QDuration, q.T1, q.T2)*0.999 && q.Gate1QError < 0.01 &&
					q.ReadoutP10 > 0 && q.ReadoutP10 < 0.2 && q.ReadoutP01 > 0 && q.ReadoutP01 < 0.2 &&
					q.Frequency > 3.5 && q.Frequency < 6
				if !ok {
					t.Errorf("implausible qubit %+v", q)
				}
			}
			for _, e := range d.Edges {
				if e.Error <= 0 || e.Error > 0.06 || e.Duration < 20 || e.Duration > 1000 {
					t.Errorf("implausible edge %+v", e)
				}
			}
		})
	}
}

func TestHeavyHex27Shape(t *testing.T) {
	d, _ := Preset("heavyhex27")
	degree := map[int]int{}
	for _, e := range d.Edges {
		degree[e.A]++
		degree[e.B]++
	}
	count := map[int]int{}
	for q := range d.Qubits {
		count[degree[q]]++
	}
	// Falcon: 8 qubits of degree 3, 6 ends of degree 1, the rest degree 2.
	if want := map[int]int{1: 6, 2: 13, 3: 8}; !reflect.DeepEqual(count, want) {
		t.Errorf("degree histogram: got %v, want %v", count, want)
	}
	// Heavy-hex: no two degree-3 qubits are adjacent, and the graph is bipartite.
	color := map[int]int{0: 1}
	queue := []int{0}
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		for _, n := range d.Neighbors(q) {
			if degree[q] == 3 && degree[n] == 3 {
				t.Errorf("degree-3 qubits %d and %d adjacent", q, n)
			}
			if color[n] == 0 {
				color[n] = -color[q]
				queue = append(queue, n)
			} else if color[n] == color[q] {
				t.Fatalf("not bipartite at %d–%d", q, n)
			}
		}
	}
}

func TestGrid25Shape(t *testing.T) {
	d, _ := Preset("grid25")
	q := func(name string) int { x, _ := d.QubitByName(name); return x.Index }
	tests := []struct {
		a, b string
		want bool
	}{
		{"Q0101", "Q0102", true}, {"Q0101", "Q0201", true}, {"Q0303", "Q0304", true},
		{"Q0105", "Q0201", false}, {"Q0101", "Q0202", false},
	}
	for _, tt := range tests {
		if got := d.Coupled(q(tt.a), q(tt.b)); got != tt.want {
			t.Errorf("Coupled(%s, %s): got %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestPresetUnknown(t *testing.T) {
	_, err := Preset("sycamore")
	if !errors.Is(err, ErrUnknownPreset) || !strings.Contains(err.Error(), `"sycamore" (have dongling, example10, grid25, heavyhex27, line20)`) {
		t.Errorf("got %v", err)
	}
}
