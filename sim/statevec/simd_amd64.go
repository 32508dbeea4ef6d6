//go:build goexperiment.simd && amd64 && !purego

package statevec

import (
	"simd/archsimd"
	"unsafe"
)

// useSIMD reports whether the AVX2+FMA kernels run; tests switch it off to
// run the conformance suite on the pure-Go kernels of the same build.
var useSIMD = archsimd.X86.AVX2() && archsimd.X86.FMA()

// use512 reports whether the 512-bit kernels run (AVX-512F). Every lane
// goes through the same fused operations at either width, so results do not
// depend on which width handled an amplitude.
var use512 = archsimd.X86.AVX512()

// simdBuilt reports whether this build has SIMD kernels at all.
const simdBuilt = true

func floats128(w []complex128) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(w))), 2*len(w))
}

func floats64(w []complex64) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(w))), 2*len(w))
}

// cvec128 holds a complex factor for the complex product x·c on
// interleaved (re, im) lanes: x·c = x·re + swap(x)·im, where re is (cr, cr,
// …) and im is (−ci, ci, …).
type cvec128 struct{ re, im archsimd.Float64x4 }

func splat128(c complex128) cvec128 {
	ci := imag(c)
	return cvec128{archsimd.BroadcastFloat64x4(real(c)), archsimd.LoadFloat64x4(&[4]float64{-ci, ci, -ci, ci})}
}

// swap128 exchanges the real and imaginary lanes of each complex.
func swap128(x archsimd.Float64x4) archsimd.Float64x4 { return x.SelectFromPairGrouped(1, 0, x) }

// prep128 is a 2×2 matrix prepared for the vector kernels.
type prep128 struct {
	on, wide bool
	c        [4]cvec128
	z        [4]cvec512
}

// cvec512 is cvec128 on 512-bit vectors.
type cvec512 struct{ re, im archsimd.Float64x8 }

func splat512(c complex128) cvec512 {
	ci := imag(c)
	return cvec512{archsimd.BroadcastFloat64x8(real(c)),
		archsimd.LoadFloat64x8(&[8]float64{-ci, ci, -ci, ci, -ci, ci, -ci, ci})}
}

func swap512(x archsimd.Float64x8) archsimd.Float64x8 { return x.SelectFromPairGrouped(1, 0, x) }

// prepare128 returns m prepared for dense1Pairs128 (off without SIMD).
func prepare128(m *[4]complex128) prep128 {
	if !useSIMD {
		return prep128{}
	}
	p := prep128{on: true, c: [4]cvec128{splat128(m[0]), splat128(m[1]), splat128(m[2]), splat128(m[3])}}
	if use512 {
		p.wide = true
		p.z = [4]cvec512{splat512(m[0]), splat512(m[1]), splat512(m[2]), splat512(m[3])}
	}
	return p
}

// prep64 is prep128 for complex64, with the matrix's columns as well:
// col0 is (m00, m00 | m10, m10) and col1 is (m01, m01 | m11, m11) in the
// two 128-bit halves.
type prep64 struct {
	on, wide   bool
	c          [4]cvec64
	z          [4]cvec64w
	col0, col1 cvec64
	adj0, adj1 cvec64 // (m00, m10 | m00, m10) and (m01, m11 | m01, m11)
}

func prepare64(m *[4]complex64) prep64 {
	if !useSIMD {
		return prep64{}
	}
	col := func(top, bottom complex64) cvec64 {
		tr, ti, br, bi := real(top), imag(top), real(bottom), imag(bottom)
		return cvec64{archsimd.LoadFloat32x8(&[8]float32{tr, tr, tr, tr, br, br, br, br}),
			archsimd.LoadFloat32x8(&[8]float32{-ti, ti, -ti, ti, -bi, bi, -bi, bi})}
	}
	adj := func(top, bottom complex64) cvec64 {
		tr, ti, br, bi := real(top), imag(top), real(bottom), imag(bottom)
		return cvec64{archsimd.LoadFloat32x8(&[8]float32{tr, tr, br, br, tr, tr, br, br}),
			archsimd.LoadFloat32x8(&[8]float32{-ti, ti, -bi, bi, -ti, ti, -bi, bi})}
	}
	p := prep64{on: true, c: [4]cvec64{splat64(m[0]), splat64(m[1]), splat64(m[2]), splat64(m[3])},
		col0: col(m[0], m[2]), col1: col(m[1], m[3]), adj0: adj(m[0], m[2]), adj1: adj(m[1], m[3])}
	if use512 {
		p.wide = true
		p.z = [4]cvec64w{splat64w(m[0]), splat64w(m[1]), splat64w(m[2]), splat64w(m[3])}
	}
	return p
}

// dense1Adjacent64 applies p to the adjacent pairs (w[2j], w[2j+1]) of a
// complex64 state and returns how many amplitudes it handled (all, or none
// without SIMD). Each 128-bit half of a vector holds one pair.
func dense1Adjacent64(p *prep64, w []complex64) int {
	if !p.on {
		return 0
	}
	total := len(w)
	if rem := len(w) & 3; rem != 0 {
		last := len(w) - rem
		var t [4]complex64
		copy(t[:], w[last:])
		dense1Adjacent64(p, t[:])
		copy(w[last:], t[:rem])
		w = w[:last]
	}
	// Per half: x = (a0, a0), y = (a1, a1), out = x·adj0 + y·adj1.
	f := floats64(w)
	for j := 0; j+8 <= len(f); j += 8 {
		v := archsimd.LoadFloat32x8Slice(f[j:])
		x := v.SelectFromPairGrouped(0, 1, 0, 1, v)
		y := v.SelectFromPairGrouped(2, 3, 2, 3, v)
		r := swap64(y).MulAdd(p.adj1.im, y.MulAdd(p.adj1.re, swap64(x).MulAdd(p.adj0.im, x.Mul(p.adj0.re))))
		r.StoreSlice(f[j:])
	}
	return total
}

// dense1Pairs128 applies the prepared 2×2 matrix p to the pairs (w0[j], w1[j]) and
// returns how many pairs it handled: all of them, or none without SIMD. A
// last odd pair goes through the same vector code (padded), so that every
// amplitude is computed alike wherever the workers' ranges split.
func dense1Pairs128(p *prep128, w0, w1 []complex128) int {
	if !p.on {
		return 0
	}
	total := len(w0)
	if len(w0)&1 == 1 {
		last := len(w0) - 1
		t0, t1 := [2]complex128{w0[last]}, [2]complex128{w1[last]}
		dense1Pairs128(p, t0[:], t1[:])
		w0[last], w1[last] = t0[0], t1[0]
		w0, w1 = w0[:last], w1[:last]
	}
	c00, c01, c10, c11 := p.c[0], p.c[1], p.c[2], p.c[3]
	f0, f1 := floats128(w0), floats128(w1)
	f1 = f1[:len(f0)]
	j := 0
	if p.wide {
		z00, z01, z10, z11 := p.z[0], p.z[1], p.z[2], p.z[3]
		for ; j+8 <= len(f0); j += 8 {
			a := archsimd.LoadFloat64x8Slice(f0[j:])
			b := archsimd.LoadFloat64x8Slice(f1[j:])
			as, bs := swap512(a), swap512(b)
			r0 := bs.MulAdd(z01.im, b.MulAdd(z01.re, as.MulAdd(z00.im, a.Mul(z00.re))))
			r1 := bs.MulAdd(z11.im, b.MulAdd(z11.re, as.MulAdd(z10.im, a.Mul(z10.re))))
			r0.StoreSlice(f0[j:])
			r1.StoreSlice(f1[j:])
		}
	}
	for ; j+4 <= len(f0); j += 4 {
		a := archsimd.LoadFloat64x4Slice(f0[j:])
		b := archsimd.LoadFloat64x4Slice(f1[j:])
		as, bs := swap128(a), swap128(b)
		r0 := bs.MulAdd(c01.im, b.MulAdd(c01.re, as.MulAdd(c00.im, a.Mul(c00.re))))
		r1 := bs.MulAdd(c11.im, b.MulAdd(c11.re, as.MulAdd(c10.im, a.Mul(c10.re))))
		r0.StoreSlice(f0[j:])
		r1.StoreSlice(f1[j:])
	}
	return total
}

// dense1Adjacent128 applies m to the adjacent pairs (w[2j], w[2j+1]) and
// returns how many amplitudes it handled.
func dense1Adjacent128(m *[4]complex128, w []complex128) int {
	if !useSIMD {
		return 0
	}
	// Column 0 is (m00, m10), column 1 is (m01, m11): out = a0·col0 + a1·col1.
	col0re := archsimd.LoadFloat64x4(&[4]float64{real(m[0]), real(m[0]), real(m[2]), real(m[2])})
	col0im := archsimd.LoadFloat64x4(&[4]float64{-imag(m[0]), imag(m[0]), -imag(m[2]), imag(m[2])})
	col1re := archsimd.LoadFloat64x4(&[4]float64{real(m[1]), real(m[1]), real(m[3]), real(m[3])})
	col1im := archsimd.LoadFloat64x4(&[4]float64{-imag(m[1]), imag(m[1]), -imag(m[3]), imag(m[3])})
	f := floats128(w)
	n := len(w) &^ 1
	for j := 0; j < 2*n; j += 4 {
		p := archsimd.LoadFloat64x4Slice(f[j:])
		x := p.Select128FromPair(0, 0, p) // (a0, a0)
		y := p.Select128FromPair(1, 1, p) // (a1, a1)
		r := swap128(y).MulAdd(col1im, y.MulAdd(col1re, swap128(x).MulAdd(col0im, x.Mul(col0re))))
		r.StoreSlice(f[j:])
	}
	return n
}

// cvec64 is cvec128 for complex64 lanes.
type cvec64 struct{ re, im archsimd.Float32x8 }

func splat64(c complex64) cvec64 {
	ci := imag(c)
	return cvec64{archsimd.BroadcastFloat32x8(real(c)),
		archsimd.LoadFloat32x8(&[8]float32{-ci, ci, -ci, ci, -ci, ci, -ci, ci})}
}

func swap64(x archsimd.Float32x8) archsimd.Float32x8 { return x.SelectFromPairGrouped(1, 0, 3, 2, x) }

// dense1Pairs64 is dense1Pairs128 for complex64.
func dense1Pairs64(p *prep64, w0, w1 []complex64) int {
	if !p.on {
		return 0
	}
	total := len(w0)
	if rem := len(w0) & 3; rem != 0 {
		last := len(w0) - rem
		var t0, t1 [4]complex64
		copy(t0[:], w0[last:])
		copy(t1[:], w1[last:])
		dense1Pairs64(p, t0[:], t1[:])
		copy(w0[last:], t0[:rem])
		copy(w1[last:], t1[:rem])
		w0, w1 = w0[:last], w1[:last]
	}
	c00, c01, c10, c11 := p.c[0], p.c[1], p.c[2], p.c[3]
	f0, f1 := floats64(w0), floats64(w1)
	f1 = f1[:len(f0)]
	for j := 0; j+8 <= len(f0); j += 8 {
		a := archsimd.LoadFloat32x8Slice(f0[j:])
		b := archsimd.LoadFloat32x8Slice(f1[j:])
		as, bs := swap64(a), swap64(b)
		r0 := bs.MulAdd(c01.im, b.MulAdd(c01.re, as.MulAdd(c00.im, a.Mul(c00.re))))
		r1 := bs.MulAdd(c11.im, b.MulAdd(c11.re, as.MulAdd(c10.im, a.Mul(c10.re))))
		r0.StoreSlice(f0[j:])
		r1.StoreSlice(f1[j:])
	}
	return total
}

// dense1Strided128 applies p to the pairs (v[b+j], v[b+r+j]) for every
// block b = 0, 2r, 4r, … < len(v) and j < r: an uncontrolled gate on the
// qubit of stride r ≥ 2, in one loop without per-run calls. It returns
// false (doing nothing) without SIMD or for r < 2.
func dense1Strided128(p *prep128, v []complex128, r int) bool {
	if !p.on || r < 2 || len(v)%(2*r) != 0 {
		return false
	}
	f := floats128(v)
	c00, c01, c10, c11 := p.c[0], p.c[1], p.c[2], p.c[3]
	z00, z01, z10, z11 := p.z[0], p.z[1], p.z[2], p.z[3]
	s := 2 * r // stride in floats between a0 and a1
	for b := 0; b < len(f); b += 2 * s {
		f0, f1 := f[b:b+s], f[b+s:b+2*s]
		j := 0
		if p.wide {
			for ; j+8 <= len(f0); j += 8 {
				a := archsimd.LoadFloat64x8Slice(f0[j:])
				b := archsimd.LoadFloat64x8Slice(f1[j:])
				as, bs := swap512(a), swap512(b)
				r0 := bs.MulAdd(z01.im, b.MulAdd(z01.re, as.MulAdd(z00.im, a.Mul(z00.re))))
				r1 := bs.MulAdd(z11.im, b.MulAdd(z11.re, as.MulAdd(z10.im, a.Mul(z10.re))))
				r0.StoreSlice(f0[j:])
				r1.StoreSlice(f1[j:])
			}
		}
		for ; j+4 <= len(f0); j += 4 {
			a := archsimd.LoadFloat64x4Slice(f0[j:])
			b := archsimd.LoadFloat64x4Slice(f1[j:])
			as, bs := swap128(a), swap128(b)
			r0 := bs.MulAdd(c01.im, b.MulAdd(c01.re, as.MulAdd(c00.im, a.Mul(c00.re))))
			r1 := bs.MulAdd(c11.im, b.MulAdd(c11.re, as.MulAdd(c10.im, a.Mul(c10.re))))
			r0.StoreSlice(f0[j:])
			r1.StoreSlice(f1[j:])
		}
	}
	return true
}

// cvec64w is cvec64 on 512-bit vectors.
type cvec64w struct{ re, im archsimd.Float32x16 }

func splat64w(c complex64) cvec64w {
	ci := imag(c)
	var im [16]float32
	for i := range im {
		im[i] = ci
		if i%2 == 0 {
			im[i] = -ci
		}
	}
	return cvec64w{archsimd.BroadcastFloat32x16(real(c)), archsimd.LoadFloat32x16(&im)}
}

func swap64w(x archsimd.Float32x16) archsimd.Float32x16 {
	return x.SelectFromPairGrouped(1, 0, 3, 2, x)
}

// dense1Strided64 is dense1Strided128 for complex64 states (r ≥ 2).
func dense1Strided64(p *prep64, v []complex64, r int) bool {
	if !p.on || r < 2 || len(v)%(2*r) != 0 {
		return false
	}
	f := floats64(v)
	if r == 2 {
		// One vector holds (a0, a0′ | a1, a1′): the two 128-bit halves are
		// w0 and w1 of one run.
		for j := 0; j+8 <= len(f); j += 8 {
			x := archsimd.LoadFloat32x8Slice(f[j:])
			lo, hi := x.Select128FromPair(0, 0, x), x.Select128FromPair(1, 1, x)
			r := swap64(hi).MulAdd(p.col1.im, hi.MulAdd(p.col1.re, swap64(lo).MulAdd(p.col0.im, lo.Mul(p.col0.re))))
			r.StoreSlice(f[j:])
		}
		return true
	}
	c00, c01, c10, c11 := p.c[0], p.c[1], p.c[2], p.c[3]
	z00, z01, z10, z11 := p.z[0], p.z[1], p.z[2], p.z[3]
	s := 2 * r
	for b := 0; b < len(f); b += 2 * s {
		f0, f1 := f[b:b+s], f[b+s:b+2*s]
		j := 0
		if p.wide {
			for ; j+16 <= len(f0); j += 16 {
				a := archsimd.LoadFloat32x16Slice(f0[j:])
				b := archsimd.LoadFloat32x16Slice(f1[j:])
				as, bs := swap64w(a), swap64w(b)
				r0 := bs.MulAdd(z01.im, b.MulAdd(z01.re, as.MulAdd(z00.im, a.Mul(z00.re))))
				r1 := bs.MulAdd(z11.im, b.MulAdd(z11.re, as.MulAdd(z10.im, a.Mul(z10.re))))
				r0.StoreSlice(f0[j:])
				r1.StoreSlice(f1[j:])
			}
		}
		for ; j+8 <= len(f0); j += 8 {
			a := archsimd.LoadFloat32x8Slice(f0[j:])
			b := archsimd.LoadFloat32x8Slice(f1[j:])
			as, bs := swap64(a), swap64(b)
			r0 := bs.MulAdd(c01.im, b.MulAdd(c01.re, as.MulAdd(c00.im, a.Mul(c00.re))))
			r1 := bs.MulAdd(c11.im, b.MulAdd(c11.re, as.MulAdd(c10.im, a.Mul(c10.re))))
			r0.StoreSlice(f0[j:])
			r1.StoreSlice(f1[j:])
		}
	}
	return true
}
