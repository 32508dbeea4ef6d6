// Package trajectory is the Monte Carlo noisy simulator for circuits too
// wide for a density matrix: each shot follows its own state vector of the
// circuit's qubits and, after each gate, picks one Kraus operator K of each
// noise channel with probability ‖Kψ‖² and renormalises, so that averaged
// over shots the states reproduce the density matrix of sim/densitymat.
//
// Channels are sampled in the cheapest exact form: mixed-unitary channels
// (depolarizing) and relaxation with T2 ≤ T1 (written as identity, Z or
// reset with fixed probabilities) need no look at the state; other channels
// (relaxation with T2 > T1) take their probabilities from the reduced
// density matrix of their qubits. Measurements that nothing later depends
// on are sampled from the final state; others collapse it. Readout errors
// flip the recorded bits.
//
// Shot branching: shots start as one group on one state and split only
// where they draw different outcomes (a noise event, a measurement, a
// condition), so the common history — most shots see no error in most
// gates — is simulated once; single-qubit matrices wait per qubit and are
// folded into the next two-qubit gate. Each shot draws from its own PCG
// stream seeded with (Options.Seed, shot index), one number per random
// element in program order, so counts depend neither on the worker count
// nor on the memory limit (which caps the live states; shots that cannot
// get a state are replayed from the start). The engine gives counts only:
// exact probabilities need sim/densitymat.
package trajectory
