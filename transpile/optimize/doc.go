// Package optimize holds the compiler's optimisation passes, which shrink a
// circuit without changing its unitary (up to global phase):
// CancelInverses removes adjacent gate/inverse pairs, Merge1Q fuses runs
// of one-qubit gates and re-synthesises them into the Target's basis,
// CommutationCancel cancels and merges gates across gates they commute
// with, and Resynth2Q re-synthesises two-qubit blocks by KAK when that
// needs fewer two-qubit gates.
//
// Every pass is deterministic, works with any Target basis, and never moves
// a gate across a measurement, reset, barrier or conditioned operation on
// the same qubits: conditioned gates, gates with unbound parameters and
// opaque gates are left as they are.
package optimize
