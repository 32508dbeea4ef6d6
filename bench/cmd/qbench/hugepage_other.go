//go:build !linux

package main

// adviseHuge does nothing outside Linux.
func adviseHuge([]complex128) {}
