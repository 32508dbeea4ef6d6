package unroll

import (
	"math"
	"math/bits"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
)

// builtins are expansions shorter than the library bodies: multi-controlled
// X and √X as a Hadamard-conjugated multi-controlled phase (c3x: 14 CX
// instead of 20; c4x: 30 instead of 64; c3sqrtx: 14 instead of 20).
var builtins = map[string]func() []circuit.Op{
	"c3x":       func() []circuit.Op { return conjugateTarget(4, mcPhase(4, math.Pi)) },
	"c4x":       func() []circuit.Op { return conjugateTarget(5, mcPhase(5, math.Pi)) },
	"c3sqrtx":   func() []circuit.Op { return conjugateTarget(4, mcPhase(4, math.Pi/2)) },
	"c3sqrtxdg": func() []circuit.Op { return conjugateTarget(4, mcPhase(4, -math.Pi/2)) },
}

func tableOp(name string, qubits []int, params ...float64) circuit.Op {
	g, ok := gate.Lookup(name)
	if !ok {
		panic("unroll: no gate " + name)
	}
	ps := make([]circuit.Param, len(params))
	for i, v := range params {
		ps[i] = circuit.Const(v)
	}
	return circuit.Op{Kind: circuit.GateOp, Gate: g, Name: name, Params: ps, Qubits: qubits}
}

// conjugateTarget wraps ops in H on the last of n qubits: a controlled
// phase becomes a controlled X-type gate (H·diag(1, e^{iφ})·H; φ = π gives
// X, φ = π/2 gives √X).
func conjugateTarget(n int, ops []circuit.Op) []circuit.Op {
	out := []circuit.Op{tableOp("h", []int{n - 1})}
	out = append(out, ops...)
	return append(out, tableOp("h", []int{n - 1}))
}

// mcPhase returns a circuit for the n-qubit gate diag(…, e^{iφ}) that
// applies phase φ when every qubit is 1. It uses the identity
//
//	x₀x₁…x_{n−1} = 2^{1−n} · Σ_{S≠∅} (−1)^{|S|−1} · ⊕_{i∈S} x_i
//
// and produces every parity S whose highest qubit is j on qubit j by
// walking a cyclic Gray code over the lower qubits, one CX per step and a
// P(±φ/2^{n−1}) after each: 2^j CX for qubit j, 2^n − 2 in all.
func mcPhase(n int, phi float64) []circuit.Op {
	theta := phi / float64(int(1)<<(n-1))
	sign := func(s int) float64 {
		if bits.OnesCount(uint(s))%2 == 1 {
			return 1
		}
		return -1
	}
	ops := []circuit.Op{tableOp("p", []int{0}, theta)}
	for j := 1; j < n; j++ {
		prev := 0
		for i := 0; i < 1<<j; i++ {
			g := i ^ (i >> 1)
			if d := g ^ prev; d != 0 {
				ops = append(ops, tableOp("cx", []int{bits.TrailingZeros(uint(d)), j}))
			}
			prev = g
			ops = append(ops, tableOp("p", []int{j}, sign(g|1<<j)*theta))
		}
		ops = append(ops, tableOp("cx", []int{bits.TrailingZeros(uint(prev)), j}))
	}
	return ops
}
