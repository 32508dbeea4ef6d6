package preset_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/qasm"
	"github.com/qluster/qluster/transpile/equiv"
	"github.com/qluster/qluster/transpile/equiv/circgen"
	"github.com/qluster/qluster/transpile/preset"
)

func mustDevice(t *testing.T, name string) *device.Device {
	t.Helper()
	d, err := device.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func parse(t *testing.T, src string) *circuit.Circuit {
	t.Helper()
	c, _, err := qasm.Parse([]byte("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"+src), qasm.Options{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkNative is the test's own statement of what a compiled circuit
// must satisfy, independent of preset.Check: every gate in the basis,
// every two-qubit gate on a coupling edge, only usable qubits.
func checkNative(t *testing.T, c *circuit.Circuit, d *device.Device) {
	t.Helper()
	for i, op := range c.Ops {
		for _, q := range op.Qubits {
			if !d.Qubits[q].Usable {
				t.Fatalf("op %d (%s) uses unusable qubit %d", i, op.Name, q)
			}
		}
		if op.Kind != circuit.GateOp {
			continue
		}
		if !slices.Contains(d.Basis, op.Name) {
			t.Fatalf("op %d: gate %s not in basis %v", i, op.Name, d.Basis)
		}
		if len(op.Qubits) == 2 && !d.Coupled(op.Qubits[0], op.Qubits[1]) {
			t.Fatalf("op %d: %s %v not on a coupling edge", i, op.Name, op.Qubits)
		}
		if len(op.Qubits) > 2 {
			t.Fatalf("op %d: %s on %d qubits", i, op.Name, len(op.Qubits))
		}
	}
}

// wideGates exercises the unroller and the basis translation with gates
// on three qubits and parameterised two-qubit gates.
const wideGates = `qreg q[5];
h q[0]; ccx q[0],q[1],q[2]; cswap q[2],q[3],q[4]; cp(0.3) q[4],q[0];
rzz(0.7) q[1],q[3]; cu3(0.1,0.2,0.3) q[3],q[2]; swap q[0],q[4]; u3(1,2,3) q[1];
crx(0.4) q[2],q[0]; t q[3]; sdg q[4]; ch q[1],q[4]; rccx q[0],q[2],q[3];
`

func TestTranspileEquivalentUnitary(t *testing.T) {
	devices := []string{"line20", "grid25", "heavyhex27", "dongling"}
	type tc struct {
		name string
		c    *circuit.Circuit
	}
	circuits := []tc{
		{"qft5", circgen.QFT(5, false)},
		{"ghz6", circgen.GHZ(6, false)},
		{"wide-gates", parse(t, wideGates)},
	}
	for seed := uint64(1); seed <= 3; seed++ {
		n := 3 + 2*int(seed) // 5, 7, 9
		circuits = append(circuits, tc{fmt.Sprintf("random%d-seed%d", n, seed), circgen.Random(n, 8, 0.5, seed, false)})
	}
	for _, dn := range devices {
		d := mustDevice(t, dn)
		for _, c := range circuits {
			for level := 0; level <= preset.MaxLevel; level++ {
				t.Run(fmt.Sprintf("%s/%s/O%d", dn, c.name, level), func(t *testing.T) {
					res, err := preset.Run(context.Background(), c.c, d, preset.Options{Level: level, Seed: 7})
					if err != nil {
						t.Fatalf("Run: %v", err)
					}
					checkNative(t, res.Circuit, d)
					if err := equiv.Unitary(c.c, res.Circuit, res.InitialLayout, res.FinalLayout); err != nil {
						t.Fatalf("not equivalent: %v", err)
					}
					if got, want := res.TwoQubitGates, preset.TwoQubitGates(res.Circuit); got != want {
						t.Errorf("TwoQubitGates = %d, want %d", got, want)
					}
				})
			}
		}
	}
}

func TestTranspileEquivalentDistribution(t *testing.T) {
	cases := []struct {
		device string
		c      *circuit.Circuit
		name   string
	}{
		{"grid25", circgen.Random(14, 10, 0.6, 11, true), "random14"},
		{"line20", circgen.QFT(12, true), "qft12"},
		{"grid25", circgen.GHZ(20, true), "ghz20"},
		{"dongling", circgen.Random(12, 6, 0.5, 12, true), "random12"},
	}
	for _, c := range cases {
		d := mustDevice(t, c.device)
		for level := 0; level <= preset.MaxLevel; level++ {
			t.Run(fmt.Sprintf("%s/%s/O%d", c.device, c.name, level), func(t *testing.T) {
				res, err := preset.Run(context.Background(), c.c, d, preset.Options{Level: level, Seed: 3})
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				checkNative(t, res.Circuit, d)
				if err := equiv.Distribution(context.Background(), c.c, res.Circuit, res.InitialLayout, res.FinalLayout); err != nil {
					t.Fatalf("distributions differ: %v", err)
				}
			})
		}
	}
}

func TestTranspileRoutesOnDongling(t *testing.T) {
	d := mustDevice(t, "dongling")
	for _, n := range []int{5, 10, 20, 35, 50} {
		for _, level := range []int{1, 3} {
			c := circgen.Random(n, 6, 0.5, uint64(n), true)
			t.Run(fmt.Sprintf("random%d/O%d", n, level), func(t *testing.T) {
				res, err := preset.Run(context.Background(), c, d, preset.Options{Level: level, Seed: 1})
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				checkNative(t, res.Circuit, d)
				if len(res.InitialLayout) != n || len(res.FinalLayout) != n {
					t.Fatalf("layouts cover %d and %d qubits, want %d", len(res.InitialLayout), len(res.FinalLayout), n)
				}
				if res.TwoQubitGates == 0 || res.Depth == 0 {
					t.Errorf("figures: %d two-qubit gates, depth %d", res.TwoQubitGates, res.Depth)
				}
			})
		}
	}
}

func TestTranspileHostile(t *testing.T) {
	dongling := mustDevice(t, "dongling")
	example10 := mustDevice(t, "example10")
	noEntangler := mustDevice(t, "grid25")
	noEntangler.Basis = []string{"rx", "ry", "rz"}
	ring := func(n int) *circuit.Circuit {
		var b strings.Builder
		fmt.Fprintf(&b, "qreg q[%d];\n", n)
		for i := range n {
			fmt.Fprintf(&b, "cx q[%d],q[%d];\n", i, (i+1)%n)
		}
		return parse(t, b.String())
	}
	cases := []struct {
		name    string
		c       *circuit.Circuit
		d       *device.Device
		level   int
		wantErr error
		wantMsg string
	}{
		{"wider than the device", circgen.GHZ(107, false), dongling, 1, preset.ErrTooWide, "needs 107 qubits, device dongling has 106 usable"},
		{"interacting group larger than every region", ring(10), example10, 2, nil, "no connected region"},
		{"interacting group larger than every region at level 0", ring(10), example10, 0, nil, "no connected region"},
		{"basis without entangler", circgen.GHZ(3, false), noEntangler, 1, preset.ErrBasis, "neither cx nor cz"},
		{"level out of range", circgen.GHZ(3, false), dongling, 4, preset.ErrLevel, "want 0…3"},
		{"negative level", circgen.GHZ(3, false), dongling, -1, preset.ErrLevel, "-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := preset.Run(context.Background(), c.c, c.d, preset.Options{Level: c.level})
			if err == nil {
				t.Fatalf("Run: got no error, want %q", c.wantMsg)
			}
			if c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Errorf("Run: got %v, want it to wrap %v", err, c.wantErr)
			}
			if !strings.Contains(err.Error(), c.wantMsg) {
				t.Errorf("Run: got %q, want it to contain %q", err, c.wantMsg)
			}
		})
	}
}

func TestTranspileEmptyCircuits(t *testing.T) {
	d := mustDevice(t, "dongling")
	cases := map[string]*circuit.Circuit{
		"no registers": {},
		"idle qubits":  parse(t, "qreg q[3];\ncreg c[3];\n"),
		"only barrier": parse(t, "qreg q[3];\nbarrier q;\n"),
	}
	for name, c := range cases {
		for level := 0; level <= preset.MaxLevel; level++ {
			t.Run(fmt.Sprintf("%s/O%d", name, level), func(t *testing.T) {
				res, err := preset.Run(context.Background(), c, d, preset.Options{Level: level})
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				if res.TwoQubitGates != 0 || res.Depth != 0 {
					t.Errorf("got %d two-qubit gates, depth %d, want 0, 0", res.TwoQubitGates, res.Depth)
				}
				if len(res.InitialLayout) != c.NumQubits {
					t.Errorf("initial layout %v, want %d entries", res.InitialLayout, c.NumQubits)
				}
			})
		}
	}
}

func TestTranspileLevel0KeepsNativeCircuit(t *testing.T) {
	cases := []struct {
		device, src string
	}{
		// Dongling's native circuit is built from its edge list below.
		{"grid25", "qreg q[6];\ncreg c[2];\nrx(0.5) q[0];\ncz q[0],q[1];\nry(0.1) q[5];\ncz q[0],q[5];\nbarrier q;\nmeasure q[0] -> c[0];\nmeasure q[5] -> c[1];\n"},
		{"line20", "qreg q[3];\nsx q[0];\ncz q[0],q[1];\nrz(0.2) q[2];\ncz q[2],q[1];\nx q[1];\n"},
		{"heavyhex27", "qreg q[2];\ncreg c[1];\ncx q[0],q[1];\nsx q[1];\nmeasure q[1] -> c[0];\nif(c==1) x q[0];\n"},
	}
	for _, c := range cases {
		d := mustDevice(t, c.device)
		in := parse(t, c.src)
		if !preset.Native(in, d) {
			t.Fatalf("%s: test circuit is not native: %v", c.device, preset.Check(in, d))
		}
		t.Run(c.device, func(t *testing.T) {
			res, err := preset.Run(context.Background(), in, d, preset.Options{Level: 0, Seed: 5})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !res.Circuit.Equal(in) {
				got, _ := qasm.String(res.Circuit)
				want, _ := qasm.String(in)
				t.Errorf("level 0 changed a native circuit:\ngot\n%s\nwant\n%s", got, want)
			}
			if !slices.Equal(res.InitialLayout, res.FinalLayout) || len(res.InitialLayout) != in.NumQubits {
				t.Errorf("layouts %v → %v, want the identity on %d qubits", res.InitialLayout, res.FinalLayout, in.NumQubits)
			}
		})
	}
	t.Run("dongling edge", func(t *testing.T) {
		d := mustDevice(t, "dongling")
		e := d.Edges[len(d.Edges)/2]
		n := max(e.A, e.B) + 1
		in := parse(t, fmt.Sprintf("qreg q[%d];\nh q[%d];\ncz q[%d],q[%d];\nrz(0.3) q[%d];\n", n, e.A, e.A, e.B, e.B))
		if !preset.Native(in, d) {
			t.Fatalf("circuit on edge %d-%d is not native: %v", e.A, e.B, preset.Check(in, d))
		}
		res, err := preset.Run(context.Background(), in, d, preset.Options{Level: 0})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if !res.Circuit.Equal(in) {
			t.Errorf("level 0 changed a native circuit")
		}
	})
}

func TestTranspileDeterministic(t *testing.T) {
	d := mustDevice(t, "dongling")
	c := circgen.Random(16, 12, 0.6, 99, true)
	for level := 0; level <= preset.MaxLevel; level++ {
		t.Run(fmt.Sprintf("O%d", level), func(t *testing.T) {
			a, err := preset.Run(context.Background(), c, d, preset.Options{Level: level, Seed: 42})
			if err != nil {
				t.Fatal(err)
			}
			b, err := preset.Run(context.Background(), c, d, preset.Options{Level: level, Seed: 42, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Circuit.Equal(b.Circuit) || !slices.Equal(a.InitialLayout, b.InitialLayout) || !slices.Equal(a.FinalLayout, b.FinalLayout) {
				t.Errorf("two runs with seed 42 differ: %d vs %d two-qubit gates, layouts %v vs %v",
					a.TwoQubitGates, b.TwoQubitGates, a.InitialLayout, b.InitialLayout)
			}
		})
	}
}

func TestTranspileLevelsImprove(t *testing.T) {
	d := mustDevice(t, "dongling")
	c := circgen.QFT(10, true)
	var twoQ [preset.MaxLevel + 1]int
	for level := range twoQ {
		res, err := preset.Run(context.Background(), c, d, preset.Options{Level: level, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		twoQ[level] = res.TwoQubitGates
	}
	if twoQ[3] > twoQ[1] || twoQ[3] > twoQ[0] {
		t.Errorf("two-qubit gates by level = %v, want level 3 at most levels 0 and 1", twoQ)
	}
}

func TestTranspileDepth(t *testing.T) {
	cases := []struct {
		name, src string
		want      int
	}{
		{"empty", "qreg q[2];\n", 0},
		{"parallel gates", "qreg q[3];\nh q[0];\nh q[1];\nh q[2];\n", 1},
		{"chain", "qreg q[3];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\n", 3},
		{"barrier takes no step", "qreg q[2];\nh q[0];\nbarrier q;\nh q[1];\n", 1},
		{"measure counts and links clbits", "qreg q[2];\ncreg c[1];\nh q[0];\nmeasure q[0] -> c[0];\nmeasure q[1] -> c[0];\n", 3},
		{"condition reads its register", "qreg q[2];\ncreg c[2];\nh q[0];\nmeasure q[0] -> c[0];\nif(c==1) x q[1];\n", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := preset.Depth(parse(t, c.src)); got != c.want {
				t.Errorf("Depth = %d, want %d", got, c.want)
			}
		})
	}
}

func TestTranspileDirectedEdges(t *testing.T) {
	for _, name := range []string{"heavyhex27", "line20"} {
		d := mustDevice(t, name)
		for i := range d.Edges {
			d.Edges[i].Directed = true
		}
		c := circgen.Random(6, 8, 0.6, 21, false)
		for level := 0; level <= preset.MaxLevel; level++ {
			t.Run(fmt.Sprintf("%s/O%d", name, level), func(t *testing.T) {
				res, err := preset.Run(context.Background(), c, d, preset.Options{Level: level, Seed: 2})
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				checkNative(t, res.Circuit, d)
				if err := equiv.Unitary(c, res.Circuit, res.InitialLayout, res.FinalLayout); err != nil {
					t.Fatalf("not equivalent: %v", err)
				}
			})
		}
	}
}
