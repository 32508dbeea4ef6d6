package stabilizer

import (
	"fmt"
	"math/bits"
	"math/cmplx"

	"github.com/qluster/qluster/gate"
)

// maxGenericQubits is the widest gate the generic Clifford update accepts:
// its table has 4^k entries, each found by conjugating a 2^k×2^k matrix.
const maxGenericQubits = 4

// cliffTol is the tolerance for reading a conjugated Pauli off a matrix
// computed in floating point.
const cliffTol = 1e-6

// cliff is a k-qubit Clifford's action by conjugation on the local Pauli
// strings of its arguments. A local pattern p holds x_j at bit j and z_j at
// bit k+j for argument j (argument 0 is the matrix's least significant
// bit, as in gate.Matrix); U·σ(p)·U† = (−1)^flip[p] σ(img[p]).
type cliff struct {
	k    int
	img  []uint16
	flip []bool
	// outs[b] lists the patterns whose image has bit b set; signs lists the
	// patterns whose sign flips. Pattern 0 (the identity) is in neither.
	outs  [][]uint16
	signs []uint16
}

// pauliEntry returns ⟨c⊕x| σ(x, z) |c⟩ for the k-qubit Pauli string with
// X bits x and Z bits z: i^{|x∧z|}·(−1)^{|z∧c|}.
func pauliEntry(x, z, c int) complex128 {
	v := [4]complex128{1, 1i, -1, -1i}[bits.OnesCount(uint(x&z))%4]
	if bits.OnesCount(uint(z&c))%2 == 1 {
		v = -v
	}
	return v
}

// pauliMatrix returns the 2^k×2^k matrix of σ(x, z).
func pauliMatrix(k, x, z int) gate.Matrix {
	d := 1 << k
	m := make(gate.Matrix, d*d)
	for c := 0; c < d; c++ {
		m[(c^x)*d+c] = pauliEntry(x, z, c)
	}
	return m
}

// readPauli returns (x, z, negative) with m = ±σ(x, z), or ok false if m
// is not a signed Pauli string within cliffTol.
func readPauli(m gate.Matrix, k int) (x, z int, neg, ok bool) {
	d := 1 << k
	x = -1
	for r := 0; r < d; r++ {
		if cmplx.Abs(m[r*d]) > 0.5 {
			x = r
			break
		}
	}
	if x < 0 {
		return 0, 0, false, false
	}
	base := m[x*d]
	for j := 0; j < k; j++ {
		c := 1 << j
		if real(m[(c^x)*d+c]/base) < 0 {
			z |= c
		}
	}
	s := base / pauliEntry(x, z, 0)
	switch {
	case cmplx.Abs(s-1) < cliffTol:
	case cmplx.Abs(s+1) < cliffTol:
		neg = true
	default:
		return 0, 0, false, false
	}
	for c := 0; c < d; c++ {
		for r := 0; r < d; r++ {
			want := complex128(0)
			if r == c^x {
				want = pauliEntry(x, z, c)
				if neg {
					want = -want
				}
			}
			if cmplx.Abs(m[r*d+c]-want) > cliffTol {
				return 0, 0, false, false
			}
		}
	}
	return x, z, neg, true
}

// newCliff computes the conjugation table of the k-qubit unitary u, failing
// if u does not map every Pauli string to a signed Pauli string.
func newCliff(u gate.Matrix, k int) (*cliff, error) {
	if k > maxGenericQubits {
		return nil, fmt.Errorf("%d-qubit gates exceed the generic Clifford limit of %d qubits", k, maxGenericQubits)
	}
	if d := 1 << k; len(u) != d*d {
		return nil, fmt.Errorf("matrix of %d entries for a %d-qubit gate", len(u), k)
	}
	np := 1 << (2 * k)
	cl := &cliff{k: k, img: make([]uint16, np), flip: make([]bool, np), outs: make([][]uint16, 2*k)}
	ud := gate.Adjoint(u)
	mask := 1<<k - 1
	for p := 0; p < np; p++ {
		m := gate.Mul(gate.Mul(u, pauliMatrix(k, p&mask, p>>k)), ud)
		x, z, neg, ok := readPauli(m, k)
		if !ok {
			return nil, fmt.Errorf("not a Clifford operation")
		}
		img := x | z<<k
		cl.img[p], cl.flip[p] = uint16(img), neg
		for b := 0; b < 2*k; b++ {
			if img>>b&1 == 1 {
				cl.outs[b] = append(cl.outs[b], uint16(p))
			}
		}
		if neg {
			cl.signs = append(cl.signs, uint16(p))
		}
	}
	if cl.img[0] != 0 || cl.flip[0] {
		return nil, fmt.Errorf("conjugation does not fix the identity")
	}
	return cl, nil
}

// equal reports whether two tables describe the same Clifford (up to
// global phase).
func (cl *cliff) equal(o *cliff) bool {
	if cl.k != o.k {
		return false
	}
	for p := range cl.img {
		if cl.img[p] != o.img[p] || cl.flip[p] != o.flip[p] {
			return false
		}
	}
	return true
}

// applyCliff applies cl on qubits qs (argument order) to every row, one
// word of 64 rows at a time: it forms the 4^k minterm masks of the rows'
// local patterns and ORs together those whose image has each bit set.
func (t *tableau) applyCliff(cl *cliff, qs []int) {
	k := cl.k
	var minterm [1 << (2 * maxGenericQubits)]uint64
	var lit [2 * maxGenericQubits][]uint64
	for j, q := range qs {
		lit[j], lit[k+j] = t.col(q)
	}
	var out [2 * maxGenericQubits]uint64
	for i := 0; i < t.w; i++ {
		minterm[0] = ^uint64(0)
		for b := 0; b < 2*k; b++ {
			v := lit[b][i]
			h := 1 << b
			for p := 0; p < h; p++ {
				m := minterm[p]
				minterm[p] = m &^ v
				minterm[p|h] = m & v
			}
		}
		for b := 0; b < 2*k; b++ {
			var o uint64
			for _, p := range cl.outs[b] {
				o |= minterm[p]
			}
			out[b] = o
		}
		var s uint64
		for _, p := range cl.signs {
			s |= minterm[p]
		}
		t.r[i] ^= s
		for b := 0; b < 2*k; b++ {
			lit[b][i] = out[b]
		}
	}
}
