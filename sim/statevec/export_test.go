package statevec

// SetKernels selects the kernel variant for tests of package statevec_test:
// SIMD kernels on or off (off is the pure-Go path of the same build), and
// the cache block width (small widths make narrow test circuits use cache
// blocks). It returns a function that restores the previous settings.
func SetKernels(simd bool, width int) (restore func()) {
	old := [4]int{blockWidth128, blockWidth64, runQubits}
	oldSIMD := useSIMD
	useSIMD = simd && simdBuilt && oldSIMD
	if width > 0 {
		blockWidth128, blockWidth64, runQubits = width, width, min(runQubits, width-2)
	}
	return func() {
		blockWidth128, blockWidth64, runQubits = old[0], old[1], old[2]
		useSIMD = oldSIMD
	}
}

// SIMDBuilt reports whether this build has SIMD kernels.
const SIMDBuilt = simdBuilt
