package layout_test

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/equiv"
	"github.com/qluster/qluster/transpile/equiv/circgen"
	"github.com/qluster/qluster/transpile/layout"
	"github.com/qluster/qluster/transpile/routing"
)

func preset(t *testing.T, name string) *device.Device {
	t.Helper()
	d, err := device.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func run(t *testing.T, p transpile.Pass, c *circuit.Circuit, d *device.Device, seed uint64) transpile.Layout {
	t.Helper()
	props := &transpile.PropertySet{Seed: seed}
	out, err := p.Run(context.Background(), c, d, props)
	if err != nil {
		t.Fatalf("%s of %s on %s: %v", p.Name(), c.Name, d.Name, err)
	}
	if out != c {
		t.Fatalf("%s changed the circuit; a layout pass only analyses", p.Name())
	}
	if err := layout.Check(props.InitialLayout, c.NumQubits, d); err != nil {
		t.Fatalf("%s of %s on %s: %v", p.Name(), c.Name, d.Name, err)
	}
	return props.InitialLayout
}

// adjacentPairs counts the circuit's two-qubit gates whose qubits the
// layout puts on coupled physical qubits.
func adjacentPairs(c *circuit.Circuit, d *device.Device, l transpile.Layout) (adj, total int) {
	for _, op := range c.Ops {
		if op.Kind == circuit.GateOp && len(op.Qubits) == 2 {
			total++
			if a, b := l[op.Qubits[0]], l[op.Qubits[1]]; d.Coupled(a, b) || d.Coupled(b, a) {
				adj++
			}
		}
	}
	return adj, total
}

func TestLayoutsAreValid(t *testing.T) {
	passes := []transpile.Pass{layout.Dense{}, layout.NoiseAware{}, layout.Sabre{}, layout.Perfect{Fallback: layout.Sabre{}}}
	for _, name := range device.Presets() {
		d := preset(t, name)
		usable := len(d.UsableQubits())
		for _, n := range []int{1, 2, 5, 9, 20, 50} {
			if n > usable || (name == "example10" && n > 9) {
				continue
			}
			for _, c := range []*circuit.Circuit{circgen.GHZ(n, true), circgen.QFT(n, false), circgen.Random(n, 6, 0.6, uint64(n), true)} {
				for _, p := range passes {
					t.Run(fmt.Sprintf("%s/%s/%s", name, c.Name, p.Name()), func(t *testing.T) {
						l := run(t, p, c, d, 3)
						// Interacting qubits share one region.
						comps := d.ConnectedComponents()
						region := map[int]int{}
						for i, comp := range comps {
							for _, q := range comp {
								region[q] = i
							}
						}
						for _, op := range c.Ops {
							if len(op.Qubits) == 2 && region[l[op.Qubits[0]]] != region[l[op.Qubits[1]]] {
								t.Fatalf("gate %s on %v placed across regions: %v", op.Name, op.Qubits, l)
							}
						}
					})
				}
			}
		}
	}
}

// TestDenseChain: a GHZ chain is laid out as a path when the device has
// one, so routing needs no SWAP.
func TestDenseChain(t *testing.T) {
	cases := []struct {
		device string
		n      int
	}{{"line20", 20}, {"grid25", 10}, {"heavyhex27", 12}, {"dongling", 20}, {"example10", 9}}
	for _, tc := range cases {
		for _, p := range []transpile.Pass{layout.Dense{}, layout.NoiseAware{}, layout.Sabre{}, layout.Perfect{Fallback: layout.Dense{}}} {
			t.Run(fmt.Sprintf("%s/ghz%d/%s", tc.device, tc.n, p.Name()), func(t *testing.T) {
				d := preset(t, tc.device)
				c := circgen.GHZ(tc.n, true)
				l := run(t, p, c, d, 1)
				if adj, total := adjacentPairs(c, d, l); adj != total {
					t.Errorf("%d of %d chain gates adjacent, want all; layout %v", adj, total, l)
				}
			})
		}
	}
}

// badHalf returns line20 with edges and qubits 0-9 made poor.
func badHalf(t *testing.T) *device.Device {
	d := preset(t, "line20")
	for i := range d.Edges {
		if d.Edges[i].B <= 10 {
			d.Edges[i].Error = 0.2
		} else {
			d.Edges[i].Error = 0.004
		}
	}
	for i := range 10 {
		d.Qubits[i].ReadoutP01, d.Qubits[i].ReadoutP10 = 0.2, 0.1
	}
	return d
}

func TestNoiseAwarePrefersGoodQubits(t *testing.T) {
	d := badHalf(t)
	for _, p := range []transpile.Pass{layout.NoiseAware{}, layout.Sabre{}} {
		for _, c := range []*circuit.Circuit{circgen.GHZ(5, true), circgen.QFT(4, true), circgen.Random(6, 5, 0.7, 2, true)} {
			t.Run(p.Name()+"/"+c.Name, func(t *testing.T) {
				l := run(t, p, c, d, 1)
				for v, q := range l {
					if q < 10 {
						t.Errorf("virtual qubit %d on poor physical qubit %d; layout %v", v, q, l)
					}
				}
			})
		}
	}
	// Idle qubits go to the best readout.
	c := circgen.GHZ(0, false)
	if _, err := c.AddQReg("q", 3); err != nil {
		t.Fatal(err)
	}
	for v, q := range run(t, layout.NoiseAware{}, c, d, 1) {
		if q < 10 {
			t.Errorf("idle virtual qubit %d on poor physical qubit %d", v, q)
		}
	}
}

func TestTrivial(t *testing.T) {
	l := run(t, layout.Trivial{}, circgen.GHZ(5, false), preset(t, "line20"), 0)
	if fmt.Sprint(l) != "[0 1 2 3 4]" {
		t.Errorf("trivial layout = %v, want [0 1 2 3 4]", l)
	}
	d := preset(t, "dongling")
	_, err := layout.Trivial{}.Run(context.Background(), circgen.GHZ(5, false), d, &transpile.PropertySet{})
	if err == nil || !strings.Contains(err.Error(), "unusable") {
		t.Errorf("trivial on dongling: got %v, want an error naming an unusable qubit", err)
	}
}

func TestFitErrors(t *testing.T) {
	ex10 := preset(t, "example10")
	dong := preset(t, "dongling")
	twoGroups := circgen.GHZ(10, false) // 0-7 chain and 8-9 pair
	twoGroups.Ops = append(twoGroups.Ops[:8], twoGroups.Ops[9:]...)
	cases := []struct {
		name string
		c    *circuit.Circuit
		d    *device.Device
		want string
	}{
		{"wider than device", circgen.GHZ(140, false), dong, "circuit needs 140 qubits, device dongling has 106 usable"},
		{"group larger than every region", circgen.GHZ(10, false), ex10, "interact as one group of 10"},
		{"second group stranded", twoGroups, ex10, "group of 2"},
	}
	for _, tc := range cases {
		for _, p := range []transpile.Pass{layout.Dense{}, layout.NoiseAware{}, layout.Sabre{}, layout.Perfect{}} {
			t.Run(tc.name+"/"+p.Name(), func(t *testing.T) {
				_, err := p.Run(context.Background(), tc.c, tc.d, &transpile.PropertySet{})
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an error containing %q", err, tc.want)
				}
			})
		}
	}
}

// TestSplitDevice places two interacting groups on a device cut in two
// regions, each group in its own, and checks the compiled circuit.
func TestSplitDevice(t *testing.T) {
	d := preset(t, "grid25")
	for _, q := range []int{2, 7, 12, 17, 22} { // the middle column
		d.Qubits[q].Usable = false
	}
	var edges []device.Edge
	for _, e := range d.Edges {
		if d.Qubits[e.A].Usable && d.Qubits[e.B].Usable {
			edges = append(edges, e)
		}
	}
	d.Edges = edges
	// Two groups of 8 (0-7 and 8-15) cannot share a 10-qubit region.
	c := circgen.Random(16, 0, 0, 0, false)
	if _, err := c.AddCReg("c", 16); err != nil {
		t.Fatal(err)
	}
	cx, _ := gate.Lookup("cx")
	for k, shift := range []int{0, 8} {
		g := circgen.Random(8, 8, 0.9, uint64(4+k), false)
		for i := range 7 {
			g.Ops = append(g.Ops, circuit.Op{Kind: circuit.GateOp, Gate: cx, Name: "cx", Qubits: []int{i, i + 1}})
		}
		for _, op := range g.Ops {
			qs := make([]int, len(op.Qubits))
			for i, q := range op.Qubits {
				qs[i] = q + shift
			}
			op.Qubits = qs
			c.Ops = append(c.Ops, op)
		}
	}
	for q := range 16 {
		c.Ops = append(c.Ops, circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{q}})
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []transpile.Pass{layout.Dense{}, layout.NoiseAware{}, layout.Sabre{}, layout.Perfect{Fallback: layout.Sabre{}}} {
		t.Run(p.Name(), func(t *testing.T) {
			props := &transpile.PropertySet{Seed: 2}
			out, err := transpile.Pipeline(context.Background(), c, d, props, p, layout.Apply{}, routing.Sabre{})
			if err != nil {
				t.Fatal(err)
			}
			if err := equiv.Structural(c, out, props.InitialLayout, props.FinalLayout); err != nil {
				t.Fatal(err)
			}
			if err := equiv.Distribution(context.Background(), c, out, props.InitialLayout, props.FinalLayout); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestApply(t *testing.T) {
	d := preset(t, "line20")
	c := circgen.GHZ(3, false)
	if _, err := c.AddCReg("m", 1); err != nil {
		t.Fatal(err)
	}
	x, _ := gate.Lookup("x")
	c.Ops = append(c.Ops,
		circuit.Op{Kind: circuit.Measure, Qubits: []int{2}, Clbits: []int{0}},
		circuit.Op{Kind: circuit.GateOp, Gate: x, Name: "x", Qubits: []int{0}, Cond: &circuit.Condition{CReg: 0, Value: big.NewInt(1)}},
		circuit.Op{Kind: circuit.Barrier, Qubits: []int{0, 1, 2}})
	props := &transpile.PropertySet{InitialLayout: transpile.Layout{7, 3, 12}}
	out, err := layout.Apply{}.Run(context.Background(), c, d, props)
	if err != nil {
		t.Fatal(err)
	}
	if out.NumQubits != 20 || len(out.QRegs) != 1 || out.QRegs[0] != (circuit.Register{Name: "q", Size: 20}) {
		t.Fatalf("registers %v, %d qubits; want q[20]", out.QRegs, out.NumQubits)
	}
	want := [][]int{{7}, {7, 3}, {3, 12}, {12}, {7}, {7, 3, 12}}
	for i, op := range out.Ops {
		if fmt.Sprint(op.Qubits) != fmt.Sprint(want[i]) {
			t.Errorf("op %d qubits = %v, want %v", i, op.Qubits, want[i])
		}
	}
	if fmt.Sprint(c.Ops[1].Qubits) != "[0 1]" {
		t.Errorf("Apply changed its input: %v", c.Ops[1].Qubits)
	}
	if !slicesEqual(out.CRegs, c.CRegs) || out.Ops[4].Cond == nil {
		t.Errorf("classical registers or conditions changed")
	}
	dong := preset(t, "dongling")
	unusable := -1
	for i, q := range dong.Qubits {
		if !q.Usable {
			unusable = i
			break
		}
	}
	bad := []struct {
		name string
		l    transpile.Layout
		d    *device.Device
		want string
	}{
		{"nil", nil, d, "no initial layout"},
		{"short", transpile.Layout{1, 2}, d, "places 2 virtual qubits, circuit has 3"},
		{"repeated", transpile.Layout{1, 2, 1}, d, "two virtual qubits on physical qubit 1"},
		{"out of range", transpile.Layout{1, 2, 20}, d, "out of range"},
		{"unusable", transpile.Layout{1, 2, unusable}, dong, "unusable"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := layout.Apply{}.Run(context.Background(), c, tc.d, &transpile.PropertySet{InitialLayout: tc.l})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func slicesEqual(a, b []circuit.Register) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func TestSabreDeterministic(t *testing.T) {
	d := preset(t, "dongling")
	c := circgen.Random(25, 12, 0.7, 8, true)
	first := run(t, layout.Sabre{Workers: 1}, c, d, 99)
	for _, w := range []int{2, 4} {
		if got := run(t, layout.Sabre{Workers: w}, c, d, 99); fmt.Sprint(got) != fmt.Sprint(first) {
			t.Fatalf("workers %d: layout %v, want %v", w, got, first)
		}
	}
}

func TestPerfect(t *testing.T) {
	grid := preset(t, "grid25")
	hh := preset(t, "heavyhex27")
	dong := preset(t, "dongling")
	// A 2×3 grid of interactions, a 12-ring (heavy-hex has them) and a
	// triangle (no triangle on a grid).
	ladder := build(t, 6, "cx 0 1", "cx 1 2", "cx 3 4", "cx 4 5", "cx 0 3", "cx 1 4", "cx 2 5", "h 0")
	ring := circgen.GHZ(12, false)
	cx, _ := gate.Lookup("cx")
	ring.Ops = append(ring.Ops, circuit.Op{Kind: circuit.GateOp, Gate: cx, Name: "cx", Qubits: []int{11, 0}})
	triangle := build(t, 3, "cx 0 1", "cx 1 2", "cx 2 0")
	withIdle := build(t, 4, "cx 0 2", "h 3")
	cases := []struct {
		name    string
		c       *circuit.Circuit
		d       *device.Device
		perfect bool
	}{
		{"ladder on grid", ladder, grid, true},
		{"ring on heavy-hex", ring, hh, true},
		{"chain on dongling", circgen.GHZ(30, false), dong, true},
		{"idle qubit", withIdle, grid, true},
		{"triangle on grid", triangle, grid, false},
		{"qft on heavy-hex", circgen.QFT(5, false), hh, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			props := &transpile.PropertySet{}
			_, err := layout.Perfect{}.Run(context.Background(), tc.c, tc.d, props)
			if !tc.perfect {
				if err == nil || !strings.Contains(err.Error(), "no layout") {
					t.Fatalf("got %v, want a no-layout error", err)
				}
				// With a fallback it succeeds.
				l := run(t, layout.Perfect{Fallback: layout.Sabre{}}, tc.c, tc.d, 1)
				if len(l) != tc.c.NumQubits {
					t.Fatalf("fallback layout %v", l)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := layout.Check(props.InitialLayout, tc.c.NumQubits, tc.d); err != nil {
				t.Fatal(err)
			}
			if adj, total := adjacentPairs(tc.c, tc.d, props.InitialLayout); adj != total {
				t.Fatalf("%d of %d gates adjacent, want all", adj, total)
			}
		})
	}
}

// build makes a circuit of n qubits from "gate q…" lines.
func build(t *testing.T, n int, ops ...string) *circuit.Circuit {
	t.Helper()
	c := &circuit.Circuit{Name: "built"}
	if _, err := c.AddQReg("q", n); err != nil {
		t.Fatal(err)
	}
	for _, s := range ops {
		f := strings.Fields(s)
		g, ok := gate.Lookup(f[0])
		if !ok {
			t.Fatalf("no gate %s", f[0])
		}
		var qs []int
		for _, a := range f[1:] {
			var q int
			if _, err := fmt.Sscan(a, &q); err != nil {
				t.Fatal(err)
			}
			qs = append(qs, q)
		}
		if err := c.Append(circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: qs}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}
