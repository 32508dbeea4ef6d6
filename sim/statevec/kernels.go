package statevec

// Kernels names the vector instructions of the dense kernels this build
// runs on this CPU: "avx512" or "avx2" (a build with GOEXPERIMENT=simd on
// amd64), or "go" for the pure-Go kernels (other builds, -tags purego, or a
// CPU without AVX2 and FMA). Results do not depend on it beyond rounding.
func Kernels() string { return kernels() }
