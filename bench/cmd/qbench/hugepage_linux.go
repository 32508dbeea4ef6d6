package main

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks Linux to back buf with transparent huge pages, as the
// state-vector engine does for its states (sim/statevec/hugepage_linux.go),
// so that the copy reference and the gates it is compared with pay the same
// page-table costs. Errors are ignored.
func adviseHuge(buf []complex128) {
	const huge = 2 << 20
	size := len(buf) * 16
	if size < 4*huge {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(buf))), size)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	off := int((p+huge-1)&^(huge-1) - p)
	end := off + (size-off)&^(huge-1)
	_ = syscall.Madvise(b[off:end], syscall.MADV_HUGEPAGE)
}
