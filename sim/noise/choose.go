package noise

// Engine names, as the engines report them in results.
const (
	EngineDensityMatrix = "density_matrix"
	EngineTrajectory    = "trajectory"
)

// DensityMatrixMaxQubits is the widest circuit ChooseEngine sends to the
// density-matrix engine. A density matrix of n qubits holds 4^n complex128
// (16·4^n bytes: 16 MiB at 10 qubits, 256 MiB at 12, 1 GiB at 13), and each
// gate costs a pass over it; trajectories cost shots·2^n per pass instead,
// so beyond a dozen qubits they are cheaper for any usual shot count as well
// as smaller.
const DensityMatrixMaxQubits = 12

// densityMatrixCopies is how many density matrices of the circuit's width
// ChooseEngine requires to fit the memory limit: the state, the kernel's
// scratch and room for classical branches of mid-circuit measurements.
const densityMatrixCopies = 4

// ChooseEngine returns the engine that should run a noisy circuit on
// nqubits qubits under memoryLimit bytes (0: no limit): EngineDensityMatrix
// (exact) when nqubits ≤ DensityMatrixMaxQubits and four density matrices
// of that width fit the limit, else EngineTrajectory (Monte Carlo samples
// on a state vector).
func ChooseEngine(nqubits int, memoryLimit int64) string {
	if nqubits <= DensityMatrixMaxQubits {
		need := int64(densityMatrixCopies) * 16 << (2 * nqubits)
		if memoryLimit <= 0 || need <= memoryLimit {
			return EngineDensityMatrix
		}
	}
	return EngineTrajectory
}
