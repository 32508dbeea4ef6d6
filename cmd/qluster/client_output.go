package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	ql "github.com/qluster/qluster"
	"github.com/qluster/qluster/client"
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
