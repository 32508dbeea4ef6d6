package stabilizer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

func opFor(g *gate.Gate, params []float64) *circuit.Op {
	op := &circuit.Op{Kind: circuit.GateOp, Gate: g, Name: g.Name}
	for i := range g.Qubits {
		op.Qubits = append(op.Qubits, i)
	}
	for _, p := range params {
		op.Params = append(op.Params, circuit.Const(p))
	}
	return op
}

// bit returns row i's bit in column word slice col.
func bit(col []uint64, i int) uint64 { return col[i>>6] >> (i & 63) & 1 }

// check verifies the tableau's symplectic structure: stabilizers commute
// with each other, destabilizers with each other, and destabilizer i
// anticommutes with stabilizer i only. Padding rows must be zero.
func (t *tableau) check() error {
	rows := make([]int, 0, 2*t.n)
	for i := range t.n {
		rows = append(rows, i)
	}
	for i := range t.n {
		rows = append(rows, 64*t.wh+i)
	}
	for a, ra := range rows {
		for b, rb := range rows[a+1:] {
			b += a + 1
			var par uint64
			for j := range t.n {
				xj, zj := t.col(j)
				par ^= bit(xj, ra)&bit(zj, rb) ^ bit(zj, ra)&bit(xj, rb)
			}
			want := uint64(0)
			if a < t.n && b == a+t.n {
				want = 1
			}
			if par != want {
				return fmt.Errorf("rows %d and %d: commutation %d, want %d", ra, rb, par, want)
			}
		}
	}
	for j := range t.n {
		xj, zj := t.col(j)
		for i := t.n; i < 64*t.wh; i++ {
			if bit(xj, i)|bit(zj, i)|bit(xj, 64*t.wh+i)|bit(zj, 64*t.wh+i) != 0 {
				return fmt.Errorf("padding row %d is not zero in column %d", i, j)
			}
		}
	}
	return nil
}

// randomTableau returns the tableau of a random Clifford state on n qubits,
// built with the generic update only.
func randomTableau(t testing.TB, rng *rand.Rand, n, depth int) *tableau {
	t.Helper()
	tb := newTableau(n)
	h, _ := newCliff(gate.Matrix{complex(1/math.Sqrt2, 0), complex(1/math.Sqrt2, 0), complex(1/math.Sqrt2, 0), complex(-1/math.Sqrt2, 0)}, 1)
	s, _ := newCliff(gate.Matrix{1, 0, 0, 1i}, 1)
	cxg, _ := gate.Lookup("cx")
	cx, _ := newCliff(cxg.Matrix(nil), 2)
	for range depth {
		a, b := rng.IntN(n), rng.IntN(n)
		switch {
		case rng.IntN(3) == 0 && a != b:
			tb.applyCliff(cx, []int{a, b})
		case rng.IntN(2) == 0:
			tb.applyCliff(h, []int{a})
		default:
			tb.applyCliff(s, []int{a})
		}
	}
	return tb
}

func equalTableaux(a, b *tableau) bool {
	for i := range a.x {
		if a.x[i] != b.x[i] || a.z[i] != b.z[i] {
			return false
		}
	}
	for i := range a.r {
		if a.r[i] != b.r[i] {
			return false
		}
	}
	return true
}

func TestFastUpdatesMatchGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, k := range fastByName {
		t.Run(name, func(t *testing.T) {
			g, ok := gate.Lookup(name)
			if !ok {
				t.Fatalf("no gate %s", name)
			}
			params := make([]float64, len(g.Params))
			cl, err := newCliff(g.Matrix(params), g.Qubits)
			if err != nil {
				t.Fatalf("newCliff: %v", err)
			}
			for _, n := range []int{2, 5, 70, 130} {
				base := randomTableau(t, rng, n, 20*n)
				qs := rng.Perm(n)[:g.Qubits]
				fast, slow := base.clone(), base.clone()
				s := step{k: k, a: qs[0]}
				if len(qs) > 1 {
					s.b = qs[1]
				}
				fast.apply(&s)
				slow.applyCliff(cl, qs)
				if !equalTableaux(fast, slow) {
					t.Errorf("%d qubits, args %v: specialised update differs from the generic one", n, qs)
				}
			}
		})
	}
}

func TestGenericMatchesFastTables(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params []float64
		want   kernel
		swap   bool
	}{
		{"rz", []float64{math.Pi / 2}, kS, false},
		{"p", []float64{-math.Pi / 2}, kSdg, false},
		{"u3", []float64{math.Pi / 2, 0, math.Pi}, kH, false},
		{"rx", []float64{math.Pi}, kX, false},
		{"rx", []float64{math.Pi / 2}, kSX, false},
		{"cu1", []float64{math.Pi}, kCZ, false},
		{"rz", []float64{2 * math.Pi}, kNone, false},
		{"cp", []float64{0}, kNone, false},
		{"rzz", []float64{math.Pi / 2}, kGeneric, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, _ := gate.Lookup(tc.name)
			var s step
			op := opFor(g, tc.params)
			if err := prepareGate(&s, op, tc.params, map[cacheKey]*step{}); err != nil {
				t.Fatal(err)
			}
			if s.k != tc.want {
				t.Errorf("%s%v: got kernel %d, want %d", tc.name, tc.params, s.k, tc.want)
			}
		})
	}
}

func TestNonCliffordMatrixIsRejected(t *testing.T) {
	for _, name := range []string{"t", "ch", "ccx", "csx"} {
		t.Run(name, func(t *testing.T) {
			g, _ := gate.Lookup(name)
			if _, err := newCliff(g.Matrix(nil), g.Qubits); err == nil {
				t.Errorf("newCliff(%s) got no error, want one", name)
			}
		})
	}
}

func TestTranspose64(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var a [64]uint64
	for i := range a {
		a[i] = rng.Uint64()
	}
	b := a
	transpose64(&b)
	for i := range 64 {
		for j := range 64 {
			if got, want := b[j]>>i&1, a[i]>>j&1; got != want {
				t.Fatalf("bit (%d,%d): got %d, want %d", j, i, got, want)
			}
		}
	}
}

func TestPrefixXor(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for range 100 {
		v := rng.Uint64()
		got := prefixXor(v)
		par := uint64(0)
		for b := range 64 {
			par ^= v >> b & 1
			if got>>b&1 != par {
				t.Fatalf("prefixXor(%#x) bit %d: got %d, want %d", v, b, got>>b&1, par)
			}
		}
	}
}

// TestMeasurementKeepsTableauValid checks the invariants of measurement
// updates on random states (stabilizers commute pairwise, each
// destabilizer anticommutes exactly with its own stabilizer) and that
// measuring again repeats a collapsed outcome.
func TestMeasurementKeepsTableauValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, n := range []int{3, 66} {
		tb := randomTableau(t, rng, n, 30*n)
		for i := range 2 * n {
			q := rng.IntN(n)
			if p := tb.randomRow(q); p >= 0 {
				o := rng.Uint64() & 1
				tb.collapse(q, p, o)
				if got := tb.deterministic(q); got != o {
					t.Fatalf("%d qubits: measuring %d again got %d, want the collapsed outcome %d", n, q, got, o)
				}
			} else {
				tb.deterministic(q)
			}
			if i%8 != 0 && i != 2*n-1 {
				continue
			}
			if err := tb.check(); err != nil {
				t.Fatalf("%d qubits, after measuring %d: %v", n, q, err)
			}
		}
	}
}

// embed returns the 2^k×2^k matrix of the gate m acting on arguments args
// of a k-qubit block (argument j of m on block qubit args[j]).
func embed(m gate.Matrix, args []int, k int) gate.Matrix {
	d, dm := 1<<k, m.Dim()
	out := make(gate.Matrix, d*d)
	sub := func(idx int) int {
		s := 0
		for j, a := range args {
			s |= (idx >> a & 1) << j
		}
		return s
	}
	rest := 0
	for _, a := range args {
		rest |= 1 << a
	}
	for r := 0; r < d; r++ {
		for c := 0; c < d; c++ {
			if r&^rest == c&^rest {
				out[r*d+c] = m[sub(r)*dm+sub(c)]
			}
		}
	}
	return out
}

func TestGenericThreeQubitClifford(t *testing.T) {
	lookup := func(name string) gate.Matrix {
		g, _ := gate.Lookup(name)
		return g.Matrix(nil)
	}
	// U = CZ(a0,a2) · H(a1) · CX(a2,a0) · S(a0), applied right to left.
	u := gate.Mul(embed(lookup("cz"), []int{0, 2}, 3),
		gate.Mul(embed(lookup("h"), []int{1}, 3),
			gate.Mul(embed(lookup("cx"), []int{2, 0}, 3), embed(lookup("s"), []int{0}, 3))))
	cl, err := newCliff(u, 3)
	if err != nil {
		t.Fatalf("newCliff: %v", err)
	}
	rng := rand.New(rand.NewPCG(6, 6))
	for _, n := range []int{3, 9, 80} {
		base := randomTableau(t, rng, n, 20*n)
		qs := rng.Perm(n)[:3]
		want, got := base.clone(), base.clone()
		want.s(qs[0])
		want.cx(qs[2], qs[0])
		want.h(qs[1])
		want.cz(qs[0], qs[2])
		got.applyCliff(cl, qs)
		if !equalTableaux(got, want) {
			t.Errorf("%d qubits, args %v: generic 3-qubit update differs from its factors", n, qs)
		}
	}
}

func TestAppendKeyMatchesCircuitKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, sizes := range [][]int{{1}, {3}, {64}, {65, 2}, {2, 70, 1}, {130}} {
		c := &circuit.Circuit{}
		for i, s := range sizes {
			if _, err := c.AddCReg(fmt.Sprintf("c%d", i), s); err != nil {
				t.Fatal(err)
			}
		}
		b := circuit.NewBits(c.NumClbits)
		for i := range b {
			b[i] = rng.Uint64()
		}
		if c.NumClbits%64 != 0 {
			b[len(b)-1] &= 1<<(c.NumClbits%64) - 1
		}
		if got, want := string(appendKey(nil, c, b)), c.Key(b); got != want {
			t.Errorf("registers %v: got %q, want %q", sizes, got, want)
		}
	}
}

// pauliAt returns row i's Pauli on qubit j as (x, z).
func (t *tableau) pauliAt(i, j int) (x, z uint64) {
	xj, zj := t.col(j)
	return bit(xj, i), bit(zj, i)
}

// slowProduct returns the sign bit of σ_p·σ_i computed with 2×2 complex
// matrices qubit by qubit, and checks that it is real.
func slowProduct(t *testing.T, tb *tableau, p, i int) uint64 {
	t.Helper()
	mat := func(x, z uint64) [4]complex128 {
		switch {
		case x == 1 && z == 1:
			return [4]complex128{0, -1i, 1i, 0}
		case x == 1:
			return [4]complex128{0, 1, 1, 0}
		case z == 1:
			return [4]complex128{1, 0, 0, -1}
		}
		return [4]complex128{1, 0, 0, 1}
	}
	phase := complex(1, 0)
	for j := range tb.n {
		a, b := mat(tb.pauliAt(p, j)), mat(tb.pauliAt(i, j))
		prod := [4]complex128{a[0]*b[0] + a[1]*b[2], a[0]*b[1] + a[1]*b[3], a[2]*b[0] + a[3]*b[2], a[2]*b[1] + a[3]*b[3]}
		x1, z1 := tb.pauliAt(p, j)
		x2, z2 := tb.pauliAt(i, j)
		want := mat(x1^x2, z1^z2)
		// prod = c·want for a unit c: read c off a non-zero entry.
		for k := range 4 {
			if want[k] != 0 {
				phase *= prod[k] / want[k]
				break
			}
		}
	}
	sp, si := bit(tb.r, p), bit(tb.r, i)
	switch phase {
	case 1:
		return sp ^ si
	case -1:
		return sp ^ si ^ 1
	}
	t.Fatalf("product of rows %d and %d has phase %v", p, i, phase)
	return 0
}

func TestCollapseMatchesSlowRowProducts(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	for _, n := range []int{2, 5, 40, 70} {
		for range 10 {
			tb := randomTableau(t, rng, n, 20*n)
			q := rng.IntN(n)
			p := tb.randomRow(q)
			if p < 0 {
				continue
			}
			want := map[int]uint64{}
			xq, _ := tb.col(q)
			for k := range n {
				if i := 64*tb.wh + k; i != p && bit(xq, i) == 1 {
					want[i] = slowProduct(t, tb, p, i)
				}
			}
			tb.collapse(q, p, 0)
			for i, s := range want {
				if got := bit(tb.r, i); got != s {
					t.Errorf("%d qubits: sign of stabilizer row %d after collapse got %d, want %d", n, i, got, s)
				}
			}
		}
	}
}
