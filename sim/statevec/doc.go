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
// L2 cache while all the group's gates run on it. A 28-qubit QFT then
// crosses memory a few dozen times instead of once per gate. Barriers end a
// group, so a circuit can still ask for gates one sweep each.
//
// Inside a block the kernels are rescheduled (sched.go): each dense
// uncontrolled one-qubit gate is split exactly into diagonal · real
// rotation · diagonal, diagonals (with cz, controlled phases, rz, …) are
// gathered while nothing else needs their qubits, moved through cx and
// other permutations by conjugation, and applied as one vectorised phase
// sweep (phase.go, or a byte-indexed table, fuse.go); consecutive real
// rotations run two per sweep, and a cx after such a pair becomes an
// exchange of its outputs; rotations and cx on the lowest three qubits
// (one 512-bit vector of complex64) run together in registers, one sweep.
// A brickwork layer then costs one phase sweep, one sweep for the lowest
// three qubits and one per pair of the others, with no cz or cx sweeps.
//
// Measured on brickwork-24, complex64, 1 worker, this repository's 2-core
// AVX-512 VM (seconds, one run each; the VM's noise is about 10%): 2.68
// before (dense 2×2 products 47%, cz negations 19%, cx 10%); 2.11 with the
// split and gathered diagonals; 1.89 with paired rotations; 1.66 with
// branch-free phase loops; 1.34 with lane permutations and vector swaps for
// cx. Writing each rotation as c·[[1, τ], [−τ, 1]] (one fused multiply-add
// per float, c folded into the next phase table) saved a further 5% of CPU
// time at n = 26, and one in-register sweep for qubits 0–2 (lanes) a
// further 9% (5.35–5.61 s of CPU against 5.94–6.17; brickwork-28, 2
// workers: 14.5–14.9 s against 17.4 s). Tried and dropped, no gain measured: applying runs of
// kernels on low qubits chunk by chunk in L1 (the rotation sweeps are bound
// by stores, not by L2), running a block's first and last kernel during
// its gather and scatter, 18-qubit blocks, longer gathered runs.
//
// Large states are allocated with transparent huge pages on request
// (hugepage_linux.go): on the VM, the first touch of a 2 GiB state faults
// 512 times less often, and brickwork-28 ran in 16.1–19.7 s instead of
// 19.8–22.4 s (2 workers). Within one process a later Run then reuses
// already mapped pages, which makes repeated runs faster than the first.
//
// Built with GOEXPERIMENT=simd on amd64 (and without -tags purego), the
// dense one-qubit, real rotation, phase, lane permutation and swap kernels
// use AVX2/FMA and AVX-512 through simd/archsimd (simd_amd64.go); other
// builds use the pure-Go kernels (simd_other.go). Both variants run the
// same conformance suite (engine_test.go) and scheduling tests
// (sched_test.go).
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
