// Package circuit holds Qluster's circuit intermediate representation: quantum
// and classical registers over flat qubit and clbit indices, and a list of
// operations (gates with parameters, measure, reset, barrier), each optionally
// conditioned on a classical register's value.
//
// Front ends (package qasm) build circuits; engines (package sim and below)
// and the compiler consume them. A circuit never refers back to its source
// text except through the line/column recorded on each op for error messages.
//
// Bit order follows Qiskit (see DESIGN.md): qubit k contributes 2^k to a
// state-vector index, and a classical outcome is written with registers in
// reverse declaration order separated by spaces, each register's highest bit
// leftmost. Key formats outcomes that way.
package circuit
