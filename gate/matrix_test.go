package gate

import (
	"math"
	"testing"
)

func TestIdentity(t *testing.T) {
	tests := []struct {
		n    int
		want Matrix
	}{
		{0, Matrix{1}},
		{1, Matrix{1, 0, 0, 1}},
		{2, Matrix{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}},
	}
	for _, tt := range tests {
		t.Run(string(rune('0'+tt.n))+" qubits", func(t *testing.T) {
			if got := Identity(tt.n); !approxEqual(got, tt.want, 0) {
				t.Errorf("Identity(%d) = %v, want %v", tt.n, got, tt.want)
			}
		})
	}
}

func TestMul(t *testing.T) {
	tests := []struct {
		name string
		a, b Matrix
		want Matrix
	}{
		{"X·Z applies Z first", matX, matZ, Matrix{0, -1, 1, 0}},
		{"Z·X applies X first", matZ, matX, Matrix{0, 1, -1, 0}},
		{"H·H is identity", matH, matH, Identity(1)},
		{"SX·SX is X", matSX, matSX, matX},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mul(tt.a, tt.b); !approxEqual(got, tt.want, eps) {
				t.Errorf("Mul = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAdjoint(t *testing.T) {
	if got, want := Adjoint(Matrix{1, 2i, 3, 4 + 1i}), (Matrix{1, 3, -2i, 4 - 1i}); !approxEqual(got, want, 0) {
		t.Errorf("Adjoint = %v, want %v", got, want)
	}
}

func TestEqualUpToPhase(t *testing.T) {
	tests := []struct {
		name string
		a, b Matrix
		want bool
	}{
		{"same", matX, matX, true},
		{"times i", scale(1i, matX), matX, true},
		{"rz and u1 differ by e^{iλ/2}", rzMatrix(0.7), phaseMatrix(0.7), true},
		{"u2 and H", u3Matrix(math.Pi/2, 0, math.Pi), matH, true},
		{"X and Z", matX, matZ, false},
		{"relative phase", matZ, matI, false},
		{"scaled by 2", scale(2, matX), matX, false},
		{"different sizes", matX, Identity(2), false},
		{"zero against X", make(Matrix, 4), matX, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EqualUpToPhase(tt.a, tt.b, 1e-12); got != tt.want {
				t.Errorf("EqualUpToPhase(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestIsCliffordMatrix(t *testing.T) {
	tests := []struct {
		name string
		m    Matrix
		n    int
		want bool
	}{
		{"H", matH, 1, true},
		{"S", phaseMatrix(math.Pi / 2), 1, true},
		// T X T† = (X+Y)/√2 is a Hermitian monomial involution but no Pauli.
		{"T", phaseMatrix(math.Pi / 4), 1, false},
		{"sqrt(T)", phaseMatrix(math.Pi / 8), 1, false},
		{"CX", controlled(1, matX), 2, true},
		{"CS", controlled(1, phaseMatrix(math.Pi/2)), 2, false},
		{"iSWAP-like CZ·SWAP", Mul(controlled(1, matZ), matSwap), 2, true},
		{"CCX", controlled(2, matX), 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsCliffordMatrix(tt.m, tt.n); got != tt.want {
				t.Errorf("IsCliffordMatrix = %v, want %v", got, tt.want)
			}
		})
	}
}
