// Package densitymat is the exact noisy simulator: it evolves the density
// matrix ρ of the circuit's qubits (4^n complex128 entries, so about a
// dozen qubits) through gates and the noise channels of a noise.Model.
//
// ρ is stored as a vector of 2n qubits, row index in the low n bits and
// column index in the high n bits. A gate U on qubits Q is the map
// ρ ↦ UρU†, applied by index arithmetic as one dense kernel on the bits Q
// (rows) and Q+n (columns) — the superoperator conj(U)⊗U of 4^k × 4^k for a
// k-qubit gate, fused with the gate's noise channels (Σ conj(K)⊗K) into one
// pass. Only the circuit's qubits are simulated: Options.PhysicalQubits
// says which device qubit (and so which calibration) each one is.
//
// Measurements that nothing later depends on are read at the end from the
// diagonal of ρ. Other measurements split ρ into classical branches (one
// unnormalised ρ per value of the clbits, merged when equal), so that
// conditions act per branch; readout errors mix the branches of the two
// outcomes, and resets are the channel {|0⟩⟨0|, |0⟩⟨1|}. Shots are drawn
// from the exact final distribution; when the branches exceed
// Options.MaxBranches (or memory) and no probabilities are asked for, each
// shot is sampled on its own density matrix instead.
//
// With a nil model the engine is an ideal simulator that passes
// sim/simtest; its Statevector (which ρ cannot give, having no global
// phase) comes from sim/statevec.
package densitymat
