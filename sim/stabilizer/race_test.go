//go:build race

package stabilizer_test

const raceEnabled = true
