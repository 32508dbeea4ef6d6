package device

import (
	"fmt"
	"math"
	"strings"

	"github.com/qluster/qluster/gate"
)

// t2Slack is the relative tolerance of the T2 ≤ 2·T1 check, so that a T2
// clipped to exactly 2·T1 and written out in decimal still passes.
const t2Slack = 1e-12

// Validate checks that d is a consistent device and returns the first
// problem found, naming the qubit, edge or field. It checks the name; that
// Qubits[i].Index == i and names are unique; that a usable qubit has
// T1 > 0, 0 < T2 ≤ 2·T1, 0 ≤ T2Star ≤ 2·T1, a positive single-qubit gate and
// readout duration, and error probabilities in [0, 1]; that every figure is
// finite and not negative; that edges join two distinct usable qubits with
// a known two-qubit basis gate, an error in [0, 1] and a positive duration,
// without duplicates; that basis gates are lower-case canonical names from
// the gate table, listed once; and that couplers and priority regions name
// existing qubits.
func (d *Device) Validate() error {
	if err := d.validate(); err != nil {
		return fmt.Errorf("device %s: %w", d.Name, err)
	}
	return nil
}

func (d *Device) validate() error {
	if err := checkName(d.Name); err != nil {
		return err
	}
	if err := d.validateBasis(); err != nil {
		return err
	}
	names := map[string]int{}
	for i, q := range d.Qubits {
		if q.Index != i {
			return fmt.Errorf("qubits[%d] (%s): index is %d, want %d", i, q.Name, q.Index, i)
		}
		if q.Name == "" {
			return fmt.Errorf("qubits[%d]: empty name", i)
		}
		if j, dup := names[q.Name]; dup {
			return fmt.Errorf("qubits[%d]: name %q already used by qubit %d", i, q.Name, j)
		}
		names[q.Name] = i
		if err := q.validate(); err != nil {
			return fmt.Errorf("qubit %d (%s): %w", i, q.Name, err)
		}
	}
	if err := d.validateEdges(); err != nil {
		return err
	}
	for i, c := range d.Couplers {
		if !d.inRange(c.A) || !d.inRange(c.B) || c.A >= c.B {
			return fmt.Errorf("couplers[%d]: qubits (%d, %d) must exist and be in increasing order", i, c.A, c.B)
		}
		if c.Site < -1 {
			return fmt.Errorf("couplers[%d]: site %d is negative (use -1 for none)", i, c.Site)
		}
	}
	for i, r := range d.PriorityRegions {
		if len(r) == 0 {
			return fmt.Errorf("priority_regions[%d]: empty region", i)
		}
		for _, q := range r {
			if !d.inRange(q) {
				return fmt.Errorf("priority_regions[%d]: qubit %d out of range [0, %d)", i, q, len(d.Qubits))
			}
		}
	}
	for i, f := range d.Defaults {
		if f.Field == "" {
			return fmt.Errorf("defaults[%d]: empty field name", i)
		}
	}
	return nil
}

// checkName checks a device name: 1 to 64 letters, digits, '.', '_' or
// '-', starting with a letter or digit.
func checkName(name string) error {
	if name == "" {
		return fmt.Errorf("empty device name")
	}
	if len(name) > 64 {
		return fmt.Errorf("device name %.20q… is longer than 64 characters", name)
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			i > 0 && (r == '.' || r == '_' || r == '-')
		if !ok {
			return fmt.Errorf("device name %q: character %q not allowed (use letters, digits, '.', '_', '-')", name, r)
		}
	}
	return nil
}

func (d *Device) validateBasis() error {
	if len(d.Basis) == 0 {
		return fmt.Errorf("basis: no gates")
	}
	seen := map[string]bool{}
	for _, name := range d.Basis {
		if err := checkBasisGate(name); err != nil {
			return fmt.Errorf("basis: %w", err)
		}
		if seen[name] {
			return fmt.Errorf("basis: gate %q listed twice", name)
		}
		seen[name] = true
	}
	return nil
}

// checkBasisGate checks that name is a lower-case canonical gate name.
func checkBasisGate(name string) error {
	g, ok := gate.Lookup(name)
	if !ok {
		return fmt.Errorf("unknown gate %q", name)
	}
	if name != strings.ToLower(name) || g.Name != name {
		return fmt.Errorf("gate %q: use the lower-case canonical name %q", name, canonicalGateName(name))
	}
	return nil
}

// canonicalGateName maps a gate name or alias, in any case, to the
// lower-case canonical name of the gate table; "" when unknown.
func canonicalGateName(name string) string {
	g, ok := gate.Lookup(strings.ToLower(name))
	if !ok {
		return ""
	}
	return strings.ToLower(g.Name)
}

func (q Qubit) validate() error {
	figures := []struct {
		name string
		v    float64
	}{
		{"t1_us", q.T1}, {"t2_us", q.T2}, {"t2_star_us", q.T2Star},
		{"frequency_ghz", q.Frequency}, {"anharmonicity_ghz", q.Anharmonicity},
		{"readout_frequency_ghz", q.ReadoutFrequency},
		{"gate_1q_duration_ns", q.Gate1QDuration}, {"gate_1q_error", q.Gate1QError},
		{"readout_p10", q.ReadoutP10}, {"readout_p01", q.ReadoutP01},
		{"readout_duration_ns", q.ReadoutDuration},
	}
	for _, f := range figures {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Errorf("%s is %v", f.name, f.v)
		}
		// Anharmonicity is the only figure whose sign is a convention.
		if f.v < 0 && f.name != "anharmonicity_ghz" {
			return fmt.Errorf("%s is negative (%g)", f.name, f.v)
		}
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"gate_1q_error", q.Gate1QError}, {"readout_p10", q.ReadoutP10}, {"readout_p01", q.ReadoutP01}} {
		if p.v > 1 {
			return fmt.Errorf("%s is %g, not a probability in [0, 1]", p.name, p.v)
		}
	}
	if !q.Usable {
		return nil
	}
	switch {
	case q.T1 <= 0:
		return fmt.Errorf("usable qubit needs t1_us > 0")
	case q.T2 <= 0:
		return fmt.Errorf("usable qubit needs t2_us > 0")
	case q.T2 > 2*q.T1*(1+t2Slack):
		return fmt.Errorf("t2_us %g exceeds 2·t1_us = %g (physically impossible)", q.T2, 2*q.T1)
	case q.T2Star > 2*q.T1*(1+t2Slack):
		return fmt.Errorf("t2_star_us %g exceeds 2·t1_us = %g (physically impossible)", q.T2Star, 2*q.T1)
	case q.Gate1QDuration <= 0:
		return fmt.Errorf("usable qubit needs gate_1q_duration_ns > 0")
	case q.ReadoutDuration <= 0:
		return fmt.Errorf("usable qubit needs readout_duration_ns > 0")
	}
	return nil
}

func (d *Device) inRange(q int) bool { return q >= 0 && q < len(d.Qubits) }

func (d *Device) validateEdges() error {
	inBasis := map[string]bool{}
	for _, b := range d.Basis {
		inBasis[b] = true
	}
	type key struct {
		a, b int
		gate string
	}
	seen := map[key]int{}
	for i, e := range d.Edges {
		where := fmt.Sprintf("edges[%d] (%d, %d, %s)", i, e.A, e.B, e.Gate)
		for _, q := range []int{e.A, e.B} {
			if !d.inRange(q) {
				return fmt.Errorf("%s: qubit %d out of range [0, %d)", where, q, len(d.Qubits))
			}
			if !d.Qubits[q].Usable {
				return fmt.Errorf("%s: qubit %d (%s) is not usable", where, q, d.Qubits[q].Name)
			}
		}
		if e.A == e.B {
			return fmt.Errorf("%s: joins a qubit to itself", where)
		}
		if !e.Directed && e.A > e.B {
			return fmt.Errorf("%s: an undirected edge is stored with A < B", where)
		}
		g, ok := gate.Lookup(e.Gate)
		if !ok || g.Name != e.Gate {
			return fmt.Errorf("%s: unknown gate %q", where, e.Gate)
		}
		if g.Qubits != 2 {
			return fmt.Errorf("%s: gate %q acts on %d qubits, want 2", where, e.Gate, g.Qubits)
		}
		if !inBasis[e.Gate] {
			return fmt.Errorf("%s: gate %q is not in the basis %v", where, e.Gate, d.Basis)
		}
		if math.IsNaN(e.Error) || e.Error < 0 || e.Error > 1 {
			return fmt.Errorf("%s: error %g is not a probability in [0, 1]", where, e.Error)
		}
		if math.IsNaN(e.Duration) || math.IsInf(e.Duration, 0) || e.Duration <= 0 {
			return fmt.Errorf("%s: duration_ns %g must be positive", where, e.Duration)
		}
		ks := []key{{e.A, e.B, e.Gate}}
		if !e.Directed {
			ks = append(ks, key{e.B, e.A, e.Gate})
		}
		for _, k := range ks {
			if j, dup := seen[k]; dup {
				return fmt.Errorf("%s: duplicates edges[%d]", where, j)
			}
		}
		for _, k := range ks {
			seen[k] = i
		}
	}
	return nil
}
