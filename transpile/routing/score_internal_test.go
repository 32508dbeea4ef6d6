package routing

import (
	"context"
	"testing"

	"github.com/qluster/qluster/device"
	"github.com/qluster/qluster/transpile"
	"github.com/qluster/qluster/transpile/equiv/circgen"
)

// TestScoreFastMatchesScore routes with every incremental score checked
// against the direct one (the run panics on a mismatch).
func TestScoreFastMatchesScore(t *testing.T) {
	checkScores = true
	defer func() { checkScores = false }()
	for _, name := range []string{"dongling", "grid25", "heavyhex27"} {
		d, err := device.Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []float64{0, 1} {
			cp, err := NewCoupling(d, w)
			if err != nil {
				t.Fatal(err)
			}
			for seed := range uint64(3) {
				c := circgen.Random(20, 15, 0.7, seed, true)
				l := make(transpile.Layout, c.NumQubits)
				for v := range l {
					l[v] = d.UsableQubits()[v]
				}
				res, err := Sabre{Trials: 2}.Route(context.Background(), c, cp, l, seed)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s weight %g seed %d: %d swaps", name, w, seed, res.Swaps)
			}
		}
	}
}
