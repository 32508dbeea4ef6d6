// Command devinfo prints what the transpiler benchmark needs to know about
// a device preset, as JSON: its usable qubits, its usable undirected edges
// and its basis, so that Qiskit compiles for exactly the coupling map
// Qluster sees.
//
//	go run ./bench/transpile/devinfo dongling
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/qluster/qluster/device"
)

type info struct {
	Name   string   `json:"name"`
	Usable []int    `json:"usable"`
	Edges  [][2]int `json:"edges"`
	Basis  []string `json:"basis"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: devinfo PRESET")
		os.Exit(2)
	}
	d, err := device.Preset(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "devinfo:", err)
		os.Exit(1)
	}
	out := info{Name: d.Name, Basis: d.Basis, Usable: []int{}, Edges: [][2]int{}}
	for _, q := range d.Qubits {
		if q.Usable {
			out.Usable = append(out.Usable, q.Index)
		}
	}
	seen := map[[2]int]bool{}
	for _, e := range d.Edges {
		if !d.Qubits[e.A].Usable || !d.Qubits[e.B].Usable {
			continue
		}
		k := [2]int{min(e.A, e.B), max(e.A, e.B)}
		if !seen[k] {
			seen[k] = true
			out.Edges = append(out.Edges, k)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "devinfo:", err)
		os.Exit(1)
	}
}
