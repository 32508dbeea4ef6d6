package device

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// SchemaV1 is the schema identifier of Qluster's own device JSON format,
// documented in SCHEMA.md.
const SchemaV1 = "qluster.device/v1"

// wireDevice is the JSON form of a Device. Element lists are decoded one
// element at a time so that errors can name the element.
type wireDevice struct {
	Schema          string            `json:"schema"`
	Name            string            `json:"name"`
	Description     string            `json:"description,omitempty"`
	Source          string            `json:"source,omitempty"`
	SystemID        int               `json:"system_id,omitempty"`
	CalibrationTime string            `json:"calibration_time,omitempty"`
	Basis           []string          `json:"basis"`
	Qubits          []json.RawMessage `json:"qubits"`
	Edges           []json.RawMessage `json:"edges"`
	Couplers        []json.RawMessage `json:"couplers,omitempty"`
	PriorityRegions [][]int           `json:"priority_regions,omitempty"`
	Defaults        []json.RawMessage `json:"defaults,omitempty"`
}

type wireQubit struct {
	Index            *int     `json:"index,omitempty"`
	Name             string   `json:"name"`
	Usable           *bool    `json:"usable,omitempty"`
	T1               *float64 `json:"t1_us,omitempty"`
	T2               *float64 `json:"t2_us,omitempty"`
	T2Star           *float64 `json:"t2_star_us,omitempty"`
	Frequency        *float64 `json:"frequency_ghz,omitempty"`
	Anharmonicity    *float64 `json:"anharmonicity_ghz,omitempty"`
	ReadoutFrequency *float64 `json:"readout_frequency_ghz,omitempty"`
	Gate1QDuration   *float64 `json:"gate_1q_duration_ns,omitempty"`
	Gate1QError      *float64 `json:"gate_1q_error,omitempty"`
	ReadoutP10       *float64 `json:"readout_p10,omitempty"`
	ReadoutP01       *float64 `json:"readout_p01,omitempty"`
	ReadoutDuration  *float64 `json:"readout_duration_ns,omitempty"`
}

type wireEdge struct {
	A        *int     `json:"a"`
	B        *int     `json:"b"`
	Gate     string   `json:"gate"`
	Error    *float64 `json:"error"`
	Duration *float64 `json:"duration_ns,omitempty"`
	Directed bool     `json:"directed,omitempty"`
}

type wireCoupler struct {
	A    *int `json:"a"`
	B    *int `json:"b"`
	Site *int `json:"site,omitempty"`
}

type wireDefault struct {
	Field  string  `json:"field"`
	Value  float64 `json:"value"`
	Reason string  `json:"reason"`
}

// Load reads a device in Qluster's JSON schema (SCHEMA.md) from r. See
// Parse.
func Load(r io.Reader) (*Device, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("device file: %w", err)
	}
	return Parse(data)
}

// Parse decodes a device in Qluster's JSON schema and validates it. It
// rejects a missing or unknown "schema" version and unknown fields, naming
// them; optional figures left out of a usable qubit or an edge get the
// named defaults of defaults.go, each recorded in Device.Defaults.
func Parse(data []byte) (*Device, error) {
	d, err := parseSchema(data)
	if err != nil {
		return nil, fmt.Errorf("device file: %w", err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// Marshal encodes a valid device in Qluster's JSON schema, indented, with
// every figure of a usable qubit written out, so that Parse(Marshal(d))
// equals d.
func Marshal(d *Device) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	w := wireDevice{
		Schema:          SchemaV1,
		Name:            d.Name,
		Description:     d.Description,
		Source:          d.Source,
		SystemID:        d.SystemID,
		Basis:           d.Basis,
		PriorityRegions: d.PriorityRegions,
		Qubits:          []json.RawMessage{},
		Edges:           []json.RawMessage{},
	}
	if !d.CalibrationTime.IsZero() {
		w.CalibrationTime = d.CalibrationTime.UTC().Format(time.RFC3339Nano)
	}
	add := func(list *[]json.RawMessage, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		*list = append(*list, b)
		return nil
	}
	for _, q := range d.Qubits {
		if err := add(&w.Qubits, toWireQubit(q)); err != nil {
			return nil, fmt.Errorf("device %s: qubit %d: %w", d.Name, q.Index, err)
		}
	}
	for _, e := range d.Edges {
		e := e
		we := wireEdge{A: &e.A, B: &e.B, Gate: e.Gate, Error: &e.Error, Duration: &e.Duration, Directed: e.Directed}
		if err := add(&w.Edges, we); err != nil {
			return nil, fmt.Errorf("device %s: edge (%d, %d): %w", d.Name, e.A, e.B, err)
		}
	}
	for _, c := range d.Couplers {
		c := c
		wc := wireCoupler{A: &c.A, B: &c.B}
		if c.Site >= 0 {
			wc.Site = &c.Site
		}
		if err := add(&w.Couplers, wc); err != nil {
			return nil, err
		}
	}
	for _, f := range d.Defaults {
		if err := add(&w.Defaults, wireDefault(f)); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(w); err != nil {
		return nil, fmt.Errorf("device %s: %w", d.Name, err)
	}
	return buf.Bytes(), nil
}

// toWireQubit writes every figure of a usable qubit and the non-zero
// figures of an unusable one.
func toWireQubit(q Qubit) wireQubit {
	idx, usable := q.Index, q.Usable
	w := wireQubit{Index: &idx, Name: q.Name, Usable: &usable}
	set := func(dst **float64, v float64) {
		if q.Usable || v != 0 {
			v := v
			*dst = &v
		}
	}
	set(&w.T1, q.T1)
	set(&w.T2, q.T2)
	set(&w.T2Star, q.T2Star)
	set(&w.Frequency, q.Frequency)
	set(&w.Anharmonicity, q.Anharmonicity)
	set(&w.ReadoutFrequency, q.ReadoutFrequency)
	set(&w.Gate1QDuration, q.Gate1QDuration)
	set(&w.Gate1QError, q.Gate1QError)
	set(&w.ReadoutP10, q.ReadoutP10)
	set(&w.ReadoutP01, q.ReadoutP01)
	set(&w.ReadoutDuration, q.ReadoutDuration)
	return w
}

// strictDecode decodes raw into v, rejecting unknown fields, with errors
// that name the element (where) and the field.
func strictDecode(where string, raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	prefix := ""
	if where != "" {
		prefix = where + ": "
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("%sunknown field %s", prefix, f)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		field := typ.Field
		switch {
		case where != "" && field != "":
			field = where + "." + field
		case field == "":
			field = where
		}
		if field == "" {
			field = "top level"
		}
		return fmt.Errorf("%s: want %s, got JSON %s", field, jsonTypeName(typ.Type.Kind().String()), typ.Value)
	}
	return fmt.Errorf("%s%w", prefix, jsonError(raw, err))
}

func parseSchema(data []byte) (*Device, error) {
	top, err := jsonObject(data)
	if err != nil {
		return nil, err
	}
	raw, ok := top["schema"]
	if !ok {
		return nil, fmt.Errorf("missing field \"schema\" (want %q)", SchemaV1)
	}
	schema, err := stringValue("schema", raw)
	if err != nil {
		return nil, err
	}
	if schema != SchemaV1 {
		return nil, fmt.Errorf("unsupported schema %q (this version reads %q)", schema, SchemaV1)
	}
	var w wireDevice
	if err := strictDecode("", data, &w); err != nil {
		return nil, err
	}
	for _, k := range []string{"name", "basis", "qubits"} {
		if _, ok := top[k]; !ok {
			return nil, fmt.Errorf("missing required field %q", k)
		}
	}
	d := &Device{
		Name:            w.Name,
		Description:     w.Description,
		Source:          w.Source,
		SystemID:        w.SystemID,
		Basis:           w.Basis,
		PriorityRegions: w.PriorityRegions,
	}
	if w.CalibrationTime != "" {
		t, err := time.Parse(time.RFC3339Nano, w.CalibrationTime)
		if err != nil {
			return nil, fmt.Errorf("calibration_time: %q is not an RFC 3339 time like \"2024-04-01T06:27:11Z\"", w.CalibrationTime)
		}
		d.CalibrationTime = t.UTC()
	}
	for i, raw := range w.Defaults {
		var f wireDefault
		if err := strictDecode(fmt.Sprintf("defaults[%d]", i), raw, &f); err != nil {
			return nil, err
		}
		d.Defaults = append(d.Defaults, DefaultedFigure(f))
	}
	var fill defaultFiller
	for i, raw := range w.Qubits {
		q, err := fill.qubit(i, raw)
		if err != nil {
			return nil, err
		}
		d.Qubits = append(d.Qubits, q)
	}
	for i, raw := range w.Edges {
		e, err := fill.edge(i, raw)
		if err != nil {
			return nil, err
		}
		d.Edges = append(d.Edges, e)
	}
	for i, raw := range w.Couplers {
		where := fmt.Sprintf("couplers[%d]", i)
		var wc wireCoupler
		if err := strictDecode(where, raw, &wc); err != nil {
			return nil, err
		}
		if wc.A == nil || wc.B == nil {
			return nil, fmt.Errorf("%s: missing required field \"a\" or \"b\"", where)
		}
		c := Coupler{A: min(*wc.A, *wc.B), B: max(*wc.A, *wc.B), Site: -1}
		if wc.Site != nil {
			c.Site = *wc.Site
		}
		d.Couplers = append(d.Couplers, c)
	}
	d.Defaults = append(d.Defaults, fill.records()...)
	if len(d.Basis) == 0 {
		d.Basis = nil
	}
	if len(d.PriorityRegions) == 0 {
		d.PriorityRegions = nil
	}
	return d, nil
}

// defaultFiller fills optional figures left out of a schema file and
// collects one record per field and reason.
type defaultFiller struct {
	entries []fillEntry
}

type fillEntry struct {
	field, why string
	value      float64
	count      int
}

func (f *defaultFiller) use(field string, value float64, why string) {
	for i := range f.entries {
		if e := &f.entries[i]; e.field == field && e.why == why {
			e.count++
			return
		}
	}
	f.entries = append(f.entries, fillEntry{field: field, why: why, value: value, count: 1})
}

func (f *defaultFiller) records() []DefaultedFigure {
	var out []DefaultedFigure
	for _, e := range f.entries {
		out = append(out, DefaultedFigure{Field: e.field, Value: e.value,
			Reason: fmt.Sprintf("%s: left out of the device file for %d entries", e.why, e.count)})
	}
	return out
}

func (f *defaultFiller) qubit(i int, raw json.RawMessage) (Qubit, error) {
	where := fmt.Sprintf("qubits[%d]", i)
	var w wireQubit
	if err := strictDecode(where, raw, &w); err != nil {
		return Qubit{}, err
	}
	q := Qubit{Index: i, Name: w.Name, Usable: true}
	if w.Index != nil && *w.Index != i {
		return Qubit{}, fmt.Errorf("%s: index is %d, want its position %d", where, *w.Index, i)
	}
	if w.Usable != nil {
		q.Usable = *w.Usable
	}
	get := func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	}
	q.T1, q.T2, q.T2Star = get(w.T1), get(w.T2), get(w.T2Star)
	q.Frequency, q.Anharmonicity, q.ReadoutFrequency = get(w.Frequency), get(w.Anharmonicity), get(w.ReadoutFrequency)
	q.Gate1QDuration, q.Gate1QError = get(w.Gate1QDuration), get(w.Gate1QError)
	q.ReadoutP10, q.ReadoutP01, q.ReadoutDuration = get(w.ReadoutP10), get(w.ReadoutP01), get(w.ReadoutDuration)
	if !q.Usable {
		return q, nil
	}
	if w.T1 == nil {
		return Qubit{}, fmt.Errorf("%s (%s): missing required field \"t1_us\"", where, w.Name)
	}
	if w.T2 == nil {
		return Qubit{}, fmt.Errorf("%s (%s): missing required field \"t2_us\"", where, w.Name)
	}
	if w.Gate1QDuration == nil {
		q.Gate1QDuration = DefaultGate1QDuration
		f.use("gate_1q_duration_ns", DefaultGate1QDuration, "DefaultGate1QDuration")
	}
	if w.Gate1QError == nil {
		q.Gate1QError = max(DefaultGate1QError, CoherenceLimitedError(q.Gate1QDuration, q.T1, q.T2))
		f.use("gate_1q_error", DefaultGate1QError, "max(DefaultGate1QError, coherence limit from T1, T2 and the gate duration)")
	}
	if w.ReadoutP10 == nil {
		q.ReadoutP10 = DefaultReadoutP10
		f.use("readout_p10", DefaultReadoutP10, "DefaultReadoutP10")
	}
	if w.ReadoutP01 == nil {
		q.ReadoutP01 = DefaultReadoutP01
		f.use("readout_p01", DefaultReadoutP01, "DefaultReadoutP01")
	}
	if w.ReadoutDuration == nil {
		q.ReadoutDuration = DefaultReadoutDuration
		f.use("readout_duration_ns", DefaultReadoutDuration, "DefaultReadoutDuration")
	}
	return q, nil
}

func (f *defaultFiller) edge(i int, raw json.RawMessage) (Edge, error) {
	where := fmt.Sprintf("edges[%d]", i)
	var w wireEdge
	if err := strictDecode(where, raw, &w); err != nil {
		return Edge{}, err
	}
	switch {
	case w.A == nil:
		return Edge{}, fmt.Errorf("%s: missing required field \"a\"", where)
	case w.B == nil:
		return Edge{}, fmt.Errorf("%s: missing required field \"b\"", where)
	case w.Gate == "":
		return Edge{}, fmt.Errorf("%s: missing required field \"gate\"", where)
	case w.Error == nil:
		return Edge{}, fmt.Errorf("%s: missing required field \"error\"", where)
	}
	e := Edge{A: *w.A, B: *w.B, Gate: w.Gate, Error: *w.Error, Directed: w.Directed}
	if !e.Directed && e.A > e.B {
		e.A, e.B = e.B, e.A // an undirected edge is stored with A < B
	}
	if w.Duration != nil {
		e.Duration = *w.Duration
	} else {
		e.Duration = DefaultGate2QDuration(e.Gate)
		f.use("gate_2q_duration_ns", e.Duration, fmt.Sprintf("DefaultGate2QDuration(%q)", e.Gate))
	}
	return e, nil
}
