package gate

import "math"

// Two-qubit gates. Controlled gates take the control as argument 0.

func init() {
	cx := controlled(1, matX)
	register(&Gate{Name: "CX", Qubits: 2, Clifford: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(cx), inverse: to("CX")})
	register(&Gate{Name: "cx", Qubits: 2, Clifford: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(cx), inverse: to("cx")})
	register(&Gate{Name: "cz", Qubits: 2, Clifford: true, Diagonal: true, Permutation: true,
		QASM2: true, QASM3: true, matrix: fixed(controlled(1, matZ)), inverse: to("cz")})
	register(&Gate{Name: "cy", Qubits: 2, Clifford: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(controlled(1, matY)), inverse: to("cy")})
	register(&Gate{Name: "swap", Qubits: 2, Clifford: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(matSwap), inverse: to("swap")})
	register(&Gate{Name: "ch", Qubits: 2, QASM2: true, QASM3: true,
		matrix: fixed(controlled(1, matH)), inverse: to("ch")})
	// csx† is controlled-(e^{-iπ/4} Rx(−π/2)) = cu(−π/2, −π/2, π/2, −π/4).
	register(&Gate{Name: "csx", Qubits: 2, QASM2: true,
		matrix:  fixed(controlled(1, matSX)),
		inverse: with("cu", -math.Pi/2, -math.Pi/2, math.Pi/2, -math.Pi/4)})

	lam := []string{"lambda"}
	register(&Gate{Name: "crx", Qubits: 2, Params: lam, QASM2: true, QASM3: true,
		matrix:  func(p []float64) Matrix { return controlled(1, rxMatrix(p[0])) },
		inverse: negated("crx")})
	register(&Gate{Name: "cry", Qubits: 2, Params: lam, QASM2: true, QASM3: true,
		matrix:  func(p []float64) Matrix { return controlled(1, ryMatrix(p[0])) },
		inverse: negated("cry")})
	register(&Gate{Name: "crz", Qubits: 2, Params: lam, Diagonal: true, Permutation: true,
		QASM2: true, QASM3: true,
		matrix:  func(p []float64) Matrix { return controlled(1, rzMatrix(p[0])) },
		inverse: negated("crz")})
	cphase := func(p []float64) Matrix { return controlled(1, phaseMatrix(p[0])) }
	register(&Gate{Name: "cu1", Qubits: 2, Params: lam, Diagonal: true, Permutation: true, QASM2: true,
		matrix: cphase, inverse: negated("cu1")})
	register(&Gate{Name: "cp", Aliases: []string{"cphase"}, Qubits: 2, Params: lam,
		Diagonal: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: cphase, inverse: negated("cp")})
	register(&Gate{Name: "cu3", Qubits: 2, Params: []string{"theta", "phi", "lambda"}, QASM2: true,
		matrix:  func(p []float64) Matrix { return controlled(1, u3Matrix(p[0], p[1], p[2])) },
		inverse: u3Inverse("cu3")})
	// cu is controlled-(e^{iγ} U(θ,φ,λ)), as Qiskit's CUGate.
	register(&Gate{Name: "cu", Qubits: 2, Params: []string{"theta", "phi", "lambda", "gamma"},
		QASM2: true, QASM3: true,
		matrix: func(p []float64) Matrix {
			return controlled(1, scale(expi(p[3]), u3Matrix(p[0], p[1], p[2])))
		},
		inverse: u3Inverse("cu")})

	// rxx(θ) = exp(−iθ/2 X⊗X), rzz(θ) = exp(−iθ/2 Z⊗Z).
	register(&Gate{Name: "rxx", Qubits: 2, Params: []string{"theta"}, QASM2: true,
		matrix: func(p []float64) Matrix {
			c, s := complex(math.Cos(p[0]/2), 0), complex(0, -math.Sin(p[0]/2))
			return Matrix{
				c, 0, 0, s,
				0, c, s, 0,
				0, s, c, 0,
				s, 0, 0, c,
			}
		},
		inverse: negated("rxx")})
	register(&Gate{Name: "rzz", Qubits: 2, Params: []string{"theta"}, Diagonal: true, Permutation: true,
		QASM2: true,
		matrix: func(p []float64) Matrix {
			e, o := expi(-p[0]/2), expi(p[0]/2)
			return Matrix{
				e, 0, 0, 0,
				0, o, 0, 0,
				0, 0, o, 0,
				0, 0, 0, e,
			}
		},
		inverse: negated("rzz")})
}
