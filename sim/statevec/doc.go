// Package statevec is Qluster's dense state-vector engine: one amplitude for
// each of the 2^n basis states (complex128, or complex64 when
// sim.Options.Precision is sim.PrecisionSingle), updated gate by gate.
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
// 2^k×2^k product. Only amplitudes whose control qubits are 1 are touched;
// inner loops walk contiguous runs of amplitudes.
//
// Runs of gates are then grouped into cache blocks (group.go): every gate of
// a group acts on at most blockWidth qubits together, so the state is swept
// block by block, each block gathered into a buffer that stays in a core's
// L2 cache while all the group's gates run on it. Consecutive diagonal gates
// inside a block are fused into one phase table (fuse.go). A 28-qubit QFT
// then crosses memory a few dozen times instead of once per gate. Barriers
// end a group, so a circuit can still ask for gates one sweep each.
//
// Built with GOEXPERIMENT=simd on amd64 (and without -tags purego), the
// dense one-qubit kernels use AVX2/FMA and AVX-512 through simd/archsimd
// (simd_amd64.go); other builds use the pure-Go kernels (simd_other.go).
// Both variants run the same conformance suite (engine_test.go).
//
// From ParallelQubits qubits on, kernels split the index space across
// goroutines; every amplitude sees the same floating-point operations
// whatever the worker count, so results are bit-identical for 1 and N
// workers, and reductions (measurement probabilities) use fixed blocks for
// the same reason.
//
// Circuits whose measurements are all terminal are evolved once and sampled
// from the final distribution; they run in single precision on request.
// Circuits with mid-circuit measurement, reset or conditions get their exact
// classical distribution by branch enumeration (bounded by
// Options.MaxBranches and the memory limit); when the bound is exceeded and
// only counts are wanted, each shot runs as its own trajectory with its own
// seeded random stream. These run in double precision whatever
// Options.Precision says (and are sized for it by the memory check).
package statevec
