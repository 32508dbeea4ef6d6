package statevec

import (
	"syscall"
	"unsafe"
)

// hugePageBytes is the size of a transparent huge page on amd64 and arm64
// Linux.
const hugePageBytes = 2 << 20

// adviseHuge asks the kernel to back v with transparent huge pages (where
// it allows them on request: the "madvise" setting). Called before v is
// first touched, it makes the first touch of a large state fault once per
// 2 MiB instead of once per 4 KiB. Errors are ignored: the advice is only
// an optimisation.
func adviseHuge[T amp](v []T) {
	size := len(v) * int(unsafe.Sizeof(v[0]))
	if size < 4*hugePageBytes {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), size)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	off := int((p+hugePageBytes-1)&^(hugePageBytes-1) - p)
	end := off + (size-off)&^(hugePageBytes-1)
	_ = syscall.Madvise(b[off:end], syscall.MADV_HUGEPAGE)
}
