package gate

import "math"

// Single-qubit gates: the built-in U and the qelib1.inc/stdgates.inc
// one-qubit gates.

func init() {
	u3 := func(p []float64) Matrix { return u3Matrix(p[0], p[1], p[2]) }
	phase := func(p []float64) Matrix { return phaseMatrix(p[0]) }
	tpl := []string{"theta", "phi", "lambda"}

	register(&Gate{Name: "U", Qubits: 1, Params: tpl, QASM2: true, QASM3: true,
		matrix: u3, inverse: u3Inverse("U")})
	register(&Gate{Name: "u3", Qubits: 1, Params: tpl, QASM2: true, QASM3: true,
		matrix: u3, inverse: u3Inverse("u3")})
	register(&Gate{Name: "u", Qubits: 1, Params: tpl, QASM2: true,
		matrix: u3, inverse: u3Inverse("u")})
	register(&Gate{Name: "u2", Qubits: 1, Params: []string{"phi", "lambda"}, QASM2: true, QASM3: true,
		matrix: func(p []float64) Matrix { return u3Matrix(math.Pi/2, p[0], p[1]) },
		inverse: func(p []float64) (string, []float64) {
			return "u3", []float64{-math.Pi / 2, -p[1], -p[0]}
		}})
	register(&Gate{Name: "u1", Qubits: 1, Params: []string{"lambda"},
		Diagonal: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: phase, inverse: negated("u1")})
	register(&Gate{Name: "p", Aliases: []string{"phase"}, Qubits: 1, Params: []string{"lambda"},
		Diagonal: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: phase, inverse: negated("p")})
	register(&Gate{Name: "id", Qubits: 1, Clifford: true, Diagonal: true, Permutation: true,
		QASM2: true, QASM3: true, matrix: fixed(matI), inverse: to("id")})
	// u0(γ) is an idle of γ time units: the identity for every γ.
	register(&Gate{Name: "u0", Qubits: 1, Params: []string{"gamma"},
		Clifford: true, Diagonal: true, Permutation: true, QASM2: true,
		matrix: fixed(matI), inverse: self("u0")})

	register(&Gate{Name: "x", Qubits: 1, Clifford: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(matX), inverse: to("x")})
	register(&Gate{Name: "y", Qubits: 1, Clifford: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(matY), inverse: to("y")})
	register(&Gate{Name: "z", Qubits: 1, Clifford: true, Diagonal: true, Permutation: true,
		QASM2: true, QASM3: true, matrix: fixed(matZ), inverse: to("z")})
	register(&Gate{Name: "h", Qubits: 1, Clifford: true, QASM2: true, QASM3: true,
		matrix: fixed(matH), inverse: to("h")})
	register(&Gate{Name: "s", Qubits: 1, Clifford: true, Diagonal: true, Permutation: true,
		QASM2: true, QASM3: true, matrix: fixed(phaseMatrix(math.Pi / 2)), inverse: to("sdg")})
	register(&Gate{Name: "sdg", Qubits: 1, Clifford: true, Diagonal: true, Permutation: true,
		QASM2: true, QASM3: true, matrix: fixed(phaseMatrix(-math.Pi / 2)), inverse: to("s")})
	register(&Gate{Name: "t", Qubits: 1, Diagonal: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(phaseMatrix(math.Pi / 4)), inverse: to("tdg")})
	register(&Gate{Name: "tdg", Qubits: 1, Diagonal: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(phaseMatrix(-math.Pi / 4)), inverse: to("t")})
	register(&Gate{Name: "sx", Qubits: 1, Clifford: true, QASM2: true, QASM3: true,
		matrix: fixed(matSX), inverse: to("sxdg")})
	register(&Gate{Name: "sxdg", Qubits: 1, Clifford: true, QASM2: true,
		matrix: fixed(matSXdg), inverse: to("sx")})

	register(&Gate{Name: "rx", Qubits: 1, Params: []string{"theta"}, QASM2: true, QASM3: true,
		matrix: func(p []float64) Matrix { return rxMatrix(p[0]) }, inverse: negated("rx")})
	register(&Gate{Name: "ry", Qubits: 1, Params: []string{"theta"}, QASM2: true, QASM3: true,
		matrix: func(p []float64) Matrix { return ryMatrix(p[0]) }, inverse: negated("ry")})
	register(&Gate{Name: "rz", Qubits: 1, Params: []string{"phi"},
		Diagonal: true, Permutation: true, QASM2: true, QASM3: true,
		matrix: func(p []float64) Matrix { return rzMatrix(p[0]) }, inverse: negated("rz")})
}
