package synth

import (
	"math"
	"math/cmplx"
	"math/rand/v2"

	"github.com/qluster/qluster/gate"
)

// kron returns a⊗b for 2×2 matrices: a acts on qubit 1 (the most
// significant bit), b on qubit 0.
func kron(a, b gate.Matrix) gate.Matrix {
	out := make(gate.Matrix, 16)
	for i1 := 0; i1 < 2; i1++ {
		for j1 := 0; j1 < 2; j1++ {
			for i0 := 0; i0 < 2; i0++ {
				for j0 := 0; j0 < 2; j0++ {
					out[(i1*2+i0)*4+j1*2+j0] = a[i1*2+j1] * b[i0*2+j0]
				}
			}
		}
	}
	return out
}

// on returns the 4×4 matrix of the 2×2 matrix g acting on local qubit q.
func on(q int, g gate.Matrix) gate.Matrix {
	if q == 0 {
		return kron(gate.Identity(1), g)
	}
	return kron(g, gate.Identity(1))
}

// cxMatrix is CX with the given local control and target.
func cxMatrix(c, t int) gate.Matrix {
	out := make(gate.Matrix, 16)
	for i := 0; i < 4; i++ {
		j := i
		if (i>>c)&1 == 1 {
			j = i ^ (1 << t)
		}
		out[j*4+i] = 1
	}
	return out
}

// mulAll returns ms[0]·ms[1]·…·ms[n-1].
func mulAll(ms ...gate.Matrix) gate.Matrix {
	out := ms[0]
	for _, m := range ms[1:] {
		out = gate.Mul(out, m)
	}
	return out
}

func scaled(s complex128, m gate.Matrix) gate.Matrix {
	out := make(gate.Matrix, len(m))
	for i, v := range m {
		out[i] = s * v
	}
	return out
}

func transpose(m gate.Matrix) gate.Matrix {
	d := m.Dim()
	out := make(gate.Matrix, len(m))
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			out[j*d+i] = m[i*d+j]
		}
	}
	return out
}

// det4 returns the determinant of a 4×4 matrix by Laplace expansion over
// 2×2 minors.
func det4(m gate.Matrix) complex128 {
	a := func(r, c int) complex128 { return m[r*4+c] }
	s0 := a(0, 0)*a(1, 1) - a(1, 0)*a(0, 1)
	s1 := a(0, 0)*a(1, 2) - a(1, 0)*a(0, 2)
	s2 := a(0, 0)*a(1, 3) - a(1, 0)*a(0, 3)
	s3 := a(0, 1)*a(1, 2) - a(1, 1)*a(0, 2)
	s4 := a(0, 1)*a(1, 3) - a(1, 1)*a(0, 3)
	s5 := a(0, 2)*a(1, 3) - a(1, 2)*a(0, 3)
	c5 := a(2, 2)*a(3, 3) - a(3, 2)*a(2, 3)
	c4 := a(2, 1)*a(3, 3) - a(3, 1)*a(2, 3)
	c3 := a(2, 1)*a(3, 2) - a(3, 1)*a(2, 2)
	c2 := a(2, 0)*a(3, 3) - a(3, 0)*a(2, 3)
	c1 := a(2, 0)*a(3, 2) - a(3, 0)*a(2, 2)
	c0 := a(2, 0)*a(3, 1) - a(3, 0)*a(2, 1)
	return s0*c5 - s1*c4 + s2*c3 + s3*c2 - s4*c1 + s5*c0
}

// phaseBetween returns φ such that a ≈ e^{iφ}·b, the phase of tr(b†a).
func phaseBetween(a, b gate.Matrix) float64 {
	var s complex128
	for i := range a {
		s += cmplx.Conj(b[i]) * a[i]
	}
	return cmplx.Phase(s)
}

// jacobiEigen diagonalises the real symmetric n×n matrix a (row-major) by
// cyclic Jacobi rotations. It returns the eigenvalues and the orthogonal
// matrix whose columns are the eigenvectors.
func jacobiEigen(a []float64, n int) ([]float64, []float64) {
	a = append([]float64(nil), a...)
	v := make([]float64, n*n)
	for i := 0; i < n; i++ {
		v[i*n+i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		off := 0.0
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				off += a[p*n+q] * a[p*n+q]
			}
		}
		if off < 1e-300 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				apq := a[p*n+q]
				if apq == 0 {
					continue
				}
				theta := (a[q*n+q] - a[p*n+p]) / (2 * apq)
				t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < n; k++ {
					akp, akq := a[k*n+p], a[k*n+q]
					a[k*n+p] = c*akp - s*akq
					a[k*n+q] = s*akp + c*akq
				}
				for k := 0; k < n; k++ {
					apk, aqk := a[p*n+k], a[q*n+k]
					a[p*n+k] = c*apk - s*aqk
					a[q*n+k] = s*apk + c*aqk
				}
				for k := 0; k < n; k++ {
					vkp, vkq := v[k*n+p], v[k*n+q]
					v[k*n+p] = c*vkp - s*vkq
					v[k*n+q] = s*vkp + c*vkq
				}
			}
		}
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = a[i*n+i]
	}
	return w, v
}

// HaarUnitary returns a Haar-random unitary of dimension dim: the Q factor
// of the QR decomposition (modified Gram–Schmidt) of a matrix of complex
// Gaussians, with the phases of R's diagonal moved into Q so that the
// distribution is exactly Haar.
func HaarUnitary(r *rand.Rand, dim int) gate.Matrix {
	cols := make([][]complex128, dim)
	for j := range cols {
		cols[j] = make([]complex128, dim)
		for i := range cols[j] {
			cols[j][i] = complex(r.NormFloat64(), r.NormFloat64())
		}
	}
	for j := 0; j < dim; j++ {
		for k := 0; k < j; k++ {
			var dot complex128
			for i := 0; i < dim; i++ {
				dot += cmplx.Conj(cols[k][i]) * cols[j][i]
			}
			for i := 0; i < dim; i++ {
				cols[j][i] -= dot * cols[k][i]
			}
		}
		var norm float64
		for i := 0; i < dim; i++ {
			norm += real(cols[j][i])*real(cols[j][i]) + imag(cols[j][i])*imag(cols[j][i])
		}
		// Gram–Schmidt divides by R's positive real diagonal, which is the
		// Haar-correct phase convention.
		n := complex(math.Sqrt(norm), 0)
		for i := 0; i < dim; i++ {
			cols[j][i] /= n
		}
	}
	out := make(gate.Matrix, dim*dim)
	for i := 0; i < dim; i++ {
		for j := 0; j < dim; j++ {
			out[i*dim+j] = cols[j][i]
		}
	}
	return out
}
