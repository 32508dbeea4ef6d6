package device

import (
	"embed"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed data/dongling.json data/chipexample.json
var presetData embed.FS

// ErrUnknownPreset is wrapped by Preset for a name it does not know.
var ErrUnknownPreset = errors.New("unknown device preset")

// presetTime is the calibration time given to the generated presets.
var presetTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// presets maps each built-in name to its constructor.
var presets = map[string]func() (*Device, error){
	"dongling": func() (*Device, error) {
		return quafuPreset("dongling", "data/dongling.json",
			"Dongling: 130-qubit superconducting chip (Q0101–Q1013, BAQIS/Quafu), real calibration of 2024-04-01: 106 usable qubits, 105 CZ edges")
	},
	"example10": func() (*Device, error) {
		return quafuPreset("example10", "data/chipexample.json",
			"10-qubit line example chip in the Quafu format, CX edges (Q0101 is calibrated but has no usable edge)")
	},
	"line20":     func() (*Device, error) { return generate(line20Spec()) },
	"grid25":     func() (*Device, error) { return generate(grid25Spec()) },
	"heavyhex27": func() (*Device, error) { return generate(heavyhex27Spec()) },
}

// Presets returns the names of the built-in devices, sorted: dongling and
// example10 (real Quafu-format calibration files, embedded), and line20,
// grid25 and heavyhex27 (generated with plausible synthetic calibration).
func Presets() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Preset returns a fresh copy of the named built-in device, or an error
// wrapping ErrUnknownPreset. The generated presets are the same on every
// call (their generator has a fixed seed). Bases:
//
//	dongling    cz, rx, ry, rz, h      (from the file)
//	example10   cx, rx, ry, rz, h, id  (from the file)
//	line20      cz, rz, sx, x          (a tunable-coupler CZ chip with IBM-style single-qubit gates)
//	grid25      cz, rx, ry, rz         (a Quafu/Zuchongzhi-style 5×5 grid)
//	heavyhex27  cx, rz, sx, x          (an IBM Falcon-style 27-qubit heavy-hex lattice)
func Preset(name string) (*Device, error) {
	mk, ok := presets[name]
	if !ok {
		return nil, fmt.Errorf("%w %q (have %s)", ErrUnknownPreset, name, strings.Join(Presets(), ", "))
	}
	return mk()
}

func quafuPreset(name, file, description string) (*Device, error) {
	data, err := presetData.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("preset %s: %w", name, err)
	}
	d, err := ParseQuafu(data, name)
	if err != nil {
		return nil, fmt.Errorf("preset %s: %w", name, err)
	}
	d.Description = description
	d.Source = "device/" + file + ": QSteed test data, Apache-2.0, (C) Beijing Academy of Quantum Information Sciences"
	return d, nil
}

// genSpec describes a generated chip. Figures are drawn around the given
// medians with a log-normal spread and rounded to four significant digits.
type genSpec struct {
	name, description string
	seed              uint64
	names             []string
	edges             [][2]int
	basis             []string
	gate2Q            string
	// Medians: T1 (µs), single-qubit and two-qubit errors, readout errors.
	t1, err1Q, err2Q, p10, p01 float64
	// Durations in ns; dur2QLow..dur2QHigh is drawn uniformly per edge.
	dur1Q, dur2QLow, dur2QHigh, durReadout float64
	// Frequency range and anharmonicity magnitude, GHz.
	freqLow, freqHigh, anharm float64
}

func line20Spec() genSpec {
	s := genSpec{
		name:        "line20",
		description: "20 qubits in a line, CZ between neighbours; synthetic calibration (tunable-coupler transmons)",
		seed:        20,
		basis:       []string{"cz", "rz", "sx", "x"},
		gate2Q:      "cz",
		t1:          80, err1Q: 3e-4, err2Q: 6e-3, p10: 0.015, p01: 0.03,
		dur1Q: 25, dur2QLow: 40, dur2QHigh: 40, durReadout: 1000,
		freqLow: 4.3, freqHigh: 5.0, anharm: 0.21,
	}
	for i := range 20 {
		s.names = append(s.names, fmt.Sprintf("Q%d", i))
		if i > 0 {
			s.edges = append(s.edges, [2]int{i - 1, i})
		}
	}
	return s
}

func grid25Spec() genSpec {
	s := genSpec{
		name:        "grid25",
		description: "5×5 square grid of qubits, CZ between nearest neighbours; synthetic calibration (Quafu/Zuchongzhi-style transmons)",
		seed:        25,
		basis:       []string{"cz", "rx", "ry", "rz"},
		gate2Q:      "cz",
		t1:          60, err1Q: 8e-4, err2Q: 1e-2, p10: DefaultReadoutP10, p01: DefaultReadoutP01,
		dur1Q: 30, dur2QLow: 40, dur2QHigh: 40, durReadout: DefaultReadoutDuration,
		freqLow: 4.0, freqHigh: 4.8, anharm: 0.2,
	}
	const side = 5
	for r := range side {
		for c := range side {
			i := r*side + c
			s.names = append(s.names, fmt.Sprintf("Q%02d%02d", r+1, c+1))
			if c > 0 {
				s.edges = append(s.edges, [2]int{i - 1, i})
			}
			if r > 0 {
				s.edges = append(s.edges, [2]int{i - side, i})
			}
		}
	}
	return s
}

// falcon27Edges is the coupling map of IBM's 27-qubit Falcon processors
// (heavy-hex: degree-3 qubits joined through degree-2 ones).
var falcon27Edges = [][2]int{
	{0, 1}, {1, 2}, {1, 4}, {2, 3}, {3, 5}, {4, 7}, {5, 8}, {6, 7}, {7, 10}, {8, 9},
	{8, 11}, {10, 12}, {11, 14}, {12, 13}, {12, 15}, {13, 14}, {14, 16}, {15, 18}, {16, 19}, {17, 18},
	{18, 21}, {19, 20}, {19, 22}, {21, 23}, {22, 25}, {23, 24}, {24, 25}, {25, 26},
}

func heavyhex27Spec() genSpec {
	s := genSpec{
		name:        "heavyhex27",
		description: "27-qubit heavy-hex lattice like IBM's Falcon processors, undirected CX; synthetic calibration (fixed-frequency transmons)",
		seed:        27,
		edges:       falcon27Edges,
		basis:       []string{"cx", "rz", "sx", "x"},
		gate2Q:      "cx",
		t1:          110, err1Q: 3e-4, err2Q: 1e-2, p10: 0.015, p01: 0.03,
		dur1Q: 35.56, dur2QLow: 250, dur2QHigh: 550, durReadout: 4000,
		freqLow: 4.8, freqHigh: 5.3, anharm: 0.34,
	}
	for i := range 27 {
		s.names = append(s.names, fmt.Sprintf("Q%d", i))
	}
	return s
}

// generate builds a device from a spec with a fixed-seed generator.
func generate(s genSpec) (*Device, error) {
	rng := rand.New(rand.NewPCG(s.seed, 0x9e3779b97f4a7c15))
	spread := func(median, sigma, lo, hi float64) float64 {
		v := median * math.Exp(sigma*rng.NormFloat64())
		return roundSig(math.Min(hi, math.Max(lo, v)), 4)
	}
	uniform := func(lo, hi float64) float64 { return roundSig(lo+(hi-lo)*rng.Float64(), 4) }
	d := &Device{
		Name:            s.name,
		Description:     s.description,
		Basis:           append([]string(nil), s.basis...),
		CalibrationTime: presetTime,
		Source:          fmt.Sprintf("generated by device.Preset(%q) with seed %d: synthetic calibration", s.name, s.seed),
	}
	for i, name := range s.names {
		q := Qubit{Index: i, Name: name, Usable: true}
		q.T1 = spread(s.t1, 0.3, s.t1/3, 3*s.t1)
		q.T2 = roundSig(math.Min(2*q.T1, q.T1*(0.4+0.8*rng.Float64())), 4)
		q.T2Star = roundSig(q.T2*(0.5+0.45*rng.Float64()), 4)
		q.Frequency = uniform(s.freqLow, s.freqHigh)
		q.Anharmonicity = roundSig(s.anharm*(0.95+0.1*rng.Float64()), 3)
		q.ReadoutFrequency = uniform(6.5, 7.2)
		q.Gate1QDuration = s.dur1Q
		q.Gate1QError = math.Max(spread(s.err1Q, 0.4, s.err1Q/4, 10*s.err1Q),
			roundSig(CoherenceLimitedError(q.Gate1QDuration, q.T1, q.T2), 4))
		q.ReadoutP10 = spread(s.p10, 0.4, s.p10/4, 5*s.p10)
		q.ReadoutP01 = spread(s.p01, 0.4, s.p01/4, 5*s.p01)
		q.ReadoutDuration = s.durReadout
		d.Qubits = append(d.Qubits, q)
	}
	for _, e := range s.edges {
		dur := s.dur2QLow
		if s.dur2QHigh > s.dur2QLow {
			dur = math.Round(s.dur2QLow + (s.dur2QHigh-s.dur2QLow)*rng.Float64())
		}
		d.Edges = append(d.Edges, Edge{
			A: min(e[0], e[1]), B: max(e[0], e[1]), Gate: s.gate2Q,
			Error:    spread(s.err2Q, 0.4, s.err2Q/4, 5*s.err2Q),
			Duration: dur,
		})
	}
	sortEdges(d.Edges)
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("preset %s: %w", s.name, err)
	}
	return d, nil
}

// roundSig rounds v to n significant decimal digits, to the float64
// nearest that decimal, so that it prints as it reads (0.0123, not
// 0.012300000000000002).
func roundSig(v float64, n int) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', n, 64), 64)
	if err != nil {
		return v
	}
	return r
}
