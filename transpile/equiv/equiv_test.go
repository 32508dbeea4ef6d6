package equiv_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/equiv"
	"github.com/qluster/qluster/transpile/equiv/circgen"
)

// build makes a circuit of nq qubits and nc clbits from ops written as
// "name q…" (gates), "measure q c", "reset q", "barrier q…"; params are
// given after a '/' ("rz/0.3 0").
func build(t *testing.T, nq, nc int, ops ...string) *circuit.Circuit {
	t.Helper()
	c := &circuit.Circuit{}
	if nq > 0 {
		if _, err := c.AddQReg("q", nq); err != nil {
			t.Fatal(err)
		}
	}
	if nc > 0 {
		if _, err := c.AddCReg("c", nc); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range ops {
		f := strings.Fields(s)
		args := make([]int, len(f)-1)
		for i, a := range f[1:] {
			args[i] = atoi(t, a)
		}
		name, param, _ := strings.Cut(f[0], "/")
		var op circuit.Op
		switch name {
		case "measure":
			op = circuit.Op{Kind: circuit.Measure, Qubits: args[:1], Clbits: args[1:]}
		case "reset":
			op = circuit.Op{Kind: circuit.Reset, Qubits: args}
		case "barrier":
			op = circuit.Op{Kind: circuit.Barrier, Qubits: args}
		default:
			g, ok := gate.Lookup(name)
			if !ok {
				t.Fatalf("no gate %s", name)
			}
			op = circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name, Qubits: args}
			if param != "" {
				op.Params = []circuit.Param{circuit.Const(atof(t, param))}
			}
		}
		if err := c.Append(op); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func atoi(t *testing.T, s string) int {
	n := 0
	for _, ch := range s {
		if ch < '0' || ch > '9' {
			t.Fatalf("bad index %q", s)
		}
		n = 10*n + int(ch-'0')
	}
	return n
}

func atof(t *testing.T, s string) float64 {
	v, ok := new(big.Float).SetString(s)
	if !ok {
		t.Fatalf("bad number %q", s)
	}
	f, _ := v.Float64()
	return f
}

func TestUnitary(t *testing.T) {
	src := build(t, 3, 0, "h 0", "cx 0 1", "cx 1 2", "rz/0.3 2")
	cases := []struct {
		name           string
		a, b           *circuit.Circuit
		initial, final transpile.Layout
		want           string // "" for equivalent
	}{
		{"identical", src, src, nil, nil, ""},
		{"relabelled", src, build(t, 6, 0, "h 4", "cx 4 1", "cx 1 5", "rz/0.3 5"), transpile.Layout{4, 1, 5}, nil, ""},
		{"global phase", build(t, 1, 0, "p/0.7 0"), build(t, 1, 0, "rz/0.7 0"), nil, nil, ""},
		{"swap moves a qubit", src, build(t, 4, 0, "h 0", "cx 0 1", "swap 1 3", "cx 3 2", "rz/0.3 2"), transpile.Layout{0, 1, 2}, transpile.Layout{0, 3, 2}, ""},
		{"routing through an ancilla", build(t, 2, 0, "h 0", "cx 0 1"), build(t, 3, 0, "h 0", "swap 0 1", "cx 1 2"), transpile.Layout{0, 2}, transpile.Layout{1, 2}, ""},
		{"barriers ignored", src, build(t, 3, 0, "h 0", "barrier 0 1 2", "cx 0 1", "cx 1 2", "rz/0.3 2"), nil, nil, ""},
		{"wrong angle", src, build(t, 3, 0, "h 0", "cx 0 1", "cx 1 2", "rz/0.4 2"), nil, nil, "unitaries differ by up to"},
		{"wrong final layout", src, build(t, 4, 0, "h 0", "cx 0 1", "swap 1 3", "cx 3 2", "rz/0.3 2"), transpile.Layout{0, 1, 2}, transpile.Layout{0, 1, 2}, "differ"},
		{"ancilla left excited", build(t, 1, 0, "h 0"), build(t, 2, 0, "h 0", "x 1"), transpile.Layout{0}, nil, "outside the final layout"},
		{"measurement", build(t, 1, 1, "measure 0 0"), build(t, 1, 1, "measure 0 0"), nil, nil, "not unitary: use Distribution"},
		{"too wide", circgen.GHZ(11, false), circgen.GHZ(11, false), nil, nil, "at most 10"},
		{"bad layout", src, src, transpile.Layout{0, 0, 1}, nil, "taken twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := equiv.Unitary(tc.a, tc.b, tc.initial, tc.final)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("got %v, want equivalent", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if err != nil {
				t.Logf("error: %v", err)
			}
		})
	}
}

func TestDistribution(t *testing.T) {
	ghz := build(t, 3, 3, "h 0", "cx 0 1", "cx 1 2", "measure 0 0", "measure 1 1", "measure 2 2")
	ctx := context.Background()
	cases := []struct {
		name           string
		a, b           *circuit.Circuit
		initial, final transpile.Layout
		want           string
	}{
		{"identical", ghz, ghz, nil, nil, ""},
		{"routed and measured", ghz, build(t, 5, 3, "h 4", "cx 4 1", "swap 1 2", "cx 2 0", "measure 4 0", "measure 2 1", "measure 0 2"), transpile.Layout{4, 1, 0}, transpile.Layout{4, 2, 0}, ""},
		{"unmeasured with final layout", build(t, 2, 0, "x 0"), build(t, 3, 0, "x 2", "swap 2 1"), transpile.Layout{2, 0}, transpile.Layout{1, 0}, ""},
		{"mid-circuit measurement and reset", build(t, 2, 1, "h 0", "measure 0 0", "reset 0", "cx 1 0"), build(t, 2, 1, "h 1", "measure 1 0", "reset 1", "cx 0 1"), transpile.Layout{1, 0}, nil, ""},
		{"wrong clbit", ghz, build(t, 3, 3, "h 0", "cx 0 1", "measure 0 0", "measure 1 1", "measure 2 2"), nil, nil, "distributions differ"},
		{"wrong final layout", build(t, 2, 0, "x 0"), build(t, 3, 0, "x 2", "swap 2 1"), transpile.Layout{2, 0}, transpile.Layout{2, 0}, "distributions differ"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := equiv.Distribution(ctx, tc.a, tc.b, tc.initial, tc.final)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("got %v, want equivalent", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if err != nil {
				t.Logf("error: %v", err)
			}
		})
	}
}

func TestStructural(t *testing.T) {
	src := build(t, 3, 3, "h 0", "cx 0 1", "swap 0 2", "cx 2 1", "measure 1 1")
	cases := []struct {
		name           string
		b              *circuit.Circuit
		initial, final transpile.Layout
		want           string
	}{
		// The source's own SWAP may come out as a relabelling.
		{"swap kept", build(t, 3, 3, "h 0", "cx 0 1", "swap 0 2", "cx 2 1", "measure 1 1"), nil, nil, ""},
		{"inserted swap", build(t, 4, 3, "h 0", "cx 0 1", "swap 0 2", "swap 1 3", "cx 2 3", "measure 3 1"), transpile.Layout{0, 1, 2}, transpile.Layout{0, 3, 2}, ""},
		{"swap moved as a relabelling", build(t, 3, 3, "swap 2 0", "h 0", "cx 0 1", "cx 0 1", "measure 1 1", "barrier 0 1 2"), transpile.Layout{2, 1, 0}, transpile.Layout{2, 1, 0}, ""},
		{"missing op", build(t, 3, 3, "h 0", "swap 0 2", "cx 2 1", "measure 1 1"), nil, nil, "virtual qubit 0 sees 3 operations in the source, 2"},
		{"wrong order", build(t, 3, 3, "cx 0 1", "h 0", "swap 0 2", "cx 2 1", "measure 1 1"), nil, nil, "operation 0 differs"},
		{"wrong final layout", build(t, 3, 3, "h 0", "cx 0 1", "swap 0 2", "cx 2 1", "measure 1 1"), nil, transpile.Layout{2, 1, 0}, "not on final"},
		{"ancilla touched", build(t, 4, 3, "h 0", "cx 0 1", "swap 0 2", "cx 2 1", "measure 1 1", "x 3"), transpile.Layout{0, 1, 2}, nil, "acts on an ancilla"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := equiv.Structural(src, tc.b, tc.initial, tc.final)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("got %v, want equivalent", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
