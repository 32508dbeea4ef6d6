//go:build !(goexperiment.simd && amd64) || purego

package statevec

// useSIMD is false: this build has only the pure-Go kernels.
var useSIMD = false

// simdBuilt reports whether this build has SIMD kernels at all.
const simdBuilt = false

type prep128 struct{}

func prepare128(*[4]complex128) prep128 { return prep128{} }

func dense1Pairs128(*prep128, []complex128, []complex128) int { return 0 }

type prep64 struct{}

func prepare64(*[4]complex64) prep64 { return prep64{} }

func dense1Adjacent128(*[4]complex128, []complex128) int { return 0 }

func dense1Pairs64(*prep64, []complex64, []complex64) int { return 0 }

func dense1Strided128(*prep128, []complex128, int) bool { return false }

func dense1Strided64(*prep64, []complex64, int) bool { return false }

func dense1Adjacent64(*prep64, []complex64) int { return 0 }

type phasePrep struct{}

func preparePhase([]complex128) phasePrep { return phasePrep{} }

func phaseRun64(*phasePrep, []complex64, int, complex64, bool, bool) bool { return false }

func phaseRun128(*phasePrep, []complex128, int, complex128, bool, bool) bool { return false }

func real2Run64(*kernel, []complex64) bool { return false }

func real2Run128(*kernel, []complex128) bool { return false }

func permLanes64(*kernel, []complex64) bool { return false }

func swapAmps[T amp](w0, w1 []T) bool { return false }

type lanePrep struct{}

func prepareLanes([]*kernel) *lanePrep { return nil }

func lanes64(*kernel, []complex64) bool { return false }

// kernels names the dense kernels of this build: the pure-Go ones.
func kernels() string { return "go" }
