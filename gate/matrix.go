package gate

import "math/cmplx"

// Identity returns the identity matrix of an n-qubit gate (dimension 2^n).
func Identity(n int) Matrix { return identity(1 << n) }

// Mul returns the matrix product a·b (apply b first, then a). It panics if
// the dimensions differ.
func Mul(a, b Matrix) Matrix {
	if len(a) != len(b) {
		panic("gate: Mul of matrices with different dimensions")
	}
	return mul(a, b)
}

// EqualUpToPhase reports whether a = e^{iφ}·b for some real φ, comparing
// entry by entry with tolerance eps after removing the phase. Matrices of
// different sizes are never equal.
func EqualUpToPhase(a, b Matrix, eps float64) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	k := 0
	for i, v := range b {
		if cmplx.Abs(v) > cmplx.Abs(b[k]) {
			k = i
		}
	}
	if cmplx.Abs(b[k]) < eps {
		return approxEqual(a, b, eps)
	}
	ph := a[k] / b[k]
	ph /= complex(cmplx.Abs(ph), 0)
	if cmplx.IsNaN(ph) || cmplx.IsInf(ph) {
		return false
	}
	return approxEqual(a, scale(ph, b), eps)
}
