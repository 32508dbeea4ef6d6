package synth

import (
	"fmt"
	"math"
	"math/cmplx"
	"slices"

	"github.com/qluster/qluster/gate"
)

// AngleTolerance is how close to 0 (mod 2π) a rotation angle must be to be
// dropped as the identity, and how close two Euler angles must be to be
// treated as equal when a shorter sequence is chosen.
const AngleTolerance = 1e-12

// Op is one gate of a synthesised sequence: a gate-table name, its
// numeric parameters and its local qubits.
type Op struct {
	Name   string
	Params []float64
	Qubits []int
}

// Matrix returns the op's gate-table matrix (on its own qubits).
func (o Op) Matrix() gate.Matrix {
	g, ok := gate.Lookup(o.Name)
	if !ok {
		panic("synth: unknown gate " + o.Name)
	}
	return g.Matrix(o.Params)
}

func rz(t float64) gate.Matrix {
	return gate.Matrix{cmplx.Exp(complex(0, -t/2)), 0, 0, cmplx.Exp(complex(0, t/2))}
}

func ry(t float64) gate.Matrix {
	c, s := complex(math.Cos(t/2), 0), complex(math.Sin(t/2), 0)
	return gate.Matrix{c, -s, s, c}
}

// wrap returns t reduced to (−π, π].
func wrap(t float64) float64 {
	t = math.Remainder(t, 2*math.Pi)
	if t <= -math.Pi {
		t += 2 * math.Pi
	}
	return t
}

// snap returns t wrapped to (−π, π], or 0 when that is within
// AngleTolerance of 0.
func snap(t float64) float64 {
	if isZeroAngle(t) {
		return 0
	}
	return wrap(t)
}

// isZeroAngle reports whether t ≈ 0 mod 2π.
func isZeroAngle(t float64) bool { return math.Abs(wrap(t)) < AngleTolerance }

// ZYZ returns the Euler angles of the 2×2 unitary u:
// u = e^{i·phase}·Rz(phi)·Ry(theta)·Rz(lambda), with theta in [0, π].
// When theta is 0 (or π) only phi+lambda (phi−lambda) is determined; the
// other combination is then 0.
func ZYZ(u gate.Matrix) (theta, phi, lambda, phase float64) {
	det := u[0]*u[3] - u[1]*u[2]
	phase = cmplx.Phase(det) / 2
	s := cmplx.Exp(complex(0, -phase))
	v10, v11, v00 := s*u[2], s*u[3], s*u[0]
	theta = 2 * math.Atan2(cmplx.Abs(v10), cmplx.Abs(v00))
	var sum, diff float64
	if cmplx.Abs(v11) > 1e-300 {
		sum = 2 * cmplx.Phase(v11)
	}
	if cmplx.Abs(v10) > 1e-300 {
		diff = 2 * cmplx.Phase(v10)
	}
	phi = (sum + diff) / 2
	lambda = (sum - diff) / 2
	return theta, phi, lambda, phase
}

// U3 returns the parameters of the OpenQASM U gate equal to u up to global
// phase: u = e^{i·phase}·U3(theta, phi, lambda).
func U3(u gate.Matrix) (theta, phi, lambda, phase float64) {
	theta, phi, lambda, phase = ZYZ(u)
	// U3(θ,φ,λ) = e^{i(φ+λ)/2}·Rz(φ)·Ry(θ)·Rz(λ).
	return theta, phi, lambda, phase - (phi+lambda)/2
}

// IsIdentity reports whether the 2^n×2^n unitary u is the identity up to
// global phase within tol.
func IsIdentity(u gate.Matrix, tol float64) bool {
	return gate.EqualUpToPhase(u, gate.Identity(bitsOf(u.Dim())), tol)
}

func bitsOf(d int) int {
	n := 0
	for 1<<n < d {
		n++
	}
	return n
}

// zGates are the diagonal rotation gates, any of which serves as Rz up to
// global phase, in order of preference.
var zGates = []string{"rz", "p", "u1"}

// u3Gates are the general one-qubit gates, in order of preference.
var u3Gates = []string{"u3", "u", "U"}

// fixedGates are the non-diagonal fixed gates usable between Z rotations.
var fixedGates = []string{"sx", "sxdg", "x", "y", "h"}

func first(basis []string, names []string) string {
	for _, n := range names {
		if slices.Contains(basis, n) {
			return n
		}
	}
	return ""
}

// seq builds a candidate sequence, dropping identity rotations.
type seq []Op

func (s seq) rot(name string, t float64) seq {
	if isZeroAngle(t) {
		return s
	}
	return append(s, Op{Name: name, Params: []float64{snap(t)}, Qubits: []int{0}})
}

func (s seq) fixed(name string) seq { return append(s, Op{Name: name, Qubits: []int{0}}) }

func (s seq) matrix() gate.Matrix {
	m := gate.Identity(1)
	for _, o := range s {
		m = gate.Mul(o.Matrix(), m)
	}
	return m
}

// cost orders candidates: fewer gates first, then fewer gates that are not
// diagonal (Z rotations are virtual on most hardware).
func (s seq) cost() (int, int) {
	phys := 0
	for _, o := range s {
		if g, _ := gate.Lookup(o.Name); !g.Diagonal {
			phys++
		}
	}
	return len(s), phys
}

// euler returns A(α)·B(β)·A(γ) (circuit order A(γ), B(β), A(α)) where
// w = conj(u) has ZYZ angles (α, β, γ) and A, B are the named rotations.
func euler(w gate.Matrix, a, b string, negB bool) seq {
	theta, phi, lambda, _ := ZYZ(w)
	if negB {
		theta = -theta
	}
	if math.Abs(theta) < AngleTolerance {
		return seq{}.rot(a, phi+lambda)
	}
	return seq{}.rot(a, lambda).rot(b, theta).rot(a, phi)
}

// OneQubit returns a shortest sequence of gates from basis equal to the
// 2×2 unitary u up to global phase, and the phase: u = e^{i·phase}·(product
// of the ops, first op applied first). All ops act on local qubit 0; an
// identity gives an empty sequence. It supports any basis holding a
// general one-qubit gate (u3, u, U), two rotation axes (rz/p/u1, rx, ry),
// or a Z rotation with sx, sxdg, h (x and y help at θ = π); it fails when
// the basis cannot express u.
func OneQubit(u gate.Matrix, basis []string) ([]Op, float64, error) {
	if len(u) != 4 {
		return nil, 0, fmt.Errorf("synth: one-qubit synthesis of a %d×%d matrix", u.Dim(), u.Dim())
	}
	var cands []seq
	if IsIdentity(u, 1e-12) {
		cands = append(cands, seq{})
	}
	theta, phi, lambda, _ := ZYZ(u)
	z := first(basis, zGates)
	// Single fixed gates of the basis.
	for _, name := range basis {
		g, ok := gate.Lookup(name)
		if ok && g.Qubits == 1 && len(g.Params) == 0 && gate.EqualUpToPhase(u, g.Matrix(nil), 1e-12) {
			cands = append(cands, seq{}.fixed(name))
		}
	}
	if u3 := first(basis, u3Gates); u3 != "" {
		t, p, l, _ := U3(u)
		if t < AngleTolerance {
			p, l = 0, p+l
		}
		cands = append(cands, seq{{Name: u3, Params: []float64{snap(t), snap(p), snap(l)}, Qubits: []int{0}}})
	}
	if slices.Contains(basis, "u2") && math.Abs(theta-math.Pi/2) < AngleTolerance {
		_, p, l, _ := U3(u)
		cands = append(cands, seq{{Name: "u2", Params: []float64{wrap(p), wrap(l)}, Qubits: []int{0}}})
	}
	hasRX, hasRY := slices.Contains(basis, "rx"), slices.Contains(basis, "ry")
	s := gate.Matrix{1, 0, 0, 1i} // S = Rz(π/2) up to phase
	sdg := gate.Matrix{1, 0, 0, -1i}
	h := gate.Matrix{1 / math.Sqrt2, 1 / math.Sqrt2, 1 / math.Sqrt2, -1 / math.Sqrt2}
	if z != "" && hasRY {
		cands = append(cands, euler(u, z, "ry", false))
	}
	if z != "" && hasRX {
		// Rx(t) = S†·Ry(t)·S, so S·u·S† in ZYZ gives u in ZXZ.
		cands = append(cands, euler(mulAll(s, u, sdg), z, "rx", false))
	}
	if hasRX && hasRY {
		// H·Z·H = X and H·Y·H = −Y: H·u·H in ZYZ gives u in XYX.
		cands = append(cands, euler(mulAll(h, u, h), "rx", "ry", true))
	}
	if z != "" {
		if math.Abs(theta) < AngleTolerance {
			cands = append(cands, seq{}.rot(z, phi+lambda))
		}
		for _, f := range fixedGates {
			if !slices.Contains(basis, f) {
				continue
			}
			fm, _ := gate.Lookup(f)
			tf, pf, lf, _ := ZYZ(fm.Matrix(nil))
			// u = Rz(φ−φf)·F·Rz(λ−λf) when θ equals F's θ.
			if math.Abs(theta-tf) < AngleTolerance {
				cands = append(cands, seq{}.rot(z, lambda-lf).fixed(f).rot(z, phi-pf))
			}
			// F·F (θ = π when θf = π/2, e.g. sx·sx = X) between Z rotations.
			if math.Abs(tf-math.Pi/2) < AngleTolerance {
				t2, p2, l2, _ := ZYZ(gate.Mul(fm.Matrix(nil), fm.Matrix(nil)))
				if math.Abs(theta-t2) < AngleTolerance {
					cands = append(cands, seq{}.rot(z, lambda-l2).fixed(f).fixed(f).rot(z, phi-p2))
				}
			}
			// Two F with θf = π/2: Ry(π/2)·Rz(s)·Ry(π/2) ∝ Rz(−π/2)·Ry(s−π)·Rz(−π/2).
			if math.Abs(tf-math.Pi/2) < AngleTolerance {
				cands = append(cands, seq{}.rot(z, lambda-lf+math.Pi/2).fixed(f).
					rot(z, theta+math.Pi-lf-pf).fixed(f).rot(z, phi-pf+math.Pi/2))
			}
		}
	}
	// Check candidates cheapest first (stable, so ties keep the order
	// above) and take the first that reproduces u.
	slices.SortStableFunc(cands, func(a, b seq) int {
		an, ap := a.cost()
		bn, bp := b.cost()
		if an != bn {
			return an - bn
		}
		return ap - bp
	})
	var best seq
	found := false
	for _, c := range cands {
		if gate.EqualUpToPhase(c.matrix(), u, 1e-9) {
			best, found = c, true
			break
		}
	}
	if !found {
		return nil, 0, fmt.Errorf("synth: basis %v cannot express the one-qubit gate (θ=%.6g, φ=%.6g, λ=%.6g)",
			basis, theta, phi, lambda)
	}
	return best, phaseBetween(u, best.matrix()), nil
}
