// Package gate is the single source of truth for the quantum gates Qluster
// knows: every gate of OpenQASM 2's qelib1.inc (Qiskit's extended version)
// and the OpenQASM 3 stdgates.inc names, each with its arity, parameters,
// unitary matrix, inverse and Clifford flag. Qelib1Inc and StdgatesInc hold
// the two libraries' source text, with definitions that reproduce the table's
// matrices; ExtraInc defines the few table gates in neither library.
//
// Matrix convention: a gate acting on qubit arguments (a0, a1, …, a(n-1))
// has a 2^n×2^n matrix whose row/column index is Σ bit_k·2^k where bit_k is
// the state of argument a_k. Argument 0 is therefore the least significant
// bit, exactly as in Qiskit (so CX(control=a0, target=a1) maps |01⟩ ↔ |11⟩
// in Qiskit's little-endian labels and compares 1:1 with qiskit.quantum_info.Operator).
package gate

import (
	"fmt"
	"math"
	"math/bits"
	"math/cmplx"
	"sort"
	"strings"
)

// Matrix is a dense row-major square matrix of dimension 2^n for an n-qubit
// gate: element (r, c) is M[r*dim+c].
type Matrix []complex128

// Dim returns the matrix dimension (the square root of its length).
func (m Matrix) Dim() int {
	d := 1
	for d*d < len(m) {
		d <<= 1
	}
	return d
}

// At returns element (r, c).
func (m Matrix) At(r, c int) complex128 { return m[r*m.Dim()+c] }

// Gate describes one named gate. Gates are immutable and shared; look them up
// with Lookup.
type Gate struct {
	// Name is the canonical name: the qelib1.inc name (lower case), or "U"
	// and "CX" for the two built-ins of the OpenQASM 2 specification.
	Name string
	// Aliases are other names for the same gate (OpenQASM 3 stdgates.inc
	// spellings such as "phase" for p and "cphase" for cp).
	Aliases []string
	// Qubits is the number of qubit arguments.
	Qubits int
	// Params names the real parameters, in order (empty for fixed gates).
	Params []string
	// Clifford reports that the gate is a Clifford operation for every
	// parameter value. Parameterised gates that are Clifford only at special
	// angles report false here; use IsClifford for a given binding.
	Clifford bool
	// Diagonal reports that the matrix is diagonal for every parameter value.
	Diagonal bool
	// Permutation reports that the matrix has exactly one non-zero entry per
	// row and column (a permutation with phases) for every parameter value.
	Permutation bool
	// QASM2 and QASM3 report membership of qelib1.inc (Qiskit's extended
	// version, plus the built-ins U and CX) and of stdgates.inc.
	QASM2, QASM3 bool

	matrix  func(p []float64) Matrix
	inverse func(p []float64) (string, []float64)
}

// Matrix returns the gate's unitary for the given parameters. It panics if
// len(p) != len(g.Params): callers validate arity first.
func (g *Gate) Matrix(p []float64) Matrix {
	if len(p) != len(g.Params) {
		panic(fmt.Sprintf("gate %s: %d parameters, want %d", g.Name, len(p), len(g.Params)))
	}
	return g.matrix(p)
}

// Inverse returns the gate and parameters whose matrix is the inverse
// (adjoint) of g's matrix with parameters p.
func (g *Gate) Inverse(p []float64) (*Gate, []float64) {
	name, q := g.inverse(p)
	inv, ok := Lookup(name)
	if !ok {
		panic("gate: inverse of " + g.Name + " names unknown gate " + name)
	}
	return inv, q
}

// IsClifford reports whether g with parameters p is a Clifford operation: it
// maps every Pauli string to a Pauli string (up to sign) under conjugation.
// For parameterless gates it returns g.Clifford.
func (g *Gate) IsClifford(p []float64) bool {
	if g.Clifford || len(g.Params) == 0 {
		return g.Clifford
	}
	return IsCliffordMatrix(g.Matrix(p), g.Qubits)
}

var (
	table  []*Gate
	byName = map[string]*Gate{}
)

func register(g *Gate) {
	if g.inverse == nil {
		panic("gate: " + g.Name + " has no inverse")
	}
	table = append(table, g)
	for _, n := range append([]string{g.Name}, g.Aliases...) {
		if _, dup := byName[n]; dup {
			panic("gate: duplicate name " + n)
		}
		byName[n] = g
	}
}

// Lookup returns the gate with the given name or alias. Names are case
// sensitive, as in OpenQASM ("U" and "CX" are the spec built-ins, "u" and
// "cx" the library gates).
func Lookup(name string) (*Gate, bool) {
	g, ok := byName[name]
	return g, ok
}

// All returns every gate in the table, sorted by name.
func All() []*Gate {
	out := append([]*Gate(nil), table...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the sorted names of the gates for which keep returns true.
func Names(keep func(*Gate) bool) []string {
	var out []string
	for _, g := range table {
		if keep(g) {
			out = append(out, g.Name)
		}
	}
	sort.Strings(out)
	return out
}

// String returns the gate's name and signature, e.g. "cu3(theta,phi,lambda) 2q".
func (g *Gate) String() string {
	if len(g.Params) == 0 {
		return fmt.Sprintf("%s %dq", g.Name, g.Qubits)
	}
	return fmt.Sprintf("%s(%s) %dq", g.Name, strings.Join(g.Params, ","), g.Qubits)
}

// IsCliffordMatrix reports whether the n-qubit unitary m maps each
// single-qubit Pauli X_k and Z_k to ± a Pauli string under conjugation,
// which characterises the Clifford group (up to global phase).
func IsCliffordMatrix(m Matrix, n int) bool {
	for k := 0; k < n; k++ {
		for _, p := range []byte{'X', 'Z'} {
			c := conjugate(m, pauliOn(n, k, p))
			if !isSignedPauli(c, n) {
				return false
			}
		}
	}
	return true
}

// pauliOn is the n-qubit Pauli with p on qubit k and identity elsewhere.
func pauliOn(n, k int, p byte) Matrix {
	d := 1 << n
	out := make(Matrix, d*d)
	for c := 0; c < d; c++ {
		bit := (c >> k) & 1
		switch p {
		case 'X':
			out[(c^(1<<k))*d+c] = 1
		case 'Z':
			out[c*d+c] = complex(float64(1-2*bit), 0)
		}
	}
	return out
}

func mul(a, b Matrix) Matrix {
	d := a.Dim()
	out := make(Matrix, d*d)
	for i := 0; i < d; i++ {
		for k := 0; k < d; k++ {
			if a[i*d+k] == 0 {
				continue
			}
			for j := 0; j < d; j++ {
				out[i*d+j] += a[i*d+k] * b[k*d+j]
			}
		}
	}
	return out
}

// Adjoint returns the conjugate transpose of m.
func Adjoint(m Matrix) Matrix {
	d := m.Dim()
	out := make(Matrix, d*d)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			out[j*d+i] = cmplx.Conj(m[i*d+j])
		}
	}
	return out
}

func conjugate(u, p Matrix) Matrix { return mul(mul(u, p), Adjoint(u)) }

// isSignedPauli reports whether m equals ±P for some n-qubit Pauli string P
// (phases ±i allowed where P contains Y factors written as iXZ).
func isSignedPauli(m Matrix, n int) bool {
	const eps = 1e-9
	d := 1 << n
	// A Pauli string is a monomial matrix whose non-zero entries have
	// modulus 1 and whose support is c -> c^x for a fixed x.
	var x = -1
	for c := 0; c < d; c++ {
		for r := 0; r < d; r++ {
			v := m[r*d+c]
			if cmplx.Abs(v) < eps {
				continue
			}
			if math.Abs(cmplx.Abs(v)-1) > eps {
				return false
			}
			if x == -1 {
				x = r ^ c
			} else if r^c != x {
				return false
			}
		}
	}
	if x == -1 {
		return false
	}
	// A Pauli string λ·X^x·Z^z has m[c^x][c] = λ·(−1)^{popcount(z&c)}: the
	// ratio to column 0 is a ±1 character of c. Read z off the unit columns
	// and check every column against it.
	lambda := m[x*d]
	z := 0
	for k := 0; 1<<k < d; k++ {
		if real(m[((1<<k)^x)*d+1<<k]/lambda) < 0 {
			z |= 1 << k
		}
	}
	for c := 0; c < d; c++ {
		sign := complex(float64(1-2*(bits.OnesCount(uint(z&c))&1)), 0)
		if cmplx.Abs(m[(c^x)*d+c]-sign*lambda) > eps {
			return false
		}
	}
	// Hermitian with square identity distinguishes ±P from other phases.
	return approxEqual(mul(m, m), identity(d), eps) && approxEqual(m, Adjoint(m), eps)
}

func identity(d int) Matrix {
	out := make(Matrix, d*d)
	for i := 0; i < d; i++ {
		out[i*d+i] = 1
	}
	return out
}

func approxEqual(a, b Matrix, eps float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if cmplx.Abs(a[i]-b[i]) > eps {
			return false
		}
	}
	return true
}
