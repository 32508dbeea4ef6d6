package gate

import (
	"math"
	"math/cmplx"
)

// The table is registered at init by table_1q.go, table_2q.go and
// table_multi.go. Tests in this package check every matrix for unitarity,
// every inverse, every Clifford, Diagonal and Permutation flag, and every
// matrix against Qiskit's (testdata/qiskit_matrices.json); package qasm checks
// every matrix against its qelib1.inc definition.

func fixed(m Matrix) func([]float64) Matrix { return func([]float64) Matrix { return m } }

// self names a gate that is its own inverse for any parameters (which are
// passed through unchanged).
func self(name string) func([]float64) (string, []float64) {
	return func(p []float64) (string, []float64) { return name, append([]float64(nil), p...) }
}

// to names the inverse of a fixed gate.
func to(name string) func([]float64) (string, []float64) {
	return func([]float64) (string, []float64) { return name, nil }
}

// with names a fixed gate's inverse that is a parameterised gate at the given
// parameters.
func with(name string, q ...float64) func([]float64) (string, []float64) {
	return func([]float64) (string, []float64) { return name, append([]float64(nil), q...) }
}

func negated(name string) func([]float64) (string, []float64) {
	return func(p []float64) (string, []float64) {
		q := make([]float64, len(p))
		for i, v := range p {
			q[i] = -v
		}
		return name, q
	}
}

func expi(t float64) complex128 { return cmplx.Exp(complex(0, t)) }

// u3Matrix is the OpenQASM 2 U(θ,φ,λ) = Rz(φ)Ry(θ)Rz(λ) up to the global phase
// fixed by the specification: [[cos θ/2, −e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]].
func u3Matrix(theta, phi, lambda float64) Matrix {
	c, s := math.Cos(theta/2), math.Sin(theta/2)
	return Matrix{
		complex(c, 0), -expi(lambda) * complex(s, 0),
		expi(phi) * complex(s, 0), expi(phi+lambda) * complex(c, 0),
	}
}

// u3Inverse: U(θ,φ,λ)† = U(−θ,−λ,−φ) exactly; extra parameters (cu's γ)
// are negated.
func u3Inverse(name string) func([]float64) (string, []float64) {
	return func(p []float64) (string, []float64) {
		q := []float64{-p[0], -p[2], -p[1]}
		for _, v := range p[3:] {
			q = append(q, -v)
		}
		return name, q
	}
}

// phaseMatrix is diag(1, e^{iλ}).
func phaseMatrix(lambda float64) Matrix { return Matrix{1, 0, 0, expi(lambda)} }

// controlled returns the matrix of a gate controlled by the first nc
// arguments (all must be 1) acting with u on the remaining arguments.
func controlled(nc int, u Matrix) Matrix {
	nt := 0
	for 1<<nt < u.Dim() {
		nt++
	}
	n := nc + nt
	d := 1 << n
	out := identity(d)
	mask := 1<<nc - 1
	for r := 0; r < d; r++ {
		if r&mask != mask {
			continue
		}
		for c := 0; c < d; c++ {
			if c&mask != mask {
				continue
			}
			out[r*d+c] = u[(r>>nc)*u.Dim()+(c>>nc)]
		}
	}
	return out
}

// monomial returns the n-qubit identity with the columns listed in cols
// replaced: column c has the single entry v at row r, for each {c, r, v}.
func monomial(n int, cols ...entry) Matrix {
	d := 1 << n
	out := identity(d)
	for _, e := range cols {
		for r := 0; r < d; r++ {
			out[r*d+e.col] = 0
		}
	}
	for _, e := range cols {
		out[e.row*d+e.col] = e.v
	}
	return out
}

type entry struct {
	col, row int
	v        complex128
}

const invSqrt2 = 1 / math.Sqrt2

var (
	matI    = Matrix{1, 0, 0, 1}
	matX    = Matrix{0, 1, 1, 0}
	matY    = Matrix{0, -1i, 1i, 0}
	matZ    = Matrix{1, 0, 0, -1}
	matH    = Matrix{invSqrt2, invSqrt2, invSqrt2, -invSqrt2}
	matSX   = Matrix{complex(0.5, 0.5), complex(0.5, -0.5), complex(0.5, -0.5), complex(0.5, 0.5)}
	matSXdg = Adjoint(matSX)
	matSwap = Matrix{
		1, 0, 0, 0,
		0, 0, 1, 0,
		0, 1, 0, 0,
		0, 0, 0, 1,
	}
)

func rxMatrix(theta float64) Matrix {
	c, s := math.Cos(theta/2), math.Sin(theta/2)
	return Matrix{complex(c, 0), complex(0, -s), complex(0, -s), complex(c, 0)}
}

func ryMatrix(theta float64) Matrix {
	c, s := math.Cos(theta/2), math.Sin(theta/2)
	return Matrix{complex(c, 0), complex(-s, 0), complex(s, 0), complex(c, 0)}
}

func rzMatrix(phi float64) Matrix { return Matrix{expi(-phi / 2), 0, 0, expi(phi / 2)} }

// scale returns a·m.
func scale(a complex128, m Matrix) Matrix {
	out := make(Matrix, len(m))
	for i, v := range m {
		out[i] = a * v
	}
	return out
}
