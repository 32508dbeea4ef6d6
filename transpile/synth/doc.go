// Package synth turns unitary matrices into short gate sequences: exact
// one-qubit synthesis (ZYZ Euler angles, U3 form, and emission into any
// device basis that can express an arbitrary one-qubit gate) and two-qubit
// synthesis by the KAK (Cartan) decomposition into at most three CX or CZ
// gates plus one-qubit gates.
//
// It is the numeric core under transpile/basis (basis translation) and
// transpile/optimize (1q merging and 2q block re-synthesis). Every function
// here works on gate.Matrix values in the gate table's little-endian order
// (argument 0 is the least significant bit) and returns ops on local
// qubits (0 for a one-qubit result; 0 and 1 for a two-qubit result).
package synth
