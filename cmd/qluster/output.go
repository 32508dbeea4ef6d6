package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/cmplx"
	"sort"
	"strings"

	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/sim"
)

// runJSON is the JSON shape of qluster run's output.
type runJSON struct {
	Counts        map[string]int     `json:"counts"`
	Shots         int                `json:"shots"`
	Seed          uint64             `json:"seed"`
	NumQubits     int                `json:"num_qubits"`
	NumClbits     int                `json:"num_clbits"`
	Engine        string             `json:"engine"`
	DurationMS    float64            `json:"duration_ms"`
	Probabilities map[string]float64 `json:"probabilities,omitempty"`
	Statevector   [][2]float64       `json:"statevector,omitempty"`
}

func writeJSON(w io.Writer, res *sim.Result) error {
	out := runJSON{
		Counts: res.Counts, Shots: res.Shots, Seed: res.Seed,
		NumQubits: res.NumQubits, NumClbits: res.NumClbits, Engine: res.Engine,
		DurationMS:    float64(res.Duration.Microseconds()) / 1000,
		Probabilities: res.Probabilities,
	}
	if out.Counts == nil {
		out.Counts = map[string]int{}
	}
	if res.Statevector != nil {
		out.Statevector = make([][2]float64, len(res.Statevector))
		for i, a := range res.Statevector {
			out.Statevector[i] = [2]float64{real(a), imag(a)}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// barWidth is the width of the longest histogram bar.
const barWidth = 40

func writeText(w io.Writer, name string, c *circuit.Circuit, res *sim.Result) error {
	var b strings.Builder
	fmt.Fprintln(&b, circuitSummary(name, c, res))
	if len(res.Counts) > 0 {
		keys := sortedKeys(res.Counts)
		maxCount := 0
		for _, k := range keys {
			maxCount = max(maxCount, res.Counts[k])
		}
		width := keyWidth(keys)
		fmt.Fprintln(&b, "\ncounts:")
		for _, k := range keys {
			n := res.Counts[k]
			fmt.Fprintf(&b, "  %-*s %8d  %6.2f%%  %s\n", width, k, n, 100*float64(n)/float64(res.Shots), bar(float64(n)/float64(maxCount)))
		}
	}
	if res.Probabilities != nil {
		keys := sortedKeys(res.Probabilities)
		width := keyWidth(keys)
		pmax := 0.0
		for _, k := range keys {
			pmax = math.Max(pmax, res.Probabilities[k])
		}
		fmt.Fprintln(&b, "\nprobabilities:")
		for _, k := range keys {
			p := res.Probabilities[k]
			fmt.Fprintf(&b, "  %-*s  %.12f  %s\n", width, k, p, bar(p/pmax))
		}
	}
	if res.Statevector != nil {
		fmt.Fprintln(&b, "\nstatevector:")
		for i, a := range res.Statevector {
			if cmplx.Abs(a) < 1e-15 {
				continue
			}
			fmt.Fprintf(&b, "  |%s⟩  %+.12f %+.12fi\n", circuit.QubitKey(uint64(i), res.NumQubits), real(a), imag(a))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func bar(frac float64) string {
	n := int(math.Round(frac * barWidth))
	if n == 0 && frac > 0 {
		return "▏"
	}
	return strings.Repeat("█", n)
}

func keyWidth(keys []string) int {
	w := 0
	for _, k := range keys {
		w = max(w, len(k))
	}
	return w
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
