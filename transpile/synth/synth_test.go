package synth

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/gate"
)

func seqMatrix(ops []Op) gate.Matrix {
	m := gate.Identity(1)
	for _, o := range ops {
		m = gate.Mul(o.Matrix(), m)
	}
	return m
}

func maxDiff(a, b gate.Matrix) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, cmplx.Abs(a[i]-b[i]))
	}
	return d
}

var oneQubitBases = [][]string{
	{"u3"}, {"u"}, {"rz", "sx"}, {"rz", "sx", "x"}, {"rx", "ry", "rz"}, {"rz", "ry"},
	{"rx", "ry"}, {"rx", "rz"}, {"h", "rz"}, {"p", "sx"}, {"u1", "u2", "u3"}, {"cz", "rx", "ry", "rz", "h"},
}

func TestZYZAndU3Reconstruct(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		u := HaarUnitary(r, 2)
		th, ph, la, g := ZYZ(u)
		want := scaled(cmplx.Exp(complex(0, g)), mulAll(rz(ph), ry(th), rz(la)))
		if d := maxDiff(u, want); d > 1e-12 {
			t.Fatalf("ZYZ: reconstruction error %g", d)
		}
		th, ph, la, g = U3(u)
		u3, _ := gate.Lookup("u3")
		want = scaled(cmplx.Exp(complex(0, g)), u3.Matrix([]float64{th, ph, la}))
		if d := maxDiff(u, want); d > 1e-12 {
			t.Fatalf("U3: reconstruction error %g", d)
		}
	}
}

func TestOneQubitRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	us := []gate.Matrix{}
	for i := 0; i < 200; i++ {
		us = append(us, HaarUnitary(r, 2))
	}
	for _, name := range []string{"x", "y", "z", "h", "s", "sdg", "t", "sx", "sxdg", "id"} {
		g, _ := gate.Lookup(name)
		us = append(us, g.Matrix(nil))
	}
	for _, basis := range oneQubitBases {
		t.Run(fmt.Sprint(basis), func(t *testing.T) {
			for i, u := range us {
				ops, ph, err := OneQubit(u, basis)
				if err != nil {
					t.Fatalf("unitary %d: %v", i, err)
				}
				got := scaled(cmplx.Exp(complex(0, ph)), seqMatrix(ops))
				if d := maxDiff(got, u); d > 1e-10 {
					t.Fatalf("unitary %d: error %g with %v", i, d, ops)
				}
				for _, o := range ops {
					if !contains(basis, o.Name) {
						t.Fatalf("unitary %d: gate %s not in basis", i, o.Name)
					}
				}
			}
		})
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func TestOneQubitShortForms(t *testing.T) {
	lookup := func(name string, p ...float64) gate.Matrix {
		g, _ := gate.Lookup(name)
		return g.Matrix(p)
	}
	cases := []struct {
		name  string
		u     gate.Matrix
		basis []string
		want  int
	}{
		{"identity gives nothing", gate.Identity(1), []string{"rz", "sx"}, 0},
		{"rz stays one rz", lookup("rz", 0.3), []string{"rz", "sx"}, 1},
		{"x is one x", lookup("x"), []string{"rz", "sx", "x"}, 1},
		{"h is rz sx rz", lookup("h"), []string{"rz", "sx"}, 3},
		{"sx is one sx", lookup("sx"), []string{"rz", "sx"}, 1},
		{"x is sx sx", lookup("x"), []string{"rz", "sx"}, 2},
		{"y is sx sx rz", lookup("y"), []string{"rz", "sx"}, 3},
		{"h is one h", lookup("h"), []string{"h", "rz"}, 1},
		{"ry is one ry", lookup("ry", 0.7), []string{"rx", "ry", "rz"}, 1},
		{"rx is one rx", lookup("rx", 0.7), []string{"rz", "rx"}, 1},
		{"general is one u3", HaarUnitary(rand.New(rand.NewPCG(5, 6)), 2), []string{"u3"}, 1},
		{"general is five in rz sx", HaarUnitary(rand.New(rand.NewPCG(5, 6)), 2), []string{"rz", "sx"}, 5},
		{"general is three in rz ry", HaarUnitary(rand.New(rand.NewPCG(5, 6)), 2), []string{"rz", "ry"}, 3},
		{"2π rotation is identity", lookup("rz", 2*math.Pi), []string{"rz", "sx"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ops, _, err := OneQubit(c.u, c.basis)
			if err != nil {
				t.Fatal(err)
			}
			if len(ops) != c.want {
				t.Errorf("got %d gates %v, want %d", len(ops), ops, c.want)
			}
		})
	}
}

func TestOneQubitRejectsInexpressibleBasis(t *testing.T) {
	u := HaarUnitary(rand.New(rand.NewPCG(7, 8)), 2)
	if _, _, err := OneQubit(u, []string{"h", "s"}); err == nil {
		t.Error("got no error for basis {h, s}, want one")
	}
}

// interactionMatrix is exp(i(x XX + y YY + z ZZ)), from commuting factors.
func interactionMatrix(x, y, z float64) gate.Matrix {
	out := gate.Identity(2)
	for j, c := range []float64{x, y, z} {
		f := scaled(complex(0, math.Sin(c)), pp[j])
		for k := 0; k < 4; k++ {
			f[k*4+k] += complex(math.Cos(c), 0)
		}
		out = gate.Mul(out, f)
	}
	return out
}

func elemsMatrix(els []elem) gate.Matrix {
	u := gate.Identity(2)
	for _, e := range els {
		if e.m != nil {
			u = gate.Mul(on(e.q, e.m), u)
		} else {
			u = gate.Mul(cxMatrix(e.c, e.t), u)
		}
	}
	return u
}

func TestInteractionTemplates(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 100; i++ {
		x, y, z := r.Float64()-0.5, r.Float64()-0.5, r.Float64()-0.5
		for _, c := range []struct {
			n       int
			x, y, z float64
		}{{0, 0, 0, 0}, {1, math.Pi / 4, 0, 0}, {2, x, y, 0}, {3, x, y, z}} {
			got := elemsMatrix(interaction(c.n, c.x, c.y, c.z))
			if !gate.EqualUpToPhase(got, interactionMatrix(c.x, c.y, c.z), 1e-12) {
				t.Fatalf("template %d at (%g, %g, %g) is wrong", c.n, c.x, c.y, c.z)
			}
		}
	}
}

func TestDecomposeReconstructs(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 200; i++ {
		u := HaarUnitary(r, 4)
		k, err := Decompose(u)
		if err != nil {
			t.Fatal(err)
		}
		got := scaled(cmplx.Exp(complex(0, k.Phase)),
			mulAll(kron(k.A1, k.B1), interactionMatrix(k.X, k.Y, k.Z), kron(k.A2, k.B2)))
		if d := maxDiff(got, u); d > 1e-10 {
			t.Fatalf("unitary %d: reconstruction error %g", i, d)
		}
		if !(math.Pi/4+1e-12 >= k.X && k.X >= k.Y-1e-12 && k.Y >= math.Abs(k.Z)-1e-12) {
			t.Fatalf("unitary %d: coordinates (%g, %g, %g) outside the Weyl chamber", i, k.X, k.Y, k.Z)
		}
	}
}

func countName(ops []Op, name string) int {
	n := 0
	for _, o := range ops {
		if o.Name == name {
			n++
		}
	}
	return n
}

// TestTwoQubitHaar is the acceptance test: 1000 Haar-random SU(4)
// matrices (fixed seed), each at most three CX or CZ and equal to 1e-10.
func TestTwoQubitHaar(t *testing.T) {
	for _, ent := range []struct {
		name  string
		basis []string
	}{{"cx", []string{"u3"}}, {"cz", []string{"rz", "sx"}}} {
		t.Run(ent.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(2026, 5))
			hist := map[int]int{}
			worst := 0.0
			for i := 0; i < 1000; i++ {
				u := HaarUnitary(r, 4)
				ops, ph, err := TwoQubit(u, ent.name, ent.basis)
				if err != nil {
					t.Fatalf("unitary %d: %v", i, err)
				}
				got := scaled(cmplx.Exp(complex(0, ph)), Unitary2(ops))
				worst = math.Max(worst, maxDiff(got, u))
				n := countName(ops, ent.name)
				hist[n]++
				if n > 3 {
					t.Fatalf("unitary %d: %d %s gates, want ≤ 3", i, n, ent.name)
				}
			}
			t.Logf("%s: max error %.3g, 2q-count histogram %v", ent.name, worst, hist)
			if worst > 1e-10 {
				t.Errorf("max error %g, want ≤ 1e-10", worst)
			}
		})
	}
}

func TestTwoQubitSpecialCases(t *testing.T) {
	lookup := func(name string, p ...float64) gate.Matrix {
		g, _ := gate.Lookup(name)
		return g.Matrix(p)
	}
	r := rand.New(rand.NewPCG(13, 14))
	iswap := gate.Matrix{1, 0, 0, 0, 0, 0, 1i, 0, 0, 1i, 0, 0, 0, 0, 0, 1}
	local := kron(HaarUnitary(r, 2), HaarUnitary(r, 2))
	cases := []struct {
		name string
		u    gate.Matrix
		want int
	}{
		{"identity needs 0", gate.Identity(2), 0},
		{"local needs 0", local, 0},
		{"cx needs 1", lookup("cx"), 1},
		{"reversed cx needs 1", mulAll(kron(hadam, hadam), lookup("cx"), kron(hadam, hadam)), 1},
		{"cz times local needs 1", gate.Mul(lookup("cz"), local), 1},
		{"swap needs 3", lookup("swap"), 3},
		{"iswap needs 2", iswap, 2},
		{"rzz needs 2", lookup("rzz", 0.4), 2},
		{"crz needs 2", lookup("crz", 0.9), 2},
		{"cp(π) needs 1", lookup("cp", math.Pi), 1},
		{"rxx(π/2) needs 1", lookup("rxx", math.Pi/2), 1},
	}
	for _, c := range cases {
		for _, ent := range []string{"cx", "cz"} {
			t.Run(c.name+" "+ent, func(t *testing.T) {
				ops, ph, err := TwoQubit(c.u, ent, []string{"rz", "sx", "x"})
				if err != nil {
					t.Fatal(err)
				}
				if n := countName(ops, ent); n != c.want {
					t.Errorf("got %d %s, want %d", n, ent, c.want)
				}
				got := scaled(cmplx.Exp(complex(0, ph)), Unitary2(ops))
				if d := maxDiff(got, c.u); d > 1e-10 {
					t.Errorf("error %g", d)
				}
			})
		}
	}
}

func TestTwoQubitRejects(t *testing.T) {
	if _, _, err := TwoQubit(gate.Identity(2), "iswap", []string{"u3"}); err == nil {
		t.Error("got no error for entangler iswap")
	}
	if _, _, err := TwoQubit(gate.Identity(1), "cx", []string{"u3"}); err == nil {
		t.Error("got no error for a 2×2 matrix")
	}
	if _, _, err := TwoQubit(make(gate.Matrix, 16), "cx", []string{"u3"}); err == nil {
		t.Error("got no error for the zero matrix")
	}
	notUnitary := gate.Identity(2)
	notUnitary[1] = 0.5
	if _, _, err := TwoQubit(notUnitary, "cx", []string{"u3"}); err == nil {
		t.Error("got no error for a non-unitary matrix")
	}
}

func TestTwoQubitDirected(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	only01 := func(c, t int) bool { return c == 0 && t == 1 }
	for i := 0; i < 200; i++ {
		u := HaarUnitary(r, 4)
		ops, ph, err := TwoQubitDirected(u, "cx", []string{"rz", "sx"}, only01)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range ops {
			if o.Name == "cx" && o.Qubits[0] != 0 {
				t.Fatalf("unitary %d: cx %v against the allowed direction", i, o.Qubits)
			}
		}
		got := scaled(cmplx.Exp(complex(0, ph)), Unitary2(ops))
		if d := maxDiff(got, u); d > 1e-10 {
			t.Fatalf("unitary %d: error %g", i, d)
		}
	}
}
