// Package qasm reads OpenQASM 2.0 programs into circuit.Circuit values and
// writes circuits back as OpenQASM 2.0 text.
//
// It sits at the front of Qluster's data flow: the HTTP API, the CLI and the
// SDK hand it user text, and everything downstream (scheduler, compiler,
// engines) sees only the resulting circuit. The input may be hostile, so the
// reader is a hand-written lexer and recursive-descent parser with explicit
// bounds on every resource: operations produced by gate expansion
// (Options.MaxOps), gate nesting (Options.MaxDepth), declared qubits and
// clbits, expression nesting and include depth. Every rejection is an *Error
// carrying file, line and column.
//
// Gates declared by the built-in qelib1.inc map directly to entries of the
// gate table (package gate); U and CX are always available. Gates defined in
// the program are expanded at parse time into table gates with numeric
// parameters, and opaque gates become operations with a nil Gate.
//
// The language is that of Cross, Bishop, Smolin and Gambetta, "Open Quantum
// Assembly Language" (2017), with the operator precedence Qiskit uses:
// ^ is right-associative and binds tighter than unary minus, so -pi^2 is
// -(pi^2) and 2^-1 is 0.5.
package qasm
