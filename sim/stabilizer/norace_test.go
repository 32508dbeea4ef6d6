//go:build !race

package stabilizer_test

const raceEnabled = false
