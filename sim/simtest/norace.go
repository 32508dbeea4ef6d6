//go:build !race

package simtest

// raceEnabled reports a -race build, under which the suite runs fewer
// circuits.
const raceEnabled = false
