package gate

import (
	"math"
	"math/cmplx"
)

// The table. Each entry is registered once at init; tests in this package
// check every matrix for unitarity, every inverse, every Clifford flag, and
// (in package qasm) every matrix against its qelib1.inc definition.

func fixed(m Matrix) func([]float64) Matrix { return func([]float64) Matrix { return m } }
func self(name string) func([]float64) (string, []float64) {
	return func([]float64) (string, []float64) { return name, nil }
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

// u3Inverse: U(θ,φ,λ)† = U(−θ,−λ,−φ).
func u3Inverse(name string) func([]float64) (string, []float64) {
	return func(p []float64) (string, []float64) { return name, []float64{-p[0], -p[2], -p[1]} }
}

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

var (
	matX = Matrix{0, 1, 1, 0}
	matH = Matrix{complex(1/math.Sqrt2, 0), complex(1/math.Sqrt2, 0), complex(1/math.Sqrt2, 0), complex(-1/math.Sqrt2, 0)}
)

func init() {
	register(&Gate{Name: "U", Qubits: 1, Params: []string{"theta", "phi", "lambda"}, QASM2: true, QASM3: true,
		matrix:  func(p []float64) Matrix { return u3Matrix(p[0], p[1], p[2]) },
		inverse: u3Inverse("U")})
	register(&Gate{Name: "CX", Qubits: 2, Clifford: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(controlled(1, matX)), inverse: self("CX")})
	register(&Gate{Name: "u3", Qubits: 1, Params: []string{"theta", "phi", "lambda"}, QASM2: true, QASM3: true,
		matrix:  func(p []float64) Matrix { return u3Matrix(p[0], p[1], p[2]) },
		inverse: u3Inverse("u3")})
	register(&Gate{Name: "x", Qubits: 1, Clifford: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(matX), inverse: self("x")})
	register(&Gate{Name: "h", Qubits: 1, Clifford: true, QASM2: true, QASM3: true,
		matrix: fixed(matH), inverse: self("h")})
	register(&Gate{Name: "cx", Qubits: 2, Clifford: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(controlled(1, matX)), inverse: self("cx")})
	register(&Gate{Name: "rz", Qubits: 1, Params: []string{"lambda"}, Diagonal: true, QASM2: true, QASM3: true,
		matrix:  func(p []float64) Matrix { return Matrix{expi(-p[0] / 2), 0, 0, expi(p[0] / 2)} },
		inverse: negated("rz")})
}
