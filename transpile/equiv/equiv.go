// Package equiv checks that a compiled circuit does what its source does.
// The source (a) is over virtual qubits; the compiled circuit (b) is over a
// device's physical qubits, with virtual qubit v starting on initial[v] and
// ending on final[v]. Physical qubits outside the initial layout start in
// |0⟩ and must end in |0⟩ (routing only moves them about).
//
// Unitary compares the two maps column by column, up to one global phase,
// for sources of at most MaxUnitaryQubits qubits. Distribution compares
// output probabilities through the state-vector engine: over the clbits
// when the source measures, else over its qubits.
package equiv

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/cmplx"
	"slices"
	"strings"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/sim"
	"github.com/qluster/qluster/sim/statevec"
	"github.com/qluster/qluster/transpile"
)

// Limits and tolerances of the checks.
const (
	// MaxUnitaryQubits is the widest source Unitary accepts.
	MaxUnitaryQubits = 10
	// MaxActiveQubits is the most physical qubits the compiled circuit
	// may touch for Unitary (its columns are simulated on them).
	MaxActiveQubits = 18
	// MaxDistributionQubits is the most physical qubits the compiled
	// circuit may touch for Distribution.
	MaxDistributionQubits = 26
	// MaxUnitaryWork bounds Unitary's work: columns × (amplitudes × ops)
	// summed over both circuits, about a second or two of computing.
	MaxUnitaryWork = 1 << 30
	// Tolerance is the largest amplitude or probability deviation
	// accepted.
	Tolerance = 1e-8
)

// Unitary reports whether b, over physical qubits, implements a's unitary
// up to a global phase: for every basis input x of a's qubits, b maps the
// state with bit v of x on initial[v] (every other physical qubit |0⟩) to
// a's output with virtual qubit v on final[v] and every other qubit |0⟩. A
// nil initial is the identity; a nil final equals initial. Both circuits
// must be unitary (gates and barriers, no conditions). The error names the
// largest deviation and where it is.
func Unitary(a, b *circuit.Circuit, initial, final transpile.Layout) error {
	n := a.NumQubits
	if n > MaxUnitaryQubits {
		return fmt.Errorf("equiv: source has %d qubits, unitary check handles at most %d (use Distribution)", n, MaxUnitaryQubits)
	}
	initial, final, err := layouts(a, b, initial, final)
	if err != nil {
		return err
	}
	aOps, err := unitaryOps(a, "source")
	if err != nil {
		return err
	}
	bOps, err := unitaryOps(b, "compiled")
	if err != nil {
		return err
	}
	active, local := activeQubits(b, initial, final, false)
	k := len(active)
	if k > MaxActiveQubits {
		return fmt.Errorf("equiv: compiled circuit touches %d physical qubits, unitary check handles at most %d", k, MaxActiveQubits)
	}
	if work := (1 << n) * ((1<<k)*len(bOps) + (1<<n)*len(aOps)); work > MaxUnitaryWork {
		return fmt.Errorf("equiv: unitary check would take %d amplitude updates (%d source qubits, %d physical qubits, %d+%d gates), more than %d: use Distribution or Structural",
			work, n, k, len(aOps), len(bOps), MaxUnitaryWork)
	}
	for i := range bOps {
		for j, q := range bOps[i].qs {
			bOps[i].qs[j] = local[q]
		}
	}
	inIdx := placeIndex(n, initial, local)
	outIdx := placeIndex(n, final, local)
	va := make([]complex128, 1<<n)
	vb := make([]complex128, 1<<k)
	var phase complex128
	worst, where := 0.0, ""
	for x := range 1 << n {
		clear(va)
		clear(vb)
		va[x] = 1
		vb[inIdx[x]] = 1
		for _, g := range aOps {
			apply(g, va)
		}
		for _, g := range bOps {
			apply(g, vb)
		}
		if phase == 0 {
			y := 0
			for i, amp := range va {
				if cmplx.Abs(amp) > cmplx.Abs(va[y]) {
					y = i
				}
			}
			// The global phase comes from the source's largest amplitude
			// of the first column; when the compiled circuit has nothing
			// there the deviations below report it.
			phase = vb[outIdx[y]] / va[y]
			if a := cmplx.Abs(phase); a > 1e-6 {
				phase /= complex(a, 0)
			} else {
				phase = 1
			}
		}
		for y, amp := range va {
			o := outIdx[y]
			if d := cmplx.Abs(vb[o] - phase*amp); d > worst {
				worst = d
				where = fmt.Sprintf("input %s, output %s: compiled amplitude %.6g, source amplitude %.6g × global phase %.6g",
					circuit.QubitKey(uint64(x), n), circuit.QubitKey(uint64(y), n), vb[o], amp, phase)
			}
			vb[o] = 0
		}
		for i, amp := range vb {
			// On a tie the leak is the more telling diagnosis.
			if d := cmplx.Abs(amp); d > worst || d == worst && d > Tolerance {
				worst = d
				where = fmt.Sprintf("input %s: compiled circuit leaves amplitude %.6g on physical basis state %s (over physical qubits %v, first rightmost), outside the final layout",
					circuit.QubitKey(uint64(x), n), amp, circuit.QubitKey(uint64(i), k), active)
			}
		}
	}
	if worst > Tolerance {
		return fmt.Errorf("equiv: unitaries differ by up to %.3g (tolerance %g): %s", worst, Tolerance, where)
	}
	return nil
}

// Distribution reports whether a and b give the same output probabilities,
// computed exactly by the state-vector engine. When a measures, the
// distributions over the clbits are compared (b must declare the same
// classical registers); otherwise the distribution over a's qubits is
// compared with b's over the physical qubits of final (every other
// physical qubit must end in |0⟩). Layouts default as in Unitary. The
// error names the outcome with the largest deviation.
func Distribution(ctx context.Context, a, b *circuit.Circuit, initial, final transpile.Layout) error {
	initial, final, err := layouts(a, b, initial, final)
	if err != nil {
		return err
	}
	measured := a.HasMeasure()
	if measured && !slices.Equal(a.CRegs, b.CRegs) {
		return fmt.Errorf("equiv: classical registers differ: source %v, compiled %v", a.CRegs, b.CRegs)
	}
	active, local := activeQubits(b, initial, final, true)
	if len(active) > MaxDistributionQubits {
		return fmt.Errorf("equiv: compiled circuit touches %d physical qubits, distribution check handles at most %d", len(active), MaxDistributionQubits)
	}
	cb := b.Clone()
	cb.NumQubits = len(active)
	cb.QRegs = []circuit.Register{{Name: "q", Size: len(active)}}
	if len(active) == 0 {
		cb.QRegs = nil
	}
	ops := cb.Ops[:0]
	for _, op := range cb.Ops {
		qs := op.Qubits[:0]
		for _, q := range op.Qubits {
			if local[q] >= 0 {
				qs = append(qs, local[q])
			}
		}
		op.Qubits = qs
		if op.Kind == circuit.Barrier && len(qs) == 0 {
			continue
		}
		ops = append(ops, op)
	}
	cb.Ops = ops
	eng := statevec.New()
	opt := sim.Options{Probabilities: true}
	ra, err := eng.Run(ctx, a, opt)
	if err != nil {
		return fmt.Errorf("equiv: simulating the source: %w", err)
	}
	rb, err := eng.Run(ctx, cb, opt)
	if err != nil {
		return fmt.Errorf("equiv: simulating the compiled circuit on physical qubits %v: %w", active, err)
	}
	pb := rb.Probabilities
	if !measured {
		pb = map[string]float64{}
		n, k := a.NumQubits, len(active)
		outIdx := placeIndex(n, final, local)
		back := map[int]int{}
		for y, o := range outIdx {
			back[o] = y
		}
		for key, p := range rb.Probabilities {
			idx := parseKey(key)
			if y, ok := back[idx]; ok {
				pb[circuit.QubitKey(uint64(y), n)] += p
			} else {
				pb["physical "+circuit.QubitKey(uint64(idx), k)+" (outside the final layout)"] += p
			}
		}
	}
	keys := map[string]bool{}
	for key := range ra.Probabilities {
		keys[key] = true
	}
	for key := range pb {
		keys[key] = true
	}
	worst, where := 0.0, ""
	for _, key := range slices.Sorted(maps.Keys(keys)) {
		if d := math.Abs(ra.Probabilities[key] - pb[key]); d > worst {
			worst, where = d, fmt.Sprintf("outcome %q: compiled %.6g, source %.6g", key, pb[key], ra.Probabilities[key])
		}
	}
	if worst > Tolerance {
		return fmt.Errorf("equiv: distributions differ by up to %.3g (tolerance %g): %s", worst, Tolerance, where)
	}
	return nil
}

// parseKey reads a qubit key (qubit 0 rightmost) back into an index.
func parseKey(key string) int {
	idx := 0
	for _, ch := range key {
		idx <<= 1
		if ch == '1' {
			idx |= 1
		}
	}
	return idx
}

// layouts fills in and checks the layouts.
func layouts(a, b *circuit.Circuit, initial, final transpile.Layout) (transpile.Layout, transpile.Layout, error) {
	n := a.NumQubits
	if initial == nil {
		if b.NumQubits < n {
			return nil, nil, fmt.Errorf("equiv: compiled circuit has %d qubits, source has %d", b.NumQubits, n)
		}
		initial = make(transpile.Layout, n)
		for v := range initial {
			initial[v] = v
		}
	}
	if final == nil {
		final = initial
	}
	for _, l := range []struct {
		name string
		l    transpile.Layout
	}{{"initial", initial}, {"final", final}} {
		if len(l.l) != n {
			return nil, nil, fmt.Errorf("equiv: %s layout places %d qubits, source has %d", l.name, len(l.l), n)
		}
		seen := map[int]bool{}
		for v, p := range l.l {
			if p < 0 || p >= b.NumQubits || seen[p] {
				return nil, nil, fmt.Errorf("equiv: %s layout puts virtual qubit %d on physical qubit %d: out of range [0,%d) or taken twice", l.name, v, p, b.NumQubits)
			}
			seen[p] = true
		}
	}
	return initial, final, nil
}

// activeQubits returns the sorted physical qubits the check must simulate
// (those of the layouts and those b's gates touch, and with
// withNonUnitary also those its measurements and resets touch; barriers
// never need one) and the map physical → local index, -1 for the others.
func activeQubits(b *circuit.Circuit, initial, final transpile.Layout, withNonUnitary bool) ([]int, []int) {
	on := make([]bool, b.NumQubits)
	for _, p := range initial {
		on[p] = true
	}
	for _, p := range final {
		on[p] = true
	}
	for i := range b.Ops {
		op := &b.Ops[i]
		if op.Kind == circuit.Barrier || (!withNonUnitary && op.Kind != circuit.GateOp) {
			continue
		}
		for _, q := range op.Qubits {
			on[q] = true
		}
	}
	local := make([]int, b.NumQubits)
	var active []int
	for p, ok := range on {
		local[p] = -1
		if ok {
			local[p] = len(active)
			active = append(active, p)
		}
	}
	return active, local
}

// placeIndex returns, for each basis state x of n virtual qubits, the
// local index with bit v of x on local[l[v]].
func placeIndex(n int, l transpile.Layout, local []int) []int {
	out := make([]int, 1<<n)
	for x := range out {
		idx := 0
		for v := range n {
			if x>>v&1 == 1 {
				idx |= 1 << local[l[v]]
			}
		}
		out[x] = idx
	}
	return out
}

// op is a gate ready to apply: its matrix and qubits.
type op struct {
	m  gate.Matrix
	qs []int
}

// unitaryOps returns c's gates (barriers dropped), failing on anything
// that is not an unconditioned table gate with bound parameters.
func unitaryOps(c *circuit.Circuit, which string) ([]op, error) {
	var out []op
	for i := range c.Ops {
		o := &c.Ops[i]
		if o.Kind == circuit.Barrier && o.Cond == nil {
			continue
		}
		if !o.IsUnitary() {
			return nil, fmt.Errorf("equiv: %s op %d (%s) is not unitary: use Distribution", which, i, describe(o))
		}
		if o.Gate == nil {
			return nil, fmt.Errorf("equiv: %s op %d: opaque gate %s has no matrix", which, i, o.Name)
		}
		vals, err := circuit.Values(o.Params)
		if err != nil {
			return nil, fmt.Errorf("equiv: %s op %d (%s): %w", which, i, o.Name, err)
		}
		out = append(out, op{m: o.Gate.Matrix(vals), qs: append([]int(nil), o.Qubits...)})
	}
	return out, nil
}

func describe(o *circuit.Op) string {
	var s strings.Builder
	if o.Kind == circuit.GateOp {
		s.WriteString(o.Name)
	} else {
		s.WriteString(o.Kind.String())
	}
	if o.Cond != nil {
		s.WriteString(" with a condition")
	}
	return s.String()
}

// apply multiplies v by the gate's matrix on its qubits (argument j is bit
// j of the matrix index, as in package gate).
func apply(g op, v []complex128) {
	k := len(g.qs)
	dim := 1 << k
	offs := make([]int, dim)
	mask := 0
	for j := range dim {
		for b := range k {
			if j>>b&1 == 1 {
				offs[j] |= 1 << g.qs[b]
			}
		}
	}
	for _, q := range g.qs {
		mask |= 1 << q
	}
	in := make([]complex128, dim)
	for base := range v {
		if base&mask != 0 {
			continue
		}
		for j, o := range offs {
			in[j] = v[base|o]
		}
		for r, o := range offs {
			var s complex128
			row := g.m[r*dim : (r+1)*dim]
			for c, x := range in {
				s += row[c] * x
			}
			v[base|o] = s
		}
	}
}
