// Package statevec is Qluster's dense state-vector engine: a complex128
// amplitude for each of the 2^n basis states, updated gate by gate.
//
// The engine sits below package sim's Engine interface: a worker (or
// `qluster run`) hands it a bound circuit and options and gets back counts,
// exact probabilities and, on request, the final amplitudes.
//
// Each gate's matrix is inspected once before the run (see plan.go): qubits on
// which the gate acts as a control are found from the matrix itself (identity
// where that qubit is 0), and the remaining target block is applied by the
// cheapest exact kernel: a phase multiply for a diagonal block, a
// permutation with phases for a monomial block, or a dense 2×2, 4×4 or
// 2^k×2^k product. Only amplitudes whose control qubits are 1 are touched.
// From ParallelQubits qubits on, kernels split the index space across
// goroutines; every amplitude sees the same floating-point operations
// whatever the worker count, so results are bit-identical for 1 and N
// workers, and reductions (measurement probabilities) use fixed blocks for
// the same reason.
//
// Circuits whose measurements are all terminal are evolved once and sampled
// from the final distribution. Circuits with mid-circuit measurement, reset
// or conditions get their exact classical distribution by branch enumeration
// (bounded by Options.MaxBranches and the memory limit); when the bound is
// exceeded and only counts are wanted, each shot runs as its own trajectory
// with its own seeded random stream.
package statevec
