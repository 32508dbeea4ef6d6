//go:build !linux

package statevec

// adviseHuge does nothing outside Linux.
func adviseHuge[T amp](v []T) {}
