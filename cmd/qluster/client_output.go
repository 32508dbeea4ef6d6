package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	ql "github.com/qluster/qluster"
	"github.com/qluster/qluster/client"
	"github.com/qluster/qluster/device"
)

// writeIndentedJSON writes v as indented JSON.
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeCircuitResult writes one circuit's result in the text format of
// qluster run: a header line, then the counts and probabilities as
// histograms.
func writeCircuitResult(w io.Writer, r ql.CircuitResult) error {
	var b strings.Builder
	name := r.Name
	if name == "" {
		name = "circuit"
	}
	fmt.Fprintf(&b, "%s: %d shots, seed %d, engine %s, %s\n", name, r.Shots, r.Seed, r.Engine,
		formatDuration(time.Duration(r.DurationMS*float64(time.Millisecond))))
	if cc := r.Compiled; cc != nil {
		fmt.Fprintf(&b, "compiled: %d two-qubit gates, depth %d, initial layout %v, final layout %v\n",
			cc.TwoQubitGates, cc.Depth, cc.InitialLayout, cc.FinalLayout)
	}
	if len(r.Counts) > 0 {
		keys := sortedKeys(r.Counts)
		maxCount := 0
		for _, k := range keys {
			maxCount = max(maxCount, r.Counts[k])
		}
		width := keyWidth(keys)
		fmt.Fprintln(&b, "\ncounts:")
		for _, k := range keys {
			n := r.Counts[k]
			fmt.Fprintf(&b, "  %-*s %8d  %6.2f%%  %s\n", width, k, n, 100*float64(n)/float64(max(r.Shots, 1)), bar(float64(n)/float64(maxCount)))
		}
	}
	if len(r.Probabilities) > 0 {
		keys := sortedKeys(r.Probabilities)
		width := keyWidth(keys)
		pmax := 0.0
		for _, k := range keys {
			pmax = math.Max(pmax, r.Probabilities[k])
		}
		fmt.Fprintln(&b, "\nprobabilities:")
		for _, k := range keys {
			p := r.Probabilities[k]
			fmt.Fprintf(&b, "  %-*s  %.12f  %s\n", width, k, p, bar(p/pmax))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeResult writes every circuit's result, separated by blank lines.
func writeResult(w io.Writer, res *client.Result) error {
	for i, r := range res.Results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := writeCircuitResult(w, r); err != nil {
			return err
		}
	}
	return nil
}

// writeJob writes a job's fields, one per line.
func writeJob(w io.Writer, j *client.Job) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, v)
		}
	}
	status := string(j.Status)
	if j.CancelRequested && !j.Status.Terminal() {
		status += " (cancel requested)"
	}
	row("id", j.ID)
	row("status", status)
	row("backend", j.Backend)
	row("circuits", fmt.Sprint(j.NumCircuits))
	row("shots", fmt.Sprint(j.Shots))
	if j.Seed != nil {
		row("seed", fmt.Sprint(*j.Seed))
	}
	row("attempt", fmt.Sprint(j.Attempt))
	row("error", j.Error)
	row("created", formatTime(j.CreatedAt))
	row("started", formatTime(j.StartedAt))
	row("finished", formatTime(j.FinishedAt))
	return tw.Flush()
}

// writeJobTable writes jobs as a table.
func writeJobTable(w io.Writer, jobs []*client.Job) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tBACKEND\tCIRCUITS\tSHOTS\tCREATED")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", j.ID, j.Status, j.Backend, j.NumCircuits, j.Shots, formatTime(j.CreatedAt))
	}
	return tw.Flush()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// writeBackend writes one backend's detail: its figures, basis, engines and
// defaults, its coupling map, and for a chip a summary of its calibration
// with the figures that came from defaults rather than measurement.
func writeBackend(w io.Writer, info *ql.BackendInfo) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s, %s, %d qubits, at most %d shots, %d queued\n", info.Name, info.Kind, info.Status,
		info.NumQubits, info.MaxShots, info.QueueLength)
	if info.Description != "" {
		fmt.Fprintf(&b, "  %s\n", info.Description)
	}
	if info.Node != "" {
		fmt.Fprintf(&b, "node:      %s\n", info.Node)
	}
	if info.CliffordQubits > info.NumQubits {
		fmt.Fprintf(&b, "clifford:  up to %d qubits (circuits of Clifford gates only, stabilizer engine)\n", info.CliffordQubits)
	}
	basis := "any gate of the gate table"
	if len(info.Basis) > 0 {
		basis = strings.Join(info.Basis, ", ")
	}
	fmt.Fprintf(&b, "basis:     %s\n", basis)
	fmt.Fprintf(&b, "engines:   %s\n", strings.Join(info.Engines, ", "))
	d := info.Defaults
	onOff := map[bool]string{true: "on", false: "off"}
	fmt.Fprintf(&b, "defaults:  shots %d, transpile %s, optimization level %d, engine %s\n",
		d.Shots, onOff[d.Transpile], d.OptimizationLevel, cmp.Or(d.Engine, "auto"))
	if len(info.CouplingMap) == 0 {
		fmt.Fprintln(&b, "coupling:  all-to-all")
	} else {
		writeCoupling(&b, info.CouplingMap)
	}
	if len(info.Calibration) > 0 {
		dev, err := device.Parse(info.Calibration)
		if err != nil {
			fmt.Fprintf(&b, "calibration: %d bytes, not in the %s schema (%v)\n", len(info.Calibration), device.SchemaV1, err)
		} else {
			writeCalibration(&b, dev)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCoupling writes a coupling map as pairs, an undirected edge (both
// directions listed) once as "a-b", a directed one as "a->b".
func writeCoupling(b *strings.Builder, pairs [][2]int) {
	has := make(map[[2]int]bool, len(pairs))
	for _, p := range pairs {
		has[p] = true
	}
	var items []string
	for _, p := range pairs {
		switch {
		case has[[2]int{p[1], p[0]}] && p[0] < p[1]:
			items = append(items, fmt.Sprintf("%d-%d", p[0], p[1]))
		case !has[[2]int{p[1], p[0]}]:
			items = append(items, fmt.Sprintf("%d->%d", p[0], p[1]))
		}
	}
	fmt.Fprintf(b, "coupling:  %d edges\n", len(items))
	line := " "
	for _, it := range items {
		if len(line)+len(it)+1 > 100 {
			fmt.Fprintln(b, line)
			line = " "
		}
		line += " " + it
	}
	if strings.TrimSpace(line) != "" {
		fmt.Fprintln(b, line)
	}
}

// writeCalibration summarises a chip's calibration: each figure's median
// and range over the usable qubits and edges, and the defaults used.
func writeCalibration(b *strings.Builder, d *device.Device) {
	when := "unknown"
	if !d.CalibrationTime.IsZero() {
		when = d.CalibrationTime.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(b, "calibration: %s; %d physical qubits, %d usable, %d edges\n", when, len(d.Qubits), len(d.UsableQubits()), len(d.Edges))
	if d.Source != "" {
		fmt.Fprintf(b, "  source: %s\n", d.Source)
	}
	var t1, t2, e1, p10, p01, e2, dur2 []float64
	for _, q := range d.Qubits {
		if q.Usable {
			t1, t2, e1 = append(t1, q.T1), append(t2, q.T2), append(e1, q.Gate1QError)
			p10, p01 = append(p10, q.ReadoutP10), append(p01, q.ReadoutP01)
		}
	}
	for _, e := range d.Edges {
		e2, dur2 = append(e2, e.Error), append(dur2, e.Duration)
	}
	tw := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  figure\tmedian\tmin\tmax")
	for _, f := range []struct {
		name string
		v    []float64
	}{
		{"T1 (µs)", t1}, {"T2 (µs)", t2}, {"1q gate error", e1}, {"readout p(1|0)", p10}, {"readout p(0|1)", p01},
		{"2q gate error", e2}, {"2q gate duration (ns)", dur2},
	} {
		if len(f.v) == 0 {
			continue
		}
		slices.Sort(f.v)
		fmt.Fprintf(tw, "  %s\t%.4g\t%.4g\t%.4g\n", f.name, f.v[len(f.v)/2], f.v[0], f.v[len(f.v)-1])
	}
	tw.Flush()
	if len(d.Defaults) == 0 {
		fmt.Fprintln(b, "defaults:  none (every figure is measured)")
		return
	}
	fmt.Fprintln(b, "not measured (defaults or derived):")
	for _, df := range d.Defaults {
		fmt.Fprintf(b, "  %s = %g: %s\n", df.Field, df.Value, df.Reason)
	}
}
