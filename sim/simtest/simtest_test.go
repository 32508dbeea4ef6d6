package simtest

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/qluster/qluster/circuit"
)

func TestChiSquareQuantile999(t *testing.T) {
	// Reference quantiles from standard χ² tables (NIST/SEMATECH
	// e-Handbook 1.3.6.7.4); above df 10 the Wilson–Hilferty value must be
	// within 0.5%.
	for _, tc := range []struct {
		df   int
		want float64
	}{
		{1, 10.828}, {5, 20.515}, {10, 29.588}, {20, 45.315}, {50, 86.661}, {100, 149.449},
	} {
		if got := ChiSquareQuantile999(tc.df); math.Abs(got-tc.want)/tc.want > 0.005 {
			t.Errorf("df %d: got %.3f, want %.3f", tc.df, got, tc.want)
		}
	}
}

func TestGoodnessOfFit(t *testing.T) {
	want := map[string]float64{"0": 0.5, "1": 0.25, "2": 0.25, "3": 1e-4}
	for _, tc := range []struct {
		name   string
		counts map[string]int
		ok     bool
	}{
		{"exact expectation", map[string]int{"0": 500, "1": 250, "2": 250}, true},
		{"small fluctuation", map[string]int{"0": 520, "1": 240, "2": 240}, true},
		{"skewed", map[string]int{"0": 600, "1": 200, "2": 200}, false},
		{"impossible outcome", map[string]int{"0": 499, "1": 250, "2": 250, "9": 1}, false},
		{"wrong total", map[string]int{"0": 500, "1": 250}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := GoodnessOfFit(tc.counts, want, 1000)
			if (err == nil) != tc.ok {
				t.Errorf("got error %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestRandomCircuit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   RandomOptions
		clbits int
		check  func(c *circuit.Circuit) bool
	}{
		{"unitary by default", RandomOptions{}, 0, func(c *circuit.Circuit) bool {
			for _, op := range c.Ops {
				if !op.IsUnitary() || op.Kind == circuit.Barrier {
					return false
				}
			}
			return true
		}},
		{"terminal measurements", RandomOptions{MeasureAll: true}, 5, func(c *circuit.Circuit) bool {
			ok, m := c.TerminalMeasurements()
			return ok && len(m) == 5 && len(c.CRegs) == 2
		}},
		{"mid-circuit ops", RandomOptions{Measure: 0.2, Reset: 0.2, Condition: 0.3, Barrier: 0.1}, 5, func(c *circuit.Circuit) bool {
			kinds := map[circuit.OpKind]bool{}
			conds := 0
			for _, op := range c.Ops {
				kinds[op.Kind] = true
				if op.Cond != nil {
					conds++
				}
			}
			return len(kinds) == 4 && conds > 0
		}},
		{"explicit registers", RandomOptions{CRegs: []int{3}, Measure: 0.5}, 3, func(c *circuit.Circuit) bool { return len(c.CRegs) == 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := RandomCircuit(rand.New(rand.NewPCG(1, 1)), 5, 200, tc.opts)
			d := RandomCircuit(rand.New(rand.NewPCG(1, 1)), 5, 200, tc.opts)
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if !c.Equal(d) {
				t.Error("same seed gave different circuits")
			}
			if c.NumQubits != 5 || c.NumClbits != tc.clbits || !tc.check(c) {
				t.Errorf("got %v with registers %v, %v\n%s", c, c.QRegs, c.CRegs, describe(c))
			}
		})
	}
}
