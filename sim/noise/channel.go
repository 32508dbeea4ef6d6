package noise

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"

	"github.com/qluster/qluster/gate"
)

// Channel is a completely positive map on Qubits qubits given by its Kraus
// operators: ρ ↦ Σ K ρ K†. Each operator is a 2^Qubits × 2^Qubits matrix in
// gate.Matrix's little-endian argument order (argument 0 is the least
// significant bit of the index).
type Channel struct {
	Qubits int
	Kraus  []gate.Matrix
}

// krausZero is the Frobenius norm² under which a Kraus operator is dropped
// as zero by the constructors and Compose.
const krausZero = 1e-30

// CheckCPTP returns an error unless the channel is well formed (every Kraus
// operator 2^Qubits square) and trace preserving: every entry of Σ K†K − I
// is at most eps in magnitude. Complete positivity holds for any Kraus form.
func (ch Channel) CheckCPTP(eps float64) error {
	if ch.Qubits < 1 {
		return fmt.Errorf("channel on %d qubits: need at least one", ch.Qubits)
	}
	if len(ch.Kraus) == 0 {
		return errors.New("channel has no Kraus operators")
	}
	d := 1 << ch.Qubits
	for i, k := range ch.Kraus {
		if len(k) != d*d {
			return fmt.Errorf("Kraus operator %d has %d entries, want %d for %d qubit(s)", i, len(k), d*d, ch.Qubits)
		}
	}
	sum := ch.effectSum()
	for r := 0; r < d; r++ {
		for c := 0; c < d; c++ {
			want := complex(0, 0)
			if r == c {
				want = 1
			}
			if dev := cmplx.Abs(sum[r*d+c] - want); dev > eps || math.IsNaN(dev) {
				return fmt.Errorf("channel is not trace preserving: (Σ K†K)[%d][%d] = %v, want %v (tolerance %g)",
					r, c, sum[r*d+c], want, eps)
			}
		}
	}
	return nil
}

// effectSum returns Σ K†K.
func (ch Channel) effectSum() gate.Matrix {
	d := 1 << ch.Qubits
	sum := make(gate.Matrix, d*d)
	for _, k := range ch.Kraus {
		for i, v := range gate.Mul(gate.Adjoint(k), k) {
			sum[i] += v
		}
	}
	return sum
}

// IsMixedUnitary reports whether every Kraus operator is a multiple of a
// unitary (K†K = p·I), so that the probability of each operator does not
// depend on the state: a depolarizing channel is, relaxation is not.
func (ch Channel) IsMixedUnitary(eps float64) bool {
	d := 1 << ch.Qubits
	for _, k := range ch.Kraus {
		e := gate.Mul(gate.Adjoint(k), k)
		p := real(e[0])
		for r := 0; r < d; r++ {
			for c := 0; c < d; c++ {
				want := complex(0, 0)
				if r == c {
					want = complex(p, 0)
				}
				if cmplx.Abs(e[r*d+c]-want) > eps {
					return false
				}
			}
		}
	}
	return true
}

// Identity returns the identity channel on n qubits.
func Identity(n int) Channel {
	return Channel{Qubits: n, Kraus: []gate.Matrix{gate.Identity(n)}}
}

// Unitary returns the channel ρ ↦ UρU† of an n-qubit unitary.
func Unitary(u gate.Matrix, n int) Channel {
	return Channel{Qubits: n, Kraus: []gate.Matrix{append(gate.Matrix(nil), u...)}}
}

// AmplitudeDamping returns the single-qubit amplitude-damping channel that
// takes |1⟩ to |0⟩ with probability gamma ∈ [0, 1]: Kraus operators
// [[1,0],[0,√(1−γ)]] and [[0,√γ],[0,0]].
func AmplitudeDamping(gamma float64) (Channel, error) {
	return GeneralizedAmplitudeDamping(gamma, 0)
}

// GeneralizedAmplitudeDamping returns the single-qubit channel that, with
// probability gamma ∈ [0, 1], replaces the qubit by the thermal state with
// excited population excitedPop ∈ [0, 1] (p(|1⟩) relaxes to excitedPop):
// Kraus operators √(1−p)·[[1,0],[0,√(1−γ)]], √(1−p)·[[0,√γ],[0,0]],
// √p·[[√(1−γ),0],[0,1]] and √p·[[0,0],[√γ,0]]. Zero operators are dropped.
func GeneralizedAmplitudeDamping(gamma, excitedPop float64) (Channel, error) {
	if !(gamma >= 0 && gamma <= 1) {
		return Channel{}, fmt.Errorf("amplitude damping: gamma %g outside [0, 1]", gamma)
	}
	if !(excitedPop >= 0 && excitedPop <= 1) {
		return Channel{}, fmt.Errorf("amplitude damping: excited population %g outside [0, 1]", excitedPop)
	}
	s0, s1 := complex(math.Sqrt(1-excitedPop), 0), complex(math.Sqrt(excitedPop), 0)
	g, h := complex(math.Sqrt(gamma), 0), complex(math.Sqrt(1-gamma), 0)
	return pruned(1, []gate.Matrix{
		{s0, 0, 0, s0 * h},
		{0, s0 * g, 0, 0},
		{s1 * h, 0, 0, s1},
		{0, 0, s1 * g, 0},
	}), nil
}

// PhaseDamping returns the single-qubit phase-damping channel with
// parameter lambda ∈ [0, 1]: populations are kept and the coherence ρ01 is
// multiplied by √(1−λ). Kraus operators [[1,0],[0,√(1−λ)]] and
// [[0,0],[0,√λ]].
func PhaseDamping(lambda float64) (Channel, error) {
	if !(lambda >= 0 && lambda <= 1) {
		return Channel{}, fmt.Errorf("phase damping: lambda %g outside [0, 1]", lambda)
	}
	return pruned(1, []gate.Matrix{
		{1, 0, 0, complex(math.Sqrt(1-lambda), 0)},
		{0, 0, 0, complex(math.Sqrt(lambda), 0)},
	}), nil
}

// ThermalRelaxation returns the single-qubit channel of relaxation and
// dephasing over time duration, with t1, t2 and duration in one unit (an
// infinite or zero t1 or t2 means no such decay; the Model passes µs):
//
//   - with probability p_reset = 1 − e^(−duration/t1) the qubit is replaced
//     by the thermal state whose |1⟩ population is excitedPop (a
//     generalized amplitude damping with γ = p_reset);
//   - then a phase damping with λ = 1 − e^(−duration·(2/t2 − 1/t1)) brings
//     the total decay of the coherence ρ01 to e^(−duration/t2), since the
//     damping alone already gives √(1−γ) = e^(−duration/(2·t1)).
//
// It fails unless t2 ≤ 2·t1 (the physical bound; with an infinite t1 any
// t2 is allowed), duration ≥ 0 and excitedPop ∈ [0, 1].
func ThermalRelaxation(t1, t2, duration, excitedPop float64) (Channel, error) {
	if !(duration >= 0) {
		return Channel{}, fmt.Errorf("thermal relaxation: duration %g must be non-negative", duration)
	}
	if math.IsNaN(t1) || math.IsNaN(t2) || t1 < 0 || t2 < 0 {
		return Channel{}, fmt.Errorf("thermal relaxation: T1 %g and T2 %g must be non-negative", t1, t2)
	}
	rate1, rate2 := rate(t1), rate(t2) // 1/T1, 1/T2 (0 for infinite)
	if rate2 < rate1/2*(1-1e-12) {
		return Channel{}, fmt.Errorf("thermal relaxation: T2 %g exceeds 2·T1 = %g", t2, 2*t1)
	}
	gamma := -math.Expm1(-duration * rate1)
	lambda := max(0, -math.Expm1(-duration*(2*rate2-rate1)))
	ad, err := GeneralizedAmplitudeDamping(gamma, excitedPop)
	if err != nil {
		return Channel{}, fmt.Errorf("thermal relaxation: %w", err)
	}
	pd, err := PhaseDamping(lambda)
	if err != nil {
		return Channel{}, fmt.Errorf("thermal relaxation: %w", err)
	}
	return Compose(ad, pd)
}

// rate returns 1/t, with 0 for an infinite or zero time (no decay).
func rate(t float64) float64 {
	if t == 0 || math.IsInf(t, 1) {
		return 0
	}
	return 1 / t
}

// Depolarizing returns the n-qubit depolarizing channel
// ρ ↦ (1−p)·ρ + p·Tr(ρ)·I/d with d = 2^n, Qiskit's parametrisation:
// p ∈ [0, 4^n/(4^n−1)] (the upper end is the uniform Pauli channel). Kraus
// operators: √(1 − p·(d²−1)/d²)·I and √(p/d²)·P for the d²−1 other Pauli
// strings P.
func Depolarizing(p float64, n int) (Channel, error) {
	if n < 1 || n > 6 {
		return Channel{}, fmt.Errorf("depolarizing: %d qubits outside [1, 6]", n)
	}
	d2 := float64(int(1) << (2 * n))
	if !(p >= 0 && p <= d2/(d2-1)*(1+1e-12)) {
		return Channel{}, fmt.Errorf("depolarizing: p %g outside [0, %g]", p, d2/(d2-1))
	}
	p = min(p, d2/(d2-1))
	id := math.Sqrt(max(0, 1-p*(d2-1)/d2))
	other := complex(math.Sqrt(p/d2), 0)
	var ks []gate.Matrix
	for s := 0; s < int(d2); s++ {
		m := pauliString(s, n)
		c := other
		if s == 0 {
			c = complex(id, 0)
		}
		for i := range m {
			m[i] *= c
		}
		ks = append(ks, m)
	}
	return pruned(n, ks), nil
}

// pauliString returns the Pauli string numbered s on n qubits: base-4
// digit k of s (0=I, 1=X, 2=Y, 3=Z) acts on argument k.
func pauliString(s, n int) gate.Matrix {
	paulis := [4]gate.Matrix{{1, 0, 0, 1}, {0, 1, 1, 0}, {0, -1i, 1i, 0}, {1, 0, 0, -1}}
	m := gate.Matrix{1}
	for k := 0; k < n; k++ {
		m = kron(paulis[s>>(2*k)&3], m)
	}
	return m
}

// Compose returns the channel that applies a, then b. Both must act on the
// same number of qubits. Its Kraus operators are the products B·A, zero
// ones dropped.
func Compose(a, b Channel) (Channel, error) {
	if a.Qubits != b.Qubits {
		return Channel{}, fmt.Errorf("compose: channels on %d and %d qubits", a.Qubits, b.Qubits)
	}
	var ks []gate.Matrix
	for _, kb := range b.Kraus {
		for _, ka := range a.Kraus {
			ks = append(ks, gate.Mul(kb, ka))
		}
	}
	return pruned(a.Qubits, ks), nil
}

// Tensor returns the channel on a.Qubits + b.Qubits qubits that applies a to
// the low arguments (0 … a.Qubits−1) and b to the next ones.
func Tensor(a, b Channel) Channel {
	var ks []gate.Matrix
	for _, kb := range b.Kraus {
		for _, ka := range a.Kraus {
			ks = append(ks, kron(kb, ka))
		}
	}
	return pruned(a.Qubits+b.Qubits, ks)
}

// AverageGateFidelity returns the average gate fidelity of the channel
// against the ideal unitary u (nil for the identity):
// F_avg = (Σ |Tr(U†K)|² + d) / (d² + d), where d = 2^Qubits.
func (ch Channel) AverageGateFidelity(u gate.Matrix) float64 {
	d := 1 << ch.Qubits
	var ud gate.Matrix
	if u != nil {
		ud = gate.Adjoint(u)
	}
	var s float64
	for _, k := range ch.Kraus {
		var tr complex128
		if ud == nil {
			for i := 0; i < d; i++ {
				tr += k[i*d+i]
			}
		} else {
			for i := 0; i < d; i++ {
				for j := 0; j < d; j++ {
					tr += ud[i*d+j] * k[j*d+i]
				}
			}
		}
		s += real(tr)*real(tr) + imag(tr)*imag(tr)
	}
	fd := float64(d)
	return (s + fd) / (fd*fd + fd)
}

// pruned returns the channel with Kraus operators ks, zero ones dropped
// (keeping at least one).
func pruned(n int, ks []gate.Matrix) Channel {
	out := ks[:0:0]
	for _, k := range ks {
		var f float64
		for _, v := range k {
			f += real(v)*real(v) + imag(v)*imag(v)
		}
		if f > krausZero {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		out = append(out, make(gate.Matrix, len(ks[0])))
	}
	return Channel{Qubits: n, Kraus: out}
}

// kron returns a ⊗ b: a acts on the high bits of the index, b on the low.
func kron(a, b gate.Matrix) gate.Matrix {
	da, db := a.Dim(), b.Dim()
	d := da * db
	out := make(gate.Matrix, d*d)
	for ra := 0; ra < da; ra++ {
		for ca := 0; ca < da; ca++ {
			x := a[ra*da+ca]
			if x == 0 {
				continue
			}
			for rb := 0; rb < db; rb++ {
				for cb := 0; cb < db; cb++ {
					out[(ra*db+rb)*d+ca*db+cb] = x * b[rb*db+cb]
				}
			}
		}
	}
	return out
}

// ReadoutError is a qubit's assignment error: P10 = p(read 1 | |0⟩), P01 =
// p(read 0 | |1⟩).
type ReadoutError struct {
	P10, P01 float64
}

// IsZero reports whether the readout is perfect.
func (r ReadoutError) IsZero() bool { return r.P10 == 0 && r.P01 == 0 }

// Prob returns p(read | actual) for bits read and actual (0 or 1).
func (r ReadoutError) Prob(read, actual int) float64 {
	flip := r.P10
	if actual == 1 {
		flip = r.P01
	}
	if read == actual {
		return 1 - flip
	}
	return flip
}

// Check returns an error unless both probabilities lie in [0, 1].
func (r ReadoutError) Check() error {
	if !(r.P10 >= 0 && r.P10 <= 1 && r.P01 >= 0 && r.P01 <= 1) {
		return fmt.Errorf("readout error p(1|0)=%g, p(0|1)=%g: probabilities must lie in [0, 1]", r.P10, r.P01)
	}
	return nil
}
