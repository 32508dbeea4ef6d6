package device

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qluster/qluster/gate"
)

// The Quafu chip JSON format, as published for the Dongling chip (see
// data/README.md), is one object:
//
//	calibration_time           "2024-04-1 14:27:11" (no zone: read as UTC+8)
//	basis_gates                Python list literal in a string: "['cz', 'rx']"
//	qubits_info                name → {T1, T2echo, T2star (µs), qubit_frequency,
//	                           readout_frequency, anharmonicity (GHz),
//	                           single_qubit_gate_duration (ns)}: the usable qubits
//	topological_structure      "QA_QB" → {"CZ"|"CX": {"fidelity": f}}: the usable edges
//	all_qubits_info            name → {}: every physical qubit (optional)
//	all_topological_structure  like topological_structure, every physical
//	                           coupler, fidelity 0 when unusable (optional)
//	coupler                    "QA_QB" → {"site": n} (optional)
//	priority_qubits            Python literal list of tuples of qubit indices (optional)
//	system_id                  integer (optional)
//
// Qubits are indexed in increasing order of their names' number, which for
// Quafu's fixed-width "Q" + row + column names is row then column (Q0101 is
// 0, Q0102 is 1, …); priority_qubits uses the same indices. A qubit is
// usable when qubits_info holds figures for it. The usable edges are those
// of topological_structure with a fidelity above 0 (where it and
// all_topological_structure disagree, topological_structure wins); they are
// undirected, since the format gives one fidelity per pair. Keys the loader
// does not know are ignored; known keys with wrong values are errors.

// quafuRequired lists the top-level keys a Quafu chip file must have.
var quafuRequired = []string{"basis_gates", "calibration_time", "qubits_info", "topological_structure"}

// quafuTimeLayout reads Quafu calibration times; Go's "1" and "2" accept
// one- or two-digit months and days ("2024-04-1").
const quafuTimeLayout = "2006-1-2 15:04:05"

// LoadQuafu reads a Quafu chip JSON file from r and returns the device
// named name. See ParseQuafu.
func LoadQuafu(r io.Reader, name string) (*Device, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("quafu chip %s: %w", name, err)
	}
	return ParseQuafu(data, name)
}

// ParseQuafu parses a Quafu chip JSON document and returns the device named
// name, validated. Figures the format lacks (readout errors and duration,
// single-qubit gate error, two-qubit gate duration) come from the named
// defaults of defaults.go and are listed in Device.Defaults. Errors name
// the offending key ("qubits_info.Q0103.T1: want a number, got \"abc\"";
// for malformed JSON, the line and column).
func ParseQuafu(data []byte, name string) (*Device, error) {
	d, err := parseQuafu(data, name)
	if err != nil {
		return nil, fmt.Errorf("quafu chip %s: %w", name, err)
	}
	return d, nil
}

// quafuLoader holds the state of one parse.
type quafuLoader struct {
	top   map[string]json.RawMessage
	d     *Device
	index map[string]int // qubit name → index
	basis map[string]bool
	notes []qubitNote
}

func parseQuafu(data []byte, name string) (*Device, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	top, err := jsonObject(data)
	if err != nil {
		return nil, err
	}
	for _, k := range quafuRequired {
		if _, ok := top[k]; !ok {
			return nil, fmt.Errorf("missing required field %q", k)
		}
	}
	l := &quafuLoader{top: top, d: &Device{Name: name, Source: "Quafu chip JSON"}}
	steps := []func() error{l.calibrationTime, l.basisGates, l.qubits, l.edges, l.couplers, l.priority, l.systemID}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	l.fillDefaults()
	d := l.d
	var gates []string
	for _, e := range d.Edges {
		if len(gates) == 0 || !contains(gates, e.Gate) {
			gates = append(gates, e.Gate)
		}
	}
	d.Description = fmt.Sprintf("Quafu chip %s: %d qubits, %d usable, %d usable %s edges",
		name, len(d.Qubits), len(d.UsableQubits()), len(d.Edges), strings.Join(gates, "/"))
	if err := d.validate(); err != nil {
		return nil, err
	}
	return d, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// jsonObject decodes data as one JSON object into its raw members,
// reporting syntax errors with line and column.
func jsonObject(data []byte) (map[string]json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, jsonError(data, err)
	}
	if top == nil {
		return nil, fmt.Errorf("want a JSON object, got null")
	}
	return top, nil
}

// jsonError rewrites an encoding/json error with a position in data.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		// Offset counts the bytes read, the offending one included; point
		// at that byte (or at the end for a truncated document).
		off := syn.Offset
		if strings.HasPrefix(syn.Error(), "invalid character") && off > 0 {
			off--
		}
		line, col := lineCol(data, off)
		return fmt.Errorf("invalid JSON at line %d, column %d (byte %d): %s", line, col, off, strings.TrimPrefix(syn.Error(), "json: "))
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		where := typ.Field
		if where == "" {
			where = "top level"
		}
		return fmt.Errorf("%s: want %s, got JSON %s", where, jsonTypeName(typ.Type.Kind().String()), typ.Value)
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

func jsonTypeName(kind string) string {
	switch kind {
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "float64", "float32", "int", "int64":
		return "a number"
	default:
		return "a " + kind
	}
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// rawKind names the JSON type of a raw value for error messages.
func rawKind(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		s := string(t)
		if len(s) > 24 {
			s = s[:20] + "…\""
		}
		return "string " + s
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "number " + string(t)
	}
}

// members decodes raw as a JSON object and returns its members with the
// keys sorted, so that errors come in a deterministic order.
func members(field string, raw json.RawMessage) (map[string]json.RawMessage, []string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, nil, fmt.Errorf("%s: want an object, got %s", field, rawKind(raw))
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return m, keys, nil
}

// number decodes raw as a finite JSON number.
func number(field string, raw json.RawMessage) (float64, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || !(t[0] == '-' || t[0] >= '0' && t[0] <= '9') {
		return 0, fmt.Errorf("%s: want a number, got %s", field, rawKind(raw))
	}
	v, err := strconv.ParseFloat(string(t), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: number %s out of range", field, t)
	}
	return v, nil
}

// stringValue decodes raw as a JSON string.
func stringValue(field string, raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || bytes.TrimSpace(raw)[0] != '"' {
		return "", fmt.Errorf("%s: want a string, got %s", field, rawKind(raw))
	}
	return s, nil
}

// qubitNumber parses a Quafu qubit name, "Q" followed by decimal digits,
// and returns the digits' value (row·100 + column for "Q" + RR + CC).
func qubitNumber(name string) (int, error) {
	digits, ok := strings.CutPrefix(name, "Q")
	if !ok || digits == "" || len(digits) > 9 {
		return 0, fmt.Errorf("qubit name %q: want \"Q\" followed by digits (row and column, as in Q0103)", name)
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("qubit name %q: want \"Q\" followed by digits (row and column, as in Q0103)", name)
		}
	}
	n, _ := strconv.Atoi(digits)
	return n, nil
}

func (l *quafuLoader) calibrationTime() error {
	s, err := stringValue("calibration_time", l.top["calibration_time"])
	if err != nil {
		return err
	}
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		l.d.CalibrationTime = t.UTC()
		return nil
	}
	zone := time.FixedZone("UTC+8", QuafuTimeZoneOffset*3600)
	t, err := time.ParseInLocation(quafuTimeLayout, s, zone)
	if err != nil {
		return fmt.Errorf("calibration_time: %q is not a time like \"2024-04-01 14:27:11\"", s)
	}
	l.d.CalibrationTime = t.UTC()
	l.record("calibration_time", QuafuTimeZoneOffset,
		"the file's calibration_time has no time zone: read as UTC+8 (Beijing time, where Quafu chips run) and stored in UTC")
	return nil
}

// pyOrJSON parses a value that Quafu files hold as a Python literal inside a
// JSON string; a plain JSON array is accepted too.
func pyOrJSON(field string, raw json.RawMessage) (any, error) {
	t := bytes.TrimSpace(raw)
	if len(t) > 0 && t[0] == '[' {
		// A JSON array of strings and integers is also a Python literal.
		v, err := parsePyLiteral(string(t))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		return v, nil
	}
	s, err := stringValue(field, raw)
	if err != nil {
		return nil, fmt.Errorf("%s: want a Python list literal in a string, got %s", field, rawKind(raw))
	}
	v, err := parsePyLiteral(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	return v, nil
}

func (l *quafuLoader) basisGates() error {
	v, err := pyOrJSON("basis_gates", l.top["basis_gates"])
	if err != nil {
		return err
	}
	names, err := pyStrings(v)
	if err != nil {
		return fmt.Errorf("basis_gates: %w", err)
	}
	if len(names) == 0 {
		return fmt.Errorf("basis_gates: empty list")
	}
	l.basis = map[string]bool{}
	for _, n := range names {
		c := canonicalGateName(strings.TrimSpace(n))
		if c == "" {
			return fmt.Errorf("basis_gates: unknown gate %q", n)
		}
		if l.basis[c] {
			return fmt.Errorf("basis_gates: gate %q listed twice", n)
		}
		l.basis[c] = true
		l.d.Basis = append(l.d.Basis, c)
	}
	return nil
}

// qubitFigure is one known key of a qubits_info entry.
type qubitFigure struct {
	key string
	set func(q *Qubit, v float64)
}

var quafuQubitFigures = []qubitFigure{
	{"T1", func(q *Qubit, v float64) { q.T1 = v }},
	{"T2echo", func(q *Qubit, v float64) { q.T2 = v }},
	{"T2star", func(q *Qubit, v float64) { q.T2Star = v }},
	{"qubit_frequency", func(q *Qubit, v float64) { q.Frequency = v }},
	{"anharmonicity", func(q *Qubit, v float64) { q.Anharmonicity = v }},
	{"readout_frequency", func(q *Qubit, v float64) { q.ReadoutFrequency = v }},
	{"single_qubit_gate_duration", func(q *Qubit, v float64) { q.Gate1QDuration = v }},
}

func (l *quafuLoader) qubits() error {
	info, infoKeys, err := members("qubits_info", l.top["qubits_info"])
	if err != nil {
		return err
	}
	names := map[string]bool{}
	if raw, ok := l.top["all_qubits_info"]; ok {
		all, allKeys, err := members("all_qubits_info", raw)
		if err != nil {
			return err
		}
		for _, k := range allKeys {
			if _, _, err := members("all_qubits_info."+k, all[k]); err != nil {
				return err
			}
			names[k] = true
		}
		for _, k := range infoKeys {
			if !names[k] {
				return fmt.Errorf("qubits_info.%s: qubit not listed in all_qubits_info", k)
			}
		}
	} else {
		for _, k := range infoKeys {
			names[k] = true
		}
	}
	type named struct {
		name string
		num  int
	}
	order := make([]named, 0, len(names))
	byNum := map[int]string{}
	for n := range names {
		num, err := qubitNumber(n)
		if err != nil {
			return err
		}
		if other, dup := byNum[num]; dup {
			return fmt.Errorf("qubit names %q and %q have the same number", min(n, other), max(n, other))
		}
		byNum[num] = n
		order = append(order, named{n, num})
	}
	sort.Slice(order, func(i, j int) bool { return order[i].num < order[j].num })
	l.index = map[string]int{}
	for i, o := range order {
		l.index[o.name] = i
		l.d.Qubits = append(l.d.Qubits, Qubit{Index: i, Name: o.name})
	}
	for _, k := range infoKeys {
		if err := l.qubitInfo(k, info[k]); err != nil {
			return err
		}
	}
	return nil
}

// qubitInfo reads one qubits_info entry. An empty object marks the qubit
// unusable, as all_qubits_info does.
func (l *quafuLoader) qubitInfo(name string, raw json.RawMessage) error {
	field := "qubits_info." + name
	fig, _, err := members(field, raw)
	if err != nil {
		return err
	}
	if len(fig) == 0 {
		return nil
	}
	q := &l.d.Qubits[l.index[name]]
	for _, f := range quafuQubitFigures {
		r, ok := fig[f.key]
		if !ok {
			continue
		}
		v, err := number(field+"."+f.key, r)
		if err != nil {
			return err
		}
		if v < 0 && f.key != "anharmonicity" { // its sign is a convention
			return fmt.Errorf("%s.%s: %g is negative", field, f.key, v)
		}
		f.set(q, v)
	}
	if _, ok := fig["T1"]; !ok {
		return fmt.Errorf("%s: missing required field \"T1\"", field)
	}
	if q.T1 <= 0 {
		return fmt.Errorf("%s.T1: must be positive, got %g", field, q.T1)
	}
	if _, ok := fig["T2echo"]; !ok {
		if _, ok := fig["T2star"]; !ok {
			return fmt.Errorf("%s: missing required field \"T2echo\" (or \"T2star\")", field)
		}
		q.T2 = q.T2Star
		l.recordQubit("t2_us", 0, "no T2echo in the file: T2 taken from T2star (Ramsey), which underestimates the echo figure", name)
	}
	if q.T2 <= 0 {
		return fmt.Errorf("%s.T2echo: must be positive, got %g", field, q.T2)
	}
	if q.T2 > 2*q.T1 {
		l.recordQubit("t2_us", 0, "T2 above the physical limit 2·T1: clipped to 2·T1", name)
		q.T2 = 2 * q.T1
	}
	if q.T2Star > 2*q.T1 {
		l.recordQubit("t2_star_us", 0, "T2star above the physical limit 2·T1: clipped to 2·T1", name)
		q.T2Star = 2 * q.T1
	}
	if _, ok := fig["single_qubit_gate_duration"]; !ok || q.Gate1QDuration == 0 {
		q.Gate1QDuration = DefaultGate1QDuration
		l.recordQubit("gate_1q_duration_ns", DefaultGate1QDuration, "no single_qubit_gate_duration in the file: DefaultGate1QDuration", name)
	}
	q.Usable = true
	return nil
}

// quafuEdge is one parsed entry of a topology map.
type quafuEdge struct {
	key      string
	a, b     int
	gate     string
	fidelity float64
}

// topology reads a topology map ("QA_QB" → {GATE: {"fidelity": f}}).
// needGate requires at least one gate per pair.
func (l *quafuLoader) topology(field string, needGate bool) ([]quafuEdge, error) {
	m, keys, err := members(field, l.top[field])
	if err != nil {
		return nil, err
	}
	var out []quafuEdge
	for _, k := range keys {
		where := field + "." + k
		a, b, err := l.pair(where, k)
		if err != nil {
			return nil, err
		}
		gates, gateKeys, err := members(where, m[k])
		if err != nil {
			return nil, err
		}
		if needGate && len(gates) == 0 {
			return nil, fmt.Errorf("%s: no gate (want {\"CZ\": {\"fidelity\": f}})", where)
		}
		if len(gates) == 0 {
			out = append(out, quafuEdge{key: k, a: a, b: b})
			continue
		}
		for _, gk := range gateKeys {
			gw := where + "." + gk
			name := canonicalGateName(gk)
			if name == "" {
				return nil, fmt.Errorf("%s: unknown gate %q", gw, gk)
			}
			if g := mustGate(name); g.Qubits != 2 {
				return nil, fmt.Errorf("%s: gate %q acts on %d qubits, want 2", gw, gk, g.Qubits)
			}
			props, _, err := members(gw, gates[gk])
			if err != nil {
				return nil, err
			}
			raw, ok := props["fidelity"]
			if !ok {
				return nil, fmt.Errorf("%s: missing required field \"fidelity\"", gw)
			}
			f, err := number(gw+".fidelity", raw)
			if err != nil {
				return nil, err
			}
			if f < 0 || f > 1 {
				return nil, fmt.Errorf("%s.fidelity: %g is outside [0, 1]", gw, f)
			}
			out = append(out, quafuEdge{key: k, a: a, b: b, gate: name, fidelity: f})
		}
	}
	return out, nil
}

// pair parses an edge key "QA_QB" into two qubit indices.
func (l *quafuLoader) pair(where, key string) (int, int, error) {
	parts := strings.Split(key, "_")
	if len(parts) != 2 {
		return 0, 0, fmt.Errorf("%s: edge key must be two qubit names joined by '_' (as in Q0103_Q0104)", where)
	}
	var idx [2]int
	for i, p := range parts {
		if _, err := qubitNumber(p); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", where, err)
		}
		n, ok := l.index[p]
		if !ok {
			return 0, 0, fmt.Errorf("%s: unknown qubit %q", where, p)
		}
		idx[i] = n
	}
	if idx[0] == idx[1] {
		return 0, 0, fmt.Errorf("%s: joins qubit %s to itself", where, parts[0])
	}
	return idx[0], idx[1], nil
}

func (l *quafuLoader) edges() error {
	es, err := l.topology("topological_structure", true)
	if err != nil {
		return err
	}
	seen := map[[2]int]string{}
	for _, e := range es {
		where := "topological_structure." + e.key
		if e.fidelity == 0 {
			continue // listed but not usable
		}
		for _, q := range []int{e.a, e.b} {
			if !l.d.Qubits[q].Usable {
				return fmt.Errorf("%s: qubit %s has no figures in qubits_info (not usable)", where, l.d.Qubits[q].Name)
			}
		}
		if !l.basis[e.gate] {
			return fmt.Errorf("%s: gate %q is not in basis_gates %v", where, e.gate, l.d.Basis)
		}
		a, b := min(e.a, e.b), max(e.a, e.b)
		k := [2]int{a, b}
		if other, dup := seen[k]; dup && other == e.gate {
			return fmt.Errorf("%s: duplicate edge (%s and %s join the same qubits)", where, l.d.Qubits[a].Name, l.d.Qubits[b].Name)
		}
		seen[k] = e.gate
		l.d.Edges = append(l.d.Edges, Edge{A: a, B: b, Gate: e.gate, Error: errorFromFidelity(e.fidelity)})
	}
	sortEdges(l.d.Edges)
	for i := 1; i < len(l.d.Edges); i++ {
		p, e := l.d.Edges[i-1], l.d.Edges[i]
		if p.A == e.A && p.B == e.B && p.Gate == e.Gate {
			return fmt.Errorf("topological_structure: duplicate edge %s_%s (%s)", l.d.Qubits[e.A].Name, l.d.Qubits[e.B].Name, e.Gate)
		}
	}
	return nil
}

// couplers reads all_topological_structure and coupler, both optional,
// into Device.Couplers.
func (l *quafuLoader) couplers() error {
	sites := map[[2]int]int{}
	if raw, ok := l.top["coupler"]; ok {
		m, keys, err := members("coupler", raw)
		if err != nil {
			return err
		}
		for _, k := range keys {
			where := "coupler." + k
			a, b, err := l.pair(where, k)
			if err != nil {
				return err
			}
			props, _, err := members(where, m[k])
			if err != nil {
				return err
			}
			site := -1
			if r, ok := props["site"]; ok {
				v, err := number(where+".site", r)
				if err != nil {
					return err
				}
				if v < 0 || v != math.Trunc(v) || v > math.MaxInt32 {
					return fmt.Errorf("%s.site: want a non-negative integer, got %g", where, v)
				}
				site = int(v)
			}
			p := [2]int{min(a, b), max(a, b)}
			if _, dup := sites[p]; dup {
				return fmt.Errorf("%s: duplicate coupler", where)
			}
			sites[p] = site
		}
	}
	pairs := map[[2]int]bool{}
	for p := range sites {
		pairs[p] = true
	}
	if _, ok := l.top["all_topological_structure"]; ok {
		es, err := l.topology("all_topological_structure", false)
		if err != nil {
			return err
		}
		for _, e := range es {
			pairs[[2]int{min(e.a, e.b), max(e.a, e.b)}] = true
		}
	}
	for _, e := range l.d.Edges {
		pairs[[2]int{e.A, e.B}] = true
	}
	if len(sites) == 0 && len(pairs) == len(l.d.Edges) && l.top["all_topological_structure"] == nil {
		return nil // the file lists no physical couplers beyond the usable edges
	}
	for p := range pairs {
		site, ok := sites[p]
		if !ok {
			site = -1
		}
		l.d.Couplers = append(l.d.Couplers, Coupler{A: p[0], B: p[1], Site: site})
	}
	sortCouplers(l.d.Couplers)
	return nil
}

func (l *quafuLoader) priority() error {
	raw, ok := l.top["priority_qubits"]
	if !ok {
		return nil
	}
	v, err := pyOrJSON("priority_qubits", raw)
	if err != nil {
		return err
	}
	regions, err := pyIntLists(v)
	if err != nil {
		return fmt.Errorf("priority_qubits: %w", err)
	}
	for i, r := range regions {
		for _, q := range r {
			if q < 0 || q >= len(l.d.Qubits) {
				return fmt.Errorf("priority_qubits: region %d: qubit index %d out of range [0, %d)", i, q, len(l.d.Qubits))
			}
		}
	}
	if len(regions) > 0 {
		l.d.PriorityRegions = regions
	}
	return nil
}

func (l *quafuLoader) systemID() error {
	raw, ok := l.top["system_id"]
	if !ok {
		return nil
	}
	v, err := number("system_id", raw)
	if err != nil {
		return err
	}
	if v != math.Trunc(v) || math.Abs(v) > math.MaxInt32 {
		return fmt.Errorf("system_id: want an integer, got %g", v)
	}
	l.d.SystemID = int(v)
	return nil
}

// fillDefaults sets the figures the format lacks and records them.
func (l *quafuLoader) fillDefaults() {
	var raised []string
	usable := 0
	for i := range l.d.Qubits {
		q := &l.d.Qubits[i]
		if !q.Usable {
			continue
		}
		usable++
		q.ReadoutP10 = DefaultReadoutP10
		q.ReadoutP01 = DefaultReadoutP01
		q.ReadoutDuration = DefaultReadoutDuration
		q.Gate1QError = DefaultGate1QError
		if c := CoherenceLimitedError(q.Gate1QDuration, q.T1, q.T2); c > q.Gate1QError {
			q.Gate1QError = c
			raised = append(raised, q.Name)
		}
	}
	if usable > 0 {
		l.record("readout_p10", DefaultReadoutP10, "the Quafu file has no readout figures: DefaultReadoutP10 for every usable qubit")
		l.record("readout_p01", DefaultReadoutP01, "the Quafu file has no readout figures: DefaultReadoutP01 for every usable qubit")
		l.record("readout_duration_ns", DefaultReadoutDuration, "the Quafu file has no readout durations: DefaultReadoutDuration for every usable qubit")
		reason := "the Quafu file has no single-qubit gate errors: DefaultGate1QError for every usable qubit"
		if len(raised) > 0 {
			reason = fmt.Sprintf("the Quafu file has no single-qubit gate errors: max(DefaultGate1QError, coherence limit from T1, T2 and the gate duration) for every usable qubit; the coherence limit is higher on %d (%s)",
				len(raised), listNames(raised))
		}
		l.record("gate_1q_error", DefaultGate1QError, reason)
	}
	gates := map[string]bool{}
	for i := range l.d.Edges {
		e := &l.d.Edges[i]
		e.Duration = DefaultGate2QDuration(e.Gate)
		gates[e.Gate] = true
	}
	names := make([]string, 0, len(gates))
	for g := range gates {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		l.record("gate_2q_duration_ns", DefaultGate2QDuration(g),
			fmt.Sprintf("the Quafu file has no two-qubit gate durations: %g ns for every %s edge", DefaultGate2QDuration(g), g))
	}
	l.flushDefaults()
}

// listNames shortens a list of qubit names for a message.
func listNames(names []string) string {
	if len(names) > 8 {
		return strings.Join(names[:8], ", ") + fmt.Sprintf(", … %d more", len(names)-8)
	}
	return strings.Join(names, ", ")
}

// record adds a defaulted figure for the whole device.
func (l *quafuLoader) record(field string, value float64, reason string) {
	l.d.Defaults = append(l.d.Defaults, DefaultedFigure{Field: field, Value: value, Reason: reason})
}

// recordQubit notes that a per-qubit figure was defaulted; notes with the
// same field and reason are merged into one entry listing the qubits, added
// to Device.Defaults by flushDefaults.
func (l *quafuLoader) recordQubit(field string, value float64, reason, qubit string) {
	for i := range l.notes {
		n := &l.notes[i]
		if n.field == field && n.reason == reason {
			n.qubits = append(n.qubits, qubit)
			return
		}
	}
	l.notes = append(l.notes, qubitNote{field: field, value: value, reason: reason, qubits: []string{qubit}})
}

// flushDefaults appends the merged per-qubit notes to Device.Defaults.
func (l *quafuLoader) flushDefaults() {
	for _, n := range l.notes {
		l.record(n.field, n.value, fmt.Sprintf("%s (%d qubits: %s)", n.reason, len(n.qubits), listNames(n.qubits)))
	}
}

// qubitNote is a per-qubit default awaiting flushDefaults.
type qubitNote struct {
	field  string
	value  float64
	reason string
	qubits []string
}

// mustGate returns a gate known to exist.
func mustGate(name string) *gate.Gate {
	g, ok := gate.Lookup(name)
	if !ok {
		panic("device: gate " + name + " vanished from the table")
	}
	return g
}

// errorFromFidelity returns 1 − f rounded to 12 decimal places, so that a
// fidelity of 0.989 gives an error of exactly 0.011 (as a float64) rather
// than 0.01100000000000001.
func errorFromFidelity(f float64) float64 {
	return math.Round((1-f)*1e12) / 1e12
}
