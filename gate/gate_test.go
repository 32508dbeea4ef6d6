package gate

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
	"testing"
)

// qasm2Names lists qelib1.inc (Qiskit's extended version) plus the built-ins.
var qasm2Names = []string{
	"U", "CX", "u3", "u2", "u1", "cx", "id", "u0", "u", "p", "x", "y", "z", "h", "s", "sdg", "t", "tdg",
	"rx", "ry", "rz", "sx", "sxdg", "cz", "cy", "swap", "ch", "ccx", "cswap", "crx", "cry", "crz", "cu1",
	"cp", "cu3", "csx", "cu", "rxx", "rzz", "rccx", "rc3x", "c3x", "c3sqrtx", "c4x",
}

// qasm3Names lists the canonical names of stdgates.inc plus the built-in U.
var qasm3Names = []string{
	"p", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "rx", "ry", "rz", "cx", "cy", "cz", "cp",
	"crx", "cry", "crz", "ch", "swap", "ccx", "cswap", "cu", "CX", "id", "u1", "u2", "u3", "U",
}

// extraNames lists the table's gates that belong to neither library.
var extraNames = []string{"rc3xdg", "c3sqrtxdg"}

const eps = 1e-12

func randParams(r *rand.Rand, g *Gate) []float64 {
	p := make([]float64, len(g.Params))
	for i := range p {
		p[i] = (r.Float64()*2 - 1) * 2 * math.Pi
	}
	return p
}

func isDiagonal(m Matrix) bool {
	d := m.Dim()
	for r := 0; r < d; r++ {
		for c := 0; c < d; c++ {
			if r != c && cmplx.Abs(m[r*d+c]) > 1e-9 {
				return false
			}
		}
	}
	return true
}

func isMonomial(m Matrix) bool {
	d := m.Dim()
	for r := 0; r < d; r++ {
		nr, nc := 0, 0
		for c := 0; c < d; c++ {
			if cmplx.Abs(m[r*d+c]) > 1e-9 {
				nr++
			}
			if cmplx.Abs(m[c*d+r]) > 1e-9 {
				nc++
			}
		}
		if nr != 1 || nc != 1 {
			return false
		}
	}
	return true
}

func TestTableNames(t *testing.T) {
	var all []string
	for _, g := range All() {
		all = append(all, g.Name)
	}
	want := slices.Concat(qasm2Names, extraNames)
	slices.Sort(want)
	if !slices.Equal(all, want) {
		t.Errorf("All() names = %v, want %v", all, want)
	}
	tests := []struct {
		name string
		keep func(*Gate) bool
		want []string
	}{
		{"QASM2 flag", func(g *Gate) bool { return g.QASM2 }, qasm2Names},
		{"QASM3 flag", func(g *Gate) bool { return g.QASM3 }, qasm3Names},
		{"neither flag", func(g *Gate) bool { return !g.QASM2 && !g.QASM3 }, extraNames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if got := Names(tt.keep); !slices.Equal(got, want) {
				t.Errorf("Names = %v, want %v", got, want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name   string
		want   string // canonical name; "" means not found
		qubits int
	}{
		{"phase", "p", 1},
		{"cphase", "cp", 2},
		{"U", "U", 1},
		{"u", "u", 1},
		{"CX", "CX", 2},
		{"cx", "cx", 2},
		{"Cx", "", 0},
		{"X", "", 0},
		{"mcx", "", 0},
		{"", "", 0},
	}
	for _, g := range All() {
		tests = append(tests, struct {
			name   string
			want   string
			qubits int
		}{g.Name, g.Name, g.Qubits})
	}
	for _, tt := range tests {
		t.Run("lookup "+tt.name, func(t *testing.T) {
			g, ok := Lookup(tt.name)
			if tt.want == "" {
				if ok {
					t.Errorf("Lookup(%q) = %v, want not found", tt.name, g)
				}
				return
			}
			if !ok || g.Name != tt.want || g.Qubits != tt.qubits {
				t.Errorf("Lookup(%q) = %v, %v; want %s on %d qubits", tt.name, g, ok, tt.want, tt.qubits)
			}
		})
	}
}

func TestMatrixIsUnitary(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, g := range All() {
		t.Run(g.Name, func(t *testing.T) {
			for range 5 {
				p := randParams(r, g)
				m := g.Matrix(p)
				if got, want := len(m), 1<<(2*g.Qubits); got != want {
					t.Fatalf("len(Matrix(%v)) = %d, want %d", p, got, want)
				}
				if got := Mul(m, Adjoint(m)); !approxEqual(got, Identity(g.Qubits), eps) {
					t.Errorf("M·M† for %v = %v, want identity", p, got)
				}
			}
		})
	}
}

func TestMatrixPanicsOnWrongParamCount(t *testing.T) {
	g, _ := Lookup("rz")
	defer func() {
		if recover() == nil {
			t.Errorf("rz.Matrix(nil) did not panic, want panic")
		}
	}()
	g.Matrix(nil)
}

func TestInverse(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, g := range All() {
		t.Run(g.Name, func(t *testing.T) {
			for range 5 {
				p := randParams(r, g)
				inv, q := g.Inverse(p)
				if inv.Qubits != g.Qubits || len(q) != len(inv.Params) {
					t.Fatalf("Inverse(%v) = %v%v, want a %d-qubit gate with matching parameters", p, inv, q, g.Qubits)
				}
				if got := Mul(g.Matrix(p), inv.Matrix(q)); !approxEqual(got, Identity(g.Qubits), eps) {
					t.Errorf("M(%v)·%s(%v) = %v, want identity", p, inv.Name, q, got)
				}
			}
		})
	}
}

func TestInverseNames(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		want string
		q    []float64
	}{
		{"s", nil, "sdg", nil},
		{"sdg", nil, "s", nil},
		{"t", nil, "tdg", nil},
		{"tdg", nil, "t", nil},
		{"sx", nil, "sxdg", nil},
		{"sxdg", nil, "sx", nil},
		{"u2", []float64{0.5, 0.25}, "u3", []float64{-math.Pi / 2, -0.25, -0.5}},
		{"u3", []float64{1, 2, 3}, "u3", []float64{-1, -3, -2}},
		{"cu", []float64{1, 2, 3, 4}, "cu", []float64{-1, -3, -2, -4}},
		{"rz", []float64{0.5}, "rz", []float64{-0.5}},
		{"rc3x", nil, "rc3xdg", nil},
		{"c3sqrtx", nil, "c3sqrtxdg", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _ := Lookup(tt.name)
			inv, q := g.Inverse(tt.p)
			if inv.Name != tt.want || !slices.Equal(q, tt.q) {
				t.Errorf("Inverse(%v) = %s%v, want %s%v", tt.p, inv.Name, q, tt.want, tt.q)
			}
		})
	}
}

func TestCliffordFlag(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, g := range All() {
		t.Run(g.Name, func(t *testing.T) {
			for range 3 {
				p := randParams(r, g)
				if got := IsCliffordMatrix(g.Matrix(p), g.Qubits); got != g.Clifford {
					t.Errorf("IsCliffordMatrix(M(%v)) = %v, want the Clifford flag %v", p, got, g.Clifford)
				}
			}
		})
	}
}

func TestIsCliffordAtSpecialAngles(t *testing.T) {
	const q = math.Pi / 2
	tests := []struct {
		name string
		p    []float64
		want bool
	}{
		{"t", nil, false},
		{"s", nil, true},
		{"ch", nil, false},
		{"ccx", nil, false},
		{"u0", []float64{0.3}, true},
		{"u3", []float64{q, 0, math.Pi}, true},
		{"u3", []float64{math.Pi / 4, 0, 0}, false},
		{"u2", []float64{0, math.Pi}, true},
		{"u2", []float64{0, 0.1}, false},
		{"cp", []float64{math.Pi}, true},
		{"cp", []float64{q}, false},
		{"crz", []float64{math.Pi}, true},
		{"crz", []float64{q}, false},
		{"cu1", []float64{-math.Pi}, true},
	}
	for _, name := range []string{"rz", "p", "u1", "rx", "ry", "rzz", "rxx"} {
		for k := -4; k <= 4; k++ {
			tests = append(tests, struct {
				name string
				p    []float64
				want bool
			}{name, []float64{float64(k) * q}, true})
		}
		tests = append(tests, struct {
			name string
			p    []float64
			want bool
		}{name, []float64{math.Pi / 4}, false})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _ := Lookup(tt.name)
			if got := g.IsClifford(tt.p); got != tt.want {
				t.Errorf("%s.IsClifford(%v) = %v, want %v", tt.name, tt.p, got, tt.want)
			}
		})
	}
}

func TestDiagonalAndPermutationFlags(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, g := range All() {
		t.Run(g.Name, func(t *testing.T) {
			for range 3 {
				p := randParams(r, g)
				m := g.Matrix(p)
				if got := isDiagonal(m); got != g.Diagonal {
					t.Errorf("diagonal(M(%v)) = %v, want the Diagonal flag %v", p, got, g.Diagonal)
				}
				if got := isMonomial(m); got != g.Permutation {
					t.Errorf("monomial(M(%v)) = %v, want the Permutation flag %v", p, got, g.Permutation)
				}
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct{ name, want string }{
		{"cu3", "cu3(theta,phi,lambda) 2q"},
		{"ccx", "ccx 3q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, _ := Lookup(tt.name)
			if got := g.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
