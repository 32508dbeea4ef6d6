package gate

// Gates on three or more qubits. Controls come first; the target is the last
// argument.

func init() {
	register(&Gate{Name: "ccx", Qubits: 3, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(controlled(2, matX)), inverse: to("ccx")})
	register(&Gate{Name: "cswap", Qubits: 3, Permutation: true, QASM2: true, QASM3: true,
		matrix: fixed(controlled(1, matSwap)), inverse: to("cswap")})
	register(&Gate{Name: "c3x", Qubits: 4, Permutation: true, QASM2: true,
		matrix: fixed(controlled(3, matX)), inverse: to("c3x")})
	register(&Gate{Name: "c4x", Qubits: 5, Permutation: true, QASM2: true,
		matrix: fixed(controlled(4, matX)), inverse: to("c4x")})
	register(&Gate{Name: "c3sqrtx", Qubits: 4, QASM2: true,
		matrix: fixed(controlled(3, matSX)), inverse: to("c3sqrtxdg")})

	// The relative-phase Toffolis agree with Toffoli (resp. C3X) up to
	// phases on states where the controls are not all 1.
	register(&Gate{Name: "rccx", Qubits: 3, Permutation: true, QASM2: true,
		matrix: fixed(monomial(3,
			entry{col: 3, row: 7, v: 1i},
			entry{col: 7, row: 3, v: -1i},
			entry{col: 5, row: 5, v: -1})),
		inverse: to("rccx")})
	register(&Gate{Name: "rc3x", Qubits: 4, Permutation: true, QASM2: true,
		matrix: fixed(monomial(4,
			entry{col: 3, row: 3, v: 1i},
			entry{col: 7, row: 15, v: -1},
			entry{col: 11, row: 11, v: -1i},
			entry{col: 15, row: 7, v: 1})),
		inverse: to("rc3xdg")})

	// Inverses that no library gate expresses; defined in extra.inc.
	register(&Gate{Name: "rc3xdg", Qubits: 4, Permutation: true,
		matrix: fixed(monomial(4,
			entry{col: 3, row: 3, v: -1i},
			entry{col: 7, row: 15, v: 1},
			entry{col: 11, row: 11, v: 1i},
			entry{col: 15, row: 7, v: -1})),
		inverse: to("rc3x")})
	register(&Gate{Name: "c3sqrtxdg", Qubits: 4,
		matrix: fixed(controlled(3, matSXdg)), inverse: to("c3sqrtx")})
}
