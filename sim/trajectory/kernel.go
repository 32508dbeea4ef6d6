package trajectory

import (
	"sort"

	"github.com/qluster/qluster/gate"
)

// layout holds the index arithmetic for k qubits of an n-qubit state:
// the offsets of the 2^k local basis states and the sorted positions for
// inserting zero bits into a group number.
type layout struct {
	dim    int
	offs   []int
	sorted []int
}

func newLayout(qubits []int) layout {
	d := 1 << len(qubits)
	l := layout{dim: d, offs: make([]int, d), sorted: append([]int(nil), qubits...)}
	sort.Ints(l.sorted)
	for j := range d {
		for i, q := range qubits {
			if j>>i&1 == 1 {
				l.offs[j] |= 1 << q
			}
		}
	}
	return l
}

// base returns the index of group g's local state 0.
func (l *layout) base(g int) int {
	for _, p := range l.sorted {
		g = g>>p<<(p+1) | g&(1<<p-1)
	}
	return g
}

// apply multiplies the amplitudes of psi on the layout's qubits by the
// dense matrix m (gate.Matrix order: argument i is qubits[i]), scaled by s.
// One- and two-qubit matrices with one non-zero entry per row (diagonal
// gates such as cz, Pauli errors) take a fast path.
func (l *layout) apply(psi []complex128, m gate.Matrix, s complex128, buf []complex128) {
	d := l.dim
	if s != 1 {
		scaled := make(gate.Matrix, len(m))
		for i, v := range m {
			scaled[i] = v * s
		}
		m = scaled
	}
	if d <= 4 {
		if perm, ph, ok := monomial(m, d); ok {
			l.applyMonomial(psi, perm, ph)
			return
		}
	}
	switch d {
	case 2:
		o := l.offs[1]
		m00, m01, m10, m11 := m[0], m[1], m[2], m[3]
		for hi := 0; hi < len(psi); hi += 2 * o {
			for i := hi; i < hi+o; i++ {
				a0, a1 := psi[i], psi[i+o]
				psi[i], psi[i+o] = m00*a0+m01*a1, m10*a0+m11*a1
			}
		}
		return
	case 4:
		o1, o2 := l.offs[1], l.offs[2]
		lo, hi := min(o1, o2), max(o1, o2)
		for i0 := 0; i0 < len(psi); i0 += 2 * hi {
			for i1 := i0; i1 < i0+hi; i1 += 2 * lo {
				for b := i1; b < i1+lo; b++ {
					a0, a1, a2, a3 := psi[b], psi[b+o1], psi[b+o2], psi[b+o1+o2]
					psi[b] = m[0]*a0 + m[1]*a1 + m[2]*a2 + m[3]*a3
					psi[b+o1] = m[4]*a0 + m[5]*a1 + m[6]*a2 + m[7]*a3
					psi[b+o2] = m[8]*a0 + m[9]*a1 + m[10]*a2 + m[11]*a3
					psi[b+o1+o2] = m[12]*a0 + m[13]*a1 + m[14]*a2 + m[15]*a3
				}
			}
		}
		return
	}
	groups := len(psi) / d
	for g := range groups {
		b := l.base(g)
		for j, o := range l.offs {
			buf[j] = psi[b+o]
		}
		for r := range d {
			var acc complex128
			row := m[r*d : (r+1)*d]
			for j, v := range row {
				acc += v * buf[j]
			}
			psi[b+l.offs[r]] = acc
		}
	}
}

// monomial reports whether m has exactly one non-zero entry per row, and
// returns its column perm[r] and value ph[r] (perm need not be a
// permutation: a projector followed by a rotation has a repeated column).
func monomial(m gate.Matrix, d int) (perm []int, ph []complex128, ok bool) {
	perm, ph = make([]int, d), make([]complex128, d)
	for r := range d {
		n := 0
		for c := range d {
			if v := m[r*d+c]; v != 0 {
				perm[r], ph[r] = c, v
				n++
			}
		}
		if n != 1 {
			return nil, nil, false
		}
	}
	return perm, ph, true
}

// applyMonomial applies a one- or two-qubit matrix given by perm and ph:
// new amplitude r = ph[r] · old amplitude perm[r]. A diagonal matrix only
// touches the rows whose entry is not 1.
func (l *layout) applyMonomial(psi []complex128, perm []int, ph []complex128) {
	diag := true
	for r, c := range perm {
		diag = diag && r == c
	}
	switch l.dim {
	case 2:
		o := l.offs[1]
		for hi := 0; hi < len(psi); hi += 2 * o {
			for i := hi; i < hi+o; i++ {
				if diag {
					if ph[0] != 1 {
						psi[i] *= ph[0]
					}
					if ph[1] != 1 {
						psi[i+o] *= ph[1]
					}
					continue
				}
				a := [2]complex128{psi[i], psi[i+o]}
				psi[i], psi[i+o] = ph[0]*a[perm[0]], ph[1]*a[perm[1]]
			}
		}
	case 4:
		o := l.offs
		lo, hi := min(o[1], o[2]), max(o[1], o[2])
		for i0 := 0; i0 < len(psi); i0 += 2 * hi {
			for i1 := i0; i1 < i0+hi; i1 += 2 * lo {
				for b := i1; b < i1+lo; b++ {
					if diag {
						for r := range 4 {
							if ph[r] != 1 {
								psi[b+o[r]] *= ph[r]
							}
						}
						continue
					}
					a := [4]complex128{psi[b], psi[b+o[1]], psi[b+o[2]], psi[b+o[3]]}
					for r := range 4 {
						psi[b+o[r]] = ph[r] * a[perm[r]]
					}
				}
			}
		}
	}
}

// reduced returns the reduced density matrix of psi on the layout's qubits,
// d×d row-major: ρ[a][b] = Σ ψ[rest|a]·conj(ψ[rest|b]).
func (l *layout) reduced(psi []complex128, rho gate.Matrix, buf []complex128) {
	d := l.dim
	clear(rho)
	if d == 2 {
		o := l.offs[1]
		var p0, p1 float64
		var c01 complex128
		for hi := 0; hi < len(psi); hi += 2 * o {
			for i := hi; i < hi+o; i++ {
				a0, a1 := psi[i], psi[i+o]
				p0 += real(a0)*real(a0) + imag(a0)*imag(a0)
				p1 += real(a1)*real(a1) + imag(a1)*imag(a1)
				c01 += a0 * complex(real(a1), -imag(a1))
			}
		}
		rho[0], rho[1], rho[2], rho[3] = complex(p0, 0), c01, complex(real(c01), -imag(c01)), complex(p1, 0)
		return
	}
	groups := len(psi) / d
	for g := range groups {
		b := l.base(g)
		for j, o := range l.offs {
			buf[j] = psi[b+o]
		}
		for a := range d {
			x := buf[a]
			if x == 0 {
				continue
			}
			for c := range d {
				y := buf[c]
				rho[a*d+c] += x * complex(real(y), -imag(y))
			}
		}
	}
}

// mul returns a·b for d×d matrices.
func mul(a, b gate.Matrix, d int) gate.Matrix {
	out := make(gate.Matrix, d*d)
	for i := range d {
		for k := range d {
			x := a[i*d+k]
			if x == 0 {
				continue
			}
			for j := range d {
				out[i*d+j] += x * b[k*d+j]
			}
		}
	}
	return out
}

// weight returns Re Tr(A ρ A†) = ‖Aψ‖² for the reduced state ρ.
func weight(a, rho gate.Matrix, d int) float64 {
	ar := mul(a, rho, d)
	var t float64
	for i := range d {
		for k := range d {
			x := a[i*d+k]
			t += real(ar[i*d+k] * complex(real(x), -imag(x)))
		}
	}
	return t
}
