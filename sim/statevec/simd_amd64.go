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
	real     bool // imaginary parts all zero: the products skip them
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
	p := prep128{on: true, real: isReal(m[:]), c: [4]cvec128{splat128(m[0]), splat128(m[1]), splat128(m[2]), splat128(m[3])}}
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
	real       bool // imaginary parts all zero
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
	p := prep64{on: true, real: imag(m[0]) == 0 && imag(m[1]) == 0 && imag(m[2]) == 0 && imag(m[3]) == 0, c: [4]cvec64{splat64(m[0]), splat64(m[1]), splat64(m[2]), splat64(m[3])},
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
	if p.real {
		for j := 0; j+8 <= len(f); j += 8 {
			v := archsimd.LoadFloat32x8Slice(f[j:])
			x := v.SelectFromPairGrouped(0, 1, 0, 1, v)
			y := v.SelectFromPairGrouped(2, 3, 2, 3, v)
			y.MulAdd(p.adj1.re, x.Mul(p.adj0.re)).StoreSlice(f[j:])
		}
		return total
	}
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
	if p.real {
		realPairs128(p, f0, f1)
		return total
	}
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
	if isReal(m[:]) {
		for j := 0; j < 2*n; j += 4 {
			p := archsimd.LoadFloat64x4Slice(f[j:])
			x := p.Select128FromPair(0, 0, p)
			y := p.Select128FromPair(1, 1, p)
			y.MulAdd(col1re, x.Mul(col0re)).StoreSlice(f[j:])
		}
		return n
	}
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
	if p.real {
		realPairs64(p, f0, f1)
		return total
	}
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
	if p.real {
		realStrided128(p, f, s)
		return true
	}
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
			if p.real {
				hi.MulAdd(p.col1.re, lo.Mul(p.col0.re)).StoreSlice(f[j:])
				continue
			}
			r := swap64(hi).MulAdd(p.col1.im, hi.MulAdd(p.col1.re, swap64(lo).MulAdd(p.col0.im, lo.Mul(p.col0.re))))
			r.StoreSlice(f[j:])
		}
		return true
	}
	c00, c01, c10, c11 := p.c[0], p.c[1], p.c[2], p.c[3]
	z00, z01, z10, z11 := p.z[0], p.z[1], p.z[2], p.z[3]
	s := 2 * r
	if p.real {
		realStrided64(p, f, s)
		return true
	}
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

// isReal reports whether every entry of m has a zero imaginary part.
func isReal(m []complex128) bool {
	for _, x := range m {
		if imag(x) != 0 {
			return false
		}
	}
	return true
}

// realPairs128 applies the real 2×2 matrix of p to the complex pairs
// (f0[j:j+2], f1[j:j+2]) (len(f0) a multiple of 4 floats): two products per
// output and no lane swaps.
func realPairs128(p *prep128, f0, f1 []float64) {
	j := 0
	if p.wide {
		m00, m01, m10, m11 := p.z[0].re, p.z[1].re, p.z[2].re, p.z[3].re
		for ; j+8 <= len(f0); j += 8 {
			a := archsimd.LoadFloat64x8Slice(f0[j:])
			b := archsimd.LoadFloat64x8Slice(f1[j:])
			b.MulAdd(m01, a.Mul(m00)).StoreSlice(f0[j:])
			b.MulAdd(m11, a.Mul(m10)).StoreSlice(f1[j:])
		}
	}
	m00, m01, m10, m11 := p.c[0].re, p.c[1].re, p.c[2].re, p.c[3].re
	for ; j+4 <= len(f0); j += 4 {
		a := archsimd.LoadFloat64x4Slice(f0[j:])
		b := archsimd.LoadFloat64x4Slice(f1[j:])
		b.MulAdd(m01, a.Mul(m00)).StoreSlice(f0[j:])
		b.MulAdd(m11, a.Mul(m10)).StoreSlice(f1[j:])
	}
}

// realPairs64 is realPairs128 for complex64 (len(f0) a multiple of 8).
func realPairs64(p *prep64, f0, f1 []float32) {
	j := 0
	if p.wide {
		m00, m01, m10, m11 := p.z[0].re, p.z[1].re, p.z[2].re, p.z[3].re
		for ; j+16 <= len(f0); j += 16 {
			a := archsimd.LoadFloat32x16Slice(f0[j:])
			b := archsimd.LoadFloat32x16Slice(f1[j:])
			b.MulAdd(m01, a.Mul(m00)).StoreSlice(f0[j:])
			b.MulAdd(m11, a.Mul(m10)).StoreSlice(f1[j:])
		}
	}
	m00, m01, m10, m11 := p.c[0].re, p.c[1].re, p.c[2].re, p.c[3].re
	for ; j+8 <= len(f0); j += 8 {
		a := archsimd.LoadFloat32x8Slice(f0[j:])
		b := archsimd.LoadFloat32x8Slice(f1[j:])
		b.MulAdd(m01, a.Mul(m00)).StoreSlice(f0[j:])
		b.MulAdd(m11, a.Mul(m10)).StoreSlice(f1[j:])
	}
}

// phasePrep is the lowest segment's table of a phase kernel prepared for
// the vector product x·t = x·re + swap(x)·im: re holds (tr, tr) and im
// (−ti, ti) for each entry, in both precisions.
type phasePrep struct {
	on           bool
	re64, im64   []float32
	re128, im128 []float64
}

// preparePhase returns tab prepared for phaseRun64 and phaseRun128 (off
// without SIMD).
func preparePhase(tab []complex128) phasePrep {
	if !useSIMD {
		return phasePrep{}
	}
	p := phasePrep{on: true, re64: make([]float32, 2*len(tab)), im64: make([]float32, 2*len(tab)),
		re128: make([]float64, 2*len(tab)), im128: make([]float64, 2*len(tab))}
	for j, t := range tab {
		t64 := complex64(t)
		p.re64[2*j], p.re64[2*j+1] = real(t64), real(t64)
		p.im64[2*j], p.im64[2*j+1] = -imag(t64), imag(t64)
		p.re128[2*j], p.re128[2*j+1] = real(t), real(t)
		p.im128[2*j], p.im128[2*j+1] = -imag(t), imag(t)
	}
	return p
}

// phaseRun64 multiplies w (a run of the lowest segment starting at its
// entry j0) by the table entries (unless lowOne) and then by h (unless
// highOne). It reports false, doing nothing, without SIMD or for runs not
// made of whole 256-bit vectors.
func phaseRun64(p *phasePrep, w []complex64, j0 int, h complex64, lowOne, highOne bool) bool {
	if !p.on || len(w)&3 != 0 || j0&3 != 0 {
		return false
	}
	f := floats64(w)
	tre, tim := p.re64[2*j0:2*j0+len(f)], p.im64[2*j0:2*j0+len(f)]
	switch {
	case lowOne && highOne:
	case lowOne:
		phaseScalar64(f, h)
	case highOne:
		phaseTable64(f, tre, tim)
	default:
		phaseBoth64(f, tre, tim, h)
	}
	return true
}

// phaseBoth64 multiplies the complex64 floats f by the prepared table
// entries (tre, tim) and then by h: x·t·h, with no branch in the loops.
func phaseBoth64(f, tre, tim []float32, h complex64) {
	tre, tim = tre[:len(f)], tim[:len(f)]
	j := 0
	if use512 {
		hz := splat64wFast(h)
		for ; j+16 <= len(f); j += 16 {
			x := archsimd.LoadFloat32x16Slice(f[j:])
			x = swap64w(x).MulAdd(archsimd.LoadFloat32x16Slice(tim[j:]), x.Mul(archsimd.LoadFloat32x16Slice(tre[j:])))
			swap64w(x).MulAdd(hz.im, x.Mul(hz.re)).StoreSlice(f[j:])
		}
	}
	hc := splat64(h)
	for ; j+8 <= len(f); j += 8 {
		x := archsimd.LoadFloat32x8Slice(f[j:])
		x = swap64(x).MulAdd(archsimd.LoadFloat32x8Slice(tim[j:]), x.Mul(archsimd.LoadFloat32x8Slice(tre[j:])))
		swap64(x).MulAdd(hc.im, x.Mul(hc.re)).StoreSlice(f[j:])
	}
}

// phaseTable64 multiplies f by the prepared table entries only.
func phaseTable64(f, tre, tim []float32) {
	tre, tim = tre[:len(f)], tim[:len(f)]
	j := 0
	if use512 {
		for ; j+16 <= len(f); j += 16 {
			x := archsimd.LoadFloat32x16Slice(f[j:])
			swap64w(x).MulAdd(archsimd.LoadFloat32x16Slice(tim[j:]), x.Mul(archsimd.LoadFloat32x16Slice(tre[j:]))).StoreSlice(f[j:])
		}
	}
	for ; j+8 <= len(f); j += 8 {
		x := archsimd.LoadFloat32x8Slice(f[j:])
		swap64(x).MulAdd(archsimd.LoadFloat32x8Slice(tim[j:]), x.Mul(archsimd.LoadFloat32x8Slice(tre[j:]))).StoreSlice(f[j:])
	}
}

// phaseScalar64 multiplies f by h only.
func phaseScalar64(f []float32, h complex64) {
	j := 0
	if use512 {
		hz := splat64wFast(h)
		for ; j+16 <= len(f); j += 16 {
			x := archsimd.LoadFloat32x16Slice(f[j:])
			swap64w(x).MulAdd(hz.im, x.Mul(hz.re)).StoreSlice(f[j:])
		}
	}
	hc := splat64(h)
	for ; j+8 <= len(f); j += 8 {
		x := archsimd.LoadFloat32x8Slice(f[j:])
		swap64(x).MulAdd(hc.im, x.Mul(hc.re)).StoreSlice(f[j:])
	}
}

// phaseRun128 is phaseRun64 for complex128 (whole 256-bit vectors: runs of
// an even length from an even entry).
func phaseRun128(p *phasePrep, w []complex128, j0 int, h complex128, lowOne, highOne bool) bool {
	if !p.on || len(w)&1 != 0 || j0&1 != 0 {
		return false
	}
	f := floats128(w)
	tre, tim := p.re128[2*j0:2*j0+len(f)], p.im128[2*j0:2*j0+len(f)]
	switch {
	case lowOne && highOne:
	case lowOne:
		phaseScalar128(f, h)
	case highOne:
		phaseTable128(f, tre, tim)
	default:
		phaseTable128(f, tre, tim)
		phaseScalar128(f, h)
	}
	return true
}

// phaseTable128 multiplies the complex128 floats f by the prepared table
// entries.
func phaseTable128(f, tre, tim []float64) {
	tre, tim = tre[:len(f)], tim[:len(f)]
	j := 0
	if use512 {
		for ; j+8 <= len(f); j += 8 {
			x := archsimd.LoadFloat64x8Slice(f[j:])
			swap512(x).MulAdd(archsimd.LoadFloat64x8Slice(tim[j:]), x.Mul(archsimd.LoadFloat64x8Slice(tre[j:]))).StoreSlice(f[j:])
		}
	}
	for ; j+4 <= len(f); j += 4 {
		x := archsimd.LoadFloat64x4Slice(f[j:])
		swap128(x).MulAdd(archsimd.LoadFloat64x4Slice(tim[j:]), x.Mul(archsimd.LoadFloat64x4Slice(tre[j:]))).StoreSlice(f[j:])
	}
}

// phaseScalar128 multiplies the complex128 floats f by h.
func phaseScalar128(f []float64, h complex128) {
	j := 0
	if use512 {
		hz := splat512(h)
		for ; j+8 <= len(f); j += 8 {
			x := archsimd.LoadFloat64x8Slice(f[j:])
			swap512(x).MulAdd(hz.im, x.Mul(hz.re)).StoreSlice(f[j:])
		}
	}
	hc := splat128(h)
	for ; j+4 <= len(f); j += 4 {
		x := archsimd.LoadFloat64x4Slice(f[j:])
		swap128(x).MulAdd(hc.im, x.Mul(hc.re)).StoreSlice(f[j:])
	}
}

// realStrided64 applies the real 2×2 matrix of p to the pairs of floats
// (f[b+j], f[b+s+j]) for b = 0, 2s, 4s, … and j < s (s ≥ 8 floats), in flat
// loops: narrow strides would otherwise cost a call per vector.
func realStrided64(p *prep64, f []float32, s int) {
	if p.wide && s >= 16 {
		m00, m01, m10, m11 := p.z[0].re, p.z[1].re, p.z[2].re, p.z[3].re
		for b := 0; b+2*s <= len(f); b += 2 * s {
			f0, f1 := f[b:b+s], f[b+s:b+2*s]
			for j := 0; j+16 <= len(f0); j += 16 {
				a := archsimd.LoadFloat32x16Slice(f0[j:])
				c := archsimd.LoadFloat32x16Slice(f1[j:])
				c.MulAdd(m01, a.Mul(m00)).StoreSlice(f0[j:])
				c.MulAdd(m11, a.Mul(m10)).StoreSlice(f1[j:])
			}
		}
		return
	}
	m00, m01, m10, m11 := p.c[0].re, p.c[1].re, p.c[2].re, p.c[3].re
	for b := 0; b+2*s <= len(f); b += 2 * s {
		f0, f1 := f[b:b+s], f[b+s:b+2*s]
		for j := 0; j+8 <= len(f0); j += 8 {
			a := archsimd.LoadFloat32x8Slice(f0[j:])
			c := archsimd.LoadFloat32x8Slice(f1[j:])
			c.MulAdd(m01, a.Mul(m00)).StoreSlice(f0[j:])
			c.MulAdd(m11, a.Mul(m10)).StoreSlice(f1[j:])
		}
	}
}

// realStrided128 is realStrided64 for complex128 (s ≥ 4 floats).
func realStrided128(p *prep128, f []float64, s int) {
	if p.wide && s >= 8 {
		m00, m01, m10, m11 := p.z[0].re, p.z[1].re, p.z[2].re, p.z[3].re
		for b := 0; b+2*s <= len(f); b += 2 * s {
			f0, f1 := f[b:b+s], f[b+s:b+2*s]
			for j := 0; j+8 <= len(f0); j += 8 {
				a := archsimd.LoadFloat64x8Slice(f0[j:])
				c := archsimd.LoadFloat64x8Slice(f1[j:])
				c.MulAdd(m01, a.Mul(m00)).StoreSlice(f0[j:])
				c.MulAdd(m11, a.Mul(m10)).StoreSlice(f1[j:])
			}
		}
		return
	}
	m00, m01, m10, m11 := p.c[0].re, p.c[1].re, p.c[2].re, p.c[3].re
	for b := 0; b+2*s <= len(f); b += 2 * s {
		f0, f1 := f[b:b+s], f[b+s:b+2*s]
		for j := 0; j+4 <= len(f0); j += 4 {
			a := archsimd.LoadFloat64x4Slice(f0[j:])
			c := archsimd.LoadFloat64x4Slice(f1[j:])
			c.MulAdd(m01, a.Mul(m00)).StoreSlice(f0[j:])
			c.MulAdd(m11, a.Mul(m10)).StoreSlice(f1[j:])
		}
	}
}

// real2Run64 applies the real rotation k.pair[0] (on qubit k.sorted[0])
// and then k.pair[1] (on k.sorted[1]), then the cx of k.swapOut if any, to
// v in one sweep, four vectors at a time held in registers. It reports false, doing nothing, without SIMD or where a's
// stride is under one 256-bit vector.
func real2Run64(k *kernel, v []complex64) bool {
	a, b, swap := k.pair[0], k.pair[1], k.swapOut
	sa, sb := 2<<a.sorted[0], 2<<b.sorted[0] // strides in floats
	if !useSIMD || sa < 8 || sb <= sa || len(v)*2%(2*sb) != 0 {
		return false
	}
	f := floats64(v)
	if use512 && sa >= 16 && a.eform && b.eform {
		real2E64(k, f, sa, sb)
		return true
	}
	ra := [4]float32{float32(real(a.m[0])), float32(real(a.m[1])), float32(real(a.m[2])), float32(real(a.m[3]))}
	rb := [4]float32{float32(real(b.m[0])), float32(real(b.m[1])), float32(real(b.m[2])), float32(real(b.m[3]))}
	if use512 && sa >= 16 {
		a00, a01, a10, a11 := archsimd.BroadcastFloat32x16(ra[0]), archsimd.BroadcastFloat32x16(ra[1]), archsimd.BroadcastFloat32x16(ra[2]), archsimd.BroadcastFloat32x16(ra[3])
		b00, b01, b10, b11 := archsimd.BroadcastFloat32x16(rb[0]), archsimd.BroadcastFloat32x16(rb[1]), archsimd.BroadcastFloat32x16(rb[2]), archsimd.BroadcastFloat32x16(rb[3])
		for hb := 0; hb < len(f); hb += 2 * sb {
			for ha := hb; ha < hb+sb; ha += 2 * sa {
				f0, f1, f2, f3 := f[ha:ha+sa], f[ha+sa:ha+2*sa], f[ha+sb:ha+sb+sa], f[ha+sb+sa:ha+sb+2*sa]
				g0, g1, g2, g3 := outputs(swap, f0, f1, f2, f3)
				for j := 0; j+16 <= len(f0); j += 16 {
					x0 := archsimd.LoadFloat32x16Slice(f0[j:])
					x1 := archsimd.LoadFloat32x16Slice(f1[j:])
					x2 := archsimd.LoadFloat32x16Slice(f2[j:])
					x3 := archsimd.LoadFloat32x16Slice(f3[j:])
					y0, y1 := x1.MulAdd(a01, x0.Mul(a00)), x1.MulAdd(a11, x0.Mul(a10))
					y2, y3 := x3.MulAdd(a01, x2.Mul(a00)), x3.MulAdd(a11, x2.Mul(a10))
					y2.MulAdd(b01, y0.Mul(b00)).StoreSlice(g0[j:])
					y3.MulAdd(b01, y1.Mul(b00)).StoreSlice(g1[j:])
					y2.MulAdd(b11, y0.Mul(b10)).StoreSlice(g2[j:])
					y3.MulAdd(b11, y1.Mul(b10)).StoreSlice(g3[j:])
				}
			}
		}
		return true
	}
	a00, a01, a10, a11 := archsimd.BroadcastFloat32x8(ra[0]), archsimd.BroadcastFloat32x8(ra[1]), archsimd.BroadcastFloat32x8(ra[2]), archsimd.BroadcastFloat32x8(ra[3])
	b00, b01, b10, b11 := archsimd.BroadcastFloat32x8(rb[0]), archsimd.BroadcastFloat32x8(rb[1]), archsimd.BroadcastFloat32x8(rb[2]), archsimd.BroadcastFloat32x8(rb[3])
	for hb := 0; hb < len(f); hb += 2 * sb {
		for ha := hb; ha < hb+sb; ha += 2 * sa {
			f0, f1, f2, f3 := f[ha:ha+sa], f[ha+sa:ha+2*sa], f[ha+sb:ha+sb+sa], f[ha+sb+sa:ha+sb+2*sa]
			g0, g1, g2, g3 := outputs(swap, f0, f1, f2, f3)
			for j := 0; j+8 <= len(f0); j += 8 {
				x0 := archsimd.LoadFloat32x8Slice(f0[j:])
				x1 := archsimd.LoadFloat32x8Slice(f1[j:])
				x2 := archsimd.LoadFloat32x8Slice(f2[j:])
				x3 := archsimd.LoadFloat32x8Slice(f3[j:])
				y0, y1 := x1.MulAdd(a01, x0.Mul(a00)), x1.MulAdd(a11, x0.Mul(a10))
				y2, y3 := x3.MulAdd(a01, x2.Mul(a00)), x3.MulAdd(a11, x2.Mul(a10))
				y2.MulAdd(b01, y0.Mul(b00)).StoreSlice(g0[j:])
				y3.MulAdd(b01, y1.Mul(b00)).StoreSlice(g1[j:])
				y2.MulAdd(b11, y0.Mul(b10)).StoreSlice(g2[j:])
				y3.MulAdd(b11, y1.Mul(b10)).StoreSlice(g3[j:])
			}
		}
	}
	return true
}

// real2Run128 is real2Run64 for complex128.
func real2Run128(k *kernel, v []complex128) bool {
	a, b, swap := k.pair[0], k.pair[1], k.swapOut
	sa, sb := 2<<a.sorted[0], 2<<b.sorted[0]
	if !useSIMD || sa < 4 || sb <= sa || len(v)*2%(2*sb) != 0 {
		return false
	}
	f := floats128(v)
	ra := [4]float64{real(a.m[0]), real(a.m[1]), real(a.m[2]), real(a.m[3])}
	rb := [4]float64{real(b.m[0]), real(b.m[1]), real(b.m[2]), real(b.m[3])}
	if use512 && sa >= 8 {
		a00, a01, a10, a11 := archsimd.BroadcastFloat64x8(ra[0]), archsimd.BroadcastFloat64x8(ra[1]), archsimd.BroadcastFloat64x8(ra[2]), archsimd.BroadcastFloat64x8(ra[3])
		b00, b01, b10, b11 := archsimd.BroadcastFloat64x8(rb[0]), archsimd.BroadcastFloat64x8(rb[1]), archsimd.BroadcastFloat64x8(rb[2]), archsimd.BroadcastFloat64x8(rb[3])
		for hb := 0; hb < len(f); hb += 2 * sb {
			for ha := hb; ha < hb+sb; ha += 2 * sa {
				f0, f1, f2, f3 := f[ha:ha+sa], f[ha+sa:ha+2*sa], f[ha+sb:ha+sb+sa], f[ha+sb+sa:ha+sb+2*sa]
				g0, g1, g2, g3 := outputs(swap, f0, f1, f2, f3)
				for j := 0; j+8 <= len(f0); j += 8 {
					x0 := archsimd.LoadFloat64x8Slice(f0[j:])
					x1 := archsimd.LoadFloat64x8Slice(f1[j:])
					x2 := archsimd.LoadFloat64x8Slice(f2[j:])
					x3 := archsimd.LoadFloat64x8Slice(f3[j:])
					y0, y1 := x1.MulAdd(a01, x0.Mul(a00)), x1.MulAdd(a11, x0.Mul(a10))
					y2, y3 := x3.MulAdd(a01, x2.Mul(a00)), x3.MulAdd(a11, x2.Mul(a10))
					y2.MulAdd(b01, y0.Mul(b00)).StoreSlice(g0[j:])
					y3.MulAdd(b01, y1.Mul(b00)).StoreSlice(g1[j:])
					y2.MulAdd(b11, y0.Mul(b10)).StoreSlice(g2[j:])
					y3.MulAdd(b11, y1.Mul(b10)).StoreSlice(g3[j:])
				}
			}
		}
		return true
	}
	a00, a01, a10, a11 := archsimd.BroadcastFloat64x4(ra[0]), archsimd.BroadcastFloat64x4(ra[1]), archsimd.BroadcastFloat64x4(ra[2]), archsimd.BroadcastFloat64x4(ra[3])
	b00, b01, b10, b11 := archsimd.BroadcastFloat64x4(rb[0]), archsimd.BroadcastFloat64x4(rb[1]), archsimd.BroadcastFloat64x4(rb[2]), archsimd.BroadcastFloat64x4(rb[3])
	for hb := 0; hb < len(f); hb += 2 * sb {
		for ha := hb; ha < hb+sb; ha += 2 * sa {
			f0, f1, f2, f3 := f[ha:ha+sa], f[ha+sa:ha+2*sa], f[ha+sb:ha+sb+sa], f[ha+sb+sa:ha+sb+2*sa]
			g0, g1, g2, g3 := outputs(swap, f0, f1, f2, f3)
			for j := 0; j+4 <= len(f0); j += 4 {
				x0 := archsimd.LoadFloat64x4Slice(f0[j:])
				x1 := archsimd.LoadFloat64x4Slice(f1[j:])
				x2 := archsimd.LoadFloat64x4Slice(f2[j:])
				x3 := archsimd.LoadFloat64x4Slice(f3[j:])
				y0, y1 := x1.MulAdd(a01, x0.Mul(a00)), x1.MulAdd(a11, x0.Mul(a10))
				y2, y3 := x3.MulAdd(a01, x2.Mul(a00)), x3.MulAdd(a11, x2.Mul(a10))
				y2.MulAdd(b01, y0.Mul(b00)).StoreSlice(g0[j:])
				y3.MulAdd(b01, y1.Mul(b00)).StoreSlice(g1[j:])
				y2.MulAdd(b11, y0.Mul(b10)).StoreSlice(g2[j:])
				y3.MulAdd(b11, y1.Mul(b10)).StoreSlice(g3[j:])
			}
		}
	}
	return true
}

// laneQubits64 is the number of qubits inside one 512-bit vector of
// complex64 amplitudes.
const laneQubits64 = 3

// permLanes64 is permLanes for complex64 states: every target of k is
// among the lowest laneQubits64 qubits, so each vector's amplitudes are
// permuted among themselves (VPERMPS), in the vectors where k's higher
// controls are 1.
func permLanes64(k *kernel, v []complex64) bool {
	if !useSIMD || !use512 || len(v)%8 != 0 {
		return false
	}
	for _, ph := range k.permPhase {
		if ph != 1 {
			return false
		}
	}
	for _, t := range k.targets {
		if t >= laneQubits64 {
			return false
		}
	}
	high := k.ctrl &^ (1<<laneQubits64 - 1)
	idx := k.laneIdx
	if idx == nil {
		idx = laneIndex(k)
	}
	perm := archsimd.LoadUint32x16(idx)
	f := floats64(v)
	for j := 0; j+16 <= len(f); j += 16 {
		if (j/2)&high != high {
			continue
		}
		archsimd.LoadFloat32x16Slice(f[j:]).Permute(perm).StoreSlice(f[j:])
	}
	return true
}

// swapFloats64 exchanges a and b (of equal length, a multiple of 16
// floats), reporting false, doing nothing, otherwise or without SIMD.
func swapFloats64(a, b []float32) bool {
	if !useSIMD || !use512 || len(a)%16 != 0 || len(b) != len(a) {
		return false
	}
	for j := 0; j+16 <= len(a); j += 16 {
		x := archsimd.LoadFloat32x16Slice(a[j:])
		archsimd.LoadFloat32x16Slice(b[j:]).StoreSlice(a[j:])
		x.StoreSlice(b[j:])
	}
	return true
}

// swapFloats128 is swapFloats64 for float64 (a multiple of 8).
func swapFloats128(a, b []float64) bool {
	if !useSIMD || !use512 || len(a)%8 != 0 || len(b) != len(a) {
		return false
	}
	for j := 0; j+8 <= len(a); j += 8 {
		x := archsimd.LoadFloat64x8Slice(a[j:])
		archsimd.LoadFloat64x8Slice(b[j:]).StoreSlice(a[j:])
		x.StoreSlice(b[j:])
	}
	return true
}

// outputs returns where the four outputs of a kindReal2 kernel go: in
// place, or with outputs 1 and 3 (swap 1) or 2 and 3 (swap 2) exchanged.
func outputs[S any](swap uint8, f0, f1, f2, f3 S) (S, S, S, S) {
	switch swap {
	case 1:
		return f0, f3, f2, f1
	case 2:
		return f0, f1, f3, f2
	}
	return f0, f1, f2, f3
}

// swapAmps exchanges w0 and w1 (of equal length) with vector loads and
// stores, reporting whether it did.
func swapAmps[T amp](w0, w1 []T) bool {
	switch a := any(w0).(type) {
	case []complex64:
		return swapFloats64(floats64(a), floats64(any(w1).([]complex64)))
	case []complex128:
		return swapFloats128(floats128(a), floats128(any(w1).([]complex128)))
	}
	return false
}

// signs64w is (−1, 1, −1, 1, …): the signs of a cvec64w's imaginary lanes.
var signs64w = archsimd.LoadFloat32x16(&[16]float32{-1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1})

// splat64wFast is splat64w from two broadcasts and a product (no array
// through memory): cheap enough to run once per run of a phase kernel.
func splat64wFast(c complex64) cvec64w {
	return cvec64w{archsimd.BroadcastFloat32x16(real(c)), archsimd.BroadcastFloat32x16(imag(c)).Mul(signs64w)}
}

// real2Dest returns, for the four results of two E-form rotations (index
// bit 0: the first qubit's row, bit 1: the second's), the output each goes
// to: rows exchanged by each rotation's X, then the cx of k.swapOut.
func real2Dest(k *kernel) [4]int {
	var d [4]int
	for i := range 4 {
		j := i
		if k.pair[0].eswap {
			j ^= 1
		}
		if k.pair[1].eswap {
			j ^= 2
		}
		switch {
		case k.swapOut == 1 && j&1 == 1:
			j ^= 2
		case k.swapOut == 2 && j&2 == 2:
			j ^= 1
		}
		d[i] = j
	}
	return d
}

// real2E64 is real2Run64 for two E-form rotations: one fused multiply-add
// per float and rotation, the rows' exchanges folded into where results
// are stored (512-bit vectors, sa ≥ 16 floats).
func real2E64(k *kernel, f []float32, sa, sb int) {
	ta := archsimd.BroadcastFloat32x16(float32(k.pair[0].tau))
	na := archsimd.BroadcastFloat32x16(float32(-k.pair[0].tau))
	tb := archsimd.BroadcastFloat32x16(float32(k.pair[1].tau))
	nb := archsimd.BroadcastFloat32x16(float32(-k.pair[1].tau))
	d := real2Dest(k)
	for hb := 0; hb < len(f); hb += 2 * sb {
		for ha := hb; ha < hb+sb; ha += 2 * sa {
			in := [4][]float32{f[ha : ha+sa], f[ha+sa : ha+2*sa], f[ha+sb : ha+sb+sa], f[ha+sb+sa : ha+sb+2*sa]}
			f0, f1, f2, f3 := in[0], in[1], in[2], in[3]
			g0, g1, g2, g3 := in[d[0]], in[d[1]], in[d[2]], in[d[3]]
			g0, g1, g2, g3 = g0[:len(f0)], g1[:len(f0)], g2[:len(f0)], g3[:len(f0)]
			f1, f2, f3 = f1[:len(f0)], f2[:len(f0)], f3[:len(f0)]
			for j := 0; j+16 <= len(f0); j += 16 {
				x0 := archsimd.LoadFloat32x16Slice(f0[j:])
				x1 := archsimd.LoadFloat32x16Slice(f1[j:])
				x2 := archsimd.LoadFloat32x16Slice(f2[j:])
				x3 := archsimd.LoadFloat32x16Slice(f3[j:])
				y0, y1 := x1.MulAdd(ta, x0), x0.MulAdd(na, x1)
				y2, y3 := x3.MulAdd(ta, x2), x2.MulAdd(na, x3)
				y2.MulAdd(tb, y0).StoreSlice(g0[j:])
				y3.MulAdd(tb, y1).StoreSlice(g1[j:])
				y0.MulAdd(nb, y2).StoreSlice(g2[j:])
				y1.MulAdd(nb, y3).StoreSlice(g3[j:])
			}
		}
	}
}

// lanePrep is a kindLanes kernel prepared for lanes64: for each op, the
// lane permutation (the partner lane of a rotation's qubit, or the
// permutation itself) and, for a rotation, the factors of each lane and of
// its partner: out = x·self + permute(x)·other.
type lanePrep struct {
	on    bool
	idx   []archsimd.Uint32x16
	self  []archsimd.Float32x16
	other []archsimd.Float32x16
	rot   []bool
}

// prepareLanes returns ops prepared for lanes64 (off without AVX-512).
func prepareLanes(ops []*kernel) *lanePrep {
	if !useSIMD || !use512 {
		return &lanePrep{}
	}
	p := &lanePrep{on: true}
	for _, op := range ops {
		if op.kind == kindPerm {
			p.idx = append(p.idx, archsimd.LoadUint32x16(laneIndex(op)))
			p.self = append(p.self, archsimd.Float32x16{})
			p.other = append(p.other, archsimd.Float32x16{})
			p.rot = append(p.rot, false)
			continue
		}
		q := op.sorted[0]
		var idx [16]uint32
		var self, other [16]float32
		for l := range 8 {
			b := l >> q & 1
			idx[2*l], idx[2*l+1] = uint32(2*(l^1<<q)), uint32(2*(l^1<<q)+1)
			s, o := float32(real(op.m[3*b])), float32(real(op.m[1+b]))
			self[2*l], self[2*l+1] = s, s
			other[2*l], other[2*l+1] = o, o
		}
		p.idx = append(p.idx, archsimd.LoadUint32x16(&idx))
		p.self = append(p.self, archsimd.LoadFloat32x16(&self))
		p.other = append(p.other, archsimd.LoadFloat32x16(&other))
		p.rot = append(p.rot, true)
	}
	return p
}

// lanes64 applies a kindLanes kernel to v (a multiple of 8 amplitudes from
// a multiple of 8) one 512-bit vector at a time, all its ops in registers.
// It reports false, doing nothing, where the kernel is not prepared.
func lanes64(k *kernel, v []complex64) bool {
	p := k.lanes
	if p == nil || !p.on || !useSIMD || len(v)%8 != 0 {
		return false
	}
	f := floats64(v)
	switch len(p.rot) {
	case 3:
		if p.rot[0] && p.rot[1] && p.rot[2] {
			i0, i1, i2 := p.idx[0], p.idx[1], p.idx[2]
			s0, s1, s2 := p.self[0], p.self[1], p.self[2]
			o0, o1, o2 := p.other[0], p.other[1], p.other[2]
			for j := 0; j+16 <= len(f); j += 16 {
				x := archsimd.LoadFloat32x16Slice(f[j:])
				x = x.Permute(i0).MulAdd(o0, x.Mul(s0))
				x = x.Permute(i1).MulAdd(o1, x.Mul(s1))
				x = x.Permute(i2).MulAdd(o2, x.Mul(s2))
				x.StoreSlice(f[j:])
			}
			return true
		}
	}
	for j := 0; j+16 <= len(f); j += 16 {
		x := archsimd.LoadFloat32x16Slice(f[j:])
		for o := range p.rot {
			if p.rot[o] {
				x = x.Permute(p.idx[o]).MulAdd(p.other[o], x.Mul(p.self[o]))
			} else {
				x = x.Permute(p.idx[o])
			}
		}
		x.StoreSlice(f[j:])
	}
	return true
}

// kernels names the dense kernels that run on this CPU.
func kernels() string {
	switch {
	case useSIMD && use512:
		return "avx512"
	case useSIMD:
		return "avx2"
	}
	return "go"
}
