package trajectory

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/densitymat"
	"github.com/qluster/qluster/sim/noise"
)

// benchLayers is the depth of the benchmark circuits.
const benchLayers = 4

// benchCircuit returns the benchmark circuit on n qubits of a line: for
// each layer l, ry(0.1·(q+1) + 0.3·l) on every qubit q, then cz on the
// pairs (q, q+1) with q ≡ l (mod 2); finally every qubit is measured into
// its clbit. testdata/bench_aer.py builds the same circuit.
func benchCircuit(n int) *circuit.Circuit {
	c := &circuit.Circuit{Name: "bench"}
	must(c.AddQReg("q", n))
	must(c.AddCReg("c", n))
	ry, _ := gate.Lookup("ry")
	cz, _ := gate.Lookup("cz")
	for l := range benchLayers {
		for q := range n {
			must0(c.Append(circuit.Op{Kind: circuit.GateOp, Gate: ry, Name: "ry", Qubits: []int{q},
				Params: []circuit.Param{circuit.Const(0.1*float64(q+1) + 0.3*float64(l))}}))
		}
		for q := l % 2; q+1 < n; q += 2 {
			must0(c.Append(circuit.Op{Kind: circuit.GateOp, Gate: cz, Name: "cz", Qubits: []int{q, q + 1}}))
		}
	}
	for q := range n {
		must0(c.Append(circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{q}}))
	}
	return c
}

// donglingPath returns the dongling model and the first n qubits of a
// simple path through its largest connected component, found greedily.
func donglingPath(b testing.TB, n int) (*device.Device, *noise.Model, []int) {
	d, err := device.Preset("dongling")
	if err != nil {
		b.Fatal(err)
	}
	m, err := noise.FromDevice(d, noise.ModelOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var best []int
	for _, start := range d.ConnectedComponents()[0] {
		path := []int{start}
		seen := map[int]bool{start: true}
		for len(path) < n {
			grown := false
			for _, nb := range d.Neighbors(path[len(path)-1]) {
				if !seen[nb] {
					path, seen[nb], grown = append(path, nb), true, true
					break
				}
			}
			if !grown {
				break
			}
		}
		if len(path) > len(best) {
			best = path
		}
		if len(best) == n {
			break
		}
	}
	if len(best) < n {
		b.Fatalf("no path of %d qubits on dongling", n)
	}
	return d, m, best
}

// TestWriteBenchDevice writes the calibration of the benchmark's 20-qubit
// path to testdata/dongling_path20.json for testdata/bench_aer.py when
// QLUSTER_WRITE_BENCH_DEVICE is set.
func TestWriteBenchDevice(t *testing.T) {
	if os.Getenv("QLUSTER_WRITE_BENCH_DEVICE") == "" {
		t.Skip("set QLUSTER_WRITE_BENCH_DEVICE=1 to rewrite testdata/dongling_path20.json")
	}
	d, _, path := donglingPath(t, 20)
	type qubit struct {
		Index       int     `json:"index"`
		Name        string  `json:"name"`
		T1          float64 `json:"t1_us"`
		T2          float64 `json:"t2_us"`
		Gate1QNs    float64 `json:"gate_1q_ns"`
		Gate1QError float64 `json:"gate_1q_error"`
		P10         float64 `json:"readout_p10"`
		P01         float64 `json:"readout_p01"`
	}
	type edge struct {
		A          int     `json:"a"`
		B          int     `json:"b"`
		DurationNs float64 `json:"duration_ns"`
		Error      float64 `json:"error"`
	}
	var out struct {
		Device string  `json:"device"`
		Qubits []qubit `json:"qubits"`
		Edges  []edge  `json:"edges"` // between circuit qubits i and i+1
	}
	out.Device = d.Name
	for _, p := range path {
		q := d.Qubits[p]
		out.Qubits = append(out.Qubits, qubit{p, q.Name, q.T1, q.T2, q.Gate1QDuration, q.Gate1QError, q.ReadoutP10, q.ReadoutP01})
	}
	for i := 0; i+1 < len(path); i++ {
		e, _ := d.EdgeBetween(path[i], path[i+1])
		out.Edges = append(out.Edges, edge{i, i + 1, e.Duration, e.Error})
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/dongling_path20.json", append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

func benchRun(b *testing.B, engine string, n, shots int) {
	_, m, path := donglingPath(b, n)
	c := benchCircuit(n)
	var e sim.Engine
	switch engine {
	case noise.EngineDensityMatrix:
		e = densitymat.New(m, densitymat.Options{PhysicalQubits: path})
	default:
		e = New(m, Options{PhysicalQubits: path})
	}
	for b.Loop() {
		if _, err := e.Run(context.Background(), c, sim.Options{Shots: shots, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// The benchmarks of the report: noisy circuits on dongling's calibration
// (go test -run '^$' -bench Dongling -benchtime 1x; testdata/bench_aer.py
// times Qiskit Aer on the same circuits and noise). The 20-qubit run at
// 1000 shots takes minutes on a small machine; the 100-shot variant is the
// one to run there.
func BenchmarkDongling10DensityMatrix(b *testing.B)   { benchRun(b, noise.EngineDensityMatrix, 10, 1000) }
func BenchmarkDongling10Trajectory(b *testing.B)      { benchRun(b, noise.EngineTrajectory, 10, 1000) }
func BenchmarkDongling20Trajectory100(b *testing.B)   { benchRun(b, noise.EngineTrajectory, 20, 100) }
func BenchmarkDongling20TrajectoryLarge(b *testing.B) { benchRun(b, noise.EngineTrajectory, 20, 1000) }
