package statevec

import "testing"

func TestKernels(t *testing.T) {
	got := Kernels()
	switch {
	case !simdBuilt && got != "go":
		t.Errorf("Kernels() = %q in a build without SIMD kernels, want go", got)
	case got != "go" && got != "avx2" && got != "avx512":
		t.Errorf("Kernels() = %q, want avx512, avx2 or go", got)
	}
}
