package synth

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/qluster/qluster/gate"
)

// KAK is the Cartan decomposition of a two-qubit unitary:
//
//	U = e^{i·Phase} · (A1⊗B1) · exp(i(X·XX + Y·YY + Z·ZZ)) · (A2⊗B2)
//
// where A1, A2 act on local qubit 1 (the most significant bit of U's index)
// and B1, B2 on qubit 0. The coefficients are canonical (Weyl chamber):
// π/4 ≥ X ≥ Y ≥ |Z|.
type KAK struct {
	A1, B1, A2, B2 gate.Matrix
	X, Y, Z        float64
	Phase          float64
}

// WeylTolerance is how close a Weyl coordinate must be to 0 or π/4 to
// count as equal when choosing the number of two-qubit gates. Snapping a
// coordinate moves the synthesised unitary by at most about this much.
const WeylTolerance = 1e-11

// NumTwoQubitGates returns how many CX (or CZ) gates TwoQubit uses for this
// decomposition: 0 for a local gate, 1 for a CX-equivalent, 2 when the
// third coordinate is 0, and 3 otherwise.
func (k KAK) NumTwoQubitGates() int {
	near := func(a, b float64) bool { return math.Abs(a-b) < WeylTolerance }
	switch {
	case near(k.X, 0) && near(k.Y, 0) && near(k.Z, 0):
		return 0
	case near(k.X, math.Pi/4) && near(k.Y, 0) && near(k.Z, 0):
		return 1
	case near(k.Z, 0):
		return 2
	}
	return 3
}

var (
	pauliX = gate.Matrix{0, 1, 1, 0}
	pauliY = gate.Matrix{0, -1i, 1i, 0}
	pauliZ = gate.Matrix{1, 0, 0, -1}
	hadam  = gate.Matrix{1 / math.Sqrt2, 1 / math.Sqrt2, 1 / math.Sqrt2, -1 / math.Sqrt2}
	sGate  = gate.Matrix{1, 0, 0, 1i}
	// magic is the magic (Bell) basis: columns |Φ+⟩, i|Φ−⟩, i|Ψ+⟩, |Ψ−⟩.
	// In it every SU(2)⊗SU(2) matrix is real orthogonal.
	magic = scaled(1/math.Sqrt2, gate.Matrix{
		1, 1i, 0, 0,
		0, 0, 1i, 1,
		0, 0, 1i, -1,
		1, -1i, 0, 0,
	})
	magicDag = gate.Adjoint(magic)
	// pp[j] is σ_j⊗σ_j for j = X, Y, Z.
	pp = [3]gate.Matrix{kron(pauliX, pauliX), kron(pauliY, pauliY), kron(pauliZ, pauliZ)}
	// ppDiag[j][k] is the (real, ±1) k-th diagonal entry of σ_j⊗σ_j in the
	// magic basis.
	ppDiag = func() (d [3][4]float64) {
		for j := range pp {
			m := mulAll(magicDag, pp[j], magic)
			for k := 0; k < 4; k++ {
				d[j][k] = real(m[k*4+k])
			}
		}
		return d
	}()
)

func rxm(t float64) gate.Matrix {
	g, _ := gate.Lookup("rx")
	return g.Matrix([]float64{t})
}

// Decompose returns the KAK decomposition of the 4×4 unitary u. It fails
// if u is not 4×4 or not unitary enough for the eigen-decomposition to
// converge.
func Decompose(u gate.Matrix) (KAK, error) {
	if len(u) != 16 {
		return KAK{}, fmt.Errorf("synth: KAK of a %d×%d matrix", u.Dim(), u.Dim())
	}
	det := det4(u)
	if cmplx.Abs(det) < 1e-6 {
		return KAK{}, fmt.Errorf("synth: KAK of a singular matrix")
	}
	phase := cmplx.Phase(det) / 4
	su := scaled(cmplx.Exp(complex(0, -phase)), u)
	up := mulAll(magicDag, su, magic)
	m2 := gate.Mul(transpose(up), up)
	p, d, err := diagonalizeSymmetricUnitary(m2)
	if err != nil {
		return KAK{}, err
	}
	var theta [4]float64
	sum := 0.0
	for k := 0; k < 4; k++ {
		theta[k] = cmplx.Phase(d[k]) / 2
		sum += theta[k]
	}
	// Σθ ≡ 0 mod π since det(m2) = 1; make it ≡ 0 mod 2π so that K1 has
	// determinant 1.
	if math.Abs(math.Remainder(sum, 2*math.Pi)) > math.Pi/2 {
		theta[0] += math.Pi
		sum += math.Pi
	}
	pc := make(gate.Matrix, 16)
	for i := range p {
		pc[i] = complex(p[i], 0)
	}
	invDelta := make(gate.Matrix, 16)
	for k := 0; k < 4; k++ {
		invDelta[k*4+k] = cmplx.Exp(complex(0, -theta[k]))
	}
	k1 := mulAll(up, pc, invDelta)
	k2 := transpose(pc)
	l1 := mulAll(magic, k1, magicDag)
	l2 := mulAll(magic, k2, magicDag)
	var coef [3]float64
	for j := 0; j < 3; j++ {
		for k := 0; k < 4; k++ {
			coef[j] += ppDiag[j][k] * theta[k] / 4
		}
	}
	c := canon{l1: l1, l2: l2, k: coef, phase: phase + sum/4}
	c.canonicalize()
	out := KAK{X: c.k[0], Y: c.k[1], Z: c.k[2], Phase: c.phase}
	out.A1, out.B1 = factorLocal(c.l1)
	out.A2, out.B2 = factorLocal(c.l2)
	return out, nil
}

// diagonalizeSymmetricUnitary returns a real orthogonal P with det 1 and
// the diagonal d such that m = P·diag(d)·Pᵀ for the complex symmetric
// unitary m. The real and imaginary parts of such an m are commuting real
// symmetric matrices, so the eigenvectors of a generic real combination of
// them diagonalise both, degenerate eigenvalues included; a few fixed
// combinations are tried until one works.
func diagonalizeSymmetricUnitary(m gate.Matrix) ([]float64, []complex128, error) {
	var bestP []float64
	var bestD gate.Matrix
	bestOff := math.Inf(1)
	for trial := 0; trial < 16 && bestOff > 1e-13; trial++ {
		t := 0.4142 + 1.3*float64(trial)
		a, b := math.Cos(t), math.Sin(t)
		comb := make([]float64, 16)
		for i := range comb {
			comb[i] = a*real(m[i]) + b*imag(m[i])
		}
		_, p := jacobiEigen(comb, 4)
		pc := make(gate.Matrix, 16)
		for i := range p {
			pc[i] = complex(p[i], 0)
		}
		dm := mulAll(transpose(pc), m, pc)
		off := 0.0
		for i := 0; i < 4; i++ {
			for j := 0; j < 4; j++ {
				if i != j {
					off = math.Max(off, cmplx.Abs(dm[i*4+j]))
				}
			}
		}
		if off < bestOff {
			bestP, bestD, bestOff = p, dm, off
		}
	}
	// Rounding in a nearly unitary input leaves Re and Im commuting only
	// approximately; a small residue is accepted (TwoQubit checks the
	// final result).
	if bestOff > 1e-7 {
		return nil, nil, fmt.Errorf("synth: KAK eigen-decomposition did not converge (matrix not unitary?)")
	}
	p := bestP
	pc := make(gate.Matrix, 16)
	for i := range p {
		pc[i] = complex(p[i], 0)
	}
	if real(det4(pc)) < 0 {
		for i := 0; i < 4; i++ {
			p[i*4] = -p[i*4]
		}
	}
	d := make([]complex128, 4)
	for k := range d {
		d[k] = bestD[k*4+k]
	}
	return p, d, nil
}

// canon tracks U = e^{i·phase}·l1·exp(i Σ k_j σ_j⊗σ_j)·l2 while the
// coefficients are moved into the Weyl chamber.
type canon struct {
	l1, l2 gate.Matrix
	k      [3]float64
	phase  float64
}

// shift subtracts n·π/2 from k[j]: exp(ikP) = exp(i(k−nπ/2)P)·(iP)^n.
func (c *canon) shift(j, n int) {
	c.k[j] -= float64(n) * math.Pi / 2
	c.phase += float64(n) * math.Pi / 2
	if n%2 != 0 {
		c.l2 = gate.Mul(pp[j], c.l2)
	}
}

// swap exchanges k[j] and k[l] by conjugating with a local Clifford C⊗C
// that exchanges σ_j⊗σ_j and σ_l⊗σ_l and fixes the third.
func (c *canon) swap(j, l int) {
	var g gate.Matrix
	switch j + l {
	case 1: // X, Y
		g = sGate
	case 2: // X, Z
		g = hadam
	case 3: // Y, Z
		g = rxm(math.Pi / 2)
	}
	cc := kron(g, g)
	c.l1 = gate.Mul(c.l1, gate.Adjoint(cc))
	c.l2 = gate.Mul(cc, c.l2)
	c.k[j], c.k[l] = c.k[l], c.k[j]
}

// flip negates k[j] and k[l] by conjugating with σ_m on qubit 0, m the
// third index.
func (c *canon) flip(j, l int) {
	m := 3 - j - l
	s := on(0, [3]gate.Matrix{pauliX, pauliY, pauliZ}[m])
	c.l1 = gate.Mul(c.l1, s)
	c.l2 = gate.Mul(s, c.l2)
	c.k[j], c.k[l] = -c.k[j], -c.k[l]
}

func (c *canon) canonicalize() {
	for j := 0; j < 3; j++ {
		n := int(math.Round(c.k[j] / (math.Pi / 2)))
		if n != 0 {
			c.shift(j, n)
		}
		if c.k[j] <= -math.Pi/4+1e-14 {
			c.shift(j, -1)
		}
	}
	for _, pr := range [][2]int{{0, 1}, {1, 2}, {0, 1}} {
		if math.Abs(c.k[pr[0]]) < math.Abs(c.k[pr[1]]) {
			c.swap(pr[0], pr[1])
		}
	}
	if c.k[0] < 0 {
		c.flip(0, 2)
	}
	if c.k[1] < 0 {
		c.flip(1, 2)
	}
}

// factorLocal splits the 4×4 matrix l = a⊗b (a on qubit 1, b on qubit 0)
// into its 2×2 factors, both unitary up to reciprocal phases.
func factorLocal(l gate.Matrix) (a, b gate.Matrix) {
	best := 0
	for i := range l {
		if cmplx.Abs(l[i]) > cmplx.Abs(l[best]) {
			best = i
		}
	}
	r, c := best/4, best%4
	r1, r0, c1, c0 := r>>1, r&1, c>>1, c&1
	b = make(gate.Matrix, 4)
	for i0 := 0; i0 < 2; i0++ {
		for j0 := 0; j0 < 2; j0++ {
			b[i0*2+j0] = l[(2*r1+i0)*4+2*c1+j0]
		}
	}
	a = make(gate.Matrix, 4)
	for i1 := 0; i1 < 2; i1++ {
		for j1 := 0; j1 < 2; j1++ {
			a[i1*2+j1] = l[(2*i1+r0)*4+2*j1+c0] / b[r0*2+c0]
		}
	}
	nb := math.Sqrt(real(b[0]*cmplx.Conj(b[0]) + b[2]*cmplx.Conj(b[2])))
	return scaled(complex(nb, 0), a), scaled(complex(1/nb, 0), b)
}
